"""Account pages: sign up, sign in, sign out, and settings: name, password, API tokens."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from rehearse.accounts import service as accounts
from rehearse.accounts.views import change_password as change_own_password
from rehearse.accounts.views import sign_in, sign_up
from rehearse.bank.models import utcnow
from rehearse.idempotency import service as idempotency
from rehearse.web.deps import ReadSessionDep, SessionDep, SettingsDep
from rehearse.web.params import IdPath
from rehearse.web.security import (
    SESSION_COOKIE,
    CsrfForm,
    OptionalUser,
    PageUser,
    clear_session_cookie,
    rotate_csrf_cookie,
    set_session_cookie,
)
from rehearse.web.templating import render

router = APIRouter()


def safe_next(target: str | None) -> str:
    """Only a path on this site: never another host (an open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target[:500]


def _signed_in(request: Request, secret: str, target: str) -> Response:
    response = RedirectResponse(safe_next(target), status_code=303)
    set_session_cookie(request, response, secret)
    rotate_csrf_cookie(request, response)
    return response


@router.get("/signup")
def signup_page(request: Request, user: OptionalUser, next: str = "/") -> Response:
    return render(
        request, "accounts/signup.html", {"next": safe_next(next), "email": "", "name": ""}
    )


@router.post("/signup", dependencies=[CsrfForm])
def signup(
    request: Request,
    session: ReadSessionDep,
    settings: SettingsDep,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    display_name: Annotated[str, Form(max_length=120)] = "",
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    try:
        user = sign_up(session, request, settings, email=email, password=password, display_name=display_name)
    except accounts.AccountError as error:
        limited = isinstance(error, accounts.RateLimited)
        return render(
            request,
            "accounts/signup.html",
            {"error": str(error), "email": email, "name": display_name, "next": safe_next(next),
             "invalid": error.fields},
            status_code=429 if limited else 422,
            headers={"Retry-After": str(error.retry_after)} if limited else None,
        )
    return _signed_in(request, accounts.start_session(session, user=user), next)



@router.get("/signin")
def signin_page(request: Request, user: OptionalUser, next: str = "/") -> Response:
    return render(request, "accounts/signin.html", {"next": safe_next(next), "email": ""})


@router.post("/signin", dependencies=[CsrfForm])
def signin(
    request: Request,
    session: ReadSessionDep,
    email: Annotated[str, Form(max_length=320)] = "",
    password: Annotated[str, Form(max_length=1024)] = "",
    next: Annotated[str, Form(max_length=500)] = "/",
) -> Response:
    user, error = sign_in(session, request, email=email, password=password)
    if error is not None:
        return render(
            request,
            "accounts/signin.html",
            # a wrong pair names neither field alone: both are marked, and the password (retyped) gets the focus
            {"error": error.detail, "email": email, "next": safe_next(next),
             "invalid": ("password", "email") if error.status_code == 401 else ()},
            status_code=error.status_code,
            headers=error.headers,
        )
    return _signed_in(request, accounts.start_session(session, user=user), next)


@router.post("/signout", dependencies=[CsrfForm])
def signout(request: Request, session: SessionDep) -> Response:
    accounts.end_session(session, request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/", status_code=303)
    clear_session_cookie(response)
    rotate_csrf_cookie(request, response)
    return response


def _settings(request: Request, session, user, status_code: int = 200, headers=None, **context) -> Response:
    """The settings page with the user's tokens, and what the last action said."""
    context = {"tokens": accounts.list_tokens(session, user=user), "token_form_key": uuid.uuid4().hex, **context}
    return render(request, "accounts/settings.html", context, status_code=status_code, headers=headers)


SAVED = {"name": "name_saved", "password": "password_saved"}  # ?saved=… after a form's redirect: its notice


@router.get("/settings")
def settings_page(request: Request, session: SessionDep, user: PageUser, saved: str = "") -> Response:
    return _settings(request, session, user, **({SAVED[saved]: True} if saved in SAVED else {}))


def _saved(what: str) -> Response:
    """Post/redirect/get: the saved form's notice on a fresh GET, so reloading the page sends nothing again."""
    return RedirectResponse(f"/settings?saved={what}", status_code=303)


@router.post("/settings/name", dependencies=[CsrfForm])
def rename(request: Request, session: SessionDep, user: PageUser,
           display_name: Annotated[str, Form(max_length=1000)] = "") -> Response:
    try:
        accounts.rename(session, user=user, display_name=display_name)
    except accounts.AccountError as error:
        return _settings(request, session, user, 422, name_error=str(error))
    return _saved("name")


@router.post("/settings/password", dependencies=[CsrfForm])
def change_password(
    request: Request,
    session: ReadSessionDep,
    user: PageUser,
    current_password: Annotated[str, Form(max_length=1024)] = "",
    new_password: Annotated[str, Form(max_length=1024)] = "",
) -> Response:
    error = change_own_password(session, request, user=user, current=current_password, new=new_password,
                                keep=request.cookies.get(SESSION_COOKIE))
    if error is not None:
        # 422: the new password is refused; 403: the current one is wrong (a 429 names neither field)
        wrong = {422: "new-password", 403: "current-password"}.get(error.status_code)
        return _settings(request, session, user, error.status_code, error.headers, password_error=error.detail,
                         password_invalid=wrong)
    return _saved("password")


@router.get("/settings/tokens")
def tokens_page() -> Response:
    """The address the browser shows after creating a token (opened again in a new tab or a restored
    session): the settings page, where the tokens are."""
    return RedirectResponse("/settings", status_code=303)


@router.post("/settings/tokens", dependencies=[CsrfForm])
def create_token(
    request: Request,
    session: SessionDep,
    user: PageUser,
    name: Annotated[str, Form(max_length=100)] = "",
    form_key: Annotated[str, Form(max_length=idempotency.MAX_KEY)] = "",
) -> Response:
    """Create a token and show its secret, once.

    The secret cannot go through a redirect (it is never stored), so the page answers the POST
    itself; the form's one-time key makes a reload, or a second click, show a notice instead of
    creating a second token.
    """
    claimed = None
    if form_key:
        try:
            key = "settings-token:" + idempotency.check_key(form_key)
        except idempotency.KeyMisused as misused:
            return _settings(request, session, user, 422, error=str(misused))
        claimed = idempotency.claim(session, user_id=user.id, key=key,
                                    print_=idempotency.fingerprint("POST", "/settings/tokens", {}), now=utcnow())
        if isinstance(claimed, idempotency.Replay):
            return _settings(request, session, user, already_issued=claimed.response.get("name", ""))
    try:
        issued = accounts.create_token(session, user=user, name=name)
    except accounts.AccountError as error:
        if claimed is not None:
            session.delete(claimed)  # nothing was made: the same form may be sent again once a token is revoked
        return _settings(request, session, user, 409, error=str(error))
    if claimed is not None:
        idempotency.complete(claimed, status=201, response={"token_id": issued.token.id, "name": issued.token.name})
    return _settings(request, session, user, issued=issued)


@router.post("/settings/tokens/{token_id}/revoke", dependencies=[CsrfForm])
def revoke_token(token_id: IdPath, session: SessionDep, user: PageUser) -> Response:
    try:
        accounts.revoke_token(session, user=user, token_id=token_id)
    except accounts.AlreadyRevoked:
        pass  # a second click, or the form sent again: the token is revoked, as asked
    except LookupError as missing:
        raise HTTPException(404, str(missing)) from None
    return RedirectResponse("/settings", status_code=303)
