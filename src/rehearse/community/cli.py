"""`rehearse community`: the moderation queue as a file, for editors who prefer files.

Wire into the root command with `app.add_typer(community_cli.community_app, name="community")`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

community_app = typer.Typer(help="Community suggestions: export the queue, apply decisions.",
                            no_args_is_help=True, rich_markup_mode="markdown")


@community_app.command("export-queue")
def export_queue(
    out: Annotated[Path | None, typer.Option("--out", help="File to write (JSON Lines); default standard output.")]
    = None,
) -> None:
    """Write the pending suggestions, one JSON object a line, with empty decisions to fill in.

    Example: rehearse community export-queue --out queue.jsonl
    """
    from rehearse.bootstrap import open_database
    from rehearse.community import decisions

    with open_database().transaction() as session:
        records = decisions.export_queue(session)
    text = "".join(json.dumps(record, ensure_ascii=False, default=str) + "\n" for record in records)
    if out is None:
        typer.echo(text, nl=False)
        return
    from rehearse.output import OutputError, write_file

    try:  # missing folders are made, as for every file the command line writes
        write_file(out, text, private=True)  # unpublished suggestions and their authors' names
    except OutputError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"Wrote {len(records) - 1} pending suggestion(s) to {out}.", err=True)


@community_app.command("apply")
def apply(
    file: Annotated[Path, typer.Argument(help="An export with decisions filled in.")],
    editor: Annotated[str, typer.Option("--as", help="E-mail of the editor the decisions are made by.")],
) -> None:
    """Apply the decisions in FILE, all or nothing; an error names the file and line.

    Example: rehearse community apply queue.jsonl --as editor@example.com
    """
    from sqlalchemy import select

    from rehearse.accounts.models import User
    from rehearse.bootstrap import open_database
    from rehearse.community import decisions, service

    try:
        try:
            data = file.read_bytes()
        except OSError as error:
            raise decisions.DecisionFileError(str(file), None, f"cannot read it ({error.strerror or error})") from None
        text = decisions.decode(data, file=str(file))
        with open_database().transaction(writes=True) as session:
            user = session.scalar(select(User).where(User.email == editor.strip().lower()))
            if user is None:
                raise service.CommunityError(f"no account with the e-mail address {editor!r}")
            counts = decisions.apply_decisions(session, editor=user, text=text, file=str(file))
    except service.CommunityError as error:
        typer.echo(f"error: {error}\nNothing was applied.", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"Accepted {counts['accepted']}, rejected {counts['rejected']}.")
