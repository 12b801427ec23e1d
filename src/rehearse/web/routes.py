"""Every route the app serves, however its routers were included (FastAPI nests them)."""

from __future__ import annotations

from collections.abc import Iterator

from fastapi import FastAPI
from fastapi.routing import APIRoute


def api_routes(app: FastAPI) -> Iterator[tuple[str, APIRoute]]:
    """(full path, route) for every endpoint, pages and API alike."""

    def walk(routes, prefix: str) -> Iterator[tuple[str, APIRoute]]:
        for route in routes:
            if isinstance(route, APIRoute):
                yield prefix + route.path, route
            elif hasattr(route, "original_router"):
                context = getattr(route, "include_context", None)
                yield from walk(route.original_router.routes, prefix + (getattr(context, "prefix", "") or ""))

    yield from walk(app.routes, "")


def endpoints(app: FastAPI) -> set[tuple[str, str]]:
    """(method, path) of every endpoint (HEAD left out: it follows GET)."""
    return {(method, path) for path, route in api_routes(app) for method in route.methods - {"HEAD"}}
