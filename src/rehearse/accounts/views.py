"""JSON API for accounts: sign up, get an API token, who am I, name and password, list and revoke tokens."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request, Response
from sqlalchemy.orm import Session

from rehearse.settings import Settings
from rehearse.web.deps import ReadSessionDep, SessionDep, SettingsDep, begin_writing, release
from rehearse.web.params import IdPath
from rehearse.web.security import SESSION_COOKIE, ApiUser, CsrfApi, client_address

from . import service
from .models import User
from .schemas import (
    AccountRead,
    PasswordChange,
    TokenCreate,
    TokenIssued,
    TokenRead,
    TokenRequest,
    UserCreate,
    UserUpdate,
)

router = APIRouter(prefix="/api", tags=["accounts"])


@router.post(
    "/users",
    response_model=AccountRead,
    status_code=201,
    dependencies=[CsrfApi],
    responses={409: {"description": "An account with this e-mail exists"},
               429: {"description": "Too many sign-ups from this address"}},
)
def create_user(body: UserCreate, request: Request, session: ReadSessionDep, settings: SettingsDep) -> AccountRead:
    """Create a candidate account (admins are made with `rehearse users create --role admin`)."""
    try:
        user = sign_up(session, request, settings, email=body.email, password=body.password,
                       display_name=body.display_name)
    except service.RateLimited as limited:
        raise HTTPException(429, str(limited), headers={"Retry-After": str(limited.retry_after)}) from None
    except service.AccountError as error:
        status = 409 if "already exists" in str(error) else 422
        raise HTTPException(status, str(error)) from None
    return AccountRead.of(user)


def sign_up(session: Session, request: Request, settings: Settings, *, email: str, password: str,
            display_name: str | None) -> User:
    """Count the sign-up against the address, hash the password, then create the account.

    The argon2 hash (the slow part) runs between two short transactions, never inside one,
    so a burst of sign-ups cannot keep SQLite's write lock from other writers.
    """
    begin_writing(session)
    service.check_sign_up(session, client=client_address(request), per_hour=settings.signups_per_address_per_hour)
    release(session)
    email = service.check_new_account(email, password)
    password_hash = service.hash_password(password)
    begin_writing(session)
    return service.create_user(session, email=email, password_hash=password_hash, display_name=display_name)


@router.post(
    "/auth/token",
    response_model=TokenIssued,
    status_code=201,
    responses={
        401: {"description": "Wrong e-mail or password"},
        403: {"description": "The account is suspended (said only to the right password)"},
        429: {"description": "Too many failed sign-ins"},
    },
)
def issue_token(body: TokenRequest, request: Request, session: ReadSessionDep) -> TokenIssued:
    """Exchange e-mail and password for a new API token."""
    user, error = sign_in(session, request, email=body.email, password=body.password)
    if error is not None:
        raise error
    issued = service.create_token(session, user=user, name=body.name)
    return TokenIssued(**TokenRead.of(issued.token).model_dump(), token=issued.secret)


def sign_in(
    session: Session, request: Request, *, email: str, password: str
) -> tuple[User | None, HTTPException | None]:
    """(user, None) or (None, the 401/403/429 to answer with); on success the session is left writing.

    The attempt is counted (and the limit checked) in one short locked step that is
    committed at once, so it is kept even when the password turns out wrong; the password
    is then checked outside any transaction.
    """
    client = client_address(request)
    begin_writing(session)
    try:
        user = service.start_sign_in(session, email=email, client=client)
    except service.RateLimited as limited:
        return None, HTTPException(429, str(limited), headers={"Retry-After": str(limited.retry_after)})
    release(session)
    valid = service.password_matches(user, password)
    begin_writing(session)
    try:
        return service.finish_sign_in(session, user=user, email=email, client=client, valid=valid,
                                      password=password), None
    except service.AccountSuspended as suspended:
        return None, HTTPException(403, str(suspended))
    except service.AccountError as wrong:
        return None, HTTPException(401, str(wrong))


@router.get("/me", response_model=AccountRead)
def read_me(user: ApiUser) -> AccountRead:
    return AccountRead.of(user)


@router.patch("/me", response_model=AccountRead, dependencies=[CsrfApi])
def update_me(body: UserUpdate, user: ApiUser, session: SessionDep) -> AccountRead:
    """Change your display name."""
    try:
        return AccountRead.of(service.rename(session, user=user, display_name=body.display_name))
    except service.AccountError as error:
        raise HTTPException(422, str(error)) from None


@router.post(
    "/me/password",
    status_code=204,
    dependencies=[CsrfApi],
    responses={403: {"description": "The current password is not right"},
               429: {"description": "Too many failed attempts"}},
)
def change_my_password(body: PasswordChange, request: Request, user: ApiUser, session: ReadSessionDep) -> None:
    """Change your password. Every sign-in session but the one making the request ends; API tokens
    stay valid (revoke them separately)."""
    error = change_password(session, request, user=user, current=body.current_password, new=body.new_password,
                            keep=request.cookies.get(SESSION_COOKIE))
    if error is not None:
        raise error


def change_password(session: Session, request: Request, *, user: User, current: str, new: str,
                    keep: str | None) -> HTTPException | None:
    """None when the password was changed, else the 403/422/429 to answer with.

    The current password is checked like a sign-in (the same counted, rate-limited attempt, so a
    stolen session cannot guess it faster than a stranger could), and both argon2 steps run
    outside any transaction.
    """
    try:
        service.check_password(new)
    except service.AccountError as error:
        return HTTPException(422, str(error))
    checked, error = sign_in(session, request, email=user.email, password=current)
    if error is not None:
        return HTTPException(403, "Your current password is not right.") if error.status_code == 401 else error
    release(session)
    password_hash = service.hash_password(new)
    begin_writing(session)
    service.set_password(session, user=checked, password_hash=password_hash, keep=keep)
    return None


@router.get("/tokens", response_model=list[TokenRead])
def list_tokens(user: ApiUser, session: SessionDep) -> list[TokenRead]:
    return [TokenRead.of(token) for token in service.list_tokens(session, user=user)]


@router.post("/tokens", response_model=TokenIssued, status_code=201, dependencies=[CsrfApi])
def create_token(body: TokenCreate, user: ApiUser, session: SessionDep) -> TokenIssued:
    try:
        issued = service.create_token(session, user=user, name=body.name)
    except service.AccountError as error:
        raise HTTPException(409, str(error)) from None
    return TokenIssued(**TokenRead.of(issued.token).model_dump(), token=issued.secret)


@router.delete(
    "/tokens/{token_id}",
    status_code=204,
    dependencies=[CsrfApi],
    responses={404: {"description": "You have no live token with this id (none, another user's, or revoked already)"}},
)
def revoke_token(token_id: IdPath, user: ApiUser, session: SessionDep) -> Response:
    """Revoke one of your tokens: it stops working at once and stays listed, with when it was revoked."""
    try:
        service.revoke_token(session, user=user, token_id=token_id)
    except LookupError as missing:
        raise HTTPException(404, str(missing)) from None
    return Response(status_code=204)
