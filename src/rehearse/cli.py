"""The `rehearse` command. Each command is a thin wrapper; heavy imports happen inside commands."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from rehearse.accounts import cli as accounts_cli
from rehearse.bank import cli as bank_cli
from rehearse.community import cli as community_cli
from rehearse.jobs import cli as jobs_cli
from rehearse.practice import cli as practice_cli
from rehearse.practice import terminal as practice_terminal
from rehearse.userdata import cli as userdata_cli

# "markdown": a docstring's hard-wrapped lines are joined in --help ("rich" keeps each line break)
app = typer.Typer(help="Rehearse: interview preparation with explainable feedback.", no_args_is_help=True,
                  pretty_exceptions_enable=False, rich_markup_mode="markdown")
db_app = typer.Typer(help="Database maintenance.", no_args_is_help=True, rich_markup_mode="markdown")
app.add_typer(db_app, name="db")
app.add_typer(userdata_cli.data_app, name="data")
app.add_typer(bank_cli.questions_app, name="questions")
app.add_typer(accounts_cli.users_app, name="users")
app.add_typer(community_cli.community_app, name="community")
app.command("import")(bank_cli.import_files)
app.command("export")(bank_cli.export_bank)
app.command("roles")(bank_cli.roles)
app.command("feedback")(practice_cli.feedback)
app.command("practice")(practice_terminal.practice_command)
app.command("worker")(jobs_cli.worker)


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Apply migrations and load the built-in bank if it is missing.

    Example: REHEARSE_DATABASE_URL=postgresql://localhost/rehearse rehearse db upgrade
    """
    from rehearse.bootstrap import open_database
    from rehearse.db.migrate import current_revision

    database = open_database()
    typer.echo(f"Database at revision {current_revision(database.engine)} ({database.dialect}).")


@app.command()
def backup(path: Annotated[Path, typer.Argument(help="The backup file to write (never overwritten).")]) -> None:
    """Back up the database while the app runs (SQLite: online backup API; PostgreSQL: pg_dump).

    Example: rehearse backup backups/rehearse-$(date +%F).db
    """
    from rehearse.db import backup as backups
    from rehearse.settings import Settings

    try:
        typer.echo(backups.backup(Settings().resolved_database_url, path))
    except backups.BackupError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None


@app.command()
def restore(
    path: Annotated[Path, typer.Argument(help="A file written by `rehearse backup`.")],
    force: Annotated[bool, typer.Option(help="Restore even while other connections to the database are open.")]
    = False,
) -> None:
    """Replace the database with a backup (stop the app first; SQLite: backup API; PostgreSQL: pg_restore,
    refused while servers or workers are connected unless --force).

    Example: rehearse restore backups/rehearse-2026-11-26.db
    """
    from rehearse.db import backup as backups
    from rehearse.settings import Settings

    try:
        typer.echo(backups.restore(Settings().resolved_database_url, path, force=force))
    except backups.BackupError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes.")] = 1,
) -> None:
    """Serve the web app and JSON API.

    Example: rehearse serve --host 0.0.0.0 --port 8000
    """
    import uvicorn

    from rehearse.bootstrap import open_database
    from rehearse.settings import Settings

    settings = Settings()
    settings.resolved_secret_key()  # a data folder that cannot keep one is said here, not in uvicorn's traceback
    open_database(settings).dispose()  # migrate and seed once, before workers start
    # proxy_headers=False: uvicorn would otherwise believe X-Forwarded-For from any local peer;
    # access_log=False: the app writes one JSON line per request itself (web.requestlog).
    # the app believes it only from REHEARSE_TRUSTED_PROXIES (see web.app.create_app).
    uvicorn.run("rehearse.web.app:create_app", factory=True, host=host, port=port, workers=workers,
                log_level="info", proxy_headers=False, access_log=False)  # rehearse.access logs each request


def main() -> None:
    """The `rehearse` program: the commands above, with a configuration error said in one line per
    setting (REHEARSE_MAX_ANSWER_CHARS=abc gave a pydantic traceback; a database that cannot be reached,
    a driver's) and exit status 2."""
    from pydantic import ValidationError

    from rehearse.settings import ConfigurationError, describe_errors

    try:
        app(prog_name="rehearse")
    except ValidationError as error:
        if error.title != "Settings":
            raise
        for line in describe_errors(error):
            typer.echo(f"configuration error: {line}", err=True)
        raise SystemExit(2) from None
    except ConfigurationError as error:
        typer.echo(f"configuration error: {error}", err=True)
        raise SystemExit(2) from None

