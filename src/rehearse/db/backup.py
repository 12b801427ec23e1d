"""Back up and restore the database: SQLite's online backup API, or PostgreSQL's pg_dump/pg_restore.

SQLite: the backup is a consistent copy taken while the app keeps running (the backup API
copies one snapshot; writers carry on in the WAL), checked with PRAGMA integrity_check.
Restoring writes the copy over the database file through the same API: stop the app first (not
checked: a WAL database shows no reliable sign of another process holding it open, since its -wal
and -shm files outlive a process killed with kill -9).

PostgreSQL: `pg_dump --format=custom` of the database in the URL (only its schema when the URL
sets one with options=-csearch_path=NAME), restored with
`pg_restore --clean --if-exists --no-owner`, refused while other clients are connected to the
database (or, for one schema, other Rehearse processes on it) unless forced; both programs come
with the PostgreSQL client (Debian: postgresql-client) and must match the server's major version or be newer.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from contextlib import closing
from pathlib import Path

from sqlalchemy.engine import make_url

from rehearse.db.engine import application_name, search_path_schema
from rehearse.output import OutputError, cannot_write, create_private, make_folder


class BackupError(RuntimeError):
    """A backup or restore that could not be done; the message says why and what to do."""


def _sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    if parsed.database in (None, "", ":memory:"):
        raise BackupError("an in-memory SQLite database cannot be backed up")
    return Path(parsed.database)


def _libpq_url(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _schema(url: str) -> list[str]:
    """`--schema=NAME` when the URL confines Rehearse to one schema (options=-csearch_path=NAME)."""
    schema = search_path_schema(url)
    return [f"--schema={schema}"] if schema else []


def _others_connected(url: str) -> int:
    """Other connections to the database a restore would replace: every other client of the database, or,
    where the URL confines Rehearse to a schema, the Rehearse processes on that schema (named so by
    db.engine.application_name; others share the database, not the data)."""
    from sqlalchemy import create_engine, text

    query = ("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
             "AND pid <> pg_backend_pid() AND backend_type = 'client backend'")
    parameters = {}
    if search_path_schema(url):
        query += " AND application_name = :name"
        parameters["name"] = application_name(url)
    engine = create_engine(make_url(url).set(drivername="postgresql+psycopg"))
    try:
        with engine.connect() as connection:
            return connection.execute(text(query), parameters).scalar_one()
    finally:
        engine.dispose()


def _failed(program: str, done: subprocess.CompletedProcess) -> BackupError:
    last = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit status {done.returncode}"
    return BackupError(f"{program} failed: {last}")


def _check(path: Path) -> None:
    with closing(sqlite3.connect(path)) as copy:
        verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
        has_version = copy.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).fetchone()[0]
    if verdict != "ok":
        raise BackupError(f"{path}: integrity check failed: {verdict}")
    if not has_version:
        raise BackupError(f"{path}: not a Rehearse database (no alembic_version table)")


def backup(url: str, target: Path) -> str:
    """Write a backup of the database at `url` to `target`; returns a one-line summary."""
    target = Path(target)
    if target.exists():
        raise BackupError(f"{target} exists; choose a new file name (a backup never overwrites)")
    try:  # missing folders are made, as for every file the command line writes
        make_folder(target.parent)
    except OutputError as error:
        raise BackupError(str(error)) from None
    source = _sqlite_path(url)
    if source is not None:
        if not source.exists():
            raise BackupError(f"{source}: no such database file")
        partial = target.with_name(target.name + ".partial")
        try:
            create_private(partial)  # every account's data: the owner's alone, before a byte is copied
        except OSError as error:
            raise BackupError(str(cannot_write(target, error))) from None
        try:
            # closing(): a connection's `with` only commits; the copy must be closed before it is renamed
            with closing(sqlite3.connect(source, timeout=30)) as live, closing(sqlite3.connect(partial)) as copy:
                live.backup(copy)  # one consistent snapshot, while other connections keep writing
                # the copy is one file: out of WAL mode, so no -wal or -shm file is left beside it
                copy.execute("PRAGMA journal_mode=DELETE")
        except sqlite3.OperationalError as error:
            if not os.access(target.parent, os.W_OK | os.X_OK):
                raise BackupError(f"cannot write {target}: permission denied") from None
            raise BackupError(f"cannot write {target}: {error}") from None
        _check(partial)
        partial.rename(target)
        return f"SQLite backup of {source} written to {target} ({target.stat().st_size:,} bytes, integrity ok)"
    _need("pg_dump")
    try:
        create_private(target)  # pg_dump writes into it, keeping its mode
    except OSError as error:
        raise BackupError(str(cannot_write(target, error))) from None
    done = subprocess.run(["pg_dump", "--format=custom", "--no-owner", *_schema(url), f"--file={target}",
                           _libpq_url(url)], capture_output=True, text=True)
    if done.returncode != 0:
        target.unlink(missing_ok=True)
        raise _failed("pg_dump", done)
    return f"PostgreSQL backup written to {target} ({target.stat().st_size:,} bytes; pg_dump custom format)"


def restore(url: str, source: Path, *, force: bool = False) -> str:
    """Replace the database at `url` with the backup in `source` (stop the app first: on PostgreSQL it is
    refused while other connections are open, unless `force`; SQLite cannot tell, see the module's note)."""
    source = Path(source)
    if not source.exists():
        raise BackupError(f"{source}: no such backup file")
    target = _sqlite_path(url)
    if target is not None:
        _check(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(source)) as backup_copy, closing(sqlite3.connect(target, timeout=30)) as live:
            backup_copy.backup(live)
        _check(target)
        return f"{target} restored from {source} (integrity ok)"
    _need("pg_restore")
    if not force and (others := _others_connected(url)):
        raise BackupError(f"{others} other connection{'s' if others > 1 else ''} to the database "
                          f"{'are' if others > 1 else 'is'} open (a server or worker still running?): stop "
                          "them first, or give --force to replace the data under them")
    done = subprocess.run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
                           f"--dbname={_libpq_url(url)}", str(source)], capture_output=True, text=True)
    if done.returncode != 0:
        raise _failed("pg_restore", done)
    return f"PostgreSQL database restored from {source}"


def _need(program: str) -> None:
    if shutil.which(program) is None:
        raise BackupError(f"{program} is not installed (Debian: apt-get install postgresql-client)")
