"""Account use cases: sign up, sign in (rate limited), sessions, API tokens, name and password.

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
from sqlalchemy import bindparam, delete, func, select, update
from sqlalchemy.orm import Session

from rehearse.bank.models import utcnow
from rehearse.formats.model import is_blank
from rehearse.throttle import service as throttle
from rehearse.throttle.service import Rule

from .models import ROLES, ApiToken, User, UserSession

SESSION_DAYS = 30  # a signed-in browser stays signed in for a month unless it signs out
# Failed sign-ins slow the guesser down instead of locking the owner out. Each attempt counts
# in three buckets; past its free attempts a bucket makes the next attempt wait 1 s, then 2 s,
# 4 s ... and an hour without attempts forgets it. A success from an address clears that
# account-and-address bucket.
# * one account from one address: five tries cover any typo streak; the wait then grows to
#   15 minutes, so one address gets a few dozen guesses a day at most;
SIGN_IN_ACCOUNT_ADDRESS = Rule("signin-account-address", free=5, window=timedelta(hours=1),
                               backoff=timedelta(seconds=1), max_delay=timedelta(minutes=15))
# * one account from anywhere (guessing spread over many addresses): the wait stops at a
#   minute, so the owner, signing in from their own address, waits a minute at worst;
SIGN_IN_ACCOUNT = Rule("signin-account", free=20, window=timedelta(hours=1),
                       backoff=timedelta(seconds=1), max_delay=timedelta(minutes=1))
# * one address, any account (spraying many accounts): generous for a shared office NAT, and
#   again at most a minute's wait for the people behind it.
SIGN_IN_ADDRESS = Rule("signin-address", free=50, window=timedelta(hours=1),
                       backoff=timedelta(seconds=1), max_delay=timedelta(minutes=1))
FORGET_BUCKETS_AFTER = timedelta(days=1)  # longer than any window or wait above
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


class AccountSuspended(AccountError):
    """The right password for a suspended account."""


class RateLimited(AccountError):
    """Too many attempts; `retry_after` seconds until the next try is allowed."""

    def __init__(self, retry_after: int, what: str = "failed sign-ins"):
        self.retry_after = retry_after
        if retry_after < 90:
            wait = f"{retry_after} second{'s' if retry_after != 1 else ''}"
        else:
            minutes = round(retry_after / 60)
            wait = f"about {minutes} minute{'s' if minutes != 1 else ''}"
        super().__init__(f"Too many {what}. Try again in {wait}.")


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
    if session.scalar(select(User.id).where(User.email == email)) is not None:
        raise AccountError("An account with this e-mail address already exists; sign in instead.")
    if role not in ROLES:
        raise AccountError(f"Role must be one of {', '.join(ROLES)}.")
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


def check_email(email: str) -> str:
    """The e-mail address, normalised; AccountError when it is not one."""
    email = normalise_email(email)
    if not _EMAIL.match(email) or len(email) > 320:
        raise AccountError("Enter a valid e-mail address, like name@example.com.")
    return email


def hash_password(password: str) -> str:
    """The argon2id hash of an acceptable new password (slow on purpose: call it outside a transaction)."""
    check_password(password)
    return _hasher.hash(password)


def check_sign_up(session: Session, *, client: str, now: datetime | None = None, per_hour: int) -> None:
    """Count a sign-up from this address; RateLimited past `per_hour` in an hour."""
    rule = Rule("signup-address", free=per_hour, window=timedelta(hours=1))
    try:
        with session.begin_nested():
            throttle.hit(session, rule, client[:64], now=now or utcnow())
    except throttle.Limited as limited:
        raise RateLimited(limited.retry_after, "sign-ups from your network") from None


def password_problem(password: str) -> str | None:
    """Why a new password is not acceptable, in one sentence; None when it is."""
    if not password.strip():
        return "Use a password that is more than spaces."  # ten spaces are ten characters, and guessed first
    if len(password) < MIN_PASSWORD:
        return f"Use a password of at least {MIN_PASSWORD} characters."
    if len(password) > MAX_PASSWORD:
        return f"Use a password of at most {MAX_PASSWORD} characters."
    return None


def check_password(password: str) -> None:
    """AccountError saying why, when a new password is not acceptable."""
    if problem := password_problem(password):
        raise AccountError(problem)


def check_new_account(email: str, password: str) -> str:
    """The normalised e-mail address of a new account; AccountError naming every problem with both fields."""
    problems = []
    try:
        email = check_email(email)
    except AccountError as wrong:
        problems.append(str(wrong))
    if problem := password_problem(password):
        problems.append(problem)
    if problems:
        raise AccountError(" ".join(problems))
    return email


MAX_DISPLAY_NAME = 120


def rename(session: Session, *, user: User, display_name: str) -> User:
    """A new display name (what the community pages credit); AccountError when empty or too long."""
    name = " ".join(display_name.split())  # runs of spaces (and tabs, line breaks) are one space
    if is_blank(name):  # spaces or invisible characters (a zero-width space) would credit no one visibly
        raise AccountError("Enter a display name.")
    if len(name) > MAX_DISPLAY_NAME:
        raise AccountError(f"Use a display name of at most {MAX_DISPLAY_NAME} characters.")
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


# --- signing in --------------------------------------------------------------------------------


def start_sign_in(session: Session, *, email: str, client: str, now: datetime | None = None) -> User | None:
    """Count a sign-in attempt before checking it; returns the account of that e-mail, if any.

    Raises RateLimited (counting nothing) while one of the attempt's buckets must wait. The
    attempt is counted as a failure up front, in the same locked step as the check, so
    concurrent guesses are each checked against the count of those before them; a success
    takes its count back (`finish_sign_in`). Needs a writing transaction; commit it before
    checking the password, so the lock is not held while argon2 runs.
    """
    now = now or utcnow()
    email, client = normalise_email(email)[:320], client[:64]
    throttle.prune(session, older_than=now - FORGET_BUCKETS_AFTER)  # indexed; keeps the table small
    try:
        with session.begin_nested():
            for rule, subject in _sign_in_buckets(email, client):
                throttle.hit(session, rule, subject, now=now)
    except throttle.Limited as limited:
        raise RateLimited(limited.retry_after) from None
    return session.scalar(select(User).where(User.email == email))


def password_matches(user: User | None, password: str) -> bool:
    """Whether the password is the user's (argon2id; as slow for an unknown account, so timing tells nothing)."""
    if user is None:
        _hasher.hash("timing-equaliser")
        return False
    try:
        return _hasher.verify(user.password_hash, password[:MAX_PASSWORD])
    except (VerificationError, InvalidHashError):
        return False


