"""Retries that store once, CSRF pairs bound to the session, private pages never cached, offline docs."""

from __future__ import annotations

import threading
import uuid

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from rehearse.practice.models import Attempt
from rehearse.web.security import CSRF_COOKIE, SESSION_COOKIE

from .conftest import PASSWORD


def _token(app) -> str:
    client = TestClient(app)
    email = f"retry-{uuid.uuid4().hex[:10]}@example.com"
    assert client.post("/api/users", json={"email": email, "password": PASSWORD}).status_code == 201
    return client.post("/api/auth/token", json={"email": email, "password": PASSWORD}).json()["token"]


def _stored(app, ids) -> int:
    with app.state.database.transaction() as session:
        return session.scalar(select(func.count(Attempt.id)).where(Attempt.id.in_(ids)))


def test_a_retried_save_with_the_same_idempotency_key_stores_one_attempt(app, question):
    token, key = _token(app), str(uuid.uuid4())
    client = TestClient(app)
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": key}
    body = {"question_id": question["id"], "answer": "We phased the plan over a year and tied it to OKRs."}
    first = client.post("/api/attempts", json=body, headers=headers)
    again = client.post("/api/attempts", json=body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.headers["idempotent-replayed"] == "true" and again.json() == first.json()
    assert _stored(app, [first.json()["id"]]) == 1
    other = client.post("/api/attempts", json={**body, "answer": "Something else."}, headers=headers)
    assert other.status_code == 422 and "different request" in other.json()["detail"]
    fresh = client.post("/api/attempts", json=body, headers={**headers, "Idempotency-Key": str(uuid.uuid4())})
    assert fresh.status_code == 201 and fresh.json()["id"] != first.json()["id"]


def test_concurrent_retries_with_one_key_store_one_attempt(app, question):
    token, key = _token(app), str(uuid.uuid4())
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": key}
    body = {"question_id": question["id"], "answer": "Three phases, each with a measurable goal."}
    count = 8
    start, responses = threading.Barrier(count), []

    def send() -> None:
        start.wait()
        responses.append(TestClient(app).post("/api/attempts", json=body, headers=headers))

    threads = [threading.Thread(target=send) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(r.status_code for r in responses) == [200] * (count - 1) + [201]
    ids = {r.json()["id"] for r in responses}
    assert len(ids) == 1
    with app.state.database.transaction() as session:
        mine = session.scalar(select(func.count(Attempt.id)).where(Attempt.answer == body["answer"]))
    assert mine == 1


def test_a_csrf_pair_planted_from_another_browser_is_refused_once_signed_in(make_browser):
    attacker, victim = make_browser(), make_browser()
    planted_token = attacker.csrf("/signin")  # an anonymous pair, from the attacker's own visit
    planted_cookie = attacker.cookies[CSRF_COOKIE]
    victim.sign_up()
    victim.cookies.set(CSRF_COOKIE, planted_cookie)  # set from a sibling subdomain
    response = victim.post("/settings/tokens", data={"csrf_token": planted_token, "name": "planted"})
    assert response.status_code == 403
    api = victim.post("/api/tokens", json={"name": "planted"}, headers={"X-CSRF-Token": planted_token})
    assert api.status_code == 403
    # The victim's own pages still work.
    own = victim.post("/settings/tokens", data={"csrf_token": victim.csrf("/settings"), "name": "mine"})
    assert own.status_code == 200


def test_the_csrf_cookie_is_replaced_at_sign_in_and_old_tokens_stop_working(browser, make_browser):
    email = make_browser().sign_up()
    old_token = browser.csrf("/signin")
    before = browser.cookies[CSRF_COOKIE]
    assert browser.sign_in(email).status_code == 303
    assert browser.cookies[CSRF_COOKIE] != before and browser.cookies.get(SESSION_COOKIE)
    stale = browser.post("/settings/tokens", data={"csrf_token": old_token, "name": "stale"})
    assert stale.status_code == 403


def test_private_answers_are_never_cached(browser, app):
    browser.sign_up()
    for path in ["/history", "/settings", "/", "/api/me"]:
        response = browser.get(path)
        assert response.headers.get("cache-control") == "no-store", path
    token = _token(app)
    assert TestClient(app).get("/api/tokens", headers={"Authorization": f"Bearer {token}"}).headers[
        "cache-control"] == "no-store"
    assert browser.get("/static/rehearse.css").headers.get("cache-control") != "no-store"  # shared files


def test_the_api_docs_load_everything_from_this_server(browser):
    for path in ["/docs", "/redoc"]:
        page = browser.get(path)
        assert page.status_code == 200
        assert "cdn." not in page.text and "https://" not in page.text.split("<body")[1]
    assert browser.get("/docs/assets/swagger-ui-bundle.js").status_code == 200
    assert browser.get("/docs/assets/redoc.standalone.js").status_code == 200


def test_times_in_the_api_carry_their_time_zone(app):
    client = TestClient(app)
    email = f"tz-{uuid.uuid4().hex[:8]}@example.com"
    created = client.post("/api/users", json={"email": email, "password": PASSWORD}).json()["created_at"]
    assert created.endswith(("Z", "+00:00"))
    token = client.post("/api/auth/token", json={"email": email, "password": PASSWORD}).json()["token"]
    me = client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).json()
    assert me["created_at"].endswith(("Z", "+00:00"))


def test_the_openapi_schema_documents_the_error_body_every_operation_can_answer(app):
    schema = TestClient(app).get("/openapi.json").json()
    assert "HTTPValidationError" not in schema["components"]["schemas"]
    error_body = schema["components"]["schemas"]["ErrorBody"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for status in ("400", "401", "403", "404", "413", "422", "429", "503"):
                assert status in operation["responses"], (method, path, status)
            assert operation["responses"]["422"]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/ErrorBody"}
    # And a real 422 has exactly that shape.
    body = TestClient(app).post("/api/feedback", json={"question_id": "seven"}).json()
    assert set(body) <= set(error_body["properties"]) and isinstance(body["detail"], str)
    assert all(set(e) == {"loc", "msg", "type"} for e in body["errors"])


def test_every_answer_carries_a_request_id_and_one_json_log_line(app, caplog):
    import json
    import logging

    client = TestClient(app)
    with caplog.at_level(logging.INFO, logger="rehearse.access"):
        mine = client.get("/api/roles", headers={"X-Request-ID": "trace-42"})
        fresh = client.get("/no/such/page")
        hostile = client.get("/api/roles", headers={"X-Request-ID": "<script>"})
    assert mine.headers["x-request-id"] == "trace-42"
    assert len(fresh.headers["x-request-id"]) == 32 and hostile.headers["x-request-id"] != "<script>"
    lines = [json.loads(r.getMessage()) for r in caplog.records if r.name == "rehearse.access"]
    assert {(line["request_id"], line["path"], line["status"]) for line in lines} >= {
        ("trace-42", "/api/roles", 200), (fresh.headers["x-request-id"], "/no/such/page", 404)}
    assert all(isinstance(line["ms"], float) and line["ts"].endswith("Z") for line in lines)


def test_a_request_that_scores_says_how_long_scoring_took(app, question, caplog):
    import json
    import logging

    client = TestClient(app)
    with caplog.at_level(logging.INFO, logger="rehearse.access"):
        scored = client.post("/api/feedback", json={"question_id": question["id"],
                                                    "answer": "We phased the roadmap by quarter."})
        page = client.get(f"/api/questions/{question['id']}")
    assert scored.status_code == 200
    name, _, duration = scored.headers["server-timing"].partition(";dur=")
    assert name == "score" and 0 < float(duration) < 1000 * 60
    assert "server-timing" not in page.headers
    lines = {line["path"]: line for line in (json.loads(r.getMessage()) for r in caplog.records
                                             if r.name == "rehearse.access")}
    assert lines["/api/feedback"]["scoring_ms"] == float(duration)
    assert "scoring_ms" not in lines[f"/api/questions/{question['id']}"]


def test_ready_when_the_database_answers_and_the_queue_takes_work(app):
    response = TestClient(app).get("/readyz")
    assert response.status_code == 200 and response.json() == {"status": "ready", "database": True, "queue": True,
                                                                "workers": True, "reason": None}


def test_metrics_count_requests_by_route_template_and_time_scoring(app, question):
    client = TestClient(app)
    client.get(f"/api/questions/{question['id']}")
    client.post("/api/feedback", json={"question_id": question["id"], "answer": "We phased the roadmap."})
    text = client.get("/metrics").text
    assert 'rehearse_http_requests_total{method="GET",route="/api/questions/{question_id}",status="200"}' in text
    assert f"/api/questions/{question['id']}\"" not in text  # templates, never ids
    assert "rehearse_scoring_seconds_count" in text and "rehearse_transcription_queue_depth" in text
    assert 'rehearse_http_request_seconds_bucket{le="0.005",method="GET",route="/api/questions/{question_id}"}' in text


def test_head_answers_wherever_get_does_with_its_status_and_headers_and_no_body(app, question):
    from .conftest import Browser

    ann = Browser(app)
    ann.sign_up()
    headers = ann.page_csrf_header()
    mock = ann.post("/api/mocks", json={"role": question["role_slug"], "questions": 1, "follow_ups": False},
                    headers=headers).json()
    ann.post(f"/api/mocks/{mock['id']}/answers", json={"item_id": mock["current_item_id"],
                                                       "answer": "We phased the plan over a year."}, headers=headers)
    shared = ann.post(f"/api/mocks/{mock['id']}/share", headers=headers).json()["share_url"]
    volatile = {"date", "x-request-id", "set-cookie", "content-length"}  # a page's CSRF token differs each time
    for path, status in [("/", 200), (f"/questions/{question['id']}", 200), (shared, 200), ("/mock", 200),
                         ("/questions/999999", 404), ("/no/such/page", 404), (f"/api/questions/{question['id']}", 200),
                         ("/api/mocks", 200), ("/static/mock.js", 200), ("/openapi.json", 200)]:
        got, head = ann.get(path), ann.head(path)
        assert (got.status_code, head.status_code, head.content) == (status, status, b""), path
        assert {k: v for k, v in head.headers.items() if k not in volatile} == \
            {k: v for k, v in got.headers.items() if k not in volatile}, path
        if path.startswith(("/api/", "/static/")):  # the same bytes each time: the length of the GET's body
            assert head.headers["content-length"] == str(len(got.content)), path
    only_post = ann.head("/api/auth/token")  # HEAD is GET without the body: where GET is refused, so is HEAD
    assert only_post.status_code == 405 and only_post.headers["allow"] == "POST"
