"""Several app processes starting together on one fresh database: one migrates and loads, the rest wait."""

from __future__ import annotations

import os
import subprocess
import sys

from sqlalchemy import func, select

from rehearse.bank.builtin import read_builtin
from rehearse.bank.models import Bank
from rehearse.db.database import Database
from rehearse.db.migrate import current_revision

STARTERS = 4


def test_processes_starting_at_once_migrate_and_load_the_bank_once(own_database, cli_env):
    url = own_database.url
    env = {**cli_env, "REHEARSE_DATABASE_URL": url}
    starters = [subprocess.Popen([sys.executable, "-m", "rehearse", "db", "upgrade"], env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                 cwd=os.getcwd()) for _ in range(STARTERS)]
    outputs = [(p.wait(timeout=300), p.stdout.read()) for p in starters]
    assert [code for code, _ in outputs] == [0] * STARTERS, outputs
    database = Database(url)
    try:
        with database.transaction() as session:
            banks = session.scalar(select(func.count(Bank.id)))
        assert current_revision(database.engine) is not None
    finally:
        database.dispose()
    assert banks == len({r.bank.name for r in read_builtin()})  # loaded once, not once per process
