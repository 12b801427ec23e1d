"""The OpenAPI description says what the API really answers: every error body and status code.

Errors are `{"detail": "<sentence>"}` (validation errors add an `errors` list), whatever the
status. FastAPI's generated schema documents only 200 and a 422 of another shape; this adds
the error statuses any operation can answer (bad JSON or text, sign-in needed, not allowed,
not found, too large, invalid, too many requests, database busy), all with that one body.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

ERROR_BODY = {
    "title": "ErrorBody",
    "type": "object",
    "required": ["detail"],
    "properties": {
        "detail": {"type": "string", "description": "What was wrong, in one sentence."},
        "errors": {
            "type": "array",
            "description": "Validation errors only: each field that was wrong.",
            "items": {
                "type": "object",
                "required": ["loc", "msg", "type"],
                "properties": {
                    "loc": {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
                    "msg": {"type": "string"},
                    "type": {"type": "string"},
                },
            },
        },
    },
}
REF = {"$ref": "#/components/schemas/ErrorBody"}
COMMON = {
    "400": "The body is not valid JSON, or holds a NUL character or an unpaired surrogate",
    "401": "Sign in (session cookie) or send an API token",
    "403": "Not allowed for this account, or a missing CSRF token with a session cookie",
    "404": "Nothing at this address (or it is another user's)",
    "409": "Conflicts with the current state",
    "413": "The body is larger than the limit",
    "422": "A field is missing or invalid",
    "429": "Too many requests; see Retry-After",
    "503": "The database is busy or unreachable; see Retry-After",
}

# Answers whose body is the route's own model rather than ErrorBody: the probes say which part is down.
OWN_BODIES = {("/healthz", "503"), ("/readyz", "503")}


def install(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        schemas = schema.setdefault("components", {}).setdefault("schemas", {})
        schemas["ErrorBody"] = ERROR_BODY
        for name in ("HTTPValidationError", "ValidationError"):
            schemas.pop(name, None)
        for path, operations in schema.get("paths", {}).items():
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, description in COMMON.items():
                    entry = responses.setdefault(status, {"description": description})
                    if (path, status) in OWN_BODIES:
                        continue  # documented by the route itself
                    entry["content"] = {"application/json": {"schema": REF}}
        app.openapi_schema = schema
        return schema

    app.openapi = openapi
