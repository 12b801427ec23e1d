"""Answer a retried write once: the first request with a key does the work, later ones get its answer.

A client that timed out waiting for a save cannot know whether it was stored; sending the
same `Idempotency-Key` again gets the stored answer instead of a second attempt. The key is
claimed in the same transaction as the write it guards, so the write and the remembered
answer are committed together or not at all; two requests racing with one key are ordered by
the primary key (PostgreSQL makes the second wait for the first and then fail its insert,
SQLite's write lock serialises them), and the loser answers with the winner's response.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from .models import IdempotentRequest

KEEP = timedelta(hours=24)  # how long an answer can be replayed: longer than any client retries
MAX_KEY = 200


class KeyMisused(ValueError):
    """The key is malformed, or was used before for a different request (HTTP 422)."""


@dataclass(frozen=True)
class Replay:
    status: int
    response: dict[str, Any]


def check_key(key: str) -> str:
    key = key.strip()
    if not key or len(key) > MAX_KEY or not key.isprintable() or not key.isascii():
        raise KeyMisused(f"Idempotency-Key must be 1 to {MAX_KEY} printable ASCII characters (a UUID is ideal).")
    return key


def fingerprint(method: str, path: str, body: Any) -> str:
    """What makes two requests 'the same': method, path and body (keys sorted)."""
    text = json.dumps([method.upper(), path, body], sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def _replay(row: IdempotentRequest, print_: str) -> Replay:
    if row.fingerprint != print_:
        raise KeyMisused("This Idempotency-Key was already used for a different request; use a new key.")
    return Replay(row.status, row.response)


def find(session: Session, *, user_id: int, key: str, print_: str) -> Replay | None:
    """The stored answer for this user's key, if the request was answered before."""
    row = session.get(IdempotentRequest, (user_id, key))
    return _replay(row, print_) if row is not None and row.status else None


def claim(session: Session, *, user_id: int, key: str, print_: str, now: datetime) -> Replay | IdempotentRequest:
    """Claim the key for this request (in the caller's writing transaction).

    Returns the claimed row, to be completed with `complete` once the write is done, or the
    Replay of whichever request claimed the key first.
    """
    session.execute(delete(IdempotentRequest).where(IdempotentRequest.created_at < now - KEEP))
    existing = session.get(IdempotentRequest, (user_id, key))
    if existing is not None:
        return _replay(existing, print_)
    row = IdempotentRequest(user_id=user_id, key=key, fingerprint=print_, status=0, response={}, created_at=now)
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:  # a concurrent request with the same key committed first
        winner = session.scalars(
            select(IdempotentRequest).where(IdempotentRequest.user_id == user_id, IdempotentRequest.key == key)
            .execution_options(populate_existing=True)
        ).one()
        return _replay(winner, print_)
    return row


FORM_KEY = 64  # a page form's one-time key is a UUID (32 hex digits); the form's name goes before it


def claim_form(session: Session, *, user_id: int, form: str, form_key: str, now: datetime
               ) -> Replay | IdempotentRequest | None:
    """Claim a page form's one-time key (made with the page), so that the same page sent twice (a double
    click, a reload) gets the first submit's answer instead of doing the work again.

    None when the form sent no key (a page made before forms had one); KeyMisused for a malformed key.
    A claimed key whose work is refused must be deleted (`session.delete`), so the form can be sent again."""
    if not form_key:
        return None
    if len(form_key) > FORM_KEY:
        raise KeyMisused(f"The form's key is at most {FORM_KEY} characters; reload the page and send it again.")
    key = f"{form}:{check_key(form_key)}"
    return claim(session, user_id=user_id, key=key, print_=fingerprint("POST", form, {}), now=now)


def complete(row: IdempotentRequest, *, status: int, response: dict[str, Any]) -> None:
    """Remember the answer, committed with the write it describes."""
    row.status, row.response = status, response
