"""Typed dependencies shared by every router.

One database session per request, and at most one pooled connection per request at any
moment: `SessionDep` and `ReadSessionDep` are two views of the same session, and code that
reads first and writes later (scoring, then storing) ends the read transaction before the
write one starts (`begin_writing`), so a request never waits for a second connection while
holding a first. Waiting requests therefore always drain, however many arrive at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from rehearse.db.database import Database, begin_writing, release
from rehearse.settings import Settings

__all__ = [
    "DatabaseDep",
    "ReadSessionDep",
    "SessionDep",
    "SettingsDep",
    "begin_writing",
    "release",
]


def get_database(request: Request) -> Database:
    return request.app.state.database


def get_settings(request: Request) -> Settings:
    return request.app.state.settings


READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def request_session(request: Request) -> Iterator[Session]:
    """The request's one session: committed when the view returns, rolled back on error.

    It connects lazily, so a request that needs no database never takes a connection, and
    work done after it is closed (e.g. noting that an API token was used) runs with this
    request's connection already back in the pool.
    """
    from rehearse.web.security import after_request_session

    session = request.app.state.database.session()
    request.state.session = session  # while the view runs: the layout counts the user's due reviews with it
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        request.state.session = None  # closed: a page rendered after this (an error page) must not reopen it
        session.close()
        after_request_session(request)


# scope="function": the transaction commits when the view returns, before the response is
# sent, so whatever a response acknowledges is already stored (and a failed commit is an
# error answer, not a silent loss after a 201). Every use must spell the same Depends, so
# FastAPI hands the same session to the user lookup and to the view.
_RequestSession = Annotated[Session, Depends(request_session, scope="function")]


def get_session(request: Request, session: _RequestSession) -> Session:
    """The request's session; for POST, PUT, PATCH and DELETE, in a write transaction.

    Requests that may write declare it up front, so on SQLite they queue for the write lock
    instead of failing when another request commits first. A read transaction already
    begun in this request (looking up who is asking) is committed first: its connection
    goes back to the pool before the write one is taken.
    """
    if request.method not in READ_ONLY_METHODS:
        begin_writing(session)
    return session


def get_read_session(session: _RequestSession) -> Session:
    """The same session without the up-front write lock: for a POST that computes first
    (e.g. scores an answer) and stores later through `begin_writing(session)`, or never."""
    return session


DatabaseDep = Annotated[Database, Depends(get_database)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
SessionDep = Annotated[Session, Depends(get_session)]
ReadSessionDep = Annotated[Session, Depends(get_read_session)]
