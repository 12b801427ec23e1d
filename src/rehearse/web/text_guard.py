"""Refuse NUL characters and unpaired surrogates at the edge, with a 400 that says so.

Neither can be stored (PostgreSQL rejects NUL in text; a lone surrogate cannot be encoded
as UTF-8 for either database), and neither belongs in an answer, a name or a search. Pure
ASGI: the URL is checked on every request; JSON and form bodies (already bounded by
BodyLimit) are read, checked and handed on unchanged, or refused from receive() as BodyLimit
does, so the app's own error pages answer. Multipart uploads (recordings) are
passed through: their text fields are checked where they are used, and the database layer
refuses anything unstorable that slips past (db.engine.UnstorableValue).
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

MESSAGE = (
    "The request contains a NUL character or an unpaired surrogate (\\u0000, \\ud800 ...); "
    "send plain UTF-8 text."
)
# A JSON escape that could decode to NUL or to a surrogate; only then is the body parsed.
_SUSPECT_ESCAPE = re.compile(rb"\\u(?:0000|[dD][89a-fA-F][0-9a-fA-F]{2})")
_SURROGATE = re.compile("[\ud800-\udfff]")


def lf_newlines(text: str) -> str:
    """Every line break as one LF: a browser sends a textarea's breaks as CRLF, so each counted twice
    against an answer's length limit while the page (and the stored answer's reader) counts one."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def bad_text(value: str) -> bool:
    """Whether a string holds NUL or a lone surrogate (a valid pair decodes to one character)."""
    return "\x00" in value or (not value.isascii() and _SURROGATE.search(value) is not None)


def _walk(value: Any) -> bool:
    if isinstance(value, str):
        return bad_text(value)
    if isinstance(value, dict):
        return any(bad_text(k) or _walk(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_walk(v) for v in value)
    return False


def body_is_bad(kind: str, body: bytes) -> bool:
    if kind.startswith("application/x-www-form-urlencoded"):
        return b"%00" in body.lower() or b"\x00" in body
    if _SUSPECT_ESCAPE.search(body) is None:
        return False
    try:
        return _walk(json.loads(body))
    except (ValueError, RecursionError):
        return False  # not JSON: the route's own parsing answers 400


class DuplicateKey(ValueError):
    """A JSON object with a key given twice: parsers differ on which one counts (Python's, the last)."""

    def __init__(self, key: str) -> None:
        self.key = key
        super().__init__(f"duplicate key {key!r}")


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for key, value in pairs:
        if key in record:
            raise DuplicateKey(key)
        record[key] = value
    return record


def duplicate_key(body: bytes) -> str | None:
    """The first key a JSON body gives twice in one object, else None (also for a body that is not JSON:
    the route's own parsing answers that)."""
    try:
        json.loads(body, object_pairs_hook=_unique_keys)
    except DuplicateKey as twice:
        return twice.key
    except (ValueError, RecursionError):
        return None
    return None


class TextGuard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if "\x00" in scope["path"] or b"%00" in scope.get("query_string", b"").lower():
            await _refuse(scope, send)
            return
        kind = ""
        for name, value in scope["headers"]:
            if name == b"content-type":
                kind = value.decode("latin-1").lower()
        if scope["method"] in ("GET", "HEAD", "OPTIONS") or not (
            "json" in kind or kind.startswith("application/x-www-form-urlencoded")
        ):
            await self.app(scope, receive, send)
            return
        messages: list[Message] = []
        body = bytearray()
        refusal: HTTPException | None = None
        while True:
            try:
                message = await receive()
            except HTTPException as too_large:  # BodyLimit refuses from receive()
                refusal = too_large
                break
            messages.append(message)
            if message["type"] != "http.request":
                break
            body += message.get("body", b"")
            if not message.get("more_body", False):
                break
        if refusal is None and body_is_bad(kind, bytes(body)):
            refusal = HTTPException(400, MESSAGE)
        if refusal is None and "json" in kind and body and (key := duplicate_key(bytes(body))) is not None:
            # {"value": 1, "value": -1} was a down-vote here, and may be an up-vote to a proxy that reads it
            refusal = HTTPException(422, f"The request body gives the key {key!r} twice (duplicate key {key!r}); "
                                         "send each key once.")

        async def replay() -> Message:
            # A refusal is raised where the app reads the body, inside its error handlers, so a
            # page gets the site's own error page (with who is signed in) and the API its JSON.
            if refusal is not None:
                raise refusal
            return messages.pop(0) if messages else await receive()

        await self.app(scope, replay, send)


async def _refuse(scope: Scope, send: Send, status: int = 400, message: str = MESSAGE) -> None:
    if scope["path"].startswith("/api/"):
        body, kind = json.dumps({"detail": message}).encode(), b"application/json"
    else:
        body = (
            "<!doctype html><html lang=en><title>Not understood</title><main><h1>That request was not "
            f"understood</h1><p>{html.escape(message)}</p></main></html>"
        ).encode()
        kind = b"text/html; charset=utf-8"
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
