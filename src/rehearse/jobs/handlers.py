"""Which function runs each kind of job.

Built-in kinds are named by import path and imported on first use, so this package does not
import the features (or their heavy libraries) that define them; `register` adds a kind
(tests, extensions) in the process that runs the worker.
"""

from __future__ import annotations

import importlib
import threading
from collections.abc import Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .worker import JobContext

Handler = Callable[["JobContext"], dict[str, Any] | None]

BUILTIN: dict[str, str] = {
    "transcribe": "rehearse.practice.transcriptions:run_job",
    "score": "rehearse.practice.queued_scoring:run_job",
    "community-rescore": "rehearse.community.rescoring:run_job",
}

# Kinds a web request is waiting on: claimed before older background work (a queue of
# recordings must not keep an answer's feedback waiting for minutes).
URGENT: tuple[str, ...] = ("score",)

# Shorter leases than a worker's own (60 s) for kinds whose waiter gives up sooner: a worker that
# dies while scoring has its job taken again within the request's REHEARSE_SCORING_TIMEOUT (30 s).
# Scoring takes at most ~5 s of CPU, so a third of 15 s between renewals is still ample.
LEASES: dict[str, timedelta] = {"score": timedelta(seconds=15)}


def lease_for(kind: str, default: timedelta) -> timedelta:
    """How long a claim of `kind` holds without renewal: the kind's own lease when shorter."""
    own = LEASES.get(kind)
    return min(own, default) if own is not None else default

_registered: dict[str, Handler] = {}
_lock = threading.Lock()


class UnknownKind(LookupError):
    """No handler for this kind of job in this process."""


def register(kind: str, handler: Handler) -> None:
    """Run jobs of `kind` with `handler` in this process (replacing any earlier one)."""
    with _lock:
        _registered[kind] = handler


def resolve(kind: str) -> Handler:
    """The handler for `kind`; raises UnknownKind."""
    with _lock:
        handler = _registered.get(kind)
    if handler is not None:
        return handler
    path = BUILTIN.get(kind)
    if path is None:
        raise UnknownKind(f"No worker here knows jobs of kind {kind!r}.")
    module, _, name = path.partition(":")
    handler = getattr(importlib.import_module(module), name)
    register(kind, handler)
    return handler
