"""`rehearse import FOLDER`: each bank file in it, as if named one by one, all in one transaction."""

from __future__ import annotations

import json

import pytest
from tests.unit.formats.test_folder import CSV, MARKDOWN, QUESTION_FILE, YAML
from typer.testing import CliRunner

from rehearse.cli import app

STORED = """\
bank: {name: Stored bank}
roles:
  - name: Engineer
    questions:
      - slug: stored-only
        text: How do you hire?
        talking_points: [a loop]
"""
# A file naming a new bank whose questions are all the stored bank's: refused while it is being stored (a renamed
# bank, or a copy?), after the files before it in the folder were stored in the same transaction.
RENAMED = STORED.replace("Stored bank", "Renamed bank")


@pytest.fixture
def rehearse(own_database, monkeypatch, tmp_path):
    monkeypatch.setenv("REHEARSE_DATABASE_URL", own_database.url)
    monkeypatch.setenv("REHEARSE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("REHEARSE_LOAD_BUILTIN_BANK", "false")
    runner = CliRunner()
    return lambda *args: runner.invoke(app, [str(arg) for arg in args])


def _folder(tmp_path, files: dict[str, str]):
    folder = tmp_path / "banks"
    for name, content in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(content, encoding="utf-8")
    return folder


def _slugs(rehearse) -> list[str]:
    return sorted(question["slug"] for question in json.loads(rehearse("questions", "list", "--json").stdout))


def test_a_folder_of_bank_files_imports_each_file_and_names_them(rehearse, tmp_path):
    folder = _folder(tmp_path, {"a.yaml": YAML, "b.csv": CSV, "c.md": MARKDOWN, "README.md": "# Our banks\n"})
    result = rehearse("import", folder)
    assert result.exit_code == 0, result.output
    assert "Imported 3 questions into Folder bank: 3 new, 0 updated, 0 unchanged." in result.stdout
    assert f"  imported from {folder}: a.yaml, b.csv, c.md (3 bank files)" in result.stdout
    assert f"warning: {folder / 'README.md'}: skipped: not a bank file" in result.stderr
    assert _slugs(rehearse) == ["deploy", "review", "test"]
    assert "0 new, 0 updated, 3 unchanged" in rehearse("import", folder).stdout


def test_a_folder_says_the_same_as_its_files_named_one_by_one(rehearse, tmp_path):
    folder = _folder(tmp_path, {"a.yaml": YAML, "b.csv": CSV})
    by_folder = rehearse("import", folder)
    by_name = rehearse("import", folder / "a.yaml", folder / "b.csv")
    assert by_folder.exit_code == by_name.exit_code == 0
    assert by_folder.stderr == by_name.stderr  # the same warnings, naming the same files and lines
    assert by_name.stdout.splitlines()[0] == "Imported 2 questions into Folder bank: 0 new, 0 updated, 2 unchanged."


def test_a_folder_of_question_files_still_imports_as_one_bank(rehearse, tmp_path):
    result = rehearse("import", _folder(tmp_path, {"teamwork/conflict.md": QUESTION_FILE}))
    assert result.exit_code == 0, result.output
    assert "Imported 1 question into banks: 1 new" in result.stdout and "imported from" not in result.stdout


def test_a_folder_mixing_bank_files_and_question_files_is_refused_and_nothing_is_imported(rehearse, tmp_path):
    result = rehearse("import", _folder(tmp_path, {"a.yaml": YAML, "conflict.md": QUESTION_FILE}))
    assert result.exit_code == 2
    assert "not both" in result.stderr and "nothing was imported" in result.stderr
    assert _slugs(rehearse) == []


def test_a_malformed_third_file_of_a_folder_is_named_and_nothing_is_imported(rehearse, tmp_path):
    folder = _folder(tmp_path, {"a.yaml": YAML, "b.csv": CSV, "c.md": MARKDOWN.replace("1. pipelines", "pipelines")})
    result = rehearse("import", folder)
    assert result.exit_code == 2
    assert f"{folder / 'c.md'}:11: expected a numbered talking point such as '1. …'; found 'pipelines'" in result.stderr
    assert "nothing was imported" in result.stderr
    assert _slugs(rehearse) == []


def test_a_third_file_refused_while_storing_leaves_the_database_as_it_was(rehearse, tmp_path):
    stored = tmp_path / "stored.yaml"
    stored.write_text(STORED, encoding="utf-8")
    assert rehearse("import", stored).exit_code == 0
    folder = _folder(tmp_path, {"a.yaml": YAML, "b.csv": CSV, "c.yaml": RENAMED})
    result = rehearse("import", folder)
    assert result.exit_code == 2
    assert f"{folder / 'c.yaml'}:" in result.stderr and "--rename-bank" in result.stderr
    assert "nothing was imported" in result.stderr
    assert _slugs(rehearse) == ["stored-only"]  # a.yaml and b.csv, stored first in the transaction, rolled back
