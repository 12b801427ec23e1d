"""Typed dependencies shared by every router."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from rehearse.db.database import Database
from rehearse.settings import Settings


def get_database(request: Request) -> Database:
    return request.app.state.database


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def get_session(request: Request) -> Iterator[Session]:
    """One transaction per request: committed when the view returns, rolled back on error.

    Requests that may write (POST, PUT, DELETE) declare it up front, so on SQLite they queue
    for the write lock instead of failing when another request commits first.
    """
    writes = request.method not in READ_ONLY_METHODS
    with request.app.state.database.transaction(writes=writes) as session:
        yield session


def get_read_session(request: Request) -> Iterator[Session]:
    """A read-only transaction, for a POST that computes without storing (e.g. feedback)."""
    with request.app.state.database.transaction() as session:
        yield session


DatabaseDep = Annotated[Database, Depends(get_database)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
# scope="function": the transaction commits when the view returns, before the response is
# sent, so whatever a response acknowledges is already stored (and a failed commit is a 500,
# not a silent loss after a 201).
SessionDep = Annotated[Session, Depends(get_session, scope="function")]
ReadSessionDep = Annotated[Session, Depends(get_read_session, scope="function")]
