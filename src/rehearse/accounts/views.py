"""JSON API for accounts: sign up, get an API token, who am I, list and revoke tokens."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, Request

from rehearse.db.database import Database
from rehearse.web.deps import DatabaseDep, SessionDep
from rehearse.web.security import ApiUser, CsrfApi, client_address

from . import service
from .models import User
from .schemas import TokenCreate, TokenIssued, TokenRead, TokenRequest, UserCreate, UserRead

router = APIRouter(prefix="/api", tags=["accounts"])


@router.post("/users", response_model=UserRead, status_code=201, dependencies=[CsrfApi])
def create_user(body: UserCreate, session: SessionDep) -> UserRead:
    """Create an account (a candidate; the first account of an install is its admin)."""
    try:
        user = service.create_user(
            session, email=body.email, password=body.password, display_name=body.display_name
        )
    except service.AccountError as error:
        status = 409 if "already exists" in str(error) else 422
        raise HTTPException(status, str(error)) from None
    return UserRead.of(user)


@router.post(
    "/auth/token",
    response_model=TokenIssued,
    status_code=201,
    responses={
        401: {"description": "Wrong e-mail or password"},
        429: {"description": "Too many failed sign-ins"},
    },
)
def issue_token(body: TokenRequest, request: Request, database: DatabaseDep) -> TokenIssued:
    """Exchange e-mail and password for a new API token."""
    user, error = sign_in(database, request, email=body.email, password=body.password)
    if error is not None:
        raise error
    with database.transaction(writes=True) as session:
        issued = service.create_token(session, user=session.merge(user), name=body.name)
        return TokenIssued(**TokenRead.of(issued.token).model_dump(), token=issued.secret)


def sign_in(
    database: Database, request: Request, *, email: str, password: str
) -> tuple[User | None, HTTPException | None]:
    """(user, None) or (None, the 401/429 to answer with).

    Runs in a transaction of its own that commits even when the password is wrong: each
    failure is stored, and the stored failures are what the rate limit counts.
    """
    with database.transaction(writes=True) as session:
        try:
            return service.authenticate(
                session, email=email, password=password, client=client_address(request)
            ), None
        except service.RateLimited as limited:
            return None, HTTPException(
                429, str(limited), headers={"Retry-After": str(limited.retry_after)}
            )
        except service.AccountError as wrong:
            return None, HTTPException(401, str(wrong))


@router.get("/me", response_model=UserRead)
def read_me(user: ApiUser) -> UserRead:
    return UserRead.of(user)


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


@router.delete("/tokens/{token_id}", response_model=TokenRead, dependencies=[CsrfApi])
def revoke_token(token_id: int, user: ApiUser, session: SessionDep) -> TokenRead:
    try:
        return TokenRead.of(service.revoke_token(session, user=user, token_id=token_id))
    except LookupError:
        raise HTTPException(404, f"no token with id {token_id}") from None
