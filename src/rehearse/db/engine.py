"""Engine and session factory; SQLite gets WAL, foreign keys and a busy timeout."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy import types as sqltypes
from sqlalchemy.dialects.sqlite.base import DATETIME as SQLITE_DATETIME
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    # Let SQLAlchemy, not the sqlite3 module, decide when transactions begin, so
    # SAVEPOINTs (nested transactions, rolled-back tests) behave as documented.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # several processes may share one file: wait for another's lock from the first statement on (switching
    # to WAL needs one, and a process starting beside one that is migrating a fresh file met it)
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")  # safe with WAL; fsync at checkpoints, not every commit
    cursor.close()


class _UtcDateTime(SQLITE_DATETIME):
    """SQLite keeps no time zone; every time Rehearse stores is UTC, so `DateTime(timezone=True)`
    columns come back as aware UTC datetimes, as they do from PostgreSQL (and JSON shows `Z`/+00:00)."""

    def result_processor(self, dialect, coltype):
        parse = super().result_processor(dialect, coltype)
        if not self.timezone:
            return parse

        def process(value):
            value = parse(value) if parse is not None else value
            return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value

        return process


def _sqlite_begin(connection) -> None:
    """BEGIN, or BEGIN IMMEDIATE for a transaction that means to write.

    A deferred transaction that reads and then writes fails at once with "database is
    locked" when another connection committed in between (SQLite cannot upgrade a stale
    snapshot); taking the write lock up front makes it wait its turn (busy_timeout) instead.
    """
    immediate = connection.get_execution_options().get(WRITE_OPTION)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


WRITE_OPTION = "rehearse_writes"
_INT64 = (-(2**63), 2**63 - 1)


class UnstorableValue(ValueError):
    """A statement parameter no database can store: NUL or a lone surrogate in text, or an
    integer past 64 bits. Bad input that got past the web layer's checks; answered 400."""


def _storable(value) -> bool:
    if isinstance(value, str):
        if "\x00" in value:
            return False
        if not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError:
                return False
        return True
    if isinstance(value, int) and not isinstance(value, bool):
        return _INT64[0] <= value <= _INT64[1]
    return True


def _refuse_unstorable(conn, cursor, statement, parameters, context, executemany) -> None:
    """Last line of defence: refuse a statement whose parameters cannot be stored, before the
    driver turns them into an opaque error (and a 500)."""
    for value in _values(parameters):
        if not _storable(value):
            raise UnstorableValue("a value in the request cannot be stored")


def _values(parameters):
    """Every value of a statement's parameters: a dict, a sequence, or a sequence of either."""
    items = parameters.values() if isinstance(parameters, dict) else (parameters or ())
    for item in items:
        if isinstance(item, dict | list | tuple):
            yield from _values(item)
        else:
            yield item


def search_path_schema(url: str) -> str | None:
    """The schema a PostgreSQL URL confines Rehearse to (options=-csearch_path=NAME), or None."""
    options = make_url(url).query.get("options", "")
    options = options if isinstance(options, str) else " ".join(options)
    for option in options.split():
        if option.startswith("-csearch_path="):
            return option.split("=", 1)[1].split(",")[0]
    return None


def application_name(url: str) -> str:
    """How Rehearse's connections name themselves to PostgreSQL (pg_stat_activity), per schema, so that
    `rehearse restore` can tell its own app's connections from another installation's in the same database."""
    schema = search_path_schema(url)
    return f"rehearse:{schema}"[:63] if schema else "rehearse"


def make_engine(url: str, **options) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        # A web process runs up to 40 request threads; a pool that small would open and close
        # (and re-run the pragmas for) a fresh connection for most requests under load.
        options.setdefault("pool_size", 20)
        options.setdefault("max_overflow", 20)
        if parsed.database in (None, "", ":memory:"):
            options.pop("pool_size"), options.pop("max_overflow"), options.pop("pool_timeout", None)
        engine = create_engine(url, connect_args={"check_same_thread": False}, **options)
        engine.dialect.colspecs = {**engine.dialect.colspecs, sqltypes.DateTime: _UtcDateTime}
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        event.listen(engine, "before_cursor_execute", _refuse_unstorable)
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    if parsed.get_backend_name() == "postgresql":
        # Each request holds one connection at a time and none while it scores, so ten (and
        # ten more at peaks) serve the 40 request threads; two app processes and their
        # workers stay well inside PostgreSQL's default max_connections of 100.
        options.setdefault("pool_size", 10)
        options.setdefault("max_overflow", 10)
    if parsed.get_backend_name() == "postgresql" and "application_name" not in parsed.query:
        options["connect_args"] = {"application_name": application_name(url), **options.get("connect_args", {})}
    engine = create_engine(url, pool_pre_ping=True, **options)
    event.listen(engine, "before_cursor_execute", _refuse_unstorable)
    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """A session whose work is committed together, or not at all."""
    with factory() as session, session.begin():
        yield session
