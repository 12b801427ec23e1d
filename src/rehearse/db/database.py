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
        self.sessions = make_session_factory(self.engine)

    @classmethod
    def from_settings(cls, settings: Settings) -> Database:
        return cls(settings.resolved_database_url)

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
