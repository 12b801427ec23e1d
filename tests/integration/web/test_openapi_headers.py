"""/openapi.json documents the response headers the app really sends: X-Request-ID on every answer,
Retry-After on every 429 and 503, Idempotent-Replayed on a replay of an operation that takes
Idempotency-Key (whose 422 says what a reused key is), X-Total-Count on a paged list. A client written
from the document alone finds them there, and each is checked against a real answer."""

from __future__ import annotations

import re
import uuid

from fastapi.testclient import TestClient

from rehearse.community import service as community
from rehearse.settings import Settings
from rehearse.web.app import create_app

from .conftest import PASSWORD

SENT = ("x-request-id", "retry-after", "idempotent-replayed", "x-total-count")  # the app's own headers
HONOUR_THE_KEY = {("post", "/api/attempts"), ("post", "/api/mocks"), ("post", "/api/plans/{plan_id}/mock"),
                  ("post", "/api/questions/{question_id}/suggestions"), ("post", "/api/roles/{role_id}/suggestions"),
                  ("post", "/api/suggestions/{suggestion_id}/comments")}


def _token(app) -> str:
    client = TestClient(app)
    email = f"headers-{uuid.uuid4().hex[:10]}@example.com"
    assert client.post("/api/users", json={"email": email, "password": PASSWORD}).status_code == 201
    return client.post("/api/auth/token", json={"email": email, "password": PASSWORD}).json()["token"]


