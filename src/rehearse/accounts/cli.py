"""`rehearse users`: list accounts and change their roles (editors and admins moderate the bank).

Wire into the root command with `app.add_typer(accounts_cli.users_app, name="users")`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer


@contextmanager
def _reported_errors() -> Iterator[None]:
    """An account error (or a refused suspension) ends the command with its reason and exit status 2."""
    from rehearse.accounts.service import AccountError
    from rehearse.community.rules import CommunityError

    try:
        yield
    except (AccountError, CommunityError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(2) from None


users_app = typer.Typer(
    help="Accounts: list them, create one, reset a password, change a role, suspend and reinstate.",
    no_args_is_help=True, rich_markup_mode="markdown",
)


@users_app.command("list")
def list_users(
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Every account with its role.

    Example: rehearse users list --json
    """
    from sqlalchemy import select

    from rehearse.accounts.models import User
    from rehearse.bootstrap import open_database

    with open_database().transaction() as session:
        users = session.scalars(select(User).order_by(User.id)).all()
        rows = [
            {"id": u.id, "email": u.email, "name": u.display_name, "role": u.role, "active": u.active} for u in users
        ]
    if json_output:
        typer.echo(json.dumps(rows, indent=2))
        return
    for row in rows:
        typer.echo(f"{row['id']:>5}  {row['role']:<9}  {row['email']}{'' if row['active'] else '  (suspended)'}")


@users_app.command("create")
def create_user(
    email: Annotated[str, typer.Argument(help="E-mail address (the sign-in name).")],
    role: Annotated[
        str,
        typer.Option(help="candidate, editor or admin. The web app only ever makes candidates, "
                          "so the first admin is made here."),
    ] = "candidate",
) -> None:
    """Create an account; the password is asked for, never passed on the command line.

    Example: rehearse users create you@example.com --role admin
    """
    from rehearse.accounts import service
    from rehearse.bootstrap import open_database

    database = open_database()
    with _reported_errors(), database.transaction() as session:  # a bad address or role, before the password
        service.check_new_user(session, email=email, role=role)
    password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    with _reported_errors(), database.transaction() as session:
        user = service.create_user(session, email=email, password=password, role=role)
        typer.echo(f"Created {user.email} ({user.role}).")


@users_app.command("set-password")
def set_password(
    email: Annotated[str, typer.Argument(help="The account's e-mail address.")],
) -> None:
    """Set a new password for an account: the reset for a forgotten one.

    Rehearse sends no e-mail, so an administrator resets it here. The password is asked for;
    every sign-in session of the account ends.

    Example: rehearse users set-password you@example.com
    """
    from rehearse.accounts import service
    from rehearse.bootstrap import open_database

    database = open_database()
    with _reported_errors(), database.transaction() as session:  # no such account: said before the password
        service.user_by_email(session, email)
    password = typer.prompt("New password", hide_input=True, confirmation_prompt=True)
    with _reported_errors(), database.transaction() as session:
        user = service.set_password_by_email(session, email=email, password=password)
        typer.echo(f"New password set for {user.email}; its sign-in sessions have ended.")


@users_app.command("set-role")
def set_role(
    email: Annotated[str, typer.Argument(help="The account's e-mail address.")],
    role: Annotated[str, typer.Argument(help="candidate, editor or admin.")],
) -> None:
    """Make an account a candidate, an editor or an admin.

    Example: rehearse users set-role ed@example.com editor
    """
    from rehearse.accounts import service
    from rehearse.bootstrap import open_database

    with _reported_errors(), open_database().transaction() as session:
        user = service.set_role(session, email=email, role=role)
        typer.echo(f"{user.email} is now {user.role}.")


@users_app.command("suspend")
def suspend(
    email: Annotated[str, typer.Argument(help="The account's e-mail address.")],
    reason: Annotated[str, typer.Option("--reason", help="Why (its withdrawn suggestions say so).")],
) -> None:
    """Suspend an account, as an admin does on the editors page: it can no longer sign in or use its
    API tokens, and its pending suggestions are withdrawn.

    Example: rehearse users suspend spammer@example.com --reason "advertising in comments"
    """
    from rehearse.accounts import service
    from rehearse.bootstrap import open_database
    from rehearse.community import service as community

    with _reported_errors(), open_database().transaction(writes=True) as session:
        user = service.user_by_email(session, email)
        withdrawn = community.ban(session, admin=None, user_id=user.id, reason=reason)
        typer.echo(f"{user.email} is suspended; {withdrawn} pending suggestion(s) withdrawn.")


@users_app.command("reinstate")
def reinstate(
    email: Annotated[str, typer.Argument(help="The account's e-mail address.")],
) -> None:
    """Lift a suspension; the suggestions it withdrew stay withdrawn.

    Example: rehearse users reinstate member@example.com
    """
    from rehearse.accounts import service
    from rehearse.bootstrap import open_database
    from rehearse.community import service as community

    with _reported_errors(), open_database().transaction(writes=True) as session:
        user = community.reinstate(session, admin=None, user_id=service.user_by_email(session, email).id)
        typer.echo(f"{user.email} is reinstated.")
