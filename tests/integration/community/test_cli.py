"""`rehearse community export-queue` and `apply FILE`: a subprocess against a real SQLite file."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from rehearse.accounts import service as accounts
from rehearse.bank import service as bank
from rehearse.community import service as community
from rehearse.db.database import Database

from .conftest import ANSWER, bank_doc


def rehearse(env, *args):
    return subprocess.run([sys.executable, "-m", "rehearse", *args], env=env, capture_output=True, text=True,
                          timeout=120)


@pytest.fixture
def queue_db(cli_env):
    database = Database(cli_env["REHEARSE_DATABASE_URL"])
    database.upgrade()
    with database.transaction(writes=True) as session:
        bank.import_bank(session, bank_doc())
        question = bank.get_question(session, "strategy")
        author = accounts.create_user(session, email="author@example.com", password="a long enough password")
        accounts.create_user(session, email="editor@example.com", password="a long enough password", role="editor")
        ids = [community.suggest_edit(session, user=author, question_id=question.id, reason=f"reason {i}",
                                      accept_licence=True, example_answer=f"{ANSWER} Addition {i}.").id
               for i in range(3)]
    yield database, ids
    database.dispose()


def statuses(database, ids):
    with database.transaction() as session:
        return [community.get_suggestion(session, i).status for i in ids]


def test_export_then_apply_decisions(cli_env, queue_db, tmp_path):
    database, ids = queue_db
    out = tmp_path / "queue.jsonl"
    exported = rehearse(cli_env, "community", "export-queue", "--out", str(out))
    assert exported.returncode == 0, exported.stderr
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert lines[0]["format"] == "rehearse-community-queue" and [r["id"] for r in lines[1:]] == ids
    lines[1].update(decision="accept", decision_reason="Good")
    lines[2].update(decision="reject", decision_reason="Duplicate")
    out.write_text("".join(json.dumps(r) + "\n" for r in lines))
    applied = rehearse(cli_env, "community", "apply", str(out), "--as", "editor@example.com")
    assert applied.returncode == 0, applied.stderr
    assert "Accepted 1, rejected 1." in applied.stdout
    assert statuses(database, ids) == ["accepted", "rejected", "pending"]


@pytest.mark.parametrize(("edit", "line", "message"), [
    (lambda lines: lines.__setitem__(2, "{not json"), 3, "not valid JSON"),
    (lambda lines: lines.__setitem__(0, json.dumps({"format": "csv"})), 1, "not a queue export"),
    (lambda lines: lines.__setitem__(3, json.dumps({"id": 999999, "decision": "accept"})), 4,
     "no suggestion with id 999999"),
    (lambda lines: lines.__setitem__(3, json.dumps({"id": 0, "decision": "maybe"})), 4, "decision must be one of"),
    (lambda lines: lines.__setitem__(3, json.dumps({"id": 0, "decision": "reject"})), 4, "needs a decision_reason"),
])
def test_a_bad_decision_file_names_file_and_line_and_applies_nothing(cli_env, queue_db, tmp_path, edit, line,
                                                                     message):
    database, ids = queue_db
    records = [{"format": "rehearse-community-queue", "version": 1}] + [
        {"id": i, "decision": "accept", "decision_reason": "ok"} for i in ids]
    lines = [json.dumps(r) for r in records]
    lines[1] = json.dumps({"id": ids[0], "decision": "accept"})  # valid, and before the bad line
    edit(lines)
    lines = [line_.replace('"id": 0', f'"id": {ids[2]}') for line_ in lines]
    path = tmp_path / "decisions.jsonl"
    path.write_text("\n".join(lines) + "\n")
    result = rehearse(cli_env, "community", "apply", str(path), "--as", "editor@example.com")
    assert result.returncode == 2
    assert f"{path}:{line}:" in result.stderr and message in result.stderr and "Nothing was applied" in result.stderr
    assert "Traceback" not in result.stderr
    assert statuses(database, ids) == ["pending", "pending", "pending"]


@pytest.fixture
def new_question_db(queue_db):
    """The queue, and a suggested new question (no kind or competencies given) after the three edits."""
    from sqlalchemy import select

    from rehearse.accounts.models import User

    database, ids = queue_db
    with database.transaction(writes=True) as session:
        author = session.scalar(select(User).where(User.email == "author@example.com"))
        made = community.suggest_question(session, user=author, role_id=bank.get_question(session, "strategy").role_id,
                                          reason="Missing topic.", accept_licence=True,
                                          text="How do you run a blameless post-mortem?",
                                          talking_points=["a timeline", "actions with owners"])
        made_id = made.id
    return database, [*ids, made_id]


def apply_lines(cli_env, tmp_path, *records):
    path = tmp_path / "decisions.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in [{"format": "rehearse-community-queue", "version": 1},
                                                       *records]) + "\n")
    return path, rehearse(cli_env, "community", "apply", str(path), "--as", "editor@example.com")


def test_an_edit_of_a_suggested_new_question_gives_its_kind_and_competencies(cli_env, new_question_db, tmp_path):
    from rehearse.bank.models import Question

    database, ids = new_question_db
    _, applied = apply_lines(cli_env, tmp_path, {"id": ids[3], "decision": "accept", "edited": {
        "kind": " Behavioural", "competencies": ["incidents", "People management"]}})
    assert applied.returncode == 0, applied.stderr
    with database.transaction() as session:
        added = session.get(Question, community.get_suggestion(session, ids[3]).question_id)
        # Written as the suggestion form writes them.
        assert (added.kind, added.competency_names) == ("behavioural", ["incidents", "people-management"])


def test_the_export_shows_a_suggested_questions_kind_and_competencies_and_applies_them_unchanged(
        cli_env, queue_db, tmp_path):
    from sqlalchemy import select

    from rehearse.accounts.models import User
    from rehearse.bank.models import Question
    from rehearse.community import decisions

    database, _ = queue_db
    with database.transaction(writes=True) as session:
        author = session.scalar(select(User).where(User.email == "author@example.com"))
        made = community.suggest_question(session, user=author, role_id=bank.get_question(session, "strategy").role_id,
                                          reason="Missing topic.", accept_licence=True, kind="situational",
                                          competencies=["Incidents"], text="How would you staff an on-call rota?",
                                          talking_points=["fair load", "handover"])
        made_id = made.id
        line = next(r for r in decisions.export_queue(session) if r.get("id") == made_id)
    assert line["proposed"] == {"talking_points": ["fair load", "handover"], "kind": "situational",
                                "competencies": ["incidents"]}
    _, applied = apply_lines(cli_env, tmp_path, {**line, "decision": "accept"})
    assert applied.returncode == 0, applied.stderr
    with database.transaction() as session:
        added = session.get(Question, community.get_suggestion(session, made_id).question_id)
        assert (added.kind, added.competency_names) == ("situational", ["incidents"])


def test_a_kind_changed_in_proposed_is_refused_not_ignored(cli_env, new_question_db, tmp_path):
    database, ids = new_question_db
    path, result = apply_lines(cli_env, tmp_path, {
        "id": ids[3], "decision": "accept",
        "proposed": {"talking_points": ["a timeline", "actions with owners"], "kind": "other"}})
    assert result.returncode == 2 and f"{path}:2:" in result.stderr and "put the fields you change in edited" in result.stderr
    assert statuses(database, ids[3:]) == ["pending"]


@pytest.mark.parametrize(("edited", "message"), [
    ({"kind": "rhetorical"}, "edited kind: A question's kind is one of behavioural, situational, other, "
                             "not “rhetorical”."),
    ({"competencies": ["x" * 200]}, "edited competencies: A competency is 200 characters long"),
    ({"competencies": [f"skill-{n}" for n in range(9)]}, "edited competencies: There are 9 competencies"),
    ({"competencies": ["incidents, hiring"]}, "edited competencies: A competency is one name without commas"),
    ({"kind": 3}, "edited kind must be text"),
    ({"competencies": ["incidents", 7]}, "each edited competency must be text"),
])
def test_a_kind_or_competencies_the_suggestion_form_refuses_are_refused_naming_the_line(
        cli_env, new_question_db, tmp_path, edited, message):
    database, ids = new_question_db
    path, result = apply_lines(cli_env, tmp_path, {"id": ids[0], "decision": "accept"},
                               {"id": ids[3], "decision": "accept", "edited": edited})
    assert result.returncode == 2 and f"{path}:3: {message}" in result.stderr
    assert "Nothing was applied" in result.stderr and "Traceback" not in result.stderr
    assert statuses(database, ids) == ["pending"] * 4


def test_a_kind_for_an_edit_of_an_existing_question_is_refused(cli_env, new_question_db, tmp_path):
    database, ids = new_question_db
    path, result = apply_lines(cli_env, tmp_path, {"id": ids[0], "decision": "accept", "edited": {"kind": "other"}})
    assert result.returncode == 2 and f"{path}:2:" in result.stderr
    assert "suggested new question only" in result.stderr
    assert statuses(database, ids) == ["pending"] * 4


def test_a_conflict_while_applying_rolls_everything_back(cli_env, queue_db, tmp_path):
    database, ids = queue_db
    # Both accept decisions append at the same place of the same answer: the second conflicts.
    path = tmp_path / "decisions.jsonl"
    path.write_text("\n".join([json.dumps({"format": "rehearse-community-queue", "version": 1}),
                               json.dumps({"id": ids[0], "decision": "accept"}),
                               json.dumps({"id": ids[1], "decision": "accept"})]) + "\n")
    result = rehearse(cli_env, "community", "apply", str(path), "--as", "editor@example.com")
    assert result.returncode == 2 and f"{path}:3:" in result.stderr and "changed the same part" in result.stderr
    assert statuses(database, ids) == ["pending", "pending", "pending"]


def test_an_import_says_when_it_replaces_a_community_edit(cli_env, tmp_path):
    from rehearse.formats import write

    path = tmp_path / "bank.yaml"
    path.write_bytes(write(bank_doc(), "yaml"))
    assert rehearse(cli_env, "import", str(path)).returncode == 0
    database = Database(cli_env["REHEARSE_DATABASE_URL"])
    with database.transaction(writes=True) as session:
        question = bank.get_question(session, "strategy")
        author = accounts.create_user(session, email="a@example.com", password="a long enough password")
        editor = accounts.create_user(session, email="e@example.com", password="a long enough password",
                                      role="editor")
        suggestion = community.suggest_edit(session, user=author, question_id=question.id, reason="r",
                                            accept_licence=True, example_answer=ANSWER + " Community edit.")
        community.accept(session, editor=editor, suggestion_id=suggestion.id)
    database.dispose()
    kept = rehearse(cli_env, "import", str(path))  # the file did not change: the edit stays, silently
    assert kept.returncode == 0 and "warning" not in kept.stderr
    path.write_bytes(write(bank_doc(answer="The file's new answer."), "yaml"))
    replaced = rehearse(cli_env, "import", str(path))
    assert replaced.returncode == 0
    assert "replacing a community edit" in replaced.stderr and "example answer" in replaced.stderr


def test_a_candidate_cannot_apply_decisions_from_a_file(cli_env, queue_db, tmp_path):
    database, ids = queue_db
    path = tmp_path / "decisions.jsonl"
    path.write_text("\n".join([json.dumps({"format": "rehearse-community-queue", "version": 1}),
                               json.dumps({"id": ids[0], "decision": "accept"})]) + "\n")
    result = rehearse(cli_env, "community", "apply", str(path), "--as", "author@example.com")
    assert result.returncode == 2 and "Only editors" in result.stderr and "Nothing was applied" in result.stderr
    assert statuses(database, ids) == ["pending", "pending", "pending"]


def test_the_operator_suspends_and_reinstates_an_account_from_the_command_line(cli_env, queue_db):
    database, ids = queue_db
    suspended = rehearse(cli_env, "users", "suspend", "Author@Example.com", "--reason", "spam in comments")
    assert suspended.returncode == 0, suspended.stderr
    assert "author@example.com is suspended; 3 pending suggestion(s) withdrawn." in suspended.stdout
    assert statuses(database, ids) == ["withdrawn"] * 3
    listed = rehearse(cli_env, "users", "list")
    assert "author@example.com  (suspended)" in listed.stdout
    reinstated = rehearse(cli_env, "users", "reinstate", "author@example.com")
    assert reinstated.returncode == 0 and "author@example.com is reinstated." in reinstated.stdout
    with database.transaction() as session:
        assert accounts.user_by_email(session, "author@example.com").active is True
    assert statuses(database, ids) == ["withdrawn"] * 3  # as from the editors page: they stay withdrawn
    for args, message in ((("suspend", "nobody@example.com", "--reason", "r"), "No account"),
                          (("suspend", "author@example.com", "--reason", "\u200b"), "reason is empty"),
                          (("reinstate", "nobody@example.com"), "No account")):
        refused = rehearse(cli_env, "users", *args)
        assert refused.returncode == 2 and message in refused.stderr and "Traceback" not in refused.stderr


def test_the_exported_queue_is_readable_by_its_owner_only(cli_env, queue_db, tmp_path):
    """It holds suggestions not yet published and their authors' names, as a data export holds one person's."""
    out = tmp_path / "queue.jsonl"
    before = os.umask(0o022)  # the umask most systems start with; the command inherits it
    try:
        exported = rehearse(cli_env, "community", "export-queue", "--out", str(out))
    finally:
        os.umask(before)
    assert exported.returncode == 0, exported.stderr
    assert out.stat().st_mode & 0o777 == 0o600
