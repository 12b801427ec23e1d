"""The `rehearse` command as users run it: a subprocess against a real SQLite file."""

import json
import shutil
import subprocess
import sys

import pytest
from tests.conftest import require_shared


def rehearse(env, *args, stdin=None):
    return subprocess.run([sys.executable, "-m", "rehearse", *args], env=env, input=stdin,
                          capture_output=True, text=True, timeout=120)


def test_importing_the_seed_page_lists_24_questions_with_guidance(cli_env):
    seed = require_shared("seed", "head-of-software-engineering.txt")
    result = rehearse(cli_env, "import", str(seed))
    assert result.returncode == 0, result.stderr
    assert "24 new" in result.stdout
    listed = json.loads(rehearse(cli_env, "questions", "list", "--bank",
                                 "head-of-software-engineering-interview-questions", "--json").stdout)
    assert len(listed) == 24
    for question in listed:
        assert {"id", "slug", "text", "intent", "talking_points", "example_answer"} <= question.keys()
        assert question["intent"] and question["talking_points"] and question["example_answer"]
    assert rehearse(cli_env, "import", str(seed)).stdout.count("24 unchanged") == 1


def test_a_truncated_page_is_refused_with_file_and_line_and_nothing_is_written(cli_env, tmp_path):
    seed = require_shared("seed", "head-of-software-engineering.txt")
    text = seed.read_text(encoding="utf-8")
    truncated = tmp_path / "truncated.txt"
    truncated.write_text(text[: len(text) * 2 // 3], encoding="utf-8")
    before = json.loads(rehearse(cli_env, "questions", "list", "--json").stdout)
    result = rehearse(cli_env, "import", str(seed), str(truncated))
    assert result.returncode == 2
    assert f"{truncated}:" in result.stderr and "nothing was imported" in result.stderr
    assert "Traceback" not in result.stderr
    assert json.loads(rehearse(cli_env, "questions", "list", "--json").stdout) == before


def test_a_garbled_yaml_file_names_the_line(cli_env, tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("bank:\n  name: X\nroles:\n  - name: R\n    questions:\n      - kind: situational\n")
    result = rehearse(cli_env, "import", str(bad))
    assert result.returncode == 2
    assert f"{bad}:6:" in result.stderr and "text" in result.stderr


def test_the_external_folder_and_docusaurus_list_import(cli_env):
    folder = require_shared("external", "chitamoor-interview-prep")
    handbook = require_shared("external", "tech-interview-handbook", "behavioral-interview-questions.md")
    result = rehearse(cli_env, "import", str(folder), str(handbook))
    assert result.returncode == 0, result.stderr
    roles = {row["bank"]: row["question_count"] for row in json.loads(rehearse(cli_env, "roles", "--json").stdout)}
    assert roles["chitamoor-interview-prep"] == 117
    handbook_count = roles["The 30 most common Software Engineer behavioral interview questions"]
    assert handbook_count >= 29
    shown = json.loads(rehearse(cli_env, "questions", "show", "Why do you want to work for X company?",
                                "--json").stdout)
    assert shown["talking_points"] == [] and shown["intent"] is None


def test_the_builtin_bank_loads_on_first_start(cli_env):
    roles = json.loads(rehearse(cli_env, "roles", "--json").stdout)
    builtin = [role for role in roles if role["bank"] == "Rehearse leadership bank"]
    assert len(builtin) >= 4
    assert all(role["question_count"] >= 20 for role in builtin)


def test_the_builtin_bank_names_read_from_the_headers_are_those_of_the_full_parse():
    from rehearse.bank.builtin import builtin_bank_names, read_builtin

    assert builtin_bank_names() == {result.bank.name for result in read_builtin()}


@pytest.mark.parametrize("format", ["json", "yaml", "markdown", "csv", "page"])
def test_export_then_import_into_a_fresh_database_gives_the_same_questions(cli_env, tmp_path, format):
    out = tmp_path / f"bank.{ {'markdown': 'md', 'page': 'txt'}.get(format, format)}"
    exported = rehearse(cli_env, "export", "--format", format, "--bank", "rehearse-leadership-bank",
                        "--out", str(out))
    assert exported.returncode == 0, exported.stderr
    original = json.loads(rehearse(cli_env, "questions", "list", "--bank", "rehearse-leadership-bank",
                                   "--json").stdout)
    fresh = dict(cli_env, REHEARSE_DATABASE_URL=f"sqlite:///{tmp_path / 'fresh.db'}",
                 REHEARSE_LOAD_BUILTIN_BANK="false")
    assert rehearse(fresh, "import", str(out)).returncode == 0
    again = json.loads(rehearse(fresh, "questions", "list", "--json").stdout)
    keys = ("text", "intent", "talking_points", "example_answer")
    assert [[q[k] for k in keys] for q in again] == [[q[k] for k in keys] for q in original]


def test_anki_and_prep_sheet_exports(cli_env, tmp_path):
    deck = tmp_path / "deck.apkg"
    assert rehearse(cli_env, "export", "--format", "anki", "--out", str(deck)).returncode == 0
    assert deck.read_bytes()[:2] == b"PK"  # an .apkg is a zip archive
    sheet = rehearse(cli_env, "export", "--format", "prep-sheet").stdout
    assert sheet.startswith("<!doctype html>") and "@media print" in sheet


def test_with_several_banks_export_writes_each_bank_whole_or_asks_which(cli_env, tmp_path):
    """Without --bank, every bank was once merged into one "Rehearse export" bank that dropped their licences,
    sources and contributors, and roles of the same slug in two banks became one on import."""
    seed = require_shared("seed", "head-of-software-engineering.txt")
    assert rehearse(cli_env, "import", str(seed)).returncode == 0
    asked = rehearse(cli_env, "export", "--format", "json")
    assert asked.returncode == 2 and asked.stdout == ""
    assert "there are 2 banks" in asked.stderr and "head-of-software-engineering-interview-questions" in asked.stderr
    assert "--bank" in asked.stderr
    folder = tmp_path / "exports"
    written = rehearse(cli_env, "export", "--format", "json", "--out", str(folder))
    assert written.returncode == 0, written.stderr
    files = sorted(folder.iterdir())
    assert [path.name for path in files] == ["head-of-software-engineering-interview-questions.json",
                                             "rehearse-leadership-bank.json"]
    banks = [json.loads(path.read_text())["bank"] for path in files]
    assert [(bank["name"], bank.get("licence")) for bank in banks] == [
        ("Head of Software Engineering Interview Questions", None), ("Rehearse leadership bank", "CC-BY-4.0")]
    fresh = dict(cli_env, REHEARSE_DATABASE_URL=f"sqlite:///{tmp_path / 'fresh.db'}",
                 REHEARSE_LOAD_BUILTIN_BANK="false")
    assert rehearse(fresh, "import", *map(str, files)).returncode == 0
    roles = json.loads(rehearse(fresh, "roles", "--json").stdout)
    assert sorted((role["bank"], role["slug"]) for role in roles if role["slug"] == "head-of-software-engineering") == [
        ("Head of Software Engineering Interview Questions", "head-of-software-engineering"),
        ("Rehearse leadership bank", "head-of-software-engineering")]
    one = rehearse(cli_env, "export", "--format", "page", "--bank", "rehearse-leadership-bank")
    assert one.returncode == 0 and one.stdout.startswith("Bank: Rehearse leadership bank\n")


def test_search_puts_hiring_questions_first(cli_env):
    results = json.loads(rehearse(cli_env, "questions", "search", "hiring bar", "--json").stdout)
    assert results and "hiring" in results[0]["competencies"]


def test_unknown_question_is_a_clear_error(cli_env):
    result = rehearse(cli_env, "questions", "show", "quantum knitting")
    assert result.returncode == 2 and "no question matches" in result.stderr and "Traceback" not in result.stderr


def test_every_command_has_help_with_an_example():
    from typer.main import get_command

    from rehearse.cli import app

    root = get_command(app)
    commands = []
    for name, command in root.commands.items():
        sub = getattr(command, "commands", None)
        commands += [(f"{name} {n}", c) for n, c in sub.items()] if sub else [(name, command)]
    missing = [name for name, command in commands if "Example:" not in (command.help or "")]
    assert missing == []


def test_python_dash_m_and_console_script_agree(cli_env):
    script = shutil.which("rehearse", path=str(__import__("pathlib").Path(sys.executable).parent))
    assert script, "console script not installed"
    assert subprocess.run([script, "--help"], capture_output=True, text=True).stdout == rehearse(
        cli_env, "--help").stdout.replace("python -m rehearse", "rehearse")


def test_a_reimport_names_each_updated_question_and_what_changed(cli_env, tmp_path):
    bank = {"bank": {"name": "Names bank", "licence": "CC-BY-4.0"}, "roles": [{"name": "Pharmacist", "questions": [
        {"slug": "dose-error", "text": "Tell me about a dosing error you caught.", "kind": "behavioural",
         "intent": "Shows care.", "talking_points": ["how you noticed it", "what you changed"],
         "example_answer": "I noticed a tenfold dose on a chart and rang the prescriber the same day."},
        {"slug": "busy-day", "text": "How do you keep a queue moving on a busy day?", "kind": "situational",
         "intent": "Shows pace.", "talking_points": ["how you triage", "how you stay accurate"],
         "example_answer": "I triage by urgency and check every item twice before it leaves."}]}]}
    path = tmp_path / "names.json"
    path.write_text(json.dumps(bank))
    assert rehearse(cli_env, "import", str(path)).returncode == 0
    bank["roles"][0]["questions"].reverse()
    bank["roles"][0]["questions"][1]["example_answer"] = "I caught a tenfold dose and called the prescriber at once."
    path.write_text(json.dumps(bank))
    again = rehearse(cli_env, "import", str(path))
    assert again.returncode == 0, again.stderr
    assert "0 new, 1 updated, 1 moved, 0 unchanged" in again.stdout
    assert "updated dose-error: example answer" in again.stdout and "busy-day" not in again.stdout
