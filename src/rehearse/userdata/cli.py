"""`rehearse data export|import`: a user's data as one JSON document, from the terminal."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from rehearse.console import make_console

from .wording import counted

data_app = typer.Typer(help="A user's data: export it as JSON, import it into another Rehearse.",
                       no_args_is_help=True, rich_markup_mode="markdown")
errors = make_console(stderr=True, highlight=False)


def _user(session, email: str):
    from sqlalchemy import select

    from rehearse.accounts.models import User
    from rehearse.accounts.service import normalise_email

    user = session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        errors.print(f"[bold red]error:[/] no account with the e-mail address {escape(repr(email))}")
        raise typer.Exit(2)
    return user


@data_app.command("export")
def export_data(email: Annotated[str, typer.Argument(help="The account's e-mail address.")],
                out: Annotated[Path | None, typer.Option(help="Write here instead of standard output.")] = None
                ) -> None:
    """Everything one account has, as JSON.

    Example: rehearse data export ann@example.com --out ann.json
    """
    from rehearse.bootstrap import open_database

    from .service import export_user

    with open_database().transaction() as session:
        text = json.dumps(export_user(session, user=_user(session, email)), ensure_ascii=False, indent=1)
    if out is None:
        typer.echo(text)
    else:
        from rehearse.output import OutputError, write_file

        try:  # missing folders are made, as for every file the command line writes
            write_file(out, text + "\n", private=True)  # one person's answers and account: theirs alone
        except OutputError as error:
            errors.print(f"[bold red]error:[/] {escape(str(error))}", soft_wrap=True)
            raise typer.Exit(2) from None


@data_app.command("import")
def import_data(email: Annotated[str, typer.Argument(help="The (empty) account to load it into.")],
                file: Annotated[Path, typer.Argument(help="A document made by `rehearse data export`.")]) -> None:
    """Load an exported document into an empty account; all of it, or nothing.

    Example: rehearse data import ann@example.com ann.json
    """
    from rehearse.bootstrap import open_database

    from .service import ImportRejected, import_user, read_document

    try:
        try:
            data = file.read_bytes()
        except OSError as error:
            raise ImportRejected(f"cannot read it ({error.strerror or error}); nothing was imported.") from None
        document = read_document(data, file=str(file))
        with open_database().transaction(writes=True) as session:
            counts = import_user(session, user=_user(session, email), document=document)
    except ImportRejected as error:
        where = f"{file}:{error.line}" if error.line else str(file)
        said = str(error) if "nothing was imported" in str(error).lower() else f"{error} Nothing was imported."
        # The message may quote the document ("[/x]"): printed as text, never read as console markup.
        errors.print(f"[bold red]error:[/] {escape(where)}: {escape(said)}", soft_wrap=True)
        raise typer.Exit(2) from None
    left_out = counts.pop("community_left_out", 0)
    typer.echo(counted(counts) + " imported.")
    if left_out:
        typer.echo(f"{left_out} votes, comments, notifications or reports of comments on other people's suggestions "
                   "that are not on this server were left out.")
