"""A short-lived, per-process cache of what the question and practice pages show of a question.

The question page is the most visited page; with this cache an anonymous view costs no
database query at all, and the page itself is kept, rendered, for anonymous visitors.
Entries live QUESTION_TTL_S seconds, so an edit made through another process shows
within that time; an edit through this process can call forget().
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

from fastapi import FastAPI
from sqlalchemy.orm import Session

from rehearse.bank import service as bank

QUESTION_TTL_S = 5.0  # seconds a cached question may lag an edit made by another process
MAX_CACHED = 5000  # questions; a full cache is simply emptied (banks are read far more than edited)


@dataclass(frozen=True)
class QuestionView:
    id: int
    slug: str
    text: str
    kind: str
    intent: str | None
    talking_points: tuple[str, ...]
    competencies: tuple[str, ...]
    role_id: int
    role_slug: str
    role_name: str
    bank_name: str
    example_answer: str | None


class _Cache:
    def __init__(self) -> None:
        self.entries: dict[int, tuple[float, QuestionView | None]] = {}
        self.pages: dict[tuple, tuple[float, bytes]] = {}  # pages rendered for anonymous visitors
        self.roles: tuple[float, list[bank.RoleCard]] | None = None  # the home page's list of roles
        self.lock = threading.Lock()


_creating = threading.Lock()


def _cache(app: FastAPI) -> _Cache:
    cache = getattr(app.state, "question_cache", None)
    if cache is None:
        with _creating:  # two first requests at once must not each make (and half-fill) a cache
            cache = getattr(app.state, "question_cache", None)
            if cache is None:
                cache = app.state.question_cache = _Cache()
    return cache


def load(session: Session, question_id: int) -> QuestionView | None:
    """Read one question for display, straight from the database."""
    try:
        question = bank.get_question(session, question_id)
    except bank.QuestionNotFound:
        return None
    if question.id != question_id:  # get_question also matches slugs and text; pages want ids only
        return None
    return QuestionView(
        id=question.id,
        slug=question.slug,
        text=question.text,
        kind=question.kind,
        intent=question.intent,
        talking_points=tuple(question.talking_points),
        competencies=tuple(question.competency_names),
        role_id=question.role.id,
        role_slug=question.role.slug,
        role_name=question.role.name,
        bank_name=question.role.bank.name,
        example_answer=bank.current_example_answer(session, question.id),
    )


def get(app: FastAPI, session: Session, question_id: int) -> QuestionView | None:
    """The question, from the cache when it is fresh."""
    cache = _cache(app)
    now = time.monotonic()
    entry = cache.entries.get(question_id)
    if entry is not None and entry[0] > now:
        return entry[1]
    view = load(session, question_id)
    with cache.lock:
        if len(cache.entries) >= MAX_CACHED:
            cache.entries.clear()
        cache.entries[question_id] = (now + QUESTION_TTL_S, view)
    return view


def peek(app: FastAPI, question_id: int) -> tuple[bool, QuestionView | None]:
    """(True, the question or None when there is none) if the cache holds it fresh; else (False, None)."""
    entry = _cache(app).entries.get(question_id)
    if entry is not None and entry[0] > time.monotonic():
        return True, entry[1]
    return False, None


def cached_page(app: FastAPI, key: tuple) -> bytes | None:
    """A page rendered for anonymous visitors in the last QUESTION_TTL_S seconds, if any."""
    entry = _cache(app).pages.get(key)
    return entry[1] if entry is not None and entry[0] > time.monotonic() else None


def store_page(app: FastAPI, key: tuple, body: bytes) -> None:
    """Keep a page that holds nothing personal (no user, no CSRF token) for anonymous visitors."""
    cache = _cache(app)
    with cache.lock:
        if len(cache.pages) >= MAX_CACHED:
            cache.pages.clear()
        cache.pages[key] = (time.monotonic() + QUESTION_TTL_S, body)


def role_cards(app: FastAPI, session: Session) -> list[bank.RoleCard]:
    """Every role with its question count, from the cache when it is fresh (the same for everyone)."""
    cache = _cache(app)
    now = time.monotonic()
    entry = cache.roles
    if entry is not None and entry[0] > now:
        return entry[1]
    cards = bank.role_cards(session)
    cache.roles = (now + QUESTION_TTL_S, cards)
    return cards


def peek_roles(app: FastAPI) -> list[bank.RoleCard] | None:
    """The role cards if the cache holds them fresh, else None (no database)."""
    entry = _cache(app).roles
    return entry[1] if entry is not None and entry[0] > time.monotonic() else None


def forget(app: FastAPI, question_id: int | None = None) -> None:
    """Drop one question (or all) from this process's cache after an edit; counts of roles too."""
    cache = _cache(app)
    cache.roles = None  # an accepted new question changes its role's count
    with cache.lock:
        if question_id is None:
            cache.entries.clear()
            cache.pages.clear()
        else:
            cache.entries.pop(question_id, None)
            for key in [k for k in cache.pages if k[0] == question_id]:
                del cache.pages[key]
