"""Apply Alembic migrations from inside the package; run on start and by `rehearse db upgrade`."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, text

from .engine import WRITE_OPTION

MIGRATIONS = Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


# Any fixed number: PostgreSQL advisory locks are named by a 64-bit key.
STARTUP_LOCK = 0x72656865  # "rehe"


def serialise_startup(connection: Connection) -> None:
    """Make concurrent starters take turns for the rest of this transaction.

    Two app processes started together must not both migrate (or both load the built-in
    bank): on PostgreSQL a transaction-scoped advisory lock queues the second behind the
    first, which then finds the work done; on SQLite the transaction already holds the
    database's write lock (it began with BEGIN IMMEDIATE).
    """
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": STARTUP_LOCK})


def upgrade(engine: Engine, revision: str = "head") -> None:
    config = alembic_config()
    with engine.execution_options(**{WRITE_OPTION: True}).begin() as connection:
        serialise_startup(connection)
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
