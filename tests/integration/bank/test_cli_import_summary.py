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

