"""Small hostile inputs get a clear 4xx, never a 500: huge numbers, NUL bytes, lone surrogates."""

from __future__ import annotations

import re
import uuid

import pytest
from fastapi.testclient import TestClient

from rehearse.web.routes import api_routes

from .conftest import PASSWORD, Browser

HUGE = [2**63, 2**64 + 7, 3_000_000_000, -1]  # past SQLite's INTEGER, past PostgreSQL's integer, negative


@pytest.fixture(scope="module")
def signed_in(app):
    """A browser signed in with a session cookie, and an API token of the same account."""
    browser = Browser(app)
    email = browser.sign_up(f"hostile-{uuid.uuid4().hex[:8]}@example.com")
    token = TestClient(app).post("/api/auth/token", json={"email": email, "password": PASSWORD}).json()["token"]
    yield browser, token
    browser.close()


def _int_routes(app):
    """(method, path template, int path params, int query params) of every route with numbers in it."""
    found = []
    for full_path, route in api_routes(app):
        path_ints = [p.name for p in route.dependant.path_params if p.field_info.annotation in (int, int | None)]
        query_ints = [p.alias for p in route.dependant.query_params if p.field_info.annotation in (int, int | None)]
        if path_ints or query_ints:
            for method in sorted(route.methods - {"HEAD"}):
                found.append((method, full_path, path_ints, query_ints))
    return found


def test_there_are_numeric_routes_to_walk(app):
    assert len(_int_routes(app)) >= 8


@pytest.mark.parametrize("number", HUGE)
def test_no_number_in_any_path_or_query_gives_a_500(app, signed_in, number):
    browser, token = signed_in
    csrf = browser.csrf("/settings")
    bad = []
    for method, template, path_ints, query_ints in _int_routes(app):
        path = re.sub(r"\{(\w+)(:\w+)?\}", lambda m, ints=path_ints: str(number) if m.group(1) in ints else "x",
                      template)
        params = {name: number for name in query_ints}
        headers = {"Authorization": f"Bearer {token}"} if template.startswith("/api/") else {}
        data = None if template.startswith("/api/") else {"csrf_token": csrf}
        response = browser.request(method, path, params=params, headers=headers, data=data, follow_redirects=False)
        if response.status_code >= 500:
            bad.append((method, path, params, response.status_code))
    assert bad == []


@pytest.mark.parametrize("text", ["\x00", "a\x00b", "\ud800", "x\udfffy"])
def test_nul_and_lone_surrogates_in_json_are_refused_with_400(app, signed_in, question, text):
    _, token = signed_in
    client = TestClient(app)
    auth = {"Authorization": f"Bearer {token}"}
    cases = [
        ("/api/users", {"email": f"a{text}@example.com", "password": PASSWORD, "display_name": text}, {}),
        ("/api/auth/token", {"email": f"a{text}@example.com", "password": PASSWORD}, {}),
        ("/api/tokens", {"name": text}, auth),
        ("/api/feedback", {"question_id": question["id"], "answer": f"My answer {text} here."}, {}),
        ("/api/attempts", {"question_id": question["id"], "answer": f"My answer {text} here."}, auth),
    ]
    for path, body, headers in cases:
        # json= would refuse to encode a lone surrogate; ensure_ascii writes it as a \\u escape.
        import json

        response = client.post(path, content=json.dumps(body), headers={**headers, "content-type": "application/json"})
        assert response.status_code == 400, (path, response.status_code, response.text)
        assert "NUL character or an unpaired surrogate" in response.json()["detail"]


def test_a_valid_surrogate_pair_is_just_an_emoji(app, question):
    response = TestClient(app).post(
        "/api/feedback",
        content='{"question_id": ' + str(question["id"])
        + ', "answer": "We shipped it \\ud83d\\ude80 in three phases with clear OKRs."}',
        headers={"content-type": "application/json"},
    )
    assert response.status_code == 200


def test_nul_in_urls_and_forms_is_refused_with_400(app, browser):
    for path in ["/search?q=a%00b", "/roles/a%00b", "/api/questions?role=x%00", "/api/questions?competency=%00"]:
        assert browser.get(path).status_code == 400, path
    form = browser.post("/signup", data={"csrf_token": browser.csrf("/signup"), "email": "n\x00@example.com",
                                         "password": PASSWORD, "display_name": "x\x00"})
    assert form.status_code == 400 and "NUL character" in form.text
    assert 'href="/signin"' in form.text  # the site's own error page, with its navigation, not a bare one


def test_nul_in_a_signed_in_form_gets_an_error_page_that_knows_who_is_signed_in(app, browser, question):
    email = browser.sign_up()
    response = browser.post(f"/practice/{question['id']}",
                            data={"csrf_token": browser.csrf(f"/practice/{question['id']}"),
                                  "answer": "My answer\x00 here."})
    assert response.status_code == 400 and "NUL character" in response.text
    assert "data-user" in response.text and browser.get("/api/me").json()["email"] == email


def test_nul_in_a_multipart_form_is_stopped_before_the_database(app, browser):
    """Multipart bodies pass the edge check (recordings are binary); the storage layer refuses."""
    response = browser.post(
        "/signup",
        files={"csrf_token": (None, browser.csrf("/signup")), "email": (None, "mp@example.com"),
               "password": (None, PASSWORD), "display_name": (None, "nul\x00name")},
    )
    assert response.status_code == 400, response.text
