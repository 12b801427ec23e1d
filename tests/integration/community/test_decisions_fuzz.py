"""Fuzzed decision files through `apply_decisions` (SQLite and PostgreSQL) and `rehearse community apply`: all
decisions applied, or an error naming the file and a line it has, with nothing applied.

The seed is a real `export-queue` file with decisions filled in (an accept, a rejection with its reason, an
edited accept, a skip), mutated byte by byte, or with one value of one line replaced by a hostile one.
"""

from __future__ import annotations

import json
import shutil
import uuid

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from tests.fuzz_bytes import HOSTILE_VALUES, line_count, mutated, replaced
from typer.testing import CliRunner

from rehearse.accounts import service as accounts
from rehearse.bank import service as bank
from rehearse.bank.models import ExampleAnswer, Question
from rehearse.cli import app
from rehearse.community import decisions
from rehearse.community import service as community
from rehearse.community.models import Notification, Suggestion
from rehearse.db.database import Database

from .conftest import ANSWER, bank_doc

FILE = "queue.jsonl"


def make_queue(session) -> tuple[list[dict], object]:
    """Four pending suggestions on one question (one a new question), exported, with decisions filled in."""
    bank.import_bank(session, bank_doc())
    question = bank.get_question(session, "strategy")
    author = accounts.create_user(session, email="author@example.com", password_hash="-")
    editor = accounts.create_user(session, email="editor@example.com", password_hash="-", role="editor")
    community.suggest_edit(session, user=author, question_id=question.id, reason="Say how often.",
                           accept_licence=True, example_answer=ANSWER + " Every quarter, I check in.")
    community.suggest_edit(session, user=author, question_id=question.id, reason="Sharper intent.",
                           accept_licence=True, intent="Show how you plan a year, and why.")
    community.suggest_edit(session, user=author, question_id=question.id, reason="Name the OKRs.",
                           accept_licence=True, talking_points=["a phased approach", "ties to company OKRs"])
    community.suggest_question(session, user=author, role_id=question.role_id, reason="Missing topic.",
                               accept_licence=True, text="How do you run an incident review?",
                               talking_points=["blameless", "actions"], example_answer="Within a week.")
    session.flush()
    records = decisions.export_queue(session)
    fills = [{"decision": "accept", "decision_reason": "Thanks."},
             {"decision": "reject", "decision_reason": "The intent reads fine as it is."},
             {"decision": "accept", "edited": {"talking_points": ["a phased approach", "ties to OKRs"]},
              "edited_base": records[3]["current_revision"]},
             {"decision": "skip"}]
    for record, fill in zip(records[1:], fills, strict=True):
        record.update(fill)
    return records, editor


def as_bytes(records: list[dict]) -> bytes:
    """As `rehearse community export-queue` writes it (UTF-8, one JSON object a line)."""
    return "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in records).encode("utf-8")


READ = ("id", "decision", "decision_reason", "edited", "edited_base", "proposed")  # what apply reads of a line
EDITED = [{"example_answer": 5}, {"talking_points": 5}, {"talking_points": [5, None]}, {"intent": "\x00"},
          {"example_answer": "x" * 30_000}, {"example_answer": ""}, {"talking_points": "one\ntwo"}, {"title": "x"}]


@st.composite
def one_value_replaced(draw, records: list[dict]) -> bytes:
    """One line with one value replaced anywhere in it, or (mostly) a value that apply reads."""
    lines = [json.dumps(r, default=str).encode("ascii") for r in records]
    index = draw(st.integers(0, len(lines) - 1))
    if index and draw(st.integers(0, 3)):
        record = {**records[index], "decision": draw(st.sampled_from(["accept", "reject"]))}
        record[draw(st.sampled_from(READ))] = draw(st.sampled_from([*HOSTILE_VALUES, *EDITED]))
        lines[index] = json.dumps(record, default=str).encode("ascii")
    else:
        lines[index] = draw(replaced(json.loads(lines[index])))
    return b"\n".join(lines) + b"\n"


def fuzzed(records: list[dict]):
    # Half of them with one value replaced: most byte edits stop at the JSON reader.
    return st.one_of(mutated([as_bytes(records)]), one_value_replaced(records), one_value_replaced(records),
                     st.binary(max_size=200))


