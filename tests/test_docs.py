"""The README stays true: every setting and every command is documented there."""

from pathlib import Path

import pytest

from rehearse.settings import Settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("field", sorted(Settings.model_fields))
def test_every_setting_is_in_the_configuration_table(field):
    assert f"| `REHEARSE_{field.upper()}` |" in README


def test_every_command_is_in_the_command_table():
    from typer.main import get_command

    from rehearse.cli import app

    root = get_command(app)
    for name, command in root.commands.items():
        names = [f"{name} {sub}" for sub in command.commands] if getattr(command, "commands", None) else [name]
        for full in names:
            assert f"`rehearse {full}" in README, f"rehearse {full} is missing from the README"


def test_the_two_setup_commands_are_shown():
    assert "make serve" in README and "make test" in README
