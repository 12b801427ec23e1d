"""What `rehearse` prints is the text as written: `:name:` is never turned into an emoji."""

import ast
from pathlib import Path

import rehearse


def test_a_line_number_in_an_error_stays_a_line_number(rehearse, tmp_path):
    lines = ["bank: {name: L}", "roles:", "  - name: R", "    questions:", *["      # filler"] * 95,
             "      - text: caf\xe9 question"]
    path = tmp_path / "latin1.yaml"
    path.write_bytes("\n".join(lines).encode("latin-1"))
    result = rehearse("import", path)
    assert result.exit_code == 2
    assert f"{path}:100: expected UTF-8 text" in result.stderr.replace("\n", "")
    assert "💯" not in result.stderr


def test_a_candidates_own_words_show_as_typed_in_the_report(rehearse, tmp_path):
    answer = tmp_path / "answer.txt"
    answer.write_text("We keep a fixed share of capacity :warning: :100: for debt, agreed with product.",
                      encoding="utf-8")
    result = rehearse("feedback", "prioritise", "--answer-file", answer)
    assert result.exit_code == 0, result.output
    assert ":warning:" in result.stdout and ":100:" in result.stdout
    assert "⚠" not in result.stdout and "💯" not in result.stdout


def test_every_rich_console_the_app_makes_leaves_emoji_codes_alone():
    """Consoles come from rehearse.console.make_console (emoji=False), never from Console() directly."""
    made_directly = []
    for path in Path(rehearse.__file__).parent.rglob("*.py"):
        if path.name == "console.py" and path.parent.name == "rehearse":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name == "Console" or (name == "print" and getattr(node.func, "value", None) is not None
                                         and getattr(node.func.value, "id", None) == "rich"):
                    made_directly.append(f"{path}:{node.lineno}")
    assert made_directly == []
