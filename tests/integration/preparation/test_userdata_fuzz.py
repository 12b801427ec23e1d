"""Fuzzed user-data documents through the import service, `rehearse data import` and the upload API: any
bytes give a whole import or a clear refusal that changes nothing.

The seed is a real export (attempts, review cards, stories, a mock interview, a prep plan, suggestions,
comments, votes, reports and notifications), mutated byte by byte, or with one of its values replaced by a
hostile one (a NUL, a lone surrogate, a number no column holds, the wrong type). A refusal names the file
(and the line, when the bytes are not JSON); nothing is written, the other people's counters included. What
is accepted exports again, and that export loads into another account unchanged.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from contextlib import contextmanager, suppress

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument
from sqlalchemy import func, inspect, select, text
from sqlalchemy.orm import Session
from tests.fuzz_bytes import line_count, mutated, replaced
from typer.testing import CliRunner

from rehearse.accounts import service as accounts
from rehearse.cli import app
from rehearse.community.models import Comment, Suggestion
from rehearse.db.database import Database
from rehearse.userdata import service as userdata

from .conftest import make_bank
from .test_userdata import fill, fill_community, people

FILE = "ann.json"


def _fill_source(session) -> tuple[dict, dict]:
    questions = make_bank(session)["questions"]
    ann, bob, eve = people(session)
    fill(session, ann, questions, [(0, 55, "An answer.", [True, False, False], 3, "easy"),
                                   (1, 80, "Another.", [True, True, False], 1, None)],
         [("A story", "The scene.", "I did it.", ["hiring"])], [(2, 7, True, 2)], plan_count=1)
    fill_community(session, ann, bob, eve, questions,
                   ([(0, "edit", "pending", "Clearer."), (1, "new_question", "rejected", "Missing.")],
                    [(2, 1), (3, -1)], [(True, "On mine."), (False, "On Bob's.")], True, False, False,
                    ("Rude.", "Mine, off topic.")))
    return userdata.export_user(session, user=ann), userdata.export_user(session, user=bob)


@pytest.fixture(scope="module")
def documents(tmp_path_factory):
    """Ann's and Bob's documents, made on another Rehearse."""
    db = Database(f"sqlite:///{tmp_path_factory.mktemp('source') / 'source.db'}")
    db.upgrade()
    with db.engine.connect() as connection:
        outer = connection.begin()
        source = Session(bind=connection)
        try:
            yield _fill_source(source)
        finally:
            source.close()
            outer.rollback()
    db.dispose()


def seed_bytes(document: dict) -> bytes:
    return json.dumps(document, ensure_ascii=False, indent=1).encode("utf-8")


def prepare_target(session, bob_document) -> None:
    """The same bank, Ann's account and Bob's data (Ann's votes, comments and reports are on his)."""
    make_bank(session)
    _, bob, _ = people(session)
    userdata.import_user(session, user=bob, document=bob_document)
    session.flush()


def fingerprint(session_or_connection) -> dict[str, int]:
    """Rows in every table, and the counters an import changes on other people's rows."""
    names = inspect(session_or_connection.connection() if isinstance(session_or_connection, Session)
                    else session_or_connection).get_table_names()
    counts = {name: session_or_connection.execute(text(f'SELECT count(*) FROM "{name}"')).scalar()
              for name in names if name != "alembic_version"}
    counts["suggestion counters"] = session_or_connection.execute(select(
        func.coalesce(func.sum(Suggestion.votes + Suggestion.up * 3 + Suggestion.down * 7
                               + Suggestion.comment_count * 11), 0))).scalar()
    counts["comment reports"] = session_or_connection.execute(select(func.coalesce(func.sum(Comment.reports), 0))
                                                              ).scalar()
    return counts


def fuzzed(document: dict):
    # Half of them with one value replaced: most byte edits stop at the JSON reader.
    return st.one_of(mutated([seed_bytes(document)]), replaced(document), replaced(document), st.binary(max_size=200))


def note(what: str) -> None:
    """Count outcomes for --hypothesis-show-statistics (outside a Hypothesis test there is nothing to count)."""
    with suppress(InvalidArgument):
        event(what)


@contextmanager
def rolled_back(session):
    nested = session.begin_nested()
    try:
        yield
    finally:
        nested.rollback()


def load_or_refuse(session, data: bytes, email: str) -> dict | None:
    """Import the bytes into a new account; a refusal must name the file (and a line it has) and change nothing."""
    user = accounts.create_user(session, email=email, password_hash="-")
    before = fingerprint(session)
    try:
        counts = userdata.import_user(session, user=user, document=userdata.read_document(data, file=FILE))
    except userdata.ImportRejected as error:
        note(f"refused ({error.status}{', with a line' if error.line else ''})")
        if error.line is not None:
            assert 1 <= error.line <= line_count(data), (error.line, str(error))
        assert error.status in (400, 409, 413, 422)
        assert fingerprint(session) == before, str(error)
        return None
    assert isinstance(counts["attempts"], int)
    note("imported")
    return userdata.export_user(session, user=user)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_any_bytes_load_whole_or_are_refused_without_a_trace(session, documents, data):
    ann_document, bob_document = documents
    with rolled_back(session):
        prepare_target(session, bob_document)
        exported = load_or_refuse(session, data.draw(fuzzed(ann_document)), "fuzzed@example.com")
        if exported is not None:  # what was accepted is a document this Rehearse makes and reads again
            # (once the account it went into is gone: its pending suggestions would refuse their own copies)
            userdata.delete_account(session, user=accounts.user_by_email(session, "fuzzed@example.com"))
            again = load_or_refuse(session, seed_bytes(exported), "again@example.com")
            assert again == {**exported, "user": again["user"]}, [
                key for key in exported if again[key] != exported[key]]


def test_the_unmutated_document_loads_and_exports_the_same(session, documents):
    ann_document, bob_document = documents
    with rolled_back(session):
        prepare_target(session, bob_document)
        exported = load_or_refuse(session, seed_bytes(ann_document), "ann-again@example.com")
        assert exported == {**ann_document, "user": exported["user"]}


def _set(path: str, value):
    """A change to the seed document: the value at a dotted path (list indexes as numbers)."""

    def change(document: dict) -> bytes:
        *steps, last = [int(step) if step.isdigit() else step for step in path.split(".")]
        holder = document
        for step in steps:
            holder = holder[step]
        holder[last] = value
        return json.dumps(document).encode("ascii")

    return change


# Each found by the fuzzing above (or its first drafts) before the fix that makes it pass: on SQLite, some were
# stored as they were (a list or text in a number column), on PostgreSQL they were driver errors (a 500 in the
# API, a traceback in the CLI).
HOSTILE = [
    ("a list where text goes", _set("mocks.0.items.0.prompt", []), "mock_items.prompt is not text"),
    ("text where a number goes", _set("cards.0.stability", "high"), "review_cards.stability is not a finite number"),
    ("an integer past 64 bits", _set("cards.0.reviews", 2**64), "review_cards.reviews is out of range"),
    ("an integer past 32 bits", _set("cards.0.step", 2**31), "review_cards.step is out of range"),
    ("a NUL in an answer", _set("attempts.0.answer", "An\x00answer"), "attempts.answer holds a NUL"),
    ("a lone surrogate in a story", _set("stories.0.title", "a\ud800"), "stories.title holds a NUL or a lone"),
    ("text longer than its column", _set("mocks.0.items.0.follow_up_reason", "x" * 41),
     "mock_items.follow_up_reason is longer than 40"),
    # (a score of 2**64, a mode of "typedtyped…": refused as values the app never makes, test_userdata.NEVER_MADE)
    ("a NUL inside a report", _set("attempts.0.report.grade", "\x00"), "attempts.report holds a NUL"),
    ("true where a number goes", _set("community.votes.0.value", True), "suggestion_votes.value is not a whole"),
    # the API takes JSON numbers, never "84": a score written as text was stored as the number
    ("a score written as text", _set("attempts.0.score", "84"), "attempts.score is not a whole number"),
    ("NaN", lambda document: seed_bytes(document).replace(b'"coverage": 0.0', b'"coverage": NaN'), "NaN is not a"),
    ("a 5,000-digit number", lambda document: seed_bytes(document).replace(b'"seed": 7', b'"seed": ' + b"7" * 5000),
     "a number is too long"),
    ("nesting 100,000 deep", lambda document: b"[" * 100_000, "the nesting is too deep"),
    ("bytes that are not UTF-8", lambda document: seed_bytes(document).replace(b"ann@", b"\xff@"), "not UTF-8"),
]


@pytest.mark.parametrize(("change", "expected"), [case[1:] for case in HOSTILE], ids=[case[0] for case in HOSTILE])
def test_hostile_documents_are_refused_and_change_nothing(session, documents, change, expected):
    ann_document, bob_document = documents
    with rolled_back(session):
        prepare_target(session, bob_document)
        data = change(json.loads(json.dumps(ann_document)))
        user = accounts.create_user(session, email="hostile@example.com", password_hash="-")
        before = fingerprint(session)
        with pytest.raises(userdata.ImportRejected, match=re.escape(expected)):
            userdata.import_user(session, user=user, document=userdata.read_document(data, file=FILE))
        assert fingerprint(session) == before


def test_a_utf8_byte_order_mark_is_read(session, documents):
    ann_document, bob_document = documents
    with rolled_back(session):
        prepare_target(session, bob_document)
        assert load_or_refuse(session, b"\xef\xbb\xbf" + seed_bytes(ann_document), "bom@example.com") is not None


# --- the CLI ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def cli(tmp_path_factory, documents):
    """`rehearse data import` in this process against a SQLite file with the bank and Bob's data."""
    folder = tmp_path_factory.mktemp("cli")
    env = {"REHEARSE_DATA_DIR": str(folder / "data"), "REHEARSE_DATABASE_URL": f"sqlite:///{folder / 'cli.db'}",
           "REHEARSE_LOAD_BUILTIN_BANK": "false"}
    db = Database(env["REHEARSE_DATABASE_URL"])
    db.upgrade()
    with db.transaction(writes=True) as session:
        prepare_target(session, documents[1])
    runner = CliRunner()
    yield folder, (lambda *args: runner.invoke(app, list(args), env=env)), db
    db.dispose()


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=st.data())
def test_the_cli_loads_a_fuzzed_file_whole_or_refuses_it_with_file_and_line(cli, documents, data):
    folder, invoke, db = cli
    content = data.draw(fuzzed(documents[0]))
    path = folder / "fuzzed.json"
    path.write_bytes(content)
    with db.transaction(writes=True) as session:
        email = f"user{session.scalar(text('SELECT count(*) FROM users'))}@example.com"
        accounts.create_user(session, email=email, password_hash="-")
    with db.engine.connect() as connection:
        before = fingerprint(connection)
    result = invoke("data", "import", email, str(path))
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    if result.exit_code == 0:
        assert "imported." in result.stdout
        return
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"error: {path}:"), result.stderr
    line = result.stderr.split(f"{path}:", 1)[1].split(":", 1)[0]
    assert not line.strip().isdigit() or 1 <= int(line) <= line_count(content), result.stderr
    assert "Nothing was imported" in result.stderr or "nothing was imported" in result.stderr, result.stderr
    with db.engine.connect() as connection:
        assert fingerprint(connection) == before


