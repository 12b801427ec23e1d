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


def test_a_sqlite_file_another_process_is_writing_is_no_configuration_error(tmp_path):
    """Four processes starting on one fresh file: one found it locked by another's migration and exited with
    "configuration error: cannot open the SQLite database … database is locked" (CI, a busy machine)."""
    import sqlite3

    from rehearse.db.database import reachable_database
    from rehearse.settings import Settings

    path = tmp_path / "busy.db"
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA journal_mode=DELETE")  # a fresh file, before anyone switched it to WAL
    writer.execute("CREATE TABLE t (x)")
    writer.execute("BEGIN EXCLUSIVE")  # another process mid-migration
    try:
        settings = Settings(data_dir=tmp_path, database_url=f"sqlite:///{path}")
        database = reachable_database(settings)  # no ConfigurationError
        database.dispose()
    finally:
        writer.execute("ROLLBACK")
        writer.close()
