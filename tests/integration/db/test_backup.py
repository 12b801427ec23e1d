"""Backups taken while the app writes restore to a consistent database; restore replaces the data."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from rehearse.accounts import service as accounts
from rehearse.bank.models import Question
from rehearse.bootstrap import open_database
from rehearse.db import backup as backups
from rehearse.db.database import Database
from rehearse.practice import service as practice
from rehearse.practice.models import Attempt
from rehearse.settings import Settings

REPORT = {"score": 50, "grade": "fair", "talking_points": []}


def _fresh(url: str, folder: Path) -> Database:
    return open_database(Settings(data_dir=folder, database_url=url, secret_key="k" * 40))


def _count(database: Database) -> int:
    with database.transaction() as session:
        return session.scalar(select(func.count(Attempt.id)))


def test_a_sqlite_backup_taken_under_writes_is_consistent_and_restores(tmp_path):
    url = f"sqlite:///{tmp_path / 'live.db'}"
    database = _fresh(url, tmp_path)
    with database.transaction(writes=True) as session:
        user_id = accounts.create_user(session, email="w@example.com", password_hash="x").id
        question_id = session.scalar(select(Question.id).limit(1))
    stop = threading.Event()
    failures: list[BaseException] = []

    def write() -> None:
        # Writers pause between saves, as users do: three threads in a tight loop on a loaded
        # machine can starve one another past the busy timeout, which is not what is tested here.
        try:
            while not stop.wait(0.002):
                with database.transaction(writes=True) as session:
                    user = accounts.get_user(session, user_id)
                    question = session.get(Question, question_id)
                    practice.record(session, user=user, question=question, answer="An answer.", report=REPORT)
        except BaseException as error:  # reported by the test, not lost as a thread warning
            failures.append(error)
            raise

    writers = [threading.Thread(target=write) for _ in range(3)]
    for thread in writers:
        thread.start()
    try:
        while _count(database) < 20:
            stop.wait(0.01)
        message = backups.backup(url, tmp_path / "copy.db")
    finally:
        stop.set()
        for thread in writers:
            thread.join(30)
    assert failures == []  # the backup never made a writer fail
    assert "integrity ok" in message
    with sqlite3.connect(tmp_path / "copy.db") as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("PRAGMA foreign_key_check").fetchall() == []
        in_copy = copy.execute("SELECT count(*) FROM attempts").fetchone()[0]
    after = _count(database)
    assert 20 <= in_copy <= after
    # Restore (the app stopped): the database is the backup again.
    database.dispose()
    backups.restore(url, tmp_path / "copy.db")
    restored = Database(url)
    assert _count(restored) == in_copy
    restored.dispose()
    with pytest.raises(backups.BackupError, match="exists"):
        backups.backup(url, tmp_path / "copy.db")


def test_restore_refuses_a_file_that_is_not_a_rehearse_database(tmp_path):
    junk = tmp_path / "junk.db"
    with sqlite3.connect(junk) as db:
        db.execute("CREATE TABLE t (x)")
    with pytest.raises(backups.BackupError, match="not a Rehearse database"):
        backups.restore(f"sqlite:///{tmp_path / 'live.db'}", junk)


@pytest.mark.postgres
def test_a_postgresql_backup_restores_the_schema_it_was_taken_from(postgres_schema, tmp_path):
    own = type(postgres_schema)(postgres_schema.base_url)
    try:
        database = _fresh(own.url, tmp_path)
        with database.transaction(writes=True) as session:
            user = accounts.create_user(session, email="pg@example.com", password_hash="x")
            question = session.scalar(select(Question).limit(1))
            practice.record(session, user=user, question=question, answer="Kept.", report=REPORT)
        backups.backup(own.url, tmp_path / "pg.dump")
        with database.transaction(writes=True) as session:
            session.execute(text("DELETE FROM attempts"))
        assert _count(database) == 0
        database.dispose()
        backups.restore(own.url, tmp_path / "pg.dump")
        restored = Database(own.url)
        assert _count(restored) == 1
        restored.dispose()
    finally:
        own.drop()


def test_the_backup_and_restore_commands(cli_env, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from rehearse.cli import app

    for key, value in cli_env.items():
        if key.startswith("REHEARSE_"):
            monkeypatch.setenv(key, value)
    _fresh(cli_env["REHEARSE_DATABASE_URL"], tmp_path).dispose()
    runner = CliRunner()
    made = runner.invoke(app, ["backup", str(tmp_path / "b.db")])
    assert made.exit_code == 0 and "integrity ok" in made.output
    again = runner.invoke(app, ["backup", str(tmp_path / "b.db")])
    assert again.exit_code == 2 and "never overwrites" in again.output
    restored = runner.invoke(app, ["restore", str(tmp_path / "b.db")])
    assert restored.exit_code == 0 and "restored from" in restored.output
    missing = runner.invoke(app, ["restore", str(tmp_path / "nope.db")])
    assert missing.exit_code == 2 and "no such backup file" in missing.output


@pytest.mark.postgres
def test_restore_refuses_while_rehearse_is_connected_to_the_schema_unless_forced(postgres_schema, tmp_path):
    """The tester restored under two servers and a worker: the data changed under them, silently."""
    own = type(postgres_schema)(postgres_schema.base_url)
    try:
        database = _fresh(own.url, tmp_path)
        backups.backup(own.url, tmp_path / "pg.dump")
        with database.transaction() as session:  # a server still running, its connection in the pool
            session.execute(text("SELECT 1"))
        with pytest.raises(backups.BackupError, match=r"1 other connection .*--force"):
            backups.restore(own.url, tmp_path / "pg.dump")
        assert "restored" in backups.restore(own.url, tmp_path / "pg.dump", force=True)
        database.dispose()
        assert "restored" in backups.restore(own.url, tmp_path / "pg.dump")
    finally:
        own.drop()


@pytest.mark.postgres
def test_restore_of_a_whole_database_counts_every_other_client(postgres_schema, tmp_path):
    import uuid

    from sqlalchemy import create_engine

    name = f"rehearse_restore_{uuid.uuid4().hex[:10]}"
    admin = create_engine(postgres_schema.base_url.replace("postgresql://", "postgresql+psycopg://", 1),
                          isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = postgres_schema.base_url.rsplit("/", 1)[0] + f"/{name}"
    try:
        _fresh(url, tmp_path).dispose()
        backups.backup(url, tmp_path / "whole.dump")
        psql = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))  # any client, not Rehearse
        with psql.connect(), pytest.raises(backups.BackupError, match="other connection"):
            backups.restore(url, tmp_path / "whole.dump")
        psql.dispose()
        assert "restored" in backups.restore(url, tmp_path / "whole.dump")
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_the_restore_command_says_why_it_refuses_in_one_line(monkeypatch, tmp_path):
    from typer.testing import CliRunner

    from rehearse.cli import app

    def refuse(url, source, *, force=False):
        if not force:
            raise backups.BackupError("2 other connections to the database are open; stop them, or --force")
        return "restored"

    monkeypatch.setattr(backups, "restore", refuse)
    monkeypatch.setenv("REHEARSE_DATA_DIR", str(tmp_path))
    refused = CliRunner().invoke(app, ["restore", str(tmp_path / "b.dump")])
    assert refused.exit_code == 2 and refused.output.strip().startswith("error: 2 other connections")
    forced = CliRunner().invoke(app, ["restore", "--force", str(tmp_path / "b.dump")])
    assert forced.exit_code == 0 and "restored" in forced.output


@pytest.mark.postgres
def test_a_postgresql_backup_is_readable_by_its_owner_only(postgres_schema, tmp_path):
    import os

    own = type(postgres_schema)(postgres_schema.base_url)
    before = os.umask(0o022)
    try:
        _fresh(own.url, tmp_path).dispose()
        backups.backup(own.url, tmp_path / "pg.dump")
        assert (tmp_path / "pg.dump").stat().st_mode & 0o777 == 0o600
    finally:
        os.umask(before)
        own.drop()
