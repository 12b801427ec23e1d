"""`rehearse practice` in the terminal, typed through a CliRunner: what it asks, says and marks."""

import json
import sqlite3
from contextlib import closing
from datetime import timedelta

import pytest

from rehearse.bank import models
from rehearse.mock import service as mocks
from rehearse.practice import terminal

from .conftest import BANK

ANSWER = "We keep a fixed share of capacity for debt every sprint, agreed with product.\n.\n"


@pytest.fixture
def wide(monkeypatch):
    """A terminal wide enough that no table cell is wrapped."""
    monkeypatch.setattr(terminal.console, "width", 240)


def test_a_mock_answer_sent_after_its_time_ran_out_is_marked_in_the_end_report(rehearse, monkeypatch, wide):
    late = timedelta()
    real_clock, real_read = models.utcnow, terminal.read_answer

    def clock():
        return real_clock() + late

    def read_slowly(use_editor):  # each answer takes the candidate two hours to type
        nonlocal late
        answer = real_read(use_editor)
        late += timedelta(hours=2)
        return answer

    for module in (models, mocks):
        monkeypatch.setattr(module, "utcnow", clock)
    monkeypatch.setattr(terminal, "read_answer", read_slowly)
    result = rehearse("practice", "--role", "engineering-manager", "--mock", "1", input=ANSWER * 3)
    assert result.exit_code == 0, result.output
    report = result.stdout[result.stdout.index("┃ #"):]
    assert "(time ran out)" in report
    assert "sent when time ran out." in report


def test_a_mock_answered_in_time_is_not_marked(rehearse, wide):
    result = rehearse("practice", "--role", "engineering-manager", "--mock", "1", input=ANSWER * 3)
    assert result.exit_code == 0, result.output
    assert "time ran out" not in result.stdout


def _second_bank_with_the_same_role(rehearse, tmp_path):
    other = tmp_path / "other.yaml"
    other.write_text(BANK.replace("CLI bank", "Other bank"), encoding="utf-8")
    assert rehearse("import", other, "--new-bank").exit_code == 0  # a deliberate copy of the bank


def test_a_role_slug_in_several_banks_is_an_error_that_lists_them_with_their_ids(rehearse, tmp_path):
    _second_bank_with_the_same_role(rehearse, tmp_path)
    roles = {row["bank"]: row["id"] for row in json.loads(rehearse("roles", "--json").stdout)}
    result = rehearse("practice", "--role", "engineering-manager", input="")
    assert result.exit_code == 2
    said = " ".join(result.stderr.split())
    assert "'engineering-manager' is in 2 banks" in said
    assert f"{roles['CLI bank']} (cli-bank/engineering-manager" in said
    assert f"{roles['Other bank']} (other-bank/engineering-manager" in said


@pytest.mark.parametrize("reference", ["other-bank/engineering-manager", "id"])
def test_a_role_in_several_banks_is_practised_by_bank_and_slug_or_by_id(rehearse, tmp_path, reference):
    _second_bank_with_the_same_role(rehearse, tmp_path)
    if reference == "id":
        reference = str(next(row["id"] for row in json.loads(rehearse("roles", "--json").stdout)
                             if row["bank"] == "Other bank"))
    result = rehearse("practice", "--role", reference, input=ANSWER + "\nn\n")
    assert result.exit_code == 0, result.output
    assert "Score" in result.stdout
    assert rehearse("practice", "--role", reference, "--mock", "1", input=ANSWER * 3).exit_code == 0


def test_a_role_without_questions_says_so(rehearse, cli_env):
    path = cli_env["REHEARSE_DATABASE_URL"].removeprefix("sqlite:///")
    with closing(sqlite3.connect(path)) as connection, connection:
        bank_id = connection.execute("select id from banks").fetchone()[0]
        role_id = connection.execute("insert into roles (bank_id, slug, name, position) values (?, 'empty', 'Empty', 9) "
                                     "returning id", (bank_id,)).fetchone()[0]
    for reference in (str(role_id), "empty"):
        result = rehearse("practice", "--role", reference, input="")
        assert result.exit_code == 2
        said = " ".join(result.stderr.split())
        assert f"the role '{reference}' has no questions" in said
        assert "import a bank" not in said