@pytest.mark.parametrize(("content", "expected"), [
    (b'{\n "format": "rehearse-user-data",\n "version": 2,\n "attempts": [\n}\n', ":5: not valid JSON (Expecting value"),
    (json.dumps({"format": "rehearse-user-data", "version": 2, "attempts": [], "cards": [], "mocks": [],
                 "stories": [{"title": "T", "situation": "", "task": "", "action": "A", "result": "",
                              "competencies": [], "tags": [], "created_at": "[/x]", "updated_at": None}]}).encode(),
     ": story: '[/x]' is not an ISO date and time"),  # once read as console markup: a traceback
    (b"[" * 100_000, ": not a document this Rehearse reads (the nesting is too deep)"),
])
def test_refusals_print_file_and_line_without_a_traceback_as_users_run_it(cli_env, tmp_path, content, expected):
    db = Database(cli_env["REHEARSE_DATABASE_URL"])
    db.upgrade()
    with db.transaction(writes=True) as session:
        accounts.create_user(session, email="ann@example.com", password_hash="-")
    db.dispose()
    path = tmp_path / "ann.json"
    path.write_bytes(content)
    result = subprocess.run([sys.executable, "-m", "rehearse", "data", "import", "ann@example.com", str(path)],
                            env=cli_env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith(f"error: {path}{expected}"), result.stderr
    assert "othing was imported" in result.stderr
