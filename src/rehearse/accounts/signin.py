"""Signing up and in: argon2id password hashing, and the rate limits that slow a guesser down
without locking the owner out.

The web app runs a sign-in in three steps (`start_sign_in`, `password_matches`, `finish_sign_in`) so
that argon2 never runs inside a transaction; `authenticate` runs all three in the caller's.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from rehearse.bank.models import utcnow
from rehearse.throttle import service as throttle
from rehearse.throttle.service import Rule

from .models import User
from .rules import MAX_PASSWORD, AccountError, AccountSuspended, RateLimited, check_password, normalise_email

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

# argon2id with the library's RFC 9106 "low memory" profile: 64 MiB, 3 passes.
_hasher = PasswordHasher()


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
