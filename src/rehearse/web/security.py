"""Who is asking, and did they mean it: session cookies, bearer tokens and CSRF tokens.

Sessions live in the database (accounts.models.UserSession), so they survive restarts
and work across app processes. CSRF uses a double-submit cookie: the browser holds a
random value in an HttpOnly cookie, and every state-changing form (or the page's
fetch calls, as an X-CSRF-Token header) carries an HMAC of it and of the sign-in
session under the app's secret key. A foreign site can neither read the cookie nor
compute the HMAC, and a pair planted from a sibling origin does not fit the victim's
session. The cookie is replaced at sign-in and sign-out.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Annotated

from fastapi import Depends, Form, HTTPException, Request, Response
from sqlalchemy.exc import OperationalError
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeoutError
from sqlalchemy.orm import Session

from rehearse.accounts import service as accounts
from rehearse.accounts.models import User
from rehearse.web import identity
from rehearse.web.deps import ReadSessionDep

SESSION_COOKIE = "rehearse_session"
CSRF_COOKIE = "rehearse_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class SignInRequired(Exception):
    """Raised by pages that need an account; rendered as a redirect to the sign-in page."""


class CsrfFailed(Exception):
    """A state-changing request without a valid CSRF token."""


NEEDS_HTTPS = (
    "This server runs in production mode and needs HTTPS: its cookies are Secure, so a browser on http:// "
    "never sends them back. Serve it behind a TLS proxy (REHEARSE_TRUSTED_PROXIES) or at an https:// address."
)


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or request.app.state.settings.environment == "production"


def cookies_lost_to_plain_http(request: Request) -> bool:
    """A production request over http:// (as seen after trusted-proxy handling) with no CSRF cookie: the
    browser dropped the Secure cookie, so no form can ever pass, and reloading will not help."""
    return (request.app.state.settings.environment == "production" and request.url.scheme == "http"
            and CSRF_COOKIE not in request.cookies)


# --- current user ------------------------------------------------------------------------------


def bearer_secret(request: Request) -> str | None:
    """The token after `Bearer` ("" when nothing follows it: a token that is not valid, refused as any other),
    or None without one."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else None


def resolve_user(request: Request, session: Session) -> User | None:
    """The user behind a bearer token or a session cookie, looked up once per request (and, for a
    moment, remembered by this process: web/identity.py says what that costs and what keeps it safe)."""
    if hasattr(request.state, "user"):
        return request.state.user
    user = None
    cache = identity.of(request.app)
    token = bearer_secret(request)
    if token is not None:
        key = identity.credential_key("token", token)
        user = cache.user(key)
        if user is None:
            generation = cache.generation
            found = accounts.token_owner(session, token)
            user = found[0] if found else None
            if found and found[1]:
                request.state.touch_token = token  # written once this request's session is closed
            if user is None:
                raise HTTPException(
                    401,
                    "This account is suspended: its API tokens work again if an admin reinstates it."
                    if accounts.token_of_suspended_account(session, token)
                    else "The API token is not valid or has been revoked.",
                    headers={"WWW-Authenticate": "Bearer"},
                )
            session.expunge(user)
            cache.remember(key, user, generation=generation)
        request.state.via_token = True
        request.state.identity_key = key
    else:
        cookie = request.cookies.get(SESSION_COOKIE)
        if cookie:
            key = identity.credential_key("session", cookie)
            user = cache.user(key)
            if user is None:
                generation = cache.generation
                found = accounts.session_owner(session, cookie)
                if found is not None:
                    user = found[0]
                    session.expunge(user)
                    cache.remember(key, user, generation=generation, expires_at=found[1])
            if user is not None:
                request.state.identity_key = key
    # The user is detached, so a rolled-back request (an error page) can still show who is signed in.
    request.state.user = user
    return user


def remembered_user(request: Request) -> tuple[User, str] | None:
    """The user this process remembers for the request's credential (no database), with the cache key."""
    token = bearer_secret(request)
    if token is not None:
        key = identity.credential_key("token", token)
    elif cookie := request.cookies.get(SESSION_COOKIE):
        key = identity.credential_key("session", cookie)
    else:
        return None
    user = identity.of(request.app).user(key)
    if user is None:
        return None
    request.state.user, request.state.identity_key = user, key
    if token is not None:
        request.state.via_token = True
    return user, key


def after_request_session(request: Request) -> None:
    """Work left for when the request's session has closed and its connection is back in the pool.

    Noting an API token's last use is best effort, in a short transaction of its own taken
    only now, so a request never holds two connections: a busy database skips it, fails nothing.
    """
    token = getattr(request.state, "touch_token", None)
    if token is None:
        return
    request.state.touch_token = None
    try:
        with request.app.state.database.transaction(writes=True) as writer:
            accounts.touch_token(writer, token)
    except (OperationalError, SQLAlchemyTimeoutError):
        pass


