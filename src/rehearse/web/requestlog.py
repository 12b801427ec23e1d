"""One JSON line per request, with a request id that is also returned as X-Request-ID; and its metrics.

Pure ASGI, so it wraps everything (errors included) and costs a few microseconds. A client
or proxy may send its own X-Request-ID (letters, digits, '-', '_', '.', at most 64); other
requests get a fresh one. The lines go to the `rehearse.access` logger (standard error by
default), e.g.:

    {"ts": "2026-11-26T14:30:00.123Z", "request_id": "3f2a...", "method": "GET",
     "path": "/questions/12", "status": 200, "ms": 4.1, "client": "127.0.0.1"}

A request that scored an answer also says how long that took, as `"scoring_ms"` in its line and
as `Server-Timing: score;dur=<ms>` on its response.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rehearse import metrics

log = logging.getLogger("rehearse.access")
_SANE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class _StandardError(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (test runners swap it between tests)."""

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, _value) -> None:
        pass


def configure_logging() -> None:
    """Send access lines, as they are, to standard error (once, unless logging is set up already)."""
    if not log.handlers:
        handler = _StandardError()
        handler.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(handler)
        log.setLevel(logging.INFO)
        log.propagate = False


class RequestLog:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = ""
        for name, value in scope["headers"]:
            if name == b"x-request-id":
                candidate = value.decode("latin-1")
                request_id = candidate if _SANE_ID.match(candidate) else ""
        request_id = request_id or uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        started, status = time.perf_counter(), 500
        scoring: list[float] = []  # filled by whatever scores an answer for this request
        token = metrics.REQUEST_SCORING.set(scoring)

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                extra = [(b"x-request-id", request_id.encode())]
                if scoring:
                    extra.append((b"server-timing", f"score;dur={1000 * sum(scoring):.1f}".encode()))
                message["headers"] = [*message.get("headers", ()), *extra]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            metrics.REQUEST_SCORING.reset(token)
            elapsed = time.perf_counter() - started
            route = getattr(scope.get("route"), "path", None) or "unmatched"
            metrics.REQUESTS.labels(scope["method"], route, str(status)).inc()
            metrics.LATENCY.labels(scope["method"], route).observe(elapsed)
            if log.isEnabledFor(logging.INFO):
                client = scope.get("client")
                log.info(json.dumps({
                    "ts": datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
                    "request_id": request_id,
                    "method": scope["method"],
                    "path": scope["path"],
                    "status": status,
                    "ms": round(elapsed * 1000, 1),
                    **({"scoring_ms": round(1000 * sum(scoring), 1)} if scoring else {}),
                    "client": client[0] if client else None,
                }))
