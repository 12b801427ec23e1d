"""Accounts themselves: creating one, finding one, and changing its display name, password or role.

Signing up checks and hashes in `signin` first; an administrator's changes come from the CLI.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from rehearse.bank.models import utcnow
from rehearse.formats.model import is_blank

from .models import ROLES, User, UserSession
from .rules import AccountError, check_email, hash_secret, normalise_email
from .signin import hash_password

MAX_DISPLAY_NAME = 120


def create_user(
    session: Session,
    *,
    email: str,
    password: str | None = None,
    password_hash: str | None = None,
    display_name: str | None = None,
    role: str = "candidate",
) -> User:
    """A new account, a candidate unless told otherwise (the first admin is made with the CLI).

    Pass `password_hash` from `hash_password` to keep the slow hashing out of the transaction.
    """
    email = check_email(email)
    if password_hash is None:
        password_hash = hash_password(password or "")
    check_new_user(session, email=email, role=role)
    name = " ".join((display_name or "").split())[:MAX_DISPLAY_NAME]  # "Sam   Second" is "Sam Second"
    if is_blank(name):  # nothing to show (zero-width spaces too): the address's name part
        name = email.split("@")[0]
    user = User(
        email=email,
        display_name=name,
        password_hash=password_hash,
        role=role,
        created_at=utcnow(),
    )
    session.add(user)
    session.flush()
    return user


def check_new_user(session: Session, *, email: str, role: str = "candidate") -> str:
    """The normalised address of an account that may be made with this role; AccountError when the address is
    not one, is taken, or the role does not exist. The command line asks it before asking for a password."""
    email = check_email(email)
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise AccountError("An account with this e-mail address already exists; sign in instead.", fields=("email",))
    if role not in ROLES:
        raise AccountError(f"Role must be one of {', '.join(ROLES)}.")
    return email


def rename(session: Session, *, user: User, display_name: str) -> User:
    """A new display name (what the community pages credit); AccountError when empty or too long."""
    name = " ".join(display_name.split())  # runs of spaces (and tabs, line breaks) are one space
    if is_blank(name):  # spaces or invisible characters (a zero-width space) would credit no one visibly
        raise AccountError("Enter a display name.", fields=("display_name",))
    if len(name) > MAX_DISPLAY_NAME:
        raise AccountError(f"Use a display name of at most {MAX_DISPLAY_NAME} characters.", fields=("display_name",))
    user.display_name = name  # the caller's copy too: the page it renders shows the new name
    return session.merge(user, load=True)


def set_password(session: Session, *, user: User, password_hash: str, keep: str | None = None) -> User:
    """Store a new password (hashed with `hash_password`, outside the transaction) and end every
    sign-in session but the one whose secret is `keep`: whoever else knew the old password is out.
    API tokens are separate credentials and stay valid (the settings page lists them to revoke)."""
    user = session.merge(user, load=True)
    user.password_hash = password_hash
    others = delete(UserSession).where(UserSession.user_id == user.id)
    if keep:
        others = others.where(UserSession.token_hash != hash_secret(keep))
    session.execute(others)
    return user


def set_password_by_email(session: Session, *, email: str, password: str) -> User:
    """An administrator's reset (the CLI: a self-hosted Rehearse sends no e-mail); ends every session."""
    return set_password(session, user=user_by_email(session, email), password_hash=hash_password(password))


def user_by_email(session: Session, email: str) -> User:
    """The account with this e-mail address (case and spaces aside); AccountError when there is none."""
    user = session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        raise AccountError(f"No account with the e-mail address {email!r}.")
    return user


def set_role(session: Session, *, email: str, role: str) -> User:
    if role not in ROLES:
        raise AccountError(f"Role must be one of {', '.join(ROLES)}.")
    user = user_by_email(session, email)
    user.role = role
    return user


def get_user(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)
