"""Schemathesis against /openapi.json: every operation, as anonymous, a candidate and an admin.

Generated requests (valid ones, and ones that break the schema on purpose) must never get a 500
and every answer must be as documented (status, body, headers). Random ids mostly find nothing, so half the examples of an operation with ids in its path
use ids that exist and that the caller owns (an attempt, a mock, a story, a suggestion …): that is
where the success bodies are checked. Bounded (a few derandomised examples per operation) so it
runs in every `make test`. Operations that would end the caller's own sign-in (deleting the
account, revoking the token, an admin demoting or banning itself) run last for each caller.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass, field
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode

from rehearse.accounts import service as accounts

from .conftest import PASSWORD

# Semantic checks beyond the schema (a string that is not an e-mail address is a 422 with a reason)
# are the app's to make, so "schema-valid data accepted" is not asked for; everything else is.
CHECKS = (
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
    schemathesis.checks.response_headers_conformance,
)
# Per operation and caller: enough to hit bounds, odd text and real ids, small enough for every run;
# REHEARSE_SCHEMA_EXAMPLES=50 looks harder (minutes). Negative examples break the schema on purpose.
EXAMPLES = int(os.environ.get("REHEARSE_SCHEMA_EXAMPLES", "6"))
NEGATIVE_EXAMPLES = max(2, EXAMPLES // 2)
 # per operation and caller: enough to hit bounds, odd text and real ids, small enough for every run
LAST = {("DELETE", "/api/me/account"), ("DELETE", "/api/tokens/{token_id}"),
        ("PUT", "/api/community/users/{user_id}/role"), ("POST", "/api/community/users/{user_id}/ban")}


@pytest.fixture(scope="module")
def app(settings):
    from rehearse.web.app import create_app

    # A full transcription queue is a designed 503 (tested on its own); here uploads only queue up.
    app = create_app(settings.model_copy(update={"transcription_queue_limit": 10_000}))
    yield app
    app.state.database.dispose()


@dataclass
class Caller:
    name: str
    token: str | None = None
    ids: dict[str, Any] = field(default_factory=dict)  # path parameter -> a value that exists


def _sign_up(client: TestClient, app, role: str = "candidate") -> tuple[str, str]:
    email = f"schema-{role}-{uuid.uuid4().hex[:8]}@example.com"
    assert client.post("/api/users", json={"email": email, "password": PASSWORD}).status_code == 201
    if role != "candidate":
        with app.state.database.transaction(writes=True) as session:
            accounts.set_role(session, email=email, role=role)
    token = client.post("/api/auth/token", json={"email": email, "password": PASSWORD}).json()["token"]
    return email, token


@pytest.fixture(scope="module")
def callers(app) -> dict[str, Caller]:
    client = TestClient(app)
    _, token = _sign_up(client, app)
    auth = {"Authorization": f"Bearer {token}"}

    def made(method: str, path: str, body: dict) -> dict:
        response = client.request(method, path, json=body, headers=auth)
        assert response.status_code == 201, (path, response.text)
        return response.json()

    question = client.get("/api/questions", params={"q": "platform team requests"}).json()[0]
    role = client.get("/api/roles").json()[0]
    suggestion = made("POST", f"/api/questions/{question['id']}/suggestions",
                      {"reason": "Clearer.", "accept_licence": True,
                       "example_answer": "I would phase the year: stabilise, then scale, then hire."})
    ids = {
        "question_id": question["id"], "role_id": role["id"],
        "attempt_id": made("POST", "/api/attempts", {"question_id": question["id"],
                                                     "answer": "We phased it in over a year."})["id"],
        "token_id": made("POST", "/api/tokens", {"name": "spare"})["id"],
        "mock_id": made("POST", "/api/mocks", {"role": role["slug"]})["id"],
        "story_id": made("POST", "/api/stories", {"title": "The outage we turned around",
                                                  "situation": "Checkout failed for an hour."})["id"],
        "suggestion_id": suggestion["id"],
        "comment_id": made("POST", f"/api/suggestions/{suggestion['id']}/comments", {"body": "Agreed."})["id"],
        "plan_id": made("POST", "/api/plans", {"posting": "Engineering Manager, Platform\n\nYou will own how the "
                                               "platform team takes requests from several product teams: rank "
                                               "competing requests against company priorities, explain the "
                                               "trade-offs to the teams that wait, and build self-service tooling."
                                               })["id"],
        "user_id": client.get("/api/me", headers={"Authorization": f"Bearer {_sign_up(client, app)[1]}"}
                              ).json()["id"],  # a third account, for the admin's routes
    }
    ids["job_id"] = client.post("/api/transcriptions", files={"audio": ("a.webm", b"\x1aE\xdf\xa3 not audio")},
                                headers=auth).json().get("job_id", "no-such-job")
    _, admin_token = _sign_up(client, app, "admin")
    client.close()
    return {"anonymous": Caller("anonymous"), "candidate": Caller("candidate", token, ids),
            "admin": Caller("admin", admin_token, ids)}


@pytest.fixture(scope="module")
def api_schema(app):
    return schemathesis.openapi.from_asgi("/openapi.json", app)


@pytest.mark.parametrize("who", ["anonymous", "candidate", "admin"])
def test_every_operation_answers_as_documented(api_schema, callers, who):
    caller = callers[who]
    failures = {}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 60, "every API operation, not a chosen few"
    operations.sort(key=lambda op: (op.method.upper(), op.path) in LAST)
    for operation in operations:
        for mode, examples in ((GenerationMode.POSITIVE, EXAMPLES), (GenerationMode.NEGATIVE, NEGATIVE_EXAMPLES)):

            @given(case=operation.as_strategy(mode), use_own=st.booleans())
            @settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                      suppress_health_check=list(HealthCheck))
            def check(case, use_own) -> None:
                if caller.token:
                    case.headers = {**(case.headers or {}), "Authorization": f"Bearer {caller.token}"}
                if use_own and case.path_parameters:
                    case.path_parameters = {**case.path_parameters,
                                            **{k: v for k, v in caller.ids.items() if k in case.path_parameters}}
                case.validate_response(case.call(), checks=CHECKS)

            try:
                check()
            except Unsatisfiable:
                assert mode is GenerationMode.NEGATIVE  # nothing to break in an operation without inputs
            except BaseException as failure:  # noqa: BLE001 - every operation is tried; all failures are shown
                if isinstance(failure, KeyboardInterrupt):
                    raise
                failures[f"{mode.value} {operation.method.upper()} {operation.path}"] = str(failure)[:1500]
    assert failures == {}, "\n\n".join(f"{name}:\n{text}" for name, text in failures.items())


def test_not_ready_is_answered_with_the_documented_body(settings):
    """A full transcription queue turns /readyz to 503; that body is a Readiness, as documented, not an
    ErrorBody (schemathesis found the mismatch)."""
    from rehearse.web.app import create_app

    app = create_app(settings.model_copy(update={"transcription_queue_limit": 1, "worker_in_process": False}))
    try:
        client = TestClient(app)
        # One recording waiting fills a queue of one (the uploads of the test above may have already).
        assert client.post("/api/transcriptions", files={"audio": ("a.webm", b"\x1aE\xdf\xa3 queued")}
                           ).status_code in (202, 503)
        operation = schemathesis.openapi.from_asgi("/openapi.json", app)["/readyz"]["GET"]
        case = operation.Case()
        response = case.call()
        assert response.status_code == 503 and response.json()["queue"] is False
        case.validate_response(response, checks=CHECKS[1:])  # everything but "not a server error"
    finally:
        app.state.database.dispose()
