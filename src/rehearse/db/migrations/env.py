"""Alembic environment: the connection comes from rehearse.db.migrate, or from alembic.ini's URL."""

from alembic import context
from sqlalchemy import pool

from rehearse.db.engine import make_engine
from rehearse.db.metadata import target_metadata

config = context.config


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url"), poolclass=pool.NullPool)
    with engine.connect() as connection:
        _run(connection)


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """Leave the FTS5 search table and its shadow tables to the migration that made them."""
    return not (type_ == "table" and reflected and compare_to is None and name.startswith("question_search"))


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        include_object=include_object,  # SQLite cannot ALTER most things; batch mode copies the table
        version_table_schema=config.attributes.get("schema"),
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported; run `rehearse db upgrade`")
run_migrations_online()
