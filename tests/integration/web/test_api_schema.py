"""Schemathesis against /openapi.json: generated requests, signed in and not, never a 500, always as documented.

Bounded (a few examples per operation, derandomised) so it runs in every `make test`. It covers
the bank, accounts, practice and operations endpoints; DELETE /api/tokens/{token_id} is left out
so the test cannot revoke its own token.
"""

from __future__ import annotations

import re
import uuid

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from .conftest import PASSWORD


@pytest.fixture(scope="module")
def api_schema(app):
    return schemathesis.openapi.from_asgi("/openapi.json", app)


@pytest.fixture(scope="module")
def bearer(app):
    from fastapi.testclient import TestClient

    client = TestClient(app)
    email = f"schema-{uuid.uuid4().hex[:8]}@example.com"
    client.post("/api/users", json={"email": email, "password": PASSWORD})
    return client.post("/api/auth/token", json={"email": email, "password": PASSWORD}).json()["token"]


COVERED = re.compile(
    r"^/(api/(roles|questions$|questions/\{question_id\}$|users|auth/token|me$|tokens$|feedback|attempts|speech)"
    r"|healthz|readyz)"
)
# Semantic checks beyond the schema (a string that is not an e-mail address is a 422 with a reason)
# are the app's to make, so "schema-valid data accepted" is not asked for; everything else is.
CHECKS = (
    schemathesis.checks.not_a_server_error,
    schemathesis.checks.status_code_conformance,
    schemathesis.checks.content_type_conformance,
    schemathesis.checks.response_schema_conformance,
    schemathesis.checks.response_headers_conformance,
)
EXAMPLES = 6  # per operation: enough to hit bounds and odd text, small enough for every run


@pytest.mark.parametrize("signed_in", [True, False], ids=["signed-in", "anonymous"])
def test_the_api_answers_as_documented(api_schema, bearer, signed_in):
    failures = {}
    operations = [result.ok() for result in api_schema.get_all_operations()]
    covered = [op for op in operations if COVERED.match(op.path)]
    assert len(covered) >= 12
    for operation in covered:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case) -> None:
            if signed_in:
                case.headers = {**(case.headers or {}), "Authorization": f"Bearer {bearer}"}
            case.validate_response(case.call(), checks=CHECKS)

        try:
            check()
        except BaseException as failure:  # noqa: BLE001 - every operation is tried; all failures are shown
            if isinstance(failure, KeyboardInterrupt):
                raise
            failures[f"{operation.method.upper()} {operation.path}"] = str(failure)[:1500]
    assert failures == {}, "\n\n".join(f"{name}:\n{text}" for name, text in failures.items())
