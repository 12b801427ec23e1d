"""Busy pages done in one trip to the worker threads: transaction, user and rendering together.

A sync view with session and user dependencies crosses to FastAPI's thread pool once for each
sync dependency and once for the view: five crossings for a typical page, each a context switch
and, under load, a wait for a free thread. The busiest pages instead declare an `async` view that
hands one function to the pool: it opens the request's transaction, finds who is asking, builds
and renders the page, and commits (the question page has worked this way since it was made fast).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import anyio
from fastapi import Request, Response
from sqlalchemy.orm import Session

from rehearse.accounts.models import User
from rehearse.web.security import SignInRequired, after_request_session, resolve_user

Build = Callable[[Session, User | None], Response]


PAGE_THREADS = 4  # threads rendering these pages at once (see lanes())


def lanes(request: Request) -> anyio.CapacityLimiter:
    """The few threads these pages share. With one thread per waiting request (20 at once under load)
    the threads fight over the interpreter lock and each page costs twice the CPU (measured: 1.6 ms
    at 2 concurrent requests, 3.0 ms at 20); four keep the cores busy while a query or the lock waits."""
    limiter = getattr(request.app.state, "page_lanes", None)
    if limiter is None:  # made on first use, inside the running event loop
        limiter = request.app.state.page_lanes = anyio.CapacityLimiter(PAGE_THREADS)
    return limiter


async def page(request: Request, build: Build, *, sign_in: bool = False) -> Response:
    """Run `build(session, user)` in a worker thread once; `sign_in` sends anonymous visitors to sign in."""
    return await in_lane(request, partial(_run, request, build, sign_in))


async def in_lane(request: Request, work: Callable[[], Response]) -> Response:
    """Run `work` in one of the page threads."""
    return await anyio.to_thread.run_sync(work, limiter=lanes(request))


def _run(request: Request, build: Build, sign_in: bool) -> Response:
    try:
        with request.app.state.database.transaction() as session:
            request.state.session = session  # while the page renders: the layout counts due reviews with it
            try:
                user = resolve_user(request, session)
                if user is None and sign_in:
                    raise SignInRequired()
                return build(session, user)
            finally:
                request.state.session = None
    finally:
        after_request_session(request)  # the token's last use is noted once the connection is back
