"""`rehearse` through Typer's CliRunner against a fresh SQLite file holding one small bank."""

import pytest
from typer.testing import CliRunner

from rehearse.cli import app

BANK = """\
bank: {name: CLI bank, licence: CC-BY-4.0}
roles:
  - name: Engineering Manager
    questions:
      - slug: underperformer
        text: Tell me about a time you turned around an underperforming engineer.
        kind: behavioural
        talking_points:
          - how you confirmed the problem with evidence
          - the improvement plan and support
      - slug: prioritise
        text: How do you prioritise technical debt against new features?
        kind: situational
        talking_points:
          - a fixed share of capacity
          - agreement with product
"""


class Rehearse:
    """Runs `rehearse ARGS` in this process; stdout and stderr kept apart, as a terminal shows them."""

    def __init__(self, tmp_path):
        self.tmp_path = tmp_path
        self.runner = CliRunner()

    def __call__(self, *args, input=None):
        return self.runner.invoke(app, [str(arg) for arg in args], input=input)


@pytest.fixture
def rehearse(cli_env, monkeypatch, tmp_path):
    for key, value in cli_env.items():
        if key.startswith("REHEARSE_"):
            monkeypatch.setenv(key, value)
    monkeypatch.setenv("REHEARSE_LOAD_BUILTIN_BANK", "false")
    monkeypatch.setenv("REHEARSE_FEEDBACK_BACKEND", "lexical")
    run = Rehearse(tmp_path)
    bank = tmp_path / "bank.yaml"
    bank.write_text(BANK, encoding="utf-8")
    imported = run("import", bank)
    assert imported.exit_code == 0, imported.output
    return run