def is_anonymous(request: Request) -> bool:
    """No credentials at all: the request can be answered with pages rendered for everyone."""
    return SESSION_COOKIE not in request.cookies and "authorization" not in request.headers


def optional_user(request: Request, session: ReadSessionDep) -> User | None:
    return resolve_user(request, session)


def page_user(request: Request, session: ReadSessionDep) -> User:
    """Pages that need an account send anonymous visitors to sign in first."""
    user = resolve_user(request, session)
    if user is None:
        raise SignInRequired()
    return user


def api_user(request: Request, session: ReadSessionDep) -> User:
    user = resolve_user(request, session)
    if user is None:
        raise HTTPException(
            401,
            "Sign in or send an API token (Authorization: Bearer ...) to use this.",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return user


# Where a client comes for a token with its e-mail and password: a stale token it still sends is no reason to refuse.
TOKEN_GIVERS = frozenset({("POST", "/api/users"), ("POST", "/api/auth/token")})


def known_token(request: Request, session: ReadSessionDep) -> None:
    """Every API route, public ones too, answers 401 to a bearer token that is not valid or was revoked: a
    client with a mistyped or revoked token hears so at once, not as an anonymous caller (its answers then
    quietly kept nowhere) until its first private call."""
    if bearer_secret(request) is not None and (request.method, request.url.path) not in TOKEN_GIVERS:
        resolve_user(request, session)


OptionalUser = Annotated[User | None, Depends(optional_user)]
PageUser = Annotated[User, Depends(page_user)]
ApiUser = Annotated[User, Depends(api_user)]


def set_session_cookie(request: Request, response: Response, secret: str) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        secret,
        max_age=accounts.SESSION_DAYS * 86400,
        httponly=True,
        samesite="lax",
        secure=_secure(request),
        path="/",
    )


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE, path="/")


# --- CSRF --------------------------------------------------------------------------------------


def _sign(request: Request, value: str) -> str:
    """The token for a CSRF cookie value, bound to the browser's sign-in session (if any).

    Binding to the session means a pair planted by someone who can set cookies for this site
    (a sibling subdomain) is worthless once the victim is signed in: it was minted for no
    session, or for the planter's.
    """
    key = request.app.state.secret_key.encode()
    session = request.cookies.get(SESSION_COOKIE, "")
    binding = hashlib.sha256(session.encode()).hexdigest() if session else ""
    return hmac.new(key, f"csrf:{value}:{binding}".encode(), hashlib.sha256).hexdigest()


def csrf_token(request: Request) -> str:
    """The token for this browser's forms; mints the cookie when the browser has none yet."""
    request.state.csrf_used = (
        True  # a page with this browser's token must never be cached for others
    )
    value = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf_cookie", None)
    if not value or len(value) > 100:
        value = secrets.token_urlsafe(24)
        request.state.new_csrf_cookie = value
    signed = getattr(request.state, "csrf_signed", None)  # a page asks two or three times: one HMAC
    if signed is None or signed[0] != value:
        signed = request.state.csrf_signed = (value, _sign(request, value))
    return signed[1]


def rotate_csrf_cookie(request: Request, response: Response) -> None:
    """A fresh CSRF cookie (at sign-in and sign-out): tokens minted before no longer count."""
    request.state.new_csrf_cookie = secrets.token_urlsafe(24)
    attach_csrf_cookie(request, response)


def attach_csrf_cookie(request: Request, response: Response) -> None:
    """Send the cookie minted by csrf_token() during this request, if any."""
    value = getattr(request.state, "new_csrf_cookie", None)
    if value:
        response.set_cookie(
            CSRF_COOKIE,
            value,
            max_age=365 * 86400,
            httponly=True,
            samesite="lax",
            secure=_secure(request),
            path="/",
        )


def valid_csrf(request: Request, token: str | None) -> bool:
    value = request.cookies.get(CSRF_COOKIE)
    return bool(value and token) and hmac.compare_digest(_sign(request, value), token)


def verify_csrf_form(request: Request, csrf_token: Annotated[str, Form()] = "") -> None:
    """Dependency for HTML forms: the hidden csrf_token field must match the cookie."""
    if not valid_csrf(request, csrf_token):
        raise CsrfFailed()


def verify_csrf_api(request: Request) -> None:
    """Dependency for state-changing API calls made with the browser's cookies.

    Bearer-token clients carry no ambient authority and need no CSRF token; neither do
    anonymous calls without a session cookie. A call riding on a session cookie must
    send the X-CSRF-Token header the page got from its <meta name="csrf-token">.
    """
    if request.method in SAFE_METHODS or bearer_secret(request) is not None:
        return
    if request.cookies.get(SESSION_COOKIE) and not valid_csrf(
        request, request.headers.get(CSRF_HEADER)
    ):
        raise HTTPException(
            403, "Missing or invalid X-CSRF-Token header (needed with a session cookie)."
        )


CsrfForm = Depends(verify_csrf_form)
CsrfApi = Depends(verify_csrf_api)


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"
