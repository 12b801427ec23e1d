"""The feedback engine's rubric vectors, kept in the database so that a new process scores at once.

Preparing a question's rubric — its talking points as passages and as e5 queries, its example
answer's sentences — costs the model about half a second a question: a cold `rehearse feedback
--batch` spent half its time there, and a restarted server paid it again on each question's first
answer. The vectors are stored in `question_vectors` (as prep plans store theirs) under the
model's `vectors_version` (the model's, not the engine's scoring version: a new calibration
re-encodes nothing) with a "rubric passage" or "rubric query" label, read back in one query by
each new process and handed to the backend. Only rubric text is stored, never an answer; only
for semantic backends (the lexical fallback is faster to recompute than to read).
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import weakref
from collections.abc import Iterable

import numpy as np
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from rehearse import feedback
from rehearse.bank.models import Question
from rehearse.plans import vectors as stored_vectors

from .scoring import PreparedQuestion, prepare_many

KINDS = {"passage": " · rubric passage", "query": " · rubric query"}
WRITE_CHUNK = 500  # rows per INSERT, well under SQLite's limit on bound parameters

log = logging.getLogger(__name__)

_loaded: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # backend -> databases read into it
_lock = threading.Lock()


def _label(backend, kind: str) -> str:
    return backend.vectors_version + KINDS[kind]


def load(database, backend) -> int:
    """Hand the backend every stored rubric vector of its model (once per backend and database);
    returns how many were read."""
    if not stored_vectors.stored(backend):
        return 0
    with _lock:
        done = _loaded.setdefault(backend, set())
        if str(database.url) in done:
            return 0
        done.add(str(database.url))
    with database.transaction() as session:
        found = {kind: stored_vectors.read_all(session, model=_label(backend, kind)) for kind in KINDS}
    feedback.remember(backend, found)
    return sum(len(v) for v in found.values())


def _vectors_of(questions: Iterable[PreparedQuestion], backend) -> dict[str, dict[str, np.ndarray]]:
    found: dict[str, dict[str, np.ndarray]] = {kind: {} for kind in KINDS}
    for prepared in questions:
        for kind, items in feedback.rubric_vectors(prepared.question, backend, prepared.lexicon).items():
            found[kind].update(items)
    return found


def _keep(database, backend, found: dict[str, dict[str, np.ndarray]], *, prune: bool = False) -> int:
    """Write the vectors of `found` not stored yet (read first: a write transaction, SQLite's write
    lock, is taken only when there is something to write); with `prune`, also delete this model's
    vectors of rubrics not in `found`, and every older model's. Returns how many were written."""
    new: dict[str, dict[str, np.ndarray]] = {}
    gone: dict[str, set[str]] = {}
    stale: list[str] = []
    with database.transaction() as session:
        for kind, items in found.items():
            label = _label(backend, kind)
            have = stored_vectors.hashes(session, model=label)
            new[kind] = {h: v for h, v in items.items() if h not in have}
            gone[kind] = have - items.keys() if prune else set()
            if prune:
                stale += stored_vectors.other_models(session, suffix=KINDS[kind], model=label)
    if not any(new.values()) and not any(gone.values()) and not stale:
        return 0
    with database.transaction(writes=True) as session:
        for kind, items in new.items():
            label = _label(backend, kind)
            rows = list(items.items())
            for start in range(0, len(rows), WRITE_CHUNK):
                stored_vectors.write(session, model=label, vectors=dict(rows[start:start + WRITE_CHUNK]))
            stored_vectors.prune(session, model=label, gone=gone[kind])
        stored_vectors.drop_models(session, stale)
    return sum(len(items) for items in new.values())


def store(database, backend, questions: Iterable[PreparedQuestion]) -> int:
    """Keep these questions' rubric vectors that are not stored yet (encoding any the backend has
    not computed); returns how many were written."""
    if not stored_vectors.stored(backend):
        return 0
    try:
        return _keep(database, backend, _vectors_of(questions, backend))
    except SQLAlchemyError:  # an optimisation: the report is made, the next process encodes again
        log.warning("feedback: could not store rubric vectors", exc_info=True)
        return 0


def warm(database, backend) -> int:
    """Store the rubric vectors of every question in the database, and forget those of rubrics no
    question has any more (edited or deleted) and of older models; returns how many were written.
    Stored vectors are read first, so a warm process encodes only what is new."""
    if not stored_vectors.stored(backend):
        return 0
    load(database, backend)
    with database.transaction() as session:
        questions = prepare_many(session, session.scalars(select(Question).order_by(Question.id)).all())
    return _keep(database, backend, _vectors_of(questions, backend), prune=True)


def warm_in_background(database, *, backend: str) -> threading.Thread:
    """Load the feedback model, then `warm`, in a daemon thread: a new process's first answers are
    not kept waiting for the model, and after the first start no rubric is encoded twice."""

    def run() -> None:
        _yield_to_requests()
        try:
            loaded = feedback.load_backend(backend)
        except Exception:  # noqa: BLE001 - scoring will report the problem when it is asked to score
            log.exception("could not load the feedback backend %r ahead of time", backend)
            return
        try:
            written = warm(database, loaded)
            if written:
                log.info("feedback: %d rubric vectors encoded and stored", written)
        except Exception:  # noqa: BLE001 - an optimisation: scoring encodes what it needs without it
            log.exception("feedback: could not store the rubric vectors ahead of time")

    thread = threading.Thread(target=run, daemon=True, name="rehearse-warm-feedback")
    thread.start()
    return thread


WARM_NICENESS = 10  # below requests: a first start's warm must not slow the answers being scored


def _yield_to_requests() -> None:
    """Lower this thread's CPU priority (Linux schedules threads one by one; elsewhere a no-op)."""
    with contextlib.suppress(AttributeError, OSError):
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), WARM_NICENESS)
