"""What `rehearse import` says beyond counts, and `rehearse questions retire`: a subprocess against SQLite."""

from __future__ import annotations

from tests.integration.bank.test_cli import rehearse

BANK = """\
bank:
  name: Coach PM Bank
  licence: CC-BY-SA-4.0
roles:
  - name: Product Manager
    slug: product-manager
    questions:
      - slug: pm-pricing
        text: How would you price a new feature?
        talking_points: [value to the customer]
      - slug: pm-why-product
        text: Why do you want to be a product manager?
        talking_points: [what draws you to the role]
"""
WITHOUT_WHY = BANK[:BANK.index("      - slug: pm-why-product")]


def test_import_names_the_questions_no_longer_in_the_file_and_prune_retires_them(cli_env, tmp_path):
    path = tmp_path / "pm.yaml"
    path.write_text(BANK)
    assert rehearse(cli_env, "import", str(path)).returncode == 0
    path.write_text(WITHOUT_WHY)
    kept = rehearse(cli_env, "import", str(path))
    assert "no longer in the file: pm-why-product (Product Manager, Coach PM Bank; kept; --prune retires them)" \
        in kept.stdout
    assert "pm-why-product" in rehearse(cli_env, "questions", "list", "--json").stdout
    pruned = rehearse(cli_env, "import", "--prune", str(path))
    assert "pm-why-product (Product Manager, Coach PM Bank; retired (--prune))" in pruned.stdout
    assert "pm-why-product" not in rehearse(cli_env, "questions", "list", "--json").stdout


def test_questions_retire_and_undo(cli_env, tmp_path):
    path = tmp_path / "pm.yaml"
    path.write_text(BANK)
    rehearse(cli_env, "import", str(path))
    retired = rehearse(cli_env, "questions", "retire", "pm-why-product")
    assert retired.returncode == 0 and "Retired question" in retired.stdout
    assert "pm-why-product" not in rehearse(cli_env, "export", "-f", "yaml", "--bank", "coach-pm-bank").stdout
    again = rehearse(cli_env, "questions", "retire", "pm-why-product")
    assert again.returncode == 2 and "already retired" in again.stderr
    assert rehearse(cli_env, "questions", "retire", "--undo", "pm-why-product").returncode == 0
    assert "pm-why-product" in rehearse(cli_env, "export", "-f", "yaml", "--bank", "coach-pm-bank").stdout


SENIOR = """\
{"bank": {"name": "Coach PM Bank"},
 "roles": [{"name": "Senior Product Manager", "slug": "senior-pm", "questions": [
   {"slug": "pm-pricing", "text": "How would you price a platform?", "talking_points": ["margins"]}]}]}
"""


def test_one_slug_in_two_files_of_one_bank_is_refused_naming_both_and_nothing_is_imported(cli_env, tmp_path):
    (tmp_path / "pm.yaml").write_text(BANK)
    (tmp_path / "senior.json").write_text(SENIOR)
    result = rehearse(cli_env, "import", str(tmp_path / "pm.yaml"), str(tmp_path / "senior.json"))
    assert result.returncode == 2
    # (a JSON bank's questions carry no line: reading them would take a second, slow parse)
    assert f"{tmp_path / 'senior.json'}: expected each question of bank " in result.stderr
    assert f"at {tmp_path / 'pm.yaml'}:8 (a question belongs to one file of its bank)" in result.stderr
    assert "'pm-pricing'" in result.stderr and "nothing was imported" in result.stderr
    assert "pm-pricing" not in rehearse(cli_env, "questions", "list", "--json").stdout


def test_one_slug_in_files_of_two_banks_is_two_questions(cli_env, tmp_path):
    (tmp_path / "pm.yaml").write_text(BANK)
    (tmp_path / "other.json").write_text(SENIOR.replace("Coach PM Bank", "Another Bank"))
    assert rehearse(cli_env, "import", str(tmp_path / "pm.yaml"), str(tmp_path / "other.json")).returncode == 0


def test_import_lists_bank_and_role_changes_after_the_counts(cli_env, tmp_path):
    path = tmp_path / "pm.yaml"
    path.write_text(BANK)
    rehearse(cli_env, "import", str(path))
    path.write_text(BANK.replace("CC-BY-SA-4.0", "CC-BY-4.0").replace("name: Product Manager", "name: Role PM"))
    result = rehearse(cli_env, "import", str(path))
    assert "  changed bank coach-pm-bank: licence 'CC-BY-SA-4.0' -> 'CC-BY-4.0'" in result.stdout
    assert "  changed role product-manager: name 'Product Manager' -> 'Role PM'" in result.stdout
