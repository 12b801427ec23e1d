"""A user's attempts are visible to that user alone: two users walk every route and API endpoint.

Ann answers questions (through the pages and the API), makes a token and a transcription.
Then Bob, signed in with a session and with a token of his own, and an anonymous visitor,
call every route the app has, pointed at Ann's ids. Nothing of Ann's may come back. The
test fails when a new route appears that it does not walk, so new routes get checked too.
"""

import re
import uuid

import pytest
from fastapi.testclient import TestClient

from .conftest import PASSWORD, Browser, route_paths
from .speech_fakes import install as install_speech
from .speech_fakes import recording


@pytest.fixture
def fake_speech(app, monkeypatch):
    speech = install_speech(app, monkeypatch, duration_s=20.0, speaking_s=18.0, words_per_minute=131.0,
                            pauses=[[4.0, 2.5]], word_count=40)
    yield speech
    speech.run()  # recordings the walk uploaded: done, so the queue has room for the next test


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


@pytest.fixture
def ann(app, question, fake_speech):
    """Ann's private things: attempts made three ways, a token and a transcription."""
    marker = f"MARKER-ann-{uuid.uuid4().hex[:8]}"
    browser = Browser(app)
    email = browser.sign_up(f"ann-{uuid.uuid4().hex[:6]}@example.com")
    answer = (
        f"First, I would get every request into one visible list ({marker}). Then I would rank the "
        "requests against company priorities and explain the trade-offs to every waiting team."
    )
    page_attempt = int(browser.answer(question["id"], answer).headers["location"].rsplit("/", 1)[1])
    token_page = browser.post(
        "/settings/tokens", data={"csrf_token": browser.csrf("/settings"), "name": marker}
    )
    token = re.search(r"data-token-secret>([^<]+)<", token_page.text).group(1)
    token_id = int(re.search(r'data-token="(\d+)"', browser.get("/settings").text).group(1))
    auth = {"Authorization": f"Bearer {token}"}
    job = browser.post(
        "/api/transcriptions",
        files={"audio": ("a.wav", recording(answer), "audio/wav")},
        headers=browser.page_csrf_header(),
    ).json()["id"]
    assert fake_speech.run() == 1
    spoken = browser.post(
        "/api/attempts",
        json={
            "question_id": question["id"],
            "answer": answer,
            "mode": "spoken",
            "transcription_id": job,
        },
        headers=browser.page_csrf_header(),
    )
    assert spoken.status_code == 201 and spoken.json()["speech"]["words_per_minute"] == 131.0
    api_attempt = (
        TestClient(app)
        .post("/api/attempts", json={"question_id": question["id"], "answer": answer}, headers=auth)
        .json()["id"]
    )
    yield {
        "email": email,
        "marker": marker,
        "token": token,
        "token_prefix": token[:10],
        "token_id": token_id,
        "attempts": [page_attempt, spoken.json()["id"], api_attempt],
        "job": job,
        "auth": auth,
        "browser": browser,
    }
    browser.close()


