"""Several request threads writing to one SQLite file queue for the lock instead of failing."""

import threading
import time

from sqlalchemy import func, select

from rehearse.bank.models import Bank
from rehearse.db.database import Database


def read_then_write(database: Database, name: str, errors: list, *, writes: bool) -> None:
    try:
        with database.transaction(writes=writes) as session:
            session.scalar(select(func.count()).select_from(Bank))  # a read first, as views do
            time.sleep(0.05)  # the work between reading and writing (scoring, rendering)
            session.add(Bank(slug=name, name=name))
    except Exception as error:  # noqa: BLE001 - the test reports whatever went wrong
        errors.append(error)


def run_concurrently(database: Database, prefix: str, *, writes: bool) -> list:
    errors: list = []
    threads = [threading.Thread(target=read_then_write, args=(database, f"{prefix}-{i}", errors),
                                kwargs={"writes": writes}) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_declared_writers_on_sqlite_all_commit(tmp_path):
    database = Database(f"sqlite:///{tmp_path / 'concurrent.db'}")
    database.upgrade()
    assert run_concurrently(database, "declared", writes=True) == []
    with database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Bank)) == 8


def test_undeclared_writers_on_sqlite_can_collide(tmp_path):
    """Why the declaration exists: a stale read snapshot cannot be upgraded to a write."""
    database = Database(f"sqlite:///{tmp_path / 'concurrent.db'}")
    database.upgrade()
    errors = run_concurrently(database, "undeclared", writes=False)
    assert errors and all("database is locked" in str(error) for error in errors)
