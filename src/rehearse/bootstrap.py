"""Bring a database to a usable state: migrate it, then load the built-in bank on first start."""

from __future__ import annotations

from rehearse.db.database import Database, reachable_database
from rehearse.settings import Settings


def open_database(settings: Settings | None = None, *, migrate: bool = True) -> Database:
    settings = settings or Settings()
    database = reachable_database(settings)  # or a ConfigurationError, said in one line by the CLI
    if migrate:
        database.upgrade()
        if settings.load_builtin_bank:
            from rehearse.bank.builtin import load_builtin
            from rehearse.db.migrate import serialise_startup

            with database.transaction(writes=True) as session:
                serialise_startup(session.connection())
                load_builtin(session)
    return database
