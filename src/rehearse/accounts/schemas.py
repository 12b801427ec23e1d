"""What the accounts API takes and returns."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from rehearse.formats.model import is_blank

from . import service
from .models import ApiToken, User


def _refuse(problem: str | None) -> None:
    """A validation error whose message is the service's own sentence, so every field problem of a
    request comes back together in `errors`, in the shape of any other 422."""
    if problem:
        raise PydanticCustomError("value_error", problem)


def _email_problem(email: str) -> str | None:
    try:
        service.check_email(email)
    except service.AccountError as wrong:
        return str(wrong)
    return None


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    email: str = Field(max_length=320)
    password: str = Field(max_length=1024, description="At least 10 characters, not only spaces.")
    display_name: str | None = Field(default=None, max_length=120)

    @field_validator("email")
    @classmethod
    def _an_email_address(cls, email: str) -> str:
        _refuse(_email_problem(email))
        return email

    @field_validator("password")
    @classmethod
    def _an_acceptable_password(cls, password: str) -> str:
        _refuse(service.password_problem(password))
        return password


def _token_name(name: str) -> str:
    # a name of spaces or zero-width spaces would list the token on the settings page as nothing
    _refuse('Give the token a name that shows something, or leave name out for "API token".' if is_blank(name)
            else None)
    return name


TokenName = Annotated[str, Field(max_length=100), AfterValidator(_token_name)]


class TokenRequest(BaseModel):
    """Sign in with e-mail and password and get an API token (rate limited like signing in)."""

    model_config = ConfigDict(extra="forbid")

    email: str = Field(max_length=320)
    password: str = Field(max_length=1024)
    name: TokenName = "API token"


class TokenCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: TokenName = "API token"


class UserUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    display_name: str = Field(max_length=120, description="What the community pages credit you as.")

    @field_validator("display_name")
    @classmethod
    def _not_blank(cls, display_name: str) -> str:
        _refuse(None if display_name.strip() else "Enter a display name.")
        return display_name


class PasswordChange(BaseModel):
    """The current password, checked (and rate limited) like signing in, and the new one."""

    model_config = ConfigDict(extra="forbid")

    current_password: str = Field(max_length=1024)
    new_password: str = Field(max_length=1024, description="At least 10 characters, not only spaces.")

    @field_validator("new_password")
    @classmethod
    def _an_acceptable_password(cls, password: str) -> str:
        _refuse(service.password_problem(password))
        return password


class AccountRead(BaseModel):
    """Your own account (the community's UserRead is how others see a member)."""

    id: int
    email: str
    display_name: str
    role: str
    created_at: datetime

    @classmethod
    def of(cls, user: User) -> AccountRead:
        return cls(
            id=user.id,
            email=user.email,
            display_name=user.display_name,
            role=user.role,
            created_at=user.created_at,
        )


class TokenRead(BaseModel):
    id: int
    name: str
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None

    @classmethod
    def of(cls, token: ApiToken) -> TokenRead:
        return cls(
            id=token.id,
            name=token.name,
            prefix=token.prefix,
            created_at=token.created_at,
            last_used_at=token.last_used_at,
            revoked_at=token.revoked_at,
        )


class TokenIssued(TokenRead):
    token: str = Field(
        description="The secret; shown once. Send it as `Authorization: Bearer <token>`."
    )