def state(session_or_connection) -> tuple:
    """What applying decisions changes: the suggestions' decisions, revisions, questions and notifications."""
    suggestions = session_or_connection.execute(select(
        Suggestion.id, Suggestion.status, Suggestion.decision_reason, Suggestion.revision, Suggestion.question_id)
        .order_by(Suggestion.id)).all()
    counts = [session_or_connection.execute(select(func.count()).select_from(model)).scalar()
              for model in (ExampleAnswer, Question, Notification)]
    return [tuple(row) for row in suggestions], counts


@pytest.fixture
def queue(session):
    return make_queue(session)


@settings(max_examples=400, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_a_fuzzed_decision_file_applies_whole_or_names_file_and_line(session, queue, data):
    records, editor = queue
    content = data.draw(fuzzed(records))
    try:
        text = decisions.decode(content, file=FILE)  # as `rehearse community apply` reads it
    except decisions.DecisionFileError as error:
        assert error.file == FILE and 1 <= error.line <= line_count(content)
        event("refused: not UTF-8")
        return
    nested = session.begin_nested()
    try:
        before = state(session)
        try:
            with session.begin_nested():  # the caller's transaction: all of it or none of it
                counts = decisions.apply_decisions(session, editor=editor, text=text, file=FILE)
        except decisions.DecisionFileError as error:
            assert error.file == FILE and isinstance(error.line, int), str(error)
            assert 1 <= error.line <= line_count(content), (error.line, str(error))
            assert str(error).startswith(f"{FILE}:{error.line}: ")
            assert state(session) == before
            event(f"refused: {str(error).split(': ', 1)[1][:24]}")
            return
        after = state(session)
        decided = sum(1 for old, new in zip(before[0], after[0], strict=True) if old[1] != new[1])
        assert decided == counts["accepted"] + counts["rejected"]
        event(f"applied {counts['accepted']} + {counts['rejected']}")
    finally:
        nested.rollback()


def test_the_unmutated_file_applies_every_decision(session, queue):
    records, editor = queue
    counts = decisions.apply_decisions(session, editor=editor, text=decisions.decode(as_bytes(records), file=FILE),
                                       file=FILE)
    assert counts == {"accepted": 2, "rejected": 1}


# --- the CLI ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    """A SQLite file with the queue; each example applies to a copy of it."""
    folder = tmp_path_factory.mktemp("queue")
    database = Database(f"sqlite:///{folder / 'template.db'}")
    database.upgrade()
    with database.transaction(writes=True) as session:
        records, _ = make_queue(session)
    database.dispose()
    return folder, records


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_the_cli_applies_a_fuzzed_file_whole_or_refuses_it_with_file_and_line(template, data):
    folder, records = template
    content = data.draw(fuzzed(records))
    path = folder / "fuzzed.jsonl"
    path.write_bytes(content)
    copy = folder / f"copy-{uuid.uuid4().hex}.db"  # a new file each time: a reused name would meet its old WAL
    shutil.copyfile(folder / "template.db", copy)
    env = {"REHEARSE_DATA_DIR": str(folder / "data"), "REHEARSE_DATABASE_URL": f"sqlite:///{copy}",
           "REHEARSE_LOAD_BUILTIN_BANK": "false"}
    database = Database(env["REHEARSE_DATABASE_URL"])
    with database.engine.connect() as connection:
        before = state(connection)
    result = CliRunner().invoke(app, ["community", "apply", str(path), "--as", "editor@example.com"], env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    try:
        if result.exit_code == 0:
            assert result.stdout.startswith("Accepted ")
            return
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith(f"error: {path}:"), result.stderr
        line = result.stderr.split(f"{path}:", 1)[1].split(":", 1)[0]
        assert line.isdigit() and 1 <= int(line) <= line_count(content), result.stderr
        assert "Nothing was applied." in result.stderr
        with database.engine.connect() as connection:
            assert state(connection) == before
    finally:
        database.dispose()


def test_a_line_break_inside_a_text_does_not_split_the_line(session, queue):
    """export-queue writes U+2028 and U+0085 as they are; reading the file split lines there too."""
    records, editor = queue
    records[2]["decision_reason"] = "Two\u2028lines\x85and a form\x0cfeed."
    counts = decisions.apply_decisions(session, editor=editor, text=decisions.decode(as_bytes(records), file=FILE),
                                       file=FILE)
    assert counts == {"accepted": 2, "rejected": 1}
    assert community.get_suggestion(session, records[2]["id"]).decision_reason.startswith("Two\u2028lines")


def test_the_queue_file_says_where_an_edit_goes_and_each_line_has_the_place(session, queue):
    records, editor = queue
    exported = decisions.export_queue(session)
    assert "edited" in exported[0]["help"] and all(record["edited"] is None for record in exported[1:])
    records[1]["edited"] = {"example_answer": "An editor's better answer."}
    counts = decisions.apply_decisions(session, editor=editor, text=decisions.decode(as_bytes(records), file=FILE),
                                       file=FILE)
    assert counts["accepted"] == 2
    question_id = community.get_suggestion(session, records[1]["id"]).question_id
    assert bank.current_example_answer(session, question_id) == "An editor's better answer."


# Each found by the fuzzing above before the fix that makes it pass: tracebacks from the CLI (an unstorable
# value, a wrong type inside `edited`, Python's limits on numbers and nesting), or on PostgreSQL alone (an id
# past 32 bits).
HOSTILE = [
    ("an id past 64 bits", {"id": 2**63, "decision": "accept"}, "there is no suggestion with id"),
    ("an id past 32 bits", {"id": 2**31, "decision": "accept"}, "there is no suggestion with id"),
    ("a NUL in the reason", {"decision": "reject", "decision_reason": "No\x00."}, "decision_reason must be text"),
    ("a lone surrogate", {"decision": "reject", "decision_reason": "No\ud800."}, "decision_reason must be text"),
    ("a number as the edited answer", {"decision": "accept", "edited": {"example_answer": 5}},
     "edited example_answer must be text"),
    ("a number as the edited points", {"decision": "accept", "edited": {"talking_points": 5}},
     "edited talking_points must be a list of text"),
    ("an edited base past 64 bits", {"decision": "accept", "edited": {"example_answer": "x"}, "edited_base": 2**63},
     "edited_base must be the revision number"),
    ("true as the edited base", {"decision": "accept", "edited_base": True}, "edited_base must be the revision"),
    # an edit made in `proposed` was silently dropped: the original accepted (the file's help named only decisions)
    ("an edit made in proposed", {"decision": "accept", "proposed": {"talking_points": ["mine"]}},
     "put the fields you change in edited"),
]


@pytest.mark.parametrize(("change", "expected"), [case[1:] for case in HOSTILE], ids=[case[0] for case in HOSTILE])
def test_hostile_decisions_are_refused_at_their_line(session, queue, change, expected):
    records, editor = queue
    lines = [json.dumps(records[0]), json.dumps({**records[1], **change})]
    before = state(session)
    with pytest.raises(decisions.DecisionFileError) as refused:
        decisions.apply_decisions(session, editor=editor, text="\n".join(lines) + "\n", file=FILE)
    assert (refused.value.line, expected in str(refused.value)) == (2, True), str(refused.value)
    assert state(session) == before


@pytest.mark.parametrize(("line", "reason"), [('{"id": ' + "1" * 5000 + "}", "a number is too long"),
                                              ("[" * 100_000, "it nests too deep")])
def test_lines_past_pythons_limits_are_refused_at_their_line(session, queue, line, reason):
    records, editor = queue
    with pytest.raises(decisions.DecisionFileError, match=reason) as refused:
        decisions.apply_decisions(session, editor=editor, text=json.dumps(records[0]) + "\n" + line, file=FILE)
    assert refused.value.line == 2


def test_a_huge_wrong_decision_is_named_by_its_length(session, queue):
    records, editor = queue
    lines = [json.dumps(records[0]), json.dumps({**records[1], "decision": "x" * 5_000_000})]
    with pytest.raises(decisions.DecisionFileError) as refused:
        decisions.apply_decisions(session, editor=editor, text="\n".join(lines) + "\n", file=FILE)
    assert "5,000,000 characters" in str(refused.value) and len(str(refused.value)) < 300