def finish_sign_in(session: Session, *, user: User | None, email: str, client: str, valid: bool,
                   password: str = "") -> User:
    """The signed-in user, or AccountError; on success the attempt's counts are taken back.

    AccountSuspended only with the right password: whoever does not know it cannot learn that the
    account exists, let alone that it is suspended. That attempt stays counted (nobody signed in)."""
    if user is None or not valid:
        raise AccountError("The e-mail address or password is not right.")
    if not user.active:
        raise AccountSuspended("This account is suspended, so it cannot sign in; an admin can reinstate it.")
    email, client = normalise_email(email)[:320], client[:64]
    for rule, subject in _sign_in_buckets(email, client):
        if rule is SIGN_IN_ACCOUNT_ADDRESS:
            throttle.clear(session, rule, subject)
        else:
            throttle.undo(session, rule, subject)
    user = session.merge(user, load=True)
    if password and _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


def authenticate(
    session: Session, *, email: str, password: str, client: str, now: datetime | None = None
) -> User:
    """The user with this e-mail and password; raises AccountError or RateLimited.

    All in the caller's transaction (the CLI and tests); the web app runs the three steps
    with the password check outside any transaction.
    """
    user = start_sign_in(session, email=email, client=client, now=now)
    valid = password_matches(user, password)
    return finish_sign_in(session, user=user, email=email, client=client, valid=valid, password=password)


def _sign_in_buckets(email: str, client: str) -> tuple[tuple[Rule, str], ...]:
    return (
        (SIGN_IN_ACCOUNT_ADDRESS, f"{email}|{client}"),
        (SIGN_IN_ACCOUNT, email),
        (SIGN_IN_ADDRESS, client),
    )


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


# Every signed-in request runs one of these two lookups: built once, so a request pays neither for
# building the statement nor for its cache key (about a third of a small query's time in Python).
_SESSION_USER = (select(User, UserSession.expires_at).join(UserSession, UserSession.user_id == User.id)
                 .where(UserSession.token_hash == bindparam("token_hash")))
_TOKEN_OWNER = (select(ApiToken.last_used_at, User).join(User, User.id == ApiToken.user_id)
                .where(ApiToken.token_hash == bindparam("token_hash"), ApiToken.revoked_at.is_(None)))


def session_owner(session: Session, secret: str, *, now: datetime | None = None) -> tuple[User, datetime] | None:
    """The signed-in user of a session cookie and when the session ends; None when unknown or expired."""
    if not secret or len(secret) > 100:
        return None
    row = session.execute(_SESSION_USER, {"token_hash": hash_secret(secret)}).first()
    if row is None or _aware(row.expires_at) <= (now or utcnow()) or not row.User.active:
        return None
    return row.User, _aware(row.expires_at)


def user_for_session(session: Session, secret: str, *, now: datetime | None = None) -> User | None:
    """The signed-in user of a session cookie, or None when unknown or expired."""
    found = session_owner(session, secret, now=now)
    return found[0] if found else None


def end_session(session: Session, secret: str) -> None:
    if secret:
        session.execute(delete(UserSession).where(UserSession.token_hash == hash_secret(secret)))


def end_all_sessions(session: Session, *, user: User) -> None:
    session.execute(delete(UserSession).where(UserSession.user_id == user.id))


# --- API tokens --------------------------------------------------------------------------------


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
    return user, last_used_at is None or _aware(last_used_at) < now - TOKEN_TOUCH_EVERY


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
