"""API tokens: a user's named, revocable credentials for scripts; the secret is shown once and only
its hash is stored."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from rehearse.bank.models import utcnow
from rehearse.formats.model import is_blank

from .models import ApiToken, User
from .rules import AccountError, aware, hash_secret

TOKEN_PREFIX = "rh_"
TOKEN_TOUCH_EVERY = timedelta(minutes=5)  # last_used_at is written at most this often
MAX_TOKENS = 50  # per user; a runaway script should not fill the table

# Every request with a token runs this lookup: built once, like sessions._SESSION_USER.
_TOKEN_OWNER = (select(ApiToken.last_used_at, User).join(User, User.id == ApiToken.user_id)
                .where(ApiToken.token_hash == bindparam("token_hash"), ApiToken.revoked_at.is_(None)))


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown to the user once, never stored


def create_token(session: Session, *, user: User, name: str) -> IssuedToken:
    """A new API token; its secret is returned once and only its hash is stored."""
    name = (name or "").strip()[:100]
    if is_blank(name):  # the settings form left empty, or only invisible characters: named as nothing shows
        name = "API token"
    live = session.scalar(
        select(func.count(ApiToken.id)).where(
            ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None)
        )
    )
    if live >= MAX_TOKENS:
        raise AccountError(f"You already have {MAX_TOKENS} tokens; revoke one first.")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name,
        token_hash=hash_secret(secret),
        prefix=secret[:10],
        created_at=utcnow(),
    )
    session.add(token)
    session.flush()
    return IssuedToken(token, secret)


def list_tokens(session: Session, *, user: User) -> list[ApiToken]:
    return list(
        session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == user.id)
            .order_by(ApiToken.revoked_at.is_not(None), ApiToken.id.desc())
        )
    )


class AlreadyRevoked(LookupError):
    """The token was revoked before: there is no live token with that id to revoke."""


def revoke_token(session: Session, *, user: User, token_id: int) -> ApiToken:
    """Revoke one of the user's own live tokens: LookupError for another user's token or none,
    AlreadyRevoked (a LookupError) for one revoked before."""
    token = session.scalar(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id)
    )
    if token is None:
        raise LookupError(f"You have no token with id {token_id}.")
    if token.revoked_at is not None:
        raise AlreadyRevoked(f"Your token with id {token_id} was revoked already.")
    token.revoked_at = utcnow()
    return token


def token_owner(session: Session, secret: str, *, now: datetime | None = None) -> tuple[User, bool] | None:
    """The owner of a live API token and whether its last-used time is due a refresh; None if unknown.

    Read-only, so looking a token up never takes a write lock; `touch_token` does the write.
    """
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    row = session.execute(_TOKEN_OWNER, {"token_hash": hash_secret(secret)}).first()
    if row is None or not row.User.active:
        return None
    last_used_at, user = row
    now = now or utcnow()
    return user, last_used_at is None or aware(last_used_at) < now - TOKEN_TOUCH_EVERY


def token_of_suspended_account(session: Session, secret: str) -> bool:
    """Whether the secret is a live API token whose account is suspended (for the refusal to say so)."""
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return False
    row = session.execute(_TOKEN_OWNER, {"token_hash": hash_secret(secret)}).first()
    return row is not None and not row.User.active


def user_for_token(session: Session, secret: str, *, now: datetime | None = None) -> User | None:
    """The owner of a live API token, or None."""
    found = token_owner(session, secret, now=now)
    return found[0] if found else None


def touch_token(session: Session, secret: str, *, now: datetime | None = None) -> None:
    """Record that a token was used (at most every TOKEN_TOUCH_EVERY; shown on the settings page)."""
    session.execute(update(ApiToken).where(ApiToken.token_hash == hash_secret(secret))
                    .values(last_used_at=now or utcnow()))
