"""The storage interface the rest of Rehearse uses: one object per database URL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from rehearse.settings import ConfigurationError, Settings, folder_problem, hide_password

from . import migrate
from .engine import WRITE_OPTION, make_engine, make_session_factory


class Database:
    def __init__(self, url: str, **engine_options):
        self.url = url
        self.engine = make_engine(url, **engine_options)
        # The same pool; connections taken through it begin with SQLite's write lock.
        self.write_engine = self.engine.execution_options(**{WRITE_OPTION: True})
        self.sessions = make_session_factory(self.engine)

    @classmethod
    def from_settings(cls, settings: Settings) -> Database:
        return cls(settings.resolved_database_url, **settings.pool_options())

    def session(self) -> Session:
        """A new session that connects on first use; `begin_writing` turns it into a writer."""
        session = self.sessions()
        session.info["write_bind"] = self.write_engine
        return session

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def upgrade(self) -> None:
        migrate.upgrade(self.engine)

    @contextmanager
    def transaction(self, *, writes: bool = False) -> Iterator[Session]:
        """Everything done in the block is committed together, or rolled back on error.

        `writes=True` says the block will write: on SQLite it takes the write lock at the
        start, so concurrent writers queue instead of failing.
        """
        with self.sessions() as session, session.begin():
            if writes:
                session.connection(execution_options={WRITE_OPTION: True})
            yield session

    def ping(self) -> bool:
        try:
            with self.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            return True
        except Exception:  # noqa: BLE001 - any failure means "not reachable"
            return False

    def dispose(self) -> None:
        self.engine.dispose()


def reachable_database(settings: Settings) -> Database:
    """The settings' database, connected to once: one that cannot be opened (nothing listening, no such
    database, an unwritable folder) is a ConfigurationError saying so in one line, not a driver's traceback."""
    try:
        database = Database.from_settings(settings)
    except OSError as error:  # the SQLite file's folder could not be made
        raise ConfigurationError(f"{settings.database_setting}: the folder for the SQLite database cannot be made "
                                 f"({folder_problem(error)})") from None
    try:
        with database.engine.connect():
            pass
    except OperationalError as error:
        if database.dialect == "sqlite" and "locked" in _driver_reason(error).lower():
            return database  # opened, and another process is writing it (migrating a fresh file): not a setting
        database.dispose()
        raise ConfigurationError(_unreachable(settings, database, error)) from None
    return database


def _unreachable(settings: Settings, database: Database, error: OperationalError) -> str:
    reason = _driver_reason(error)
    if database.dialect == "sqlite":
        where = database.engine.url.database
        return (f"{settings.database_setting}: cannot open the SQLite database {where}: {reason} "
                "(is its folder writable?)")
    hint = " (is PostgreSQL running and listening there?)" if "refused" in reason.lower() else ""
    return f"REHEARSE_DATABASE_URL: cannot connect to {hide_password(database.url)}: {reason}{hint}"


def _driver_reason(error: OperationalError) -> str:
    """The driver's first line, less what the URL already says: 'connection failed: connection to server at
    "127.0.0.1", port 5999 failed: FATAL:  database "x" does not exist' becomes 'database "x" does not exist'."""
    lines = str(getattr(error, "orig", None) or error).strip().splitlines()
    reason = lines[0] if lines else type(error).__name__
    reason = re.sub(r'^connection failed: |connection to server at "[^"]*"(, port \d+)? failed: |FATAL:\s+', "",
                    reason)
    return reason.strip() or type(error).__name__


def release(session: Session) -> None:
    """End the session's read transaction, so its connection goes back to the pool.

    Loaded objects stay usable (sessions do not expire them on commit). Call it before slow
    work that needs no database, such as scoring an answer.
    """
    if session.in_transaction():
        session.commit()


def begin_writing(session: Session) -> None:
    """Make the session's next transaction a writing one, ending any read transaction first.

    The read transaction is committed (it wrote nothing) and its connection returned to the
    pool before the writing one is taken, so a request never holds two connections. On
    SQLite the writing transaction begins with the write lock (BEGIN IMMEDIATE); the first
    statement after this call takes it.
    """
    write_bind = session.info.get("write_bind")
    if write_bind is None:
        raise RuntimeError("begin_writing() needs a session made by Database.session()")
    if session.bind is write_bind and session.in_transaction():
        return  # already writing
    release(session)
    session.bind = write_bind
