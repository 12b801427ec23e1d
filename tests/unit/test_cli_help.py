"""Command help reads as prose: a docstring's hard-wrapped lines are joined, not kept as breaks."""

from __future__ import annotations

from typer.testing import CliRunner

from rehearse.cli import app


def test_help_joins_the_lines_of_a_wrapped_docstring():
    result = CliRunner().invoke(app, ["worker", "--help"], terminal_width=200, env={"COLUMNS": "200"})
    assert result.exit_code == 0
    # in the docstring "(those" ends one line and "jobs are tried again" starts the next
    assert "at once (those jobs are tried again" in result.output


def test_the_accounts_group_names_every_command():
    result = CliRunner().invoke(app, ["users", "--help"], terminal_width=200, env={"COLUMNS": "200"})
    assert "reset a password" in result.output and "set-password" in result.output


def test_each_example_in_a_commands_help_is_a_line_of_its_own():
    """Two examples written on two lines of a docstring were run together into one line."""
    import re

    for command in (["practice"], ["feedback"], ["import"], ["export"]):
        result = CliRunner().invoke(app, [*command, "--help"], terminal_width=200, env={"COLUMNS": "200"})
        assert result.exit_code == 0
        for line in result.output.splitlines():
            assert len(re.findall(r"Example:", line)) <= 1, (command, line)