def _operations(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            yield method, path, operation


def assert_as_documented(document, method: str, template: str, response) -> None:
    """Every header the document requires for this answer is sent, with a value its schema allows, and every
    header of the app's own that is sent is in the document."""
    answers = document["paths"][template][method]["responses"]
    assert str(response.status_code) in answers, (method, template, response.status_code)
    documented = answers[str(response.status_code)].get("headers", {})
    for name, spec in documented.items():
        value = response.headers.get(name)
        if spec.get("required"):
            assert value is not None, f"{name} is documented on {method} {template} {response.status_code}"
        if value is None:
            continue
        schema = spec["schema"]
        if schema["type"] == "integer":
            assert int(value) >= schema.get("minimum", 0), (name, value)
        if "enum" in schema:
            assert value in schema["enum"], (name, value)
        if "pattern" in schema:
            assert re.fullmatch(schema["pattern"].strip("^$"), value), (name, value)
    names = {name.lower() for name in documented}
    undocumented = [name for name in SENT if name in response.headers and name not in names]
    assert not undocumented, f"{method} {template} {response.status_code} sends {undocumented} undocumented"


def test_every_answer_documents_x_request_id_and_every_429_and_503_retry_after(app):
    document = TestClient(app).get("/openapi.json").json()
    no_id, no_retry, sometimes = [], [], []
    for method, path, operation in _operations(document):
        for status, answer in operation["responses"].items():
            headers = answer.get("headers", {})
            if not headers.get("X-Request-ID", {}).get("required"):
                no_id.append((method, path, status))
            if status in ("429", "503"):
                if "Retry-After" not in headers:
                    no_retry.append((method, path, status))
                elif not headers["Retry-After"]["required"]:
                    sometimes.append((method, path, status))
    assert no_id == []
    # The probes say what is down, with no wait to give; a server that cannot transcribe never will.
    assert set(no_retry) == {("get", "/healthz", "503"), ("get", "/readyz", "503")}
    assert sometimes == [("post", "/api/transcriptions", "503")]


def test_the_operations_that_honour_idempotency_key_document_the_replay_and_a_reused_key(app):
    document = TestClient(app).get("/openapi.json").json()
    taking = {(method, path) for method, path, operation in _operations(document)
              if any(p["in"] == "header" and p["name"] == "Idempotency-Key" for p in operation.get("parameters", ()))}
    assert taking == HONOUR_THE_KEY
    for method, path in taking:
        answers = document["paths"][path][method]["responses"]
        assert answers["200"]["headers"]["Idempotent-Replayed"]["required"] is True, path
        assert answers["200"]["content"] == answers["201"]["content"], path  # the first answer, again
        assert "Idempotency-Key" in answers["422"]["description"] and "another" in answers["422"]["description"]
    replayed_elsewhere = [(m, p) for m, p, operation in _operations(document) if (m, p) not in taking
                          and any("Idempotent-Replayed" in a.get("headers", {}) for a in operation["responses"].values())]
    assert replayed_elsewhere == []


def test_real_answers_carry_the_headers_the_document_gives_them(app, question):
    client = TestClient(app)
    document = client.get("/openapi.json").json()
    auth = {"Authorization": f"Bearer {_token(app)}"}
    for method, template, path, kwargs in [
        ("get", "/api/questions", "/api/questions", {}),
        ("get", "/api/questions/{question_id}", f"/api/questions/{question['id']}", {}),
        ("get", "/api/suggestions/{suggestion_id}", "/api/suggestions/2147483647", {}),
        ("get", "/api/notifications", "/api/notifications", {}),
        ("get", "/api/notifications", "/api/notifications", {"headers": auth}),
        ("get", "/api/notifications", "/api/notifications", {"headers": auth, "params": {"limit": 0}}),
        ("post", "/api/suggestions/{suggestion_id}/comments", "/api/suggestions/1/comments",
         {"headers": {**auth, "Content-Type": "application/json"}, "content": "{"}),
    ]:
        response = client.request(method.upper(), path, **kwargs)
        assert response.status_code < 500, response.text
        assert_as_documented(document, method, template, response)
    statuses = {client.get("/api/notifications").status_code, client.get("/api/notifications", headers=auth,
                                                                          params={"limit": 0}).status_code}
    assert statuses == {401, 422}  # errors, not only successes, were checked


def test_a_sane_x_request_id_is_echoed_and_any_other_replaced(app):
    client = TestClient(app)
    assert client.get("/api/roles", headers={"X-Request-ID": "trace-7.a_b"}).headers["x-request-id"] == "trace-7.a_b"
    replaced = client.get("/api/roles", headers={"X-Request-ID": "no spaces, please"}).headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", replaced)


def test_a_rate_limited_comment_is_a_429_with_the_documented_retry_after(app, question):
    client = TestClient(app)
    document = client.get("/openapi.json").json()
    auth = {"Authorization": f"Bearer {_token(app)}"}
    made = client.post(f"/api/questions/{question['id']}/suggestions", headers=auth, json={
        "example_answer": f"{question['example_answer']} Limited {uuid.uuid4().hex}.", "reason": "r",
        "accept_licence": True})
    path = f"/api/suggestions/{made.json()['id']}/comments"
    for number in range(community.COMMENT_LIMIT.free):
        assert client.post(path, headers=auth, json={"body": f"Comment {number}."}).status_code == 201
    limited = client.post(path, headers=auth, json={"body": "One too many."})
    assert limited.status_code == 429
    assert_as_documented(document, "post", "/api/suggestions/{suggestion_id}/comments", limited)
    assert int(limited.headers["retry-after"]) > 0


def test_a_replayed_comment_carries_the_documented_idempotent_replayed(app, question):
    client = TestClient(app)
    document = client.get("/openapi.json").json()
    auth = {"Authorization": f"Bearer {_token(app)}", "Idempotency-Key": str(uuid.uuid4())}
    made = client.post(f"/api/questions/{question['id']}/suggestions", headers=auth, json={
        "example_answer": f"{question['example_answer']} Replayed {uuid.uuid4().hex}.", "reason": "r",
        "accept_licence": True})
    assert made.status_code == 201
    again = client.post(f"/api/questions/{question['id']}/suggestions", headers=auth, json={"reason": "r"})
    assert again.status_code == 422
    for response in (made, again):
        assert_as_documented(document, "post", "/api/questions/{question_id}/suggestions", response)
    path = f"/api/suggestions/{made.json()['id']}/comments"
    first, replay = (client.post(path, headers={**auth, "Idempotency-Key": "comment-1"}, json={"body": "Hi."})
                     for _ in range(2))
    assert (first.status_code, replay.status_code) == (201, 200)
    for response in (first, replay):
        assert_as_documented(document, "post", "/api/suggestions/{suggestion_id}/comments", response)


def test_an_unreachable_database_is_a_503_with_the_documented_retry_after(tmp_path):
    """The generic 503 has Retry-After; /readyz's own 503 has none, as documented."""
    from rehearse.db.database import Database

    app = create_app(Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'ok.db'}",
                              secret_key="k" * 48, feedback_backend="lexical"))
    try:
        client = TestClient(app)
        document = client.get("/openapi.json").json()
        app.state.database.dispose()
        app.state.database = Database("postgresql://rehearse@127.0.0.1:1/none?connect_timeout=2")
        for template in ("/api/roles", "/readyz"):
            response = client.get(template)
            assert response.status_code == 503
            assert_as_documented(document, "get", template, response)
        assert "retry-after" in client.get("/api/roles").headers
    finally:
        app.state.database.dispose()
