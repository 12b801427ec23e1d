"""What every part of accounts shares: the errors (their messages are safe to show to the user), the
checks of a new account's e-mail address and password, and how secrets and times are stored.

Secrets handed to a browser or an API client are random; the database keeps only their SHA-256 hashes.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime

MIN_PASSWORD = 10  # NIST SP 800-63B asks for at least 8; 10 keeps guessing costly
MAX_PASSWORD = 1024  # argon2 hashes any length, but a megabyte password is a denial of service

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class AccountError(ValueError):
    """Bad sign-up or sign-in input; the message is safe to show to the user.

    `fields` names the form fields the refusal is about ("email", "password", "display_name"), so a
    form can mark them invalid without reading the message."""

    def __init__(self, message: str, *, fields: tuple[str, ...] = ()):
        super().__init__(message)
        self.fields = fields


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


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_email(email: str) -> str:
    """The e-mail address, normalised; AccountError when it is not one."""
    email = normalise_email(email)
    if not _EMAIL.match(email) or len(email) > 320:
        raise AccountError("Enter a valid e-mail address, like name@example.com.", fields=("email",))
    return email


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
        raise AccountError(problem, fields=("password",))


def check_new_account(email: str, password: str) -> str:
    """The normalised e-mail address of a new account; AccountError naming every problem with both fields."""
    problems, fields = [], []
    try:
        email = check_email(email)
    except AccountError as wrong:
        problems.append(str(wrong))
        fields.extend(wrong.fields)
    if problem := password_problem(password):
        problems.append(problem)
        fields.append("password")
    if problems:
        raise AccountError(" ".join(problems), fields=tuple(fields))
    return email


def aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
