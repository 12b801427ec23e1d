"""Account use cases: sign up, sign in (rate limited), sessions, API tokens, name and password.

This module and the ones it gathers are the only code in accounts/ that touches the database
session. Secrets handed to a browser or an API client are random; the database keeps only their
SHA-256 hashes.

The work is split by concern, one module each, and this module gathers their public names so that
callers keep one import (`from rehearse.accounts import service as accounts`):

- rules: the errors, e-mail and password checks, hashing secrets
- signin: password hashing (argon2id), signing up and in, and the limits on attempts
- users: creating and finding accounts, display names, passwords and roles
- sessions: sign-in sessions (the browser's cookie)
- tokens: API tokens

A test that patches a name patches it in the module that defines it (`rehearse.accounts.tokens.MAX_TOKENS`):
the copy here is not the one the code reads.
"""

from __future__ import annotations

from .models import User
from .rules import (
    MAX_PASSWORD,
    MIN_PASSWORD,
    AccountError,
    AccountSuspended,
    RateLimited,
    check_email,
    check_new_account,
    check_password,
    hash_secret,
    normalise_email,
    password_problem,
)
from .sessions import (
    SESSION_DAYS,
    end_session,
    session_owner,
    start_session,
    user_for_session,
)
from .signin import (
    FORGET_BUCKETS_AFTER,
    SIGN_IN_ACCOUNT,
    SIGN_IN_ACCOUNT_ADDRESS,
    SIGN_IN_ADDRESS,
    authenticate,
    check_sign_up,
    finish_sign_in,
    hash_password,
    password_matches,
    start_sign_in,
)
from .tokens import (
    MAX_TOKENS,
    TOKEN_PREFIX,
    TOKEN_TOUCH_EVERY,
    AlreadyRevoked,
    IssuedToken,
    create_token,
    list_tokens,
    revoke_token,
    token_of_suspended_account,
    token_owner,
    touch_token,
    user_for_token,
)
from .users import (
    MAX_DISPLAY_NAME,
    check_new_user,
    create_user,
    get_user,
    rename,
    set_password,
    set_password_by_email,
    set_role,
    user_by_email,
)

__all__ = [
    "FORGET_BUCKETS_AFTER",
    "MAX_DISPLAY_NAME",
    "MAX_PASSWORD",
    "MAX_TOKENS",
    "MIN_PASSWORD",
    "SESSION_DAYS",
    "SIGN_IN_ACCOUNT",
    "SIGN_IN_ACCOUNT_ADDRESS",
    "SIGN_IN_ADDRESS",
    "TOKEN_PREFIX",
    "TOKEN_TOUCH_EVERY",
    "AccountError",
    "AccountSuspended",
    "AlreadyRevoked",
    "IssuedToken",
    "RateLimited",
    "User",
    "authenticate",
    "check_email",
    "check_new_account",
    "check_new_user",
    "check_password",
    "check_sign_up",
    "create_token",
    "create_user",
    "end_session",
    "finish_sign_in",
    "get_user",
    "hash_password",
    "hash_secret",
    "list_tokens",
    "normalise_email",
    "password_matches",
    "password_problem",
    "rename",
    "revoke_token",
    "session_owner",
    "set_password",
    "set_password_by_email",
    "set_role",
    "start_session",
    "start_sign_in",
    "token_of_suspended_account",
    "token_owner",
    "touch_token",
    "user_by_email",
    "user_for_session",
    "user_for_token",
]
