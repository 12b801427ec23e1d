"""Security headers on every response (pure ASGI, so it costs almost nothing per request)."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

# Pages load only this site's own scripts and styles: an answer that somehow reached the
# page as markup still could not run a script. Recordings play from blob: URLs.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
    "media-src 'self' blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
COMMON = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]
PAGE = [
    *COMMON,
    (b"content-security-policy", CSP.encode()),
    (b"permissions-policy", b"microphone=(self), camera=(), geolocation=()"),
]
DOCS = ("/docs", "/redoc")  # FastAPI's interactive docs load Swagger UI from a CDN


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = COMMON if scope["path"].startswith(DOCS) else PAGE

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", ()), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)