def walk(client, ann, question, *, headers=None, csrf=None):
    """Call every route of the app aimed at Ann's things; yield (route, response)."""
    headers = headers or {}
    q = question["id"]
    a = ann["attempts"][0]
    form = {"csrf_token": csrf} if csrf else {}
    calls = [
        ("GET", "/", {}),
        ("GET", f"/roles/{question['role_slug']}", {}),
        ("GET", f"/questions/{q}", {}),
        ("GET", f"/questions/{q}/improve", {}),
        ("GET", "/search", {"params": {"q": "visible list priorities"}}),
        ("GET", "/search", {"params": {"like": q}}),
        ("GET", "/random", {}),
        ("GET", f"/practice/{q}", {"params": {"previous": a}}),
        ("GET", f"/practice/{q}", {"params": {"transcription": ann["job"]}}),
        (
            "POST",
            f"/practice/{q}",
            {
                "data": {
                    **form,
                    "answer": "Bob's own answer about lists.",
                    "previous_attempt_id": str(a),
                    "mode": "spoken",
                    "transcription_id": ann["job"],
                }
            },
        ),
        (
            "POST",
            f"/practice/{q}/recording",
            {"data": form, "files": {"audio": ("b.wav", recording("bob"), "audio/wav")}},
        ),
        ("GET", f"/attempts/{a}", {}),
        ("GET", "/history", {}),
        ("GET", "/settings", {}),
        ("GET", "/signup", {}),
        ("POST", "/signup", {"data": {**form, "email": ann["email"], "password": PASSWORD}}),
        ("GET", "/signin", {}),
        ("POST", "/signin", {"data": {**form, "email": ann["email"], "password": "guess!!!!!!"}}),
        ("POST", "/settings/tokens", {"data": {**form, "name": "bob"}}),
        ("POST", f"/settings/tokens/{ann['token_id']}/revoke", {"data": form}),
        ("POST", "/settings/name", {"data": {**form, "display_name": "Bob B."}}),
        ("POST", "/settings/password", {"data": {**form, "current_password": "guess!!!!!!",
                                                 "new_password": "another password 9"}}),
        ("GET", "/api/roles", {}),
        ("GET", "/api/questions", {"params": {"q": ann["marker"]}}),
        ("GET", f"/api/questions/{q}", {}),
        ("POST", "/api/users", {"json": {"email": ann["email"], "password": PASSWORD}}),
        ("POST", "/api/auth/token", {"json": {"email": ann["email"], "password": "guess!!!!!!"}}),
        ("GET", "/api/me", {}),
        ("PATCH", "/api/me", {"json": {"display_name": "Bob B."}}),
        ("POST", "/api/me/password", {"json": {"current_password": "guess!!!!!!",
                                               "new_password": "another password 9"}}),
        ("GET", "/api/tokens", {}),
        ("POST", "/api/tokens", {"json": {"name": "bob"}}),
        ("DELETE", f"/api/tokens/{ann['token_id']}", {}),
        ("POST", "/api/feedback", {"json": {"question_id": q, "answer": "Bob's answer."}}),
        (
            "POST",
            "/api/attempts",
            {
                "json": {
                    "question_id": q,
                    "answer": "Bob's answer.",
                    "previous_attempt_id": a,
                    "transcription_id": ann["job"],
                    "mode": "spoken",
                }
            },
        ),
        ("GET", "/api/attempts", {}),
        *[("GET", f"/api/attempts/{attempt}", {}) for attempt in ann["attempts"]],
        *[("GET", f"/attempts/{attempt}", {}) for attempt in ann["attempts"]],
        ("GET", "/api/speech", {}),
        ("POST", "/api/transcriptions", {"files": {"audio": ("b.wav", recording("bob"), "audio/wav")}}),
        ("GET", f"/api/transcriptions/{ann['job']}", {}),
        ("GET", "/healthz", {}),
        ("GET", "/readyz", {}),
        ("GET", "/metrics", {}),
        ("GET", "/openapi.json", {}),
        ("GET", "/docs", {}),
        ("GET", "/redoc", {}),
        ("GET", "/docs/oauth2-redirect", {}),
        ("GET", "/static/rehearse.css", {}),
        ("POST", "/signout", {"data": form}),  # last: it ends Bob's session
    ]
    for method, path, kwargs in calls:
        extra = dict(kwargs)
        call_headers = {**headers}
        if csrf and path.startswith("/api/") and method != "GET":
            call_headers["X-CSRF-Token"] = csrf
        response = client.request(
            method, path, headers=call_headers, follow_redirects=False, **extra
        )
        yield method, path, response


WALKED_TEMPLATES = {
    "/",
    "/roles/{reference}",
    "/questions/{question_id}",
    "/questions/{question_id}/improve",
    "/search",
    "/random",
    "/practice/{question_id}",
    "/practice/{question_id}/recording",
    "/attempts/{attempt_id}",
    "/history",
    "/settings",
    "/signup",
    "/signin",
    "/signout",
    "/settings/tokens",
    "/settings/tokens/{token_id}/revoke",
    "/settings/name",
    "/settings/password",
    "/api/roles",
    "/api/questions",
    "/api/questions/{question_id}",
    "/api/users",
    "/api/auth/token",
    "/api/me",
    "/api/me/password",
    "/api/tokens",
    "/api/tokens/{token_id}",
    "/api/feedback",
    "/api/attempts",
    "/api/attempts/{attempt_id}",
    "/api/speech",
    "/api/transcriptions",
    "/api/transcriptions/{job_id}",
    "/healthz",
    "/readyz",
    "/metrics",
    "/openapi.json",
    "/docs",
    "/redoc",
    "/docs/assets",  # Swagger UI and ReDoc files from the fastapi-offline package
    "/static",
}


