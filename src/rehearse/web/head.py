"""HEAD wherever GET answers: the same status and headers, and no body (pure ASGI).

FastAPI's routes answer only the methods they name, so every page said 405 to HEAD, which link
checkers and chat apps unfurling a shared link send first. The request goes on as a GET, so
that nothing (a route, a permission check, a 404) can answer HEAD differently; the body is
dropped on its way out, and Content-Length stays that of the GET, as HTTP asks.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        ended = False

        async def headers_only(message: Message) -> None:
            nonlocal ended
            if message["type"] == "http.response.body":
                if ended or message.get("more_body", False):
                    return  # every part of the body but the end
                ended = True
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        # The same scope, changed back after: the middleware outside logs HEAD, with the route matched.
        scope["method"] = "GET"
        try:
            await self.app(scope, receive, headers_only)
        finally:
            scope["method"] = "HEAD"
