"""The OpenAPI description says what the API really answers: every error body and status code.

Operations that need an account say so with `security`: the API token, sent as
`Authorization: Bearer <token>` (the `bearerToken` scheme, so /docs offers Authorize and generated
clients know where the token goes). Public API operations accept it too, optionally: signed in,
an answer is kept in your history.

Errors are `{"detail": "<sentence>"}` (validation errors add an `errors` list), whatever the
status. FastAPI's generated schema documents only 200 and a 422 of another shape; this adds
the error statuses any operation can answer (bad JSON or text, sign-in needed, not allowed,
not found, too large, invalid, too many requests, database busy), all with that one body.

Response headers are documented where they are sent: `X-Request-ID` on every answer (the request log's
middleware adds it, errors included), `Retry-After` on every 429 and 503 (but the probes' and a
server without speech's), and `Idempotent-Replayed: true` on the 200 of an operation that takes an
`Idempotency-Key` header, whose 422 says what a reused key is.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

from rehearse.web import access

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
    "415": "The body was not sent as JSON: send it with Content-Type: application/json",
    "422": "A field is missing, invalid or unknown, or a JSON key is given twice",
    "429": "Too many requests; see Retry-After",
    "503": "The database is busy or unreachable; see Retry-After",
}

BEARER = "bearerToken"
SECURITY_SCHEMES = {
    BEARER: {
        "type": "http",
        "scheme": "bearer",
        "description": "An API token: create one on the settings page (/settings) or with POST /api/auth/token, "
                       "and send it as `Authorization: Bearer <token>`. Revoke it there or with "
                       "DELETE /api/tokens/{token_id}.",
    },
}
NEEDS_TOKEN = [{BEARER: []}]
TOKEN_OPTIONAL = [{}, {BEARER: []}]  # an empty requirement: anonymous callers are welcome too
GETS_A_TOKEN = {("POST", "/api/users"), ("POST", "/api/auth/token")}  # e-mail and password, no token yet


def security_for(method: str, path: str) -> list[dict[str, list]] | None:
    """The operation's security requirement from the one access list; None for the probes and docs."""
    route = access.find(method.upper(), path)
    if route is None or not path.startswith("/api/"):
        return None
    if (route.method, path) in GETS_A_TOKEN:
        return []
    return TOKEN_OPTIONAL if route.access is access.PUBLIC else NEEDS_TOKEN


# Answers whose body is the route's own model rather than ErrorBody: the probes say which part is down.
OWN_BODIES = {("/healthz", "503"), ("/readyz", "503")}

REQUEST_ID = {"X-Request-ID": {
    "description": "This request's id, as in the server's log line: the client's own X-Request-ID when it sent a "
                   "sane one (letters, digits, '-', '_', '.', at most 64), else a fresh one. Quote it when reporting "
                   "a problem.",
    "required": True, "schema": {"type": "string", "pattern": "^[A-Za-z0-9._-]{1,64}$"}}}
RETRY_AFTER = {"description": "Seconds to wait before sending the request again.",
               "required": True, "schema": {"type": "integer", "minimum": 1}}
SLOW_DOWN = ("429", "503")
# 503s sent without Retry-After: the probes say what is down (no retry makes it come back sooner), and an
# upload to a server that cannot transcribe is refused for good (its queue being full has Retry-After).
NO_RETRY_AFTER = {("get", "/healthz", "503"), ("get", "/readyz", "503")}
SOMETIMES_RETRY_AFTER = {("post", "/api/transcriptions", "503"):
                         "Seconds to wait before sending it again; absent when this server cannot transcribe at all."}
IDEMPOTENCY_HEADER = "Idempotency-Key"
REPLAYED = {"Idempotent-Replayed": {
    "description": "`true`: a retry with an Idempotency-Key already answered; this is the first answer again and "
                   "nothing new was stored.",
    "required": True, "schema": {"type": "string", "enum": ["true"]}}}
REUSED_KEY = ("; or the Idempotency-Key is not 1 to 200 printable ASCII characters, or was used (by you, in the last "
              "24 hours) for a request with another method, address or body: use a new key for a new request")


def takes_idempotency_key(operation: dict[str, Any]) -> bool:
    return any(parameter.get("in") == "header" and parameter.get("name") == IDEMPOTENCY_HEADER
               for parameter in operation.get("parameters", ()))


def document_headers(method: str, path: str, operation: dict[str, Any]) -> None:
    """The response headers the app really sends (the test checks them against real answers)."""
    responses = operation["responses"]
    if takes_idempotency_key(operation):
        created = responses.get("201")
        replay = responses.setdefault("200", {"description": "A retry with the same Idempotency-Key and body: the "
                                                             "first answer again; nothing new was stored."})
        if created and "content" in created and "content" not in replay:
            replay["content"] = created["content"]
        replay.setdefault("headers", {}).update(REPLAYED)
        responses["422"]["description"] += REUSED_KEY
    for status, response in responses.items():
        headers = response.setdefault("headers", {})
        headers.update(REQUEST_ID)
        if status in SLOW_DOWN and (method, path, status) not in NO_RETRY_AFTER:
            retry = dict(RETRY_AFTER)
            if (sometimes := SOMETIMES_RETRY_AFTER.get((method, path, status))) is not None:
                retry.update(description=sometimes, required=False)
            headers["Retry-After"] = retry


def install(app: FastAPI) -> None:
    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = get_openapi(title=app.title, version=app.version, description=app.description, routes=app.routes)
        schemas = schema.setdefault("components", {}).setdefault("schemas", {})
        schemas["ErrorBody"] = ERROR_BODY
        schema["components"]["securitySchemes"] = SECURITY_SCHEMES
        for name in ("HTTPValidationError", "ValidationError"):
            schemas.pop(name, None)
        for path, operations in schema.get("paths", {}).items():
            for method, operation in operations.items():
                if (security := security_for(method, path)) is not None:
                    operation["security"] = security
                responses = operation.setdefault("responses", {})
                for status, description in COMMON.items():
                    if status == "415" and "requestBody" not in operation:
                        continue  # only a body has a media type
                    entry = responses.setdefault(status, {"description": description})
                    if (path, status) in OWN_BODIES:
                        continue  # documented by the route itself
                    entry["content"] = {"application/json": {"schema": REF}}
                document_headers(method, path, operation)
        app.openapi_schema = schema
        return schema

    app.openapi = openapi
