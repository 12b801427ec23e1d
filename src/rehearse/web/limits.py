"""Refuse oversized request bodies before anything reads them (pure ASGI, so it costs little)."""

from __future__ import annotations

import json

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rehearse.userdata.service import MAX_DOCUMENT_BYTES

# Forms and JSON: a 20,000-character answer is ~80 KB even fully escaped; 1 MiB leaves room
# for a 100,000-character answer to arrive and be refused with a clear message.
MAX_BODY = 1024 * 1024
# Audio uploads: the speech library's own limit (64 MiB) plus multipart framing.
MAX_AUDIO_BODY = 65 * 1024 * 1024
AUDIO_PATHS = ("/api/transcriptions", "/recording")
# Your data, imported: the import's own limit (50 MiB) plus multipart framing. A few weeks of daily
# practice is past 1 MiB (an export holds about 5 KB an answer), a year about 5 MB.
MAX_DOCUMENT_BODY = MAX_DOCUMENT_BYTES + 64 * 1024
DOCUMENT_PATHS = ("/account/data", "/api/me/data")


class BodyTooLarge(HTTPException):
    """Raised from receive(); FastAPI and Starlette pass HTTPExceptions to the error handlers."""

    def __init__(self, limit: int, path: str) -> None:
        super().__init__(413, _message(limit, path))


def limit_of(path: str) -> int:
    """The most bytes a request to this path may send."""
    if path in DOCUMENT_PATHS:
        return MAX_DOCUMENT_BODY
    return MAX_AUDIO_BODY if path.endswith(AUDIO_PATHS) else MAX_BODY


def _message(limit: int, path: str) -> str:
    """What to do about it, in the words of the route: an export to load, a recording, an answer."""
    if path in DOCUMENT_PATHS:
        return (f"The file is larger than {MAX_DOCUMENT_BYTES // 2**20} MB, the most an import takes (a year of "
                "daily practice is about 5 MB); send the file that “Download your data” made.")
    if path.endswith(AUDIO_PATHS):
        return f"The recording is larger than {limit // 2**20} MB; record a shorter answer and send it again."
    return f"The request body is larger than {limit // 1024:,} KiB, the most this address takes; send less."


class BodyLimit:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        limit = limit_of(path)
        for name, value in scope["headers"]:
            if name == b"content-length":
                try:
                    too_big = int(value) > limit
                except ValueError:
                    too_big = False
                if too_big:
                    await _refuse(scope, send, limit)
                    return
        received = 0

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit, path)
            return message

        await self.app(scope, counting_receive, send)


async def _refuse(scope: Scope, send: Send, limit: int) -> None:
    message = _message(limit, scope["path"])
    if scope["path"].startswith("/api/"):
        body, kind = json.dumps({"detail": message}).encode(), b"application/json"
    else:
        body = (
            f"<!doctype html><html lang=en><title>Too large</title><main><h1>Too large</h1>"
            f"<p>{message}</p></main></html>"
        ).encode()
        kind = b"text/html; charset=utf-8"
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})


class AnonymousWork:
    """How much CPU-heavy work (scoring, transcribing) each address may ask for without an account.

    Counted in this process's memory with the `limits` library's moving window (thread-safe):
    CPU is spent per process and per machine, so a per-process count is the one that matters,
    and it costs no database write per anonymous request. Signed-in users are not counted here.
    """

    def __init__(self, per_minute: int) -> None:
        from limits import RateLimitItemPerMinute, storage, strategies

        self._limiter = strategies.MovingWindowRateLimiter(storage.MemoryStorage())
        self._item = RateLimitItemPerMinute(per_minute)

    def retry_after(self, address: str) -> int | None:
        """Count one piece of work for `address`: None when it may go ahead, else seconds to wait."""
        import math
        import time

        if self._limiter.hit(self._item, address):
            return None
        reset = self._limiter.get_window_stats(self._item, address).reset_time
        return max(1, math.ceil(reset - time.time()))


def refuse_anonymous_overuse(request) -> None:
    """Raise 429 when this anonymous address has asked for too much scoring lately."""
    from fastapi import HTTPException

    from rehearse.web.security import client_address

    wait = request.app.state.anonymous_work.retry_after(client_address(request))
    if wait is not None:
        raise HTTPException(
            429,
            f"Too many answers scored from your network without an account; try again in {wait} "
            "seconds, or sign in (signed-in practice is not limited this way).",
            headers={"Retry-After": str(wait)},
        )