def test_the_walk_covers_every_route_of_the_app(app):
    from .test_community import COMMUNITY_ROUTES  # suggestions, moderation, history: walked there
    from .test_preparation_privacy import PREPARATION_ROUTES  # review, mocks, progress, stories: walked there

    paths = route_paths(app.routes)
    walked = WALKED_TEMPLATES | PREPARATION_ROUTES | COMMUNITY_ROUTES
    assert paths == walked, f"routes not walked by a privacy test: {paths - walked}"


ECHO_EMAIL = {
    "/signup",
    "/signin",
    "/api/users",
    "/api/auth/token",
}  # forms show back what the caller typed


def assert_nothing_of_anns(method, path, response, ann):
    body = response.text
    assert response.status_code < 500, (method, path, response.status_code)
    secrets = [ann["marker"], ann["token_prefix"], ann["token"]]
    if path not in ECHO_EMAIL:
        secrets.append(ann["email"])
    for secret in secrets:
        assert secret not in body, f"{method} {path} leaked {secret!r}"
    for attempt in ann["attempts"]:
        assert f'href="/attempts/{attempt}"' not in body, (
            f"{method} {path} links Ann's attempt {attempt}"
        )


def test_another_signed_in_user_sees_nothing_of_anns(app, question, ann):
    bob = Browser(app)
    bob.sign_up()
    csrf = csrf_of(bob.get("/settings").text)
    statuses = {}
    for method, path, response in walk(bob, ann, question, csrf=csrf):
        assert_nothing_of_anns(method, path, response, ann)
        statuses.setdefault((method, path), response.status_code)
    for attempt in ann["attempts"]:
        assert statuses[("GET", f"/attempts/{attempt}")] == 404
        assert statuses[("GET", f"/api/attempts/{attempt}")] == 404
    assert statuses[("GET", f"/api/transcriptions/{ann['job']}")] == 404
    assert statuses[("DELETE", f"/api/tokens/{ann['token_id']}")] == 404
    assert statuses[("POST", f"/settings/tokens/{ann['token_id']}/revoke")] == 404
    assert statuses[("POST", "/api/signin" if False else "/signin")] == 401
    # Ann's things are untouched: her token works and her attempts are all still hers.
    still = TestClient(app).get("/api/attempts", headers=ann["auth"])
    assert still.status_code == 200 and {a["id"] for a in still.json()} == set(ann["attempts"])


def test_another_users_api_token_sees_nothing_of_anns(app, question, ann):
    client = TestClient(app)
    client.post("/api/users", json={"email": "bob-token@example.com", "password": PASSWORD})
    token = client.post(
        "/api/auth/token", json={"email": "bob-token@example.com", "password": PASSWORD}
    ).json()
    for method, path, response in walk(
        client, ann, question, headers={"Authorization": f"Bearer {token['token']}"}
    ):
        assert_nothing_of_anns(method, path, response, ann)
        if path.startswith(("/api/attempts/", "/api/transcriptions/")) or (
            method == "DELETE" and path.startswith("/api/tokens/")
        ):
            assert response.status_code == 404, (method, path)
    assert client.get("/api/me", headers=ann["auth"]).json()["email"] == ann["email"]


def test_an_anonymous_visitor_sees_nothing_of_anns(app, question, ann):
    visitor = Browser(app)
    csrf = visitor.csrf("/signin")
    for method, path, response in walk(visitor, ann, question, csrf=csrf):
        assert_nothing_of_anns(method, path, response, ann)
        if path in ("/history", "/settings") or path.startswith("/attempts/"):
            assert response.status_code == 303 and response.headers["location"].startswith(
                "/signin"
            )
        if path.startswith(("/api/attempts", "/api/tokens", "/api/me")):
            assert response.status_code == 401, (method, path)
