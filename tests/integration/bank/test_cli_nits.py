"""Small things the command line says right: counts in the singular, folders given with a trailing slash, which
bank each of several matches is in, and an empty search refused."""

from __future__ import annotations

from tests.integration.bank.test_cli import rehearse
from tests.integration.bank.test_cli_import_summary import BANK

ONE = BANK[:BANK.index("      - slug: pm-why-product")]


def test_one_question_is_one_question(cli_env, tmp_path):
    (tmp_path / "one.yaml").write_text(ONE)
    assert "Imported 1 question into Coach PM Bank" in rehearse(cli_env, "import", str(tmp_path / "one.yaml")).stdout
    written = rehearse(cli_env, "export", "-f", "json", "--bank", "coach-pm-bank", "-o", str(tmp_path / "o.json"))
    assert "Wrote 1 question of Coach PM Bank" in written.stderr


def test_an_out_path_ending_in_a_slash_is_a_folder_made_for_the_file(cli_env, tmp_path):
    (tmp_path / "one.yaml").write_text(ONE)
    rehearse(cli_env, "import", str(tmp_path / "one.yaml"))
    result = rehearse(cli_env, "export", "-f", "yaml", "--bank", "coach-pm-bank", "-o", f"{tmp_path / 'newdir'}/")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "newdir" / "coach-pm-bank.yaml").is_file()


def test_a_slug_in_two_banks_names_each_bank_and_show_takes_the_bank(cli_env, tmp_path):
    (tmp_path / "one.yaml").write_text(ONE)
    (tmp_path / "two.yaml").write_text(BANK.replace("Coach PM Bank", "Other Bank"))
    rehearse(cli_env, "import", str(tmp_path / "one.yaml"), str(tmp_path / "two.yaml"))
    several = rehearse(cli_env, "questions", "show", "pm-pricing")
    assert several.returncode == 2
    assert "(Product Manager, coach-pm-bank)" in several.stderr and "(Product Manager, other-bank)" in several.stderr
    shown = rehearse(cli_env, "questions", "show", "pm-pricing", "--bank", "other-bank", "--json")
    assert shown.returncode == 0 and '"slug": "pm-pricing"' in shown.stdout


def test_an_empty_search_is_a_usage_error(cli_env):
    result = rehearse(cli_env, "questions", "search", " ")
    assert result.returncode == 2 and "give words to search for" in result.stderr
