"""Errors as people and programs want them: JSON {"detail": ...} under /api/, a page elsewhere.

Nothing a client sends should produce a 500: validation errors become 400/422 with a
sentence saying what was wrong, and unexpected errors are logged and answered with a
plain 500 page that leaks no internals.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from sqlalchemy.exc import DataError, OperationalError
from sqlalchemy.exc import TimeoutError as SQLAlchemyTimeoutError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from rehearse.db.engine import UnstorableValue
from rehearse.practice.queued_scoring import ScoringUnavailable
from rehearse.web.security import (
    NEEDS_HTTPS,
    SESSION_COOKIE,
    CsrfFailed,
    SignInRequired,
    bearer_secret,
    cookies_lost_to_plain_http,
    remembered_user,
    resolve_user,
)

log = logging.getLogger("rehearse.web")
DATABASE_RETRY_AFTER_S = 5  # a restarted database or a burst of writers is usually over by then

TITLES = {
    400: "That request was not understood",
    401: "Please sign in",
    403: "Not allowed",
    404: "Not found",
    405: "Not allowed here",
    413: "Too long",
    422: "Please check what you sent",
    429: "Slow down",
    500: "Something went wrong",
    503: "Not available right now",
}


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def _location(error: dict[str, Any]) -> str:
    """The field's name: the loc without where it came from (a comment's field "body" is kept)."""
    loc = list(error.get("loc", ()))
    if loc and loc[0] in ("body", "query", "path", "form", "header", "cookie"):
        loc = loc[1:]
    return ".".join(str(p) for p in loc)


# FastAPI's answer when parsing a JSON body fails other than with a JSONDecodeError (which it turns into the
# validation error "json_invalid"): bytes that are not UTF-8, an integer of more digits than Python converts
# (4,300), or nesting deeper than the parser recurses. Those get the same answer as any other malformed JSON.
UNPARSED_BODY = "There was an error parsing the body"


def unparsed_json(exc: StarletteHTTPException) -> RequestValidationError | None:
    """The validation error "json_invalid" for a body FastAPI could not parse as JSON, else None."""
    cause = exc.__cause__
    if exc.status_code != 400 or exc.detail != UNPARSED_BODY or not isinstance(cause, ValueError | RecursionError):
        return None
    if isinstance(cause, UnicodeDecodeError):
        reason, loc = f"not UTF-8 (byte {cause.start + 1})", ("body", cause.start)
    elif isinstance(cause, ValueError):
        reason, loc = "a number is too long", ("body",)
    else:
        reason, loc = "the nesting is too deep", ("body",)
    return RequestValidationError([{"type": "json_invalid", "loc": loc, "msg": f"JSON decode error: {reason}"}])


def not_json(request: Request, exc: RequestValidationError) -> str | None:
    """The media type an API request gave its body, when the route reads JSON and the body was refused as not
    an object only because it came as something else (text/plain, a form, no Content-Type); else None."""
    if not wants_json(request):
        return None
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/json" or kind.endswith("+json"):
        return None
    if not any(tuple(e.get("loc", ())) == ("body",) and e.get("type") in ("model_attributes_type", "dict_type")
               for e in exc.errors()):
        return None
    return kind or "no Content-Type"


def describe_validation(exc: RequestValidationError, *, api: bool = True) -> tuple[int, str]:
    """(status, one readable sentence) for a request that failed validation."""
    errors = list(exc.errors())
    if any(e.get("type") == "json_invalid" for e in errors):
        return 400, "The request body is not valid JSON."
    if not api and any(tuple(e.get("loc", ()))[:1] == ("path",) for e in errors):
        return (
            404,
            "There is nothing at this address.",
        )  # /questions/abc is a wrong address to a person
    messages = []
    for error in errors[:5]:
        where = _location(error)
        kind = error.get("type", "")
        if kind == "missing":
            messages.append(f"{where or 'the request body'} is required")
        elif kind in ("model_attributes_type", "dict_type") and not where:
            messages.append("the request body must be a JSON object")
        else:
            text = str(error.get("msg", "is not valid")).rstrip(".")  # our own sentences end in one
            messages.append(f"{where}: {text}" if where else text)
    if not messages:
        return 422, "The request is not valid."
    text = "; ".join(messages)
    return 422, (text if "_" in text.split(" ", 1)[0] else text[0].upper() + text[1:]) + "."


def page(
    request: Request, status: int, message: str, headers: dict[str, str] | None = None
) -> Response:
    from rehearse.web.templating import render

    return render(
        request,
        "errors/error.html",
        {"status": status, "title": TITLES.get(status, "Error"), "message": message},
        status_code=status,
        headers=headers,
    )


def error_response(
    request: Request,
    status: int,
    message: str,
    headers: dict[str, str] | None = None,
    extra: dict[str, Any] | None = None,
) -> Response:
    if wants_json(request):
        return JSONResponse(
            {"detail": message, **(extra or {})}, status_code=status, headers=headers
        )
    return page(request, status, message, headers)


def _look_up_user(request: Request) -> None:
    with request.app.state.database.transaction() as session:
        resolve_user(request, session)  # request.state.user: a detached user, or None


async def know_user(request: Request, *, database: bool = True) -> None:
    """Who is signed in, for an error page's navigation, when the error came before any view looked
    (no such route, a method it does not take, a form that failed validation): from the sign-in
    cookie, remembered by this process or else read in a short transaction of its own (`database`
    False: only remembered, when the database is the trouble). A failed lookup leaves the page
    signed out; it never turns it into another error."""
    if hasattr(request.state, "user") or wants_json(request) or bearer_secret(request) is not None \
            or not request.cookies.get(SESSION_COOKIE):
        return
    try:
        if remembered_user(request) is None and database:
            await run_in_threadpool(_look_up_user, request)
    except Exception:  # noqa: BLE001 - the error page matters more than its navigation
        log.warning("could not look up the signed-in user for an error page", exc_info=True)
    if not hasattr(request.state, "user"):
        request.state.user = None


def install(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if (invalid := unparsed_json(exc)) is not None:
            return await validation_error(request, invalid)
        detail = exc.detail if isinstance(exc.detail, str) else TITLES.get(exc.status_code, "Error")
        if exc.status_code == 404 and detail == "Not Found":
            detail = "There is nothing at this address."
        elif exc.status_code == 405 and detail == "Method Not Allowed":
            detail = f"{request.method} is not supported at this address."
        await know_user(request)
        return error_response(request, exc.status_code, detail, getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        if (sent := not_json(request, exc)) is not None:
            return error_response(request, 415, f"Send the body as JSON, with Content-Type: application/json "
                                                 f"(this request said {sent}).")
        status, message = describe_validation(exc, api=wants_json(request))
        extra = {
            "errors": [
                {
                    "loc": list(e.get("loc", ())),
                    "msg": str(e.get("msg", "")),
                    "type": e.get("type", ""),
                }
                for e in list(exc.errors())[:20]
            ]
        }
        await know_user(request)
        return error_response(request, status, message, extra=extra)

    @app.exception_handler(SignInRequired)
    async def sign_in_required(request: Request, exc: SignInRequired) -> Response:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/signin?next={quote(target, safe='')}", status_code=303)

    @app.exception_handler(CsrfFailed)
    async def csrf_failed(request: Request, exc: CsrfFailed) -> Response:
        await know_user(request)
        if cookies_lost_to_plain_http(request):
            log.warning("refused a form on %s %s: %s", request.method, request.url.path, NEEDS_HTTPS)
            return error_response(request, 403, NEEDS_HTTPS)
        return error_response(
            request,
            403,
            "This form has expired or did not come from this site. "
            "Go back, reload the page and send it again.",
        )

    @app.exception_handler(UnstorableValue)
    @app.exception_handler(DataError)
    async def unstorable(request: Request, exc: Exception) -> Response:
        # Input the web layer's checks let through but the database cannot hold (a number out
        # of a column's range, text too long for a column on PostgreSQL): the client's to fix.
        log.warning("refused unstorable input on %s %s: %s", request.method, request.url.path,
                    str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        await know_user(request)
        return error_response(
            request, 400, "A value in the request is out of range or cannot be stored (a number too large, "
            "text too long, or a NUL character); correct it and send it again.",
        )

    @app.exception_handler(ScoringUnavailable)
    async def scoring_unavailable(request: Request, exc: ScoringUnavailable) -> Response:
        # A queued answer no worker scored in time (or whose scoring failed there): nothing was
        # stored, so sending it again is safe.
        await know_user(request)
        return error_response(request, 503, str(exc), {"Retry-After": str(exc.retry_after)})

    @app.exception_handler(SQLAlchemyTimeoutError)
    @app.exception_handler(OperationalError)
    async def database_unavailable(request: Request, exc: Exception) -> Response:
        # A pool with no free connection in time, a lost connection (a restarted or
        # terminated server), or SQLite's lock held past the busy timeout: say so at once and
        # ask for a retry. The pool replaces broken connections, so the next request recovers.
        log.warning("database unavailable on %s %s: %s", request.method, request.url.path,
                    str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        await know_user(request, database=False)
        return error_response(
            request, 503, "The database is busy or unreachable right now; please try again in a few seconds.",
            {"Retry-After": str(DATABASE_RETRY_AFTER_S)},
        )

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        await know_user(request, database=False)  # the database may be what failed
        return error_response(
            request, 500, "Something went wrong on our side. It has been logged; please try again."
        )
