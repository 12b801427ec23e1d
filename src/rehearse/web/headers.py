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
DOCS = ("/docs", "/redoc")
# Anything answered to a signed-in browser or a token holder may be private (history, settings,
# attempts, the page that shows who is signed in): no browser or proxy cache may keep it.
NO_STORE = (b"cache-control", b"no-store")
PUBLIC_FILES = ("/static/", "/docs/assets/")  # the same for everyone: browsers may keep them


def _has_credentials(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if name == b"authorization" or (name == b"cookie" and b"rehearse_session=" in value):
            return True
    return False  # FastAPI's interactive docs load Swagger UI from a CDN


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        extra = COMMON if scope["path"].startswith(DOCS) else PAGE
        private = _has_credentials(scope) and not scope["path"].startswith(PUBLIC_FILES)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [*message.get("headers", ()), *extra]
                if private and not any(name.lower() == b"cache-control" for name, _ in headers):
                    headers.append(NO_STORE)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
