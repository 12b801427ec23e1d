"""Who is behind a sign-in cookie or an API token, remembered for a moment in each process.

Every signed-in page looked the credential up in the database and counted the user's due
reviews for the navigation bar: two queries and a transaction's worth of work before the page's
own. This process keeps the answers for IDENTITY_TTL_S seconds, keyed by the credential's SHA-256
hash (as the database keeps it), so a browser or client loading pages pays for them about once
a second instead of on every request; with the user's last attempt at a question, and what the
home and history pages list, kept the same way, a signed-in question, home or history page seen
in the last moment needs no database and no worker thread.

What that costs, and what keeps it safe:

* Any request in this process that may write (POST, PUT, PATCH, DELETE: signing out, revoking a
  token, banning, changing a role, deleting an account, saving a review) empties the cache once it
  has been answered, and a lookup that began before such a write never stores its answer (the
  generation counter, read as each request starts: before its transaction can see anything).
  So within one process a change is seen at once.
* Another process sees a sign-out, a revoked token, a ban or a role change at most
  IDENTITY_TTL_S seconds late; the due-review count in its navigation bar, the link to the
  user's last attempt on a question page and the lists of the home and history pages may lag
  as long. Sign-in sessions are never honoured past their expiry.
* Only credentials that were found are kept (a guessed token always goes to the database), at
  most MAX_ENTRIES of them, and each request gets its own copy of the user (detached from any
  session), never an object shared with another request.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from fastapi import FastAPI
from sqlalchemy.orm import make_transient_to_detached
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rehearse.accounts.models import User

IDENTITY_TTL_S = 2.0  # seconds another process may lag a sign-out, revocation, ban or role change
MAX_ENTRIES = 10_000  # credentials; a full cache is simply emptied
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
MAX_VIEWS = 8  # pages kept per credential (the home page, history pages); a full set is emptied
# Pages kept in all (a history page's rows are up to ~40 KB): past this the whole cache is emptied, so
# lapsed entries of credentials not seen since never hold more than this between two writes.
MAX_VIEWS_IN_ALL = 2_000
MISSING = object()  # view(): nothing fresh is remembered
_COLUMNS = tuple(attribute.key for attribute in User.__mapper__.column_attrs)


def credential_key(kind: str, secret: str) -> str:
    """The cache key of a credential: its kind and SHA-256 hash (the secret itself is not kept)."""
    return f"{kind}:{hashlib.sha256(secret.encode()).hexdigest()}"


@dataclass
class _Entry:
    deadline: float  # time.monotonic() after which the entry is not used
    values: dict[str, Any]  # the user's columns
    due: tuple[float, int] | None = None  # (deadline, count) of the navigation bar's due reviews
    latest: dict[int, Any] = field(default_factory=dict)  # question id -> the user's last attempt there (or None)
    views: dict[tuple, Any] = field(default_factory=dict)  # what a page read for this user (immutable), by page


@dataclass
class IdentityCache:
    entries: dict[str, _Entry] = field(default_factory=dict)
    generation: int = 0
    views_kept: int = 0  # pages remembered since the cache was last emptied (an upper bound)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def user(self, key: str, *, now: float | None = None) -> User | None:
        """A fresh copy of the remembered user, or None when unknown or stale."""
        entry = self.entries.get(key)
        if entry is None or entry.deadline <= (time.monotonic() if now is None else now):
            return None
        user = User(**entry.values)
        make_transient_to_detached(user)  # as if loaded and then detached: never inserted again
        return user

    def remember(self, key: str, user: User, *, generation: int, expires_at: datetime | None = None) -> None:
        """Keep a user found by a lookup that began at `generation` (dropped if a write came since)."""
        now = time.monotonic()
        deadline = now + IDENTITY_TTL_S
        if expires_at is not None:  # a session cookie: never past the session's own end
            from rehearse.bank.models import utcnow

            deadline = min(deadline, now + (expires_at - utcnow()).total_seconds())
        values = {name: getattr(user, name) for name in _COLUMNS}
        with self.lock:
            if generation != self.generation or deadline <= now:
                return
            if len(self.entries) >= MAX_ENTRIES:
                self._empty()
            self.entries[key] = _Entry(deadline, values)

    def due_count(self, key: str | None, count: Callable[[], int], *, fresh: bool = False,
                  generation: int | None = None) -> int:
        """The user's due-review count, counted at most once per IDENTITY_TTL_S in this process
        (`fresh`: counted now, for a page that lists the due cards beside their number; `generation`:
        the request's, when its transaction may have begun reading before this count)."""
        entry = self.entries.get(key) if key else None
        now = time.monotonic()
        if not fresh and entry is not None and entry.due is not None and entry.due[0] > now:
            return entry.due[1]
        generation = self.generation if generation is None else generation
        value = count()
        with self.lock:
            if entry is not None and generation == self.generation and self.entries.get(key) is entry:
                entry.due = (min(entry.deadline, now + IDENTITY_TTL_S), value)
        return value

    def remembered(self, key: str) -> tuple[int | None, dict[int, Any]]:
        """What a question page needs beside the user, when fresh: the due count (or None) and last attempts."""
        entry = self.entries.get(key)
        now = time.monotonic()
        if entry is None or entry.deadline <= now:
            return None, {}
        return (entry.due[1] if entry.due is not None and entry.due[0] > now else None), entry.latest

    def remember_latest(self, key: str | None, question_id: int, latest: Any, *, generation: int) -> None:
        """Keep the user's last attempt at a question (read by a lookup that began at `generation`)."""
        entry = self.entries.get(key) if key else None
        with self.lock:
            if entry is not None and generation == self.generation and self.entries.get(key) is entry:
                if len(entry.latest) >= 1000:  # one person's pages; a bound all the same
                    entry.latest.clear()
                entry.latest[question_id] = latest

    def view(self, key: str | None, name: tuple) -> Any:
        """What a page read for this user a moment ago (see remember_view), or MISSING."""
        entry = self.entries.get(key) if key else None
        if entry is None or entry.deadline <= time.monotonic():
            return MISSING
        return entry.views.get(name, MISSING)

    def remember_view(self, key: str | None, name: tuple, value: Any, *, generation: int) -> None:
        """Keep what a page read for this user (immutable: later requests share it), read by a request
        that began at `generation`; it lives as long as the user's entry and goes with the next write."""
        entry = self.entries.get(key) if key else None
        with self.lock:
            if entry is None or generation != self.generation or self.entries.get(key) is not entry:
                return
            if self.views_kept >= MAX_VIEWS_IN_ALL:
                self._empty()
                return
            if len(entry.views) >= MAX_VIEWS:
                entry.views.clear()
            entry.views[name] = value
            self.views_kept += 1

    def forget_all(self) -> None:
        """After a write: nothing remembered before it is used again."""
        with self.lock:
            self.generation += 1
            self._empty()

    def _empty(self) -> None:  # with the lock held
        self.entries.clear()
        self.views_kept = 0


_creating = threading.Lock()


def request_generation(request: Request) -> int:
    """The cache's generation as the request started (ForgetAfterWrites notes it before the app runs):
    an answer read by this request is kept only if no write in this process came since."""
    generation = getattr(request.state, "identity_generation", None)
    return of(request.app).generation if generation is None else generation


def of(app: FastAPI) -> IdentityCache:
    cache = getattr(app.state, "identity_cache", None)
    if cache is None:
        with _creating:
            cache = getattr(app.state, "identity_cache", None)
            if cache is None:
                cache = app.state.identity_cache = IdentityCache()
    return cache


class ForgetAfterWrites:
    """Notes the cache's generation as each request starts, and empties the cache once a request that
    may write has been answered (pure ASGI)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        cache = of(scope["app"])
        # Before the request's transaction can read anything: on SQLite its snapshot starts at its
        # first query, so a generation read later could pass off a snapshot older than a write as newer.
        scope.setdefault("state", {})["identity_generation"] = cache.generation
        if scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return

        async def send_then_forget(message: Message) -> None:
            if message["type"] == "http.response.start":
                cache.forget_all()  # the request's transaction committed before its answer started
            await send(message)

        try:
            await self.app(scope, receive, send_then_forget)
        finally:
            cache.forget_all()
