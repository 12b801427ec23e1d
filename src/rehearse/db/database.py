"""The storage interface the rest of Rehearse uses: one object per database URL."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text
from sqlalchemy.orm import Session

from rehearse.settings import Settings

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
