"""Sign-in sessions: the cookie's secret is handed to the browser once and only its hash is stored."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from rehearse.bank.models import utcnow

from .models import User, UserSession
from .rules import aware, hash_secret

SESSION_DAYS = 30  # a signed-in browser stays signed in for a month unless it signs out

# Every signed-in request runs this lookup or the API token's (tokens._TOKEN_OWNER): built once, so a
# request pays neither for building the statement nor for its cache key (about a third of a small
# query's time in Python).
_SESSION_USER = (select(User, UserSession.expires_at).join(UserSession, UserSession.user_id == User.id)
                 .where(UserSession.token_hash == bindparam("token_hash")))


def start_session(session: Session, *, user: User, now: datetime | None = None) -> str:
    """A new sign-in session; returns the secret for the cookie."""
    now = now or utcnow()
    secret = secrets.token_urlsafe(32)
    session.add(
        UserSession(
            token_hash=hash_secret(secret),
            user_id=user.id,
            created_at=now,
            expires_at=now + timedelta(days=SESSION_DAYS),
        )
    )
    session.flush()
    return secret


def session_owner(session: Session, secret: str, *, now: datetime | None = None) -> tuple[User, datetime] | None:
    """The signed-in user of a session cookie and when the session ends; None when unknown or expired."""
    if not secret or len(secret) > 100:
        return None
    row = session.execute(_SESSION_USER, {"token_hash": hash_secret(secret)}).first()
    if row is None or aware(row.expires_at) <= (now or utcnow()) or not row.User.active:
        return None
    return row.User, aware(row.expires_at)


def user_for_session(session: Session, secret: str, *, now: datetime | None = None) -> User | None:
    """The signed-in user of a session cookie, or None when unknown or expired."""
    found = session_owner(session, secret, now=now)
    return found[0] if found else None


def end_session(session: Session, secret: str) -> None:
    if secret:
        session.execute(delete(UserSession).where(UserSession.token_hash == hash_secret(secret)))
