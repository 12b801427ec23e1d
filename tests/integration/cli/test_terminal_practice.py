"""`rehearse practice` in the terminal, typed through a CliRunner: what it asks, says and marks."""

from datetime import timedelta

import pytest

from rehearse.bank import models
from rehearse.mock import service as mocks
from rehearse.practice import terminal

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
