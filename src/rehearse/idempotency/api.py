"""The Idempotency-Key header for a JSON API write that creates something, as POST /api/attempts honours it.

The first request with a key does the work and answers 201; the same key and body again (a retry after a
timeout, or the same request sent 8 times at once) answers 200 with the first body and
`Idempotent-Replayed: true`, storing nothing more; the same key with another body is a 422. A route checks
`replayed` before any costly work (scoring), then `claim`s the key in its writing transaction just before
it writes, so the key and the write commit together or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy.orm import Session

from rehearse.bank.models import utcnow

from . import service
from .models import IdempotentRequest

REPLAYED_HEADER = "Idempotent-Replayed"


def replayed(replay: service.Replay) -> JSONResponse:
    return JSONResponse(replay.response, status_code=replay.status, headers={REPLAYED_HEADER: "true"})


@dataclass
class Once:
    """One write guarded by the caller's Idempotency-Key (or by nothing, when none was sent)."""

    user_id: int
    key: str | None = None
    print_: str | None = None
    row: IdempotentRequest | None = None

    @classmethod
    def of(cls, user_id: int, header: str | None, path: str, body: BaseModel | dict[str, Any]) -> Once:
        """The request's key and fingerprint; 422 for a key that is not 1-200 printable ASCII characters."""
        if header is None:
            return cls(user_id)
        try:
            key = service.check_key(header)
        except service.KeyMisused as misused:
            raise HTTPException(422, str(misused)) from None
        data = body.model_dump(mode="json") if isinstance(body, BaseModel) else body
        return cls(user_id, key, service.fingerprint("POST", path, data))

    def replayed(self, session: Session) -> JSONResponse | None:
        """The first answer, when this request was answered before (a read: no write lock is taken)."""
        if self.key is None:
            return None
        try:
            replay = service.find(session, user_id=self.user_id, key=self.key, print_=self.print_)
        except service.KeyMisused as misused:
            raise HTTPException(422, str(misused)) from None
        return replayed(replay) if replay is not None else None

    def claim(self, session: Session) -> JSONResponse | None:
        """Claim the key in the writing transaction; the first answer instead when another request has it
        (one racing with this one waits for it to commit, then gets its answer)."""
        if self.key is None:
            return None
        try:
            claimed = service.claim(session, user_id=self.user_id, key=self.key, print_=self.print_, now=utcnow())
        except service.KeyMisused as misused:
            raise HTTPException(422, str(misused)) from None
        if isinstance(claimed, service.Replay):
            return replayed(claimed)
        self.row = claimed
        return None

    def created(self, answer: BaseModel) -> JSONResponse:
        """Answer 201 with what was made, remembered for a retry (which answers 200: nothing new is made)."""
        body = answer.model_dump(mode="json")
        if self.row is not None:
            service.complete(self.row, status=200, response=body)
        return JSONResponse(body, status_code=201)
