"""Account use cases: sign up, sign in (rate limited), sessions and API tokens.

The only code in accounts/ that touches the database session. Secrets handed to a
browser or an API client are random; the database keeps only their SHA-256 hashes.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from rehearse.bank.models import utcnow

from .models import ROLES, ApiToken, SignInAttempt, User, UserSession

SESSION_DAYS = 30  # a signed-in browser stays signed in for a month unless it signs out
# Sign-in limits: five wrong passwords for one e-mail in 15 minutes is past any typo streak;
# thirty from one address covers a shared office NAT without inviting guessing.
RATE_WINDOW = timedelta(minutes=15)
MAX_FAILURES_PER_EMAIL = 5
MAX_FAILURES_PER_CLIENT = 30
MIN_PASSWORD = 10  # NIST SP 800-63B asks for at least 8; 10 keeps guessing costly
MAX_PASSWORD = 1024  # argon2 hashes any length, but a megabyte password is a denial of service
TOKEN_PREFIX = "rh_"
TOKEN_TOUCH_EVERY = timedelta(minutes=5)  # last_used_at is written at most this often
MAX_TOKENS = 50  # per user; a runaway script should not fill the table

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# argon2id with the library's RFC 9106 "low memory" profile: 64 MiB, 3 passes.
_hasher = PasswordHasher()


class AccountError(ValueError):
    """Bad sign-up or sign-in input; the message is safe to show to the user."""


class RateLimited(AccountError):
    """Too many failed sign-ins; `retry_after` seconds until the next try is allowed."""

    def __init__(self, retry_after: int):
        self.retry_after = retry_after
        minutes = max(1, round(retry_after / 60))
        super().__init__(
            f"Too many failed sign-ins. Try again in about {minutes} minute"
            f"{'s' if minutes != 1 else ''}."
        )


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown to the user once, never stored


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def normalise_email(email: str) -> str:
    return email.strip().lower()


# --- users -------------------------------------------------------------------------------------


def create_user(
    session: Session,
    *,
    email: str,
    password: str,
    display_name: str | None = None,
    role: str | None = None,
) -> User:
    """A new account; the first account of a fresh install is its admin."""
    email = normalise_email(email)
    if not _EMAIL.match(email) or len(email) > 320:
        raise AccountError("Enter a valid e-mail address, like name@example.com.")
    check_password(password)
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise AccountError("An account with this e-mail address already exists; sign in instead.")
    if role is None:
        role = "admin" if session.scalar(select(func.count(User.id))) == 0 else "candidate"
    if role not in ROLES:
        raise AccountError(f"Role must be one of {', '.join(ROLES)}.")
    name = (display_name or "").strip()[:120] or email.split("@")[0]
    user = User(
        email=email,
        display_name=name,
        password_hash=_hasher.hash(password),
        role=role,
        created_at=utcnow(),
    )
    session.add(user)
    session.flush()
    return user


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"Use a password of at least {MIN_PASSWORD} characters.")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"Use a password of at most {MAX_PASSWORD} characters.")


def set_role(session: Session, *, email: str, role: str) -> User:
    if role not in ROLES:
        raise AccountError(f"Role must be one of {', '.join(ROLES)}.")
    user = session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None:
        raise AccountError(f"No account with the e-mail address {email!r}.")
    user.role = role
    return user


def get_user(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


# --- signing in --------------------------------------------------------------------------------


def authenticate(
    session: Session, *, email: str, password: str, client: str, now: datetime | None = None
) -> User:
    """The user with this e-mail and password; raises AccountError or RateLimited.

    Failures are recorded in the database, so the limit holds across app processes.
    """
    now = now or utcnow()
    email = normalise_email(email)[:320]
    client = client[:64]
    _check_rate(session, email=email, client=client, now=now)
    user = session.scalar(select(User).where(User.email == email))
    valid = False
    if user is not None and user.active:
        try:
            valid = _hasher.verify(user.password_hash, password[:MAX_PASSWORD])
        except (VerificationError, InvalidHashError):
            valid = False
    else:
        _hasher.hash(
            "timing-equaliser"
        )  # as slow as a real check, so timing does not reveal accounts
    if not valid:
        session.add(SignInAttempt(email=email, client=client, attempted_at=now))
        session.flush()
        raise AccountError("The e-mail address or password is not right.")
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    session.execute(delete(SignInAttempt).where(SignInAttempt.email == email))
    return user


def _check_rate(session: Session, *, email: str, client: str, now: datetime) -> None:
    since = now - RATE_WINDOW
    session.execute(delete(SignInAttempt).where(SignInAttempt.attempted_at < since - RATE_WINDOW))
    for column, value, limit in (
        (SignInAttempt.email, email, MAX_FAILURES_PER_EMAIL),
        (SignInAttempt.client, client, MAX_FAILURES_PER_CLIENT),
    ):
        count, oldest = session.execute(
            select(func.count(SignInAttempt.id), func.min(SignInAttempt.attempted_at)).where(
                column == value, SignInAttempt.attempted_at >= since
            )
        ).one()
        if count >= limit:
            oldest = _aware(oldest)
            raise RateLimited(max(1, int((oldest + RATE_WINDOW - now).total_seconds())))


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    from datetime import UTC

    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


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


def user_for_session(session: Session, secret: str, *, now: datetime | None = None) -> User | None:
    """The signed-in user of a session cookie, or None when unknown or expired."""
    if not secret or len(secret) > 100:
        return None
    row = session.scalar(select(UserSession).where(UserSession.token_hash == hash_secret(secret)))
    if row is None or _aware(row.expires_at) <= (now or utcnow()) or not row.user.active:
        return None
    return row.user


def end_session(session: Session, secret: str) -> None:
    if secret:
        session.execute(delete(UserSession).where(UserSession.token_hash == hash_secret(secret)))


def end_all_sessions(session: Session, *, user: User) -> None:
    session.execute(delete(UserSession).where(UserSession.user_id == user.id))


# --- API tokens --------------------------------------------------------------------------------


def create_token(session: Session, *, user: User, name: str) -> IssuedToken:
    """A new API token; its secret is returned once and only its hash is stored."""
    name = (name or "").strip()[:100] or "API token"
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


def revoke_token(session: Session, *, user: User, token_id: int) -> ApiToken:
    """Revoke one of the user's own tokens; another user's token is 'not found'."""
    token = session.scalar(
        select(ApiToken).where(ApiToken.id == token_id, ApiToken.user_id == user.id)
    )
    if token is None:
        raise LookupError(f"no token with id {token_id}")
    if token.revoked_at is None:
        token.revoked_at = utcnow()
    return token


def token_owner(session: Session, secret: str, *, now: datetime | None = None) -> tuple[User, bool] | None:
    """The owner of a live API token and whether its last-used time is due a refresh; None if unknown.

    Read-only, so looking a token up never takes a write lock; `touch_token` does the write.
    """
    if not secret.startswith(TOKEN_PREFIX) or len(secret) > 100:
        return None
    row = session.execute(
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == hash_secret(secret), ApiToken.revoked_at.is_(None))
    ).first()
    if row is None or not row.User.active:
        return None
    token, user = row
    now = now or utcnow()
    return user, token.last_used_at is None or _aware(token.last_used_at) < now - TOKEN_TOUCH_EVERY


def user_for_token(session: Session, secret: str, *, now: datetime | None = None) -> User | None:
    """The owner of a live API token, or None."""
    found = token_owner(session, secret, now=now)
    return found[0] if found else None


def touch_token(session: Session, secret: str, *, now: datetime | None = None) -> None:
    """Record that a token was used (at most every TOKEN_TOUCH_EVERY; shown on the settings page)."""
    session.execute(update(ApiToken).where(ApiToken.token_hash == hash_secret(secret))
                    .values(last_used_at=now or utcnow()))
