"""The ceiling for web_speed.py: a bare Starlette endpoint that returns a fixed string.

Served by the same uvicorn settings as `rehearse serve`, so the difference between the
two is what Rehearse's own work costs (routing, database, templates), not the server.
Run: uvicorn benchmarks.web_ceiling:app
"""

from starlette.applications import Starlette
from starlette.responses import PlainTextResponse
from starlette.routing import Route

BODY = "ok"


async def fixed(_request) -> PlainTextResponse:
    return PlainTextResponse(BODY)


app = Starlette(routes=[Route("/", fixed)])
