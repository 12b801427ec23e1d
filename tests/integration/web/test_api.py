"""The JSON API: the feedback contract, attempts, tokens, and errors that are never 500s."""

import uuid

import pytest
from fastapi.testclient import TestClient

from .conftest import PASSWORD, route_paths
from .test_pages import STRONG

REPORT_KEYS = {
    "score",
    "coverage",
    "talking_points",
    "on_topic",
    "structure",
    "specificity",
    "delivery",
    "suggestions",
    "engine",
}


@pytest.fixture
def api(app):
    client = TestClient(app)
    yield client
    client.close()


@pytest.fixture
def token(api):
    email = f"api-{id(api)}@example.com"
    assert api.post("/api/users", json={"email": email, "password": PASSWORD}).status_code == 201
    issued = api.post(
        "/api/auth/token", json={"email": email, "password": PASSWORD, "name": "tests"}
    )
    assert issued.status_code == 201
    return issued.json()["token"]


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_feedback_returns_the_report_of_the_product_contract(api, question):
    response = api.post("/api/feedback", json={"question_id": question["id"], "answer": STRONG})
    assert response.status_code == 200
    report = response.json()
    assert (
        set(report) >= REPORT_KEYS and 0 <= report["score"] <= 100 and 0 <= report["coverage"] <= 1
    )
    for point in report["talking_points"]:
        assert {"point", "covered", "strength", "evidence"} <= set(point)
    assert any(p["covered"] and p["evidence"] for p in report["talking_points"])


@pytest.mark.parametrize(
    ("body", "status", "detail"),
    [
        ({"question_id": "QID", "answer": ""}, 422, "The answer is empty"),
        ({"question_id": "QID", "answer": "   "}, 422, "The answer is empty"),
        ({"question_id": "QID", "answer": "我们每周进行一对一会谈。"}, 422, "Latin alphabet"),
        ({"question_id": "QID", "answer": "x" * 100_000}, 413, "the limit is 5,000 characters"),  # not signed in
        ({"answer": "An answer."}, 422, "question_id is required"),
        ({"question_id": "QID"}, 422, "answer is required"),
        ({"question_id": 99999999, "answer": "An answer."}, 404, "no question with id 99999999"),
        ({"question_id": "seven", "answer": "An answer."}, 422, "question_id"),
        ({"question_id": "QID-as-text", "answer": "An answer."}, 422, "question_id"),  # "1" is not 1, as in mocks
        ({"question_id": True, "answer": "An answer."}, 422, "question_id"),
        ({"question_id": "QID", "answer": 12}, 422, "answer"),
        ({"question_id": "QID", "answer": "ok", "surprise": 1}, 422, "surprise"),
        ([1, 2, 3], 422, "JSON object"),
    ],
)
def test_feedback_refuses_bad_input_with_a_json_reason(api, question, body, status, detail):
    if isinstance(body, dict):
        ids = {"QID": question["id"], "QID-as-text": str(question["id"])}
        body = {k: ids.get(v, v) if isinstance(v, str) else v for k, v in body.items()}
    response = api.post("/api/feedback", json=body)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    assert detail.lower() in response.json()["detail"].lower()


@pytest.mark.parametrize(
    ("content", "kind", "status"),
    [
        (b"{not json", "application/json", 400),
        (b"", "application/json", 422),
        (b"question_id=1&answer=hi", "application/x-www-form-urlencoded", 415),  # JSON routes take JSON
        (b"\xff\xfe\x00garbage", "application/json", 400),
        (b'{"question_id": 1, "answer": "' + b"x" * 2_000_000 + b'"}', "application/json", 413),
    ],
)
def test_malformed_bodies_get_4xx_json(api, content, kind, status):
    response = api.post("/api/feedback", content=content, headers={"content-type": kind})
    assert response.status_code == status and "detail" in response.json()


@pytest.mark.parametrize("content", [
    b'{"question_id": 1, "answer": "\xff\xfe not UTF-8"}',
    b'{"question_id": ' + b"9" * 5_000 + b', "answer": "a"}',  # past the 4,300 digits Python converts
    b"[" * 100_000,  # deeper than the parser recurses
])
def test_every_body_that_is_not_json_gets_the_same_answer(api, content):
    """Bytes that are not UTF-8, a 5,000-digit number and 100,000 nested brackets got {"detail": "There was an
    error parsing the body"}, without the `errors` that other malformed JSON gets."""
    malformed = api.post("/api/feedback", content=b"{not json", headers={"content-type": "application/json"})
    response = api.post("/api/feedback", content=content, headers={"content-type": "application/json"})
    assert response.status_code == malformed.status_code == 400
    body = response.json()
    assert body.keys() == malformed.json().keys() == {"detail", "errors"}
    assert body["detail"] == malformed.json()["detail"] == "The request body is not valid JSON."
    assert [e["type"] for e in body["errors"]] == ["json_invalid"] and body["errors"][0]["loc"][0] == "body"


def test_attempts_need_an_account(api, question):
    response = api.post("/api/attempts", json={"question_id": question["id"], "answer": STRONG})
    assert response.status_code == 401 and "API token" in response.json()["detail"]
    assert api.get("/api/attempts").status_code == 401


def test_attempts_with_a_bearer_token(api, question, token):
    created = api.post(
        "/api/attempts",
        json={"question_id": question["id"], "answer": STRONG, "duration_s": 70},
        headers=bearer(token),
    )
    assert created.status_code == 201
    attempt = created.json()
    assert (
        attempt["answer"] == STRONG
        and set(attempt["report"]) >= REPORT_KEYS
        and attempt["duration_s"] == 70
    )
    again = api.post(
        "/api/attempts",
        json={
            "question_id": question["id"],
            "answer": "I would ask them to wait.",
            "previous_attempt_id": attempt["id"],
        },
        headers=bearer(token),
    ).json()
    assert again["comparison"]["previous_attempt_id"] == attempt["id"]
    assert again["comparison"]["score_change"] < 0
    listed = api.get("/api/attempts", headers=bearer(token)).json()
    assert [a["id"] for a in listed] == [again["id"], attempt["id"]]
    assert (
        api.get(f"/api/attempts/{attempt['id']}", headers=bearer(token)).json()["report"]
        == attempt["report"]
    )


def test_trying_again_names_an_earlier_attempt_of_yours_at_the_same_question(api, question, token):
    """A previous_attempt_id that is no attempt was stored as a fresh attempt with no comparison, silently."""
    first = api.post("/api/attempts", json={"question_id": question["id"], "answer": STRONG},
                     headers=bearer(token)).json()
    other_question = next(q for q in api.get("/api/questions", params={"limit": 5}).json() if q["id"] != question["id"])
    elsewhere = api.post("/api/attempts", json={"question_id": other_question["id"], "answer": STRONG},
                         headers=bearer(token)).json()
    before = len(api.get("/api/attempts", headers=bearer(token)).json())

    missing = api.post("/api/attempts", json={"question_id": question["id"], "answer": STRONG,
                                              "previous_attempt_id": 999_999}, headers=bearer(token))
    assert missing.status_code == 404 and "no attempt with id 999999" in missing.json()["detail"]
    mismatched = api.post("/api/attempts", json={"question_id": question["id"], "answer": STRONG,
                                                 "previous_attempt_id": elsewhere["id"]}, headers=bearer(token))
    assert mismatched.status_code == 422 and "same question" in mismatched.json()["detail"]
    assert len(api.get("/api/attempts", headers=bearer(token)).json()) == before  # nothing stored

    again = api.post("/api/attempts", json={"question_id": question["id"], "answer": STRONG,
                                            "previous_attempt_id": first["id"]}, headers=bearer(token))
    assert again.status_code == 201 and again.json()["comparison"]["previous_attempt_id"] == first["id"]


@pytest.mark.parametrize("transcription", [{}, {"transcription_id": None}, {"transcription_id": ""}])
def test_a_spoken_attempt_comes_from_a_transcription(api, question, token, transcription):
    """"mode": "spoken" without a recording was stored as a spoken attempt with no pace or pauses."""
    refused = api.post("/api/attempts", json={"question_id": question["id"], "answer": STRONG, "mode": "spoken",
                                              **transcription}, headers=bearer(token))
    assert refused.status_code == 422 and "A spoken answer comes from its recording" in refused.json()["detail"]
    assert api.get("/api/attempts", headers=bearer(token)).json() == []


@pytest.mark.parametrize(("path", "field", "value"), [
    ("/api/attempts", "question_id", "QID-as-text"),
    ("/api/attempts", "previous_attempt_id", "1"),
    ("/api/attempts", "duration_s", "70"),
    ("/api/mocks", "follow_ups", "yes"),
    ("/api/mocks", "follow_ups", 0),
    ("/api/mocks/N/answers", "timed_out", "yes"),
    ("/api/mocks/N/answers", "timed_out", 1),
])
def test_numbers_and_flags_are_taken_only_as_json_numbers_and_booleans(api, question, token, path, field, value):
    """"timed_out": "yes" was taken as true and "question_id": "1" as 1, while the mock API refused "5" for five
    questions: every number and flag of the API is strict, and the schema still says which type it takes."""
    headers = bearer(token)
    mock = api.post("/api/mocks", json={"role": question["role_slug"], "questions": 1}, headers=headers).json()
    bodies = {"/api/attempts": {"question_id": question["id"], "answer": STRONG},
              "/api/mocks": {"role": question["role_slug"], "questions": 1},
              "/api/mocks/N/answers": {"item_id": mock["current_item_id"], "answer": STRONG}}
    value = str(question["id"]) if value == "QID-as-text" else value
    refused = api.post(path.replace("N", str(mock["id"])), json={**bodies[path], field: value}, headers=headers)
    assert refused.status_code == 422 and [e["loc"] for e in refused.json()["errors"]] == [["body", field]]
    schema = api.get("/openapi.json").json()["components"]["schemas"]
    name = {"/api/attempts": "AttemptCreate", "/api/mocks": "MockCreate", "/api/mocks/N/answers": "MockAnswer"}[path]
    documented = schema[name]["properties"][field]
    types = {t.get("type") for t in documented.get("anyOf", [documented])}
    assert types & {"integer", "number", "boolean"}, documented


def test_tokens_list_create_revoke(api, token):
    me = api.get("/api/me", headers=bearer(token)).json()
    assert me["role"] in ("candidate", "admin")
    second = api.post("/api/tokens", json={"name": "ci"}, headers=bearer(token)).json()
    names = [t["name"] for t in api.get("/api/tokens", headers=bearer(token)).json()]
    assert {"tests", "ci"} <= set(names) and all(
        "token" not in t for t in api.get("/api/tokens", headers=bearer(token)).json()
    )
    revoked = api.delete(f"/api/tokens/{second['id']}", headers=bearer(token))
    assert revoked.status_code == 204 and revoked.content == b""
    assert api.get("/api/me", headers=bearer(second["token"])).status_code == 401
    listed = {t["id"]: t for t in api.get("/api/tokens", headers=bearer(token)).json()}
    assert listed[second["id"]]["revoked_at"]  # still listed, with when it was revoked
    again = api.delete(f"/api/tokens/{second['id']}", headers=bearer(token))
    assert again.status_code == 404 and again.json()["detail"] == f"Your token with id {second['id']} was revoked already."
    unknown = api.delete("/api/tokens/999999", headers=bearer(token))
    assert unknown.status_code == 404 and unknown.json()["detail"] == "You have no token with id 999999."
    assert api.get("/api/me", headers=bearer("rh_made-up")).status_code == 401


def test_a_bad_or_revoked_token_is_refused_on_public_routes_too(api, token):
    """Public routes answered a made-up or revoked token as if the caller were anonymous, so a client did not
    learn its token was gone until its first private call (and kept nothing of what it did meanwhile)."""
    second = api.post("/api/tokens", json={"name": "old laptop"}, headers=bearer(token)).json()
    assert api.delete(f"/api/tokens/{second['id']}", headers=bearer(token)).status_code == 204
    question_id = api.get("/api/questions").json()[0]["id"]
    for method, path, body in (("GET", "/api/roles", None), ("GET", "/api/questions", None),
                               ("GET", f"/api/questions/{question_id}", None), ("GET", "/api/speech", None),
                               ("POST", "/api/feedback", {"question_id": question_id, "answer": "I would."})):
        for secret in ("rh_made-up", second["token"]):
            refused = api.request(method, path, json=body, headers=bearer(secret))
            assert refused.status_code == 401, (path, refused.text)
            assert refused.headers["www-authenticate"] == "Bearer" and "revoked" in refused.json()["detail"]
        assert api.request(method, path, json=body, headers=bearer(token)).status_code == 200, path
        assert api.request(method, path, json=body).status_code == 200, path  # anonymous callers are welcome
    # signing in again with the stale token still attached is how a client gets a new one
    email = api.get("/api/me", headers=bearer(token)).json()["email"]
    fresh = api.post("/api/auth/token", json={"email": email, "password": PASSWORD}, headers=bearer(second["token"]))
    assert fresh.status_code == 201, fresh.text


@pytest.mark.parametrize("header", ["Bearer", "Bearer ", "Bearer    ", "bearer \t"])
def test_an_empty_bearer_token_is_refused_like_any_token_that_is_not_valid(api, header):
    """`Authorization: Bearer` with nothing after it was served as an anonymous caller (200)."""
    for method, path, body in (("GET", "/api/roles", None), ("GET", "/api/me", None),
                               ("POST", "/api/feedback", {"question_id": 1, "answer": "I would."})):
        refused = api.request(method, path, json=body, headers={"Authorization": header})
        assert refused.status_code == 401, (header, path, refused.text)
        assert refused.headers["www-authenticate"] == "Bearer"
        assert refused.json() == {"detail": "The API token is not valid or has been revoked."}


def test_token_endpoint_refuses_wrong_passwords(api, token):
    response = api.post(
        "/api/auth/token", json={"email": "nobody@example.com", "password": "wrong password"}
    )
    assert response.status_code == 401 and "not right" in response.json()["detail"]


def test_sign_up_conflicts_and_bad_input(api):
    body = {"email": "dup@example.com", "password": PASSWORD}
    assert api.post("/api/users", json=body).status_code == 201
    assert api.post("/api/users", json=body).status_code == 409
    assert api.post("/api/users", json={"email": "x", "password": PASSWORD}).status_code == 422


@pytest.mark.parametrize("password", [" " * 10, " \t" * 8, "\n" * 12])
def test_a_password_of_only_spaces_is_refused_with_a_reason(api, password):
    refused = api.post("/api/users", json={"email": f"{uuid.uuid4().hex[:8]}@example.com", "password": password})
    assert refused.status_code == 422 and "more than spaces" in refused.json()["detail"]
    assert [e["loc"] for e in refused.json()["errors"]] == [["body", "password"]]


def test_every_field_problem_of_a_sign_up_is_reported_in_the_documented_shape(api):
    refused = api.post("/api/users", json={"email": "notanemail", "password": "short"})
    assert refused.status_code == 422
    body = refused.json()
    assert body["detail"] == ("Email: Enter a valid e-mail address, like name@example.com; "
                              "password: Use a password of at least 10 characters.")
    assert body["errors"] == [
        {"loc": ["body", "email"], "msg": "Enter a valid e-mail address, like name@example.com.", "type": "value_error"},
        {"loc": ["body", "password"], "msg": "Use a password of at least 10 characters.", "type": "value_error"},
    ]
    # the same shape as a schema-level problem, alongside it
    mixed = api.post("/api/users", json={"email": "notanemail", "password": PASSWORD, "role": "admin"}).json()
    assert {tuple(e["loc"]) for e in mixed["errors"]} == {("body", "email"), ("body", "role")}


def test_cookie_sessions_need_the_csrf_header_for_api_writes(browser, question):
    browser.sign_up()
    body = {"question_id": question["id"], "answer": STRONG}
    refused = browser.post("/api/attempts", json=body)
    assert refused.status_code == 403 and "X-CSRF-Token" in refused.json()["detail"]
    accepted = browser.post("/api/attempts", json=body, headers=browser.page_csrf_header())
    assert accepted.status_code == 201


def test_openapi_describes_every_api_route(api, app):
    spec = api.get("/openapi.json").json()
    documented = set(spec["paths"])
    api_paths = {path for path in route_paths(app.routes) if path.startswith("/api/")}
    assert api_paths and api_paths <= documented, api_paths - documented
    assert "/api/feedback" in documented and "/api/attempts" in documented
    assert not any(p.startswith(("/practice", "/signin")) for p in documented)


def test_openapi_says_which_operations_need_the_api_token(api):
    spec = api.get("/openapi.json").json()
    assert spec["components"]["securitySchemes"]["bearerToken"] == {
        "type": "http", "scheme": "bearer", "description": spec["components"]["securitySchemes"]["bearerToken"][
            "description"]}
    assert "Authorization: Bearer" in spec["components"]["securitySchemes"]["bearerToken"]["description"]
    operations = spec["paths"]
    needs_token = [{"bearerToken": []}]
    assert operations["/api/me"]["get"]["security"] == needs_token
    assert operations["/api/tokens/{token_id}"]["delete"]["security"] == needs_token
    assert operations["/api/community/users"]["get"]["security"] == needs_token  # admins: still the token
    assert operations["/api/feedback"]["post"]["security"] == [{}, {"bearerToken": []}]  # anyone; a token keeps it
    assert operations["/api/users"]["post"]["security"] == []  # signing up and getting a token need none
    assert operations["/api/auth/token"]["post"]["security"] == []
    assert "security" not in operations["/healthz"]["get"]
    for path, methods in operations.items():
        for method, operation in methods.items():
            if path.startswith("/api/"):
                assert "security" in operation, f"{method.upper()} {path} does not say whether it needs the token"


def test_schema_names_are_clean_and_distinct(api):
    names = set(api.get("/openapi.json").json()["components"]["schemas"])
    assert not [name for name in names if "__" in name], "module paths leak into schema names"
    assert {"AccountRead", "UserRead"} <= names  # your own account; a member as an admin sees them


def test_api_errors_are_json_and_pages_are_html(api):
    assert api.get("/api/questions/999999").headers["content-type"] == "application/json"
    assert api.get("/api/nothing-here").json()["detail"]
    assert api.get("/nothing-here").headers["content-type"].startswith("text/html")
    assert api.put("/api/feedback").status_code == 405


def test_name_and_password_through_the_api(api, make_browser):
    email = f"renamer-{uuid.uuid4().hex[:8]}@example.com"
    assert api.post("/api/users", json={"email": email, "password": PASSWORD}).status_code == 201
    headers = bearer(api.post("/api/auth/token", json={"email": email, "password": PASSWORD}).json()["token"])
    renamed = api.patch("/api/me", json={"display_name": "Grace H."}, headers=headers)
    assert renamed.status_code == 200 and renamed.json()["display_name"] == "Grace H."
    blank = api.patch("/api/me", json={"display_name": " "}, headers=headers)
    assert blank.status_code == 422 and blank.json()["errors"][0]["loc"] == ["body", "display_name"]

    signed_in = make_browser()
    assert signed_in.sign_in(email).status_code == 303
    change = {"current_password": PASSWORD, "new_password": "another password 42"}
    wrong = api.post("/api/me/password", json={**change, "current_password": "not the one"}, headers=headers)
    assert wrong.status_code == 403 and wrong.json()["detail"] == "Your current password is not right."
    spaces = api.post("/api/me/password", json={**change, "new_password": " " * 12}, headers=headers)
    assert spaces.status_code == 422 and spaces.json()["errors"][0]["loc"] == ["body", "new_password"]
    assert api.post("/api/me/password", json=change, headers=headers).status_code == 204
    # the browser's session ended; the token, a separate credential, still works
    assert signed_in.get("/history", follow_redirects=False).status_code == 303
    assert api.get("/api/me", headers=headers).status_code == 200
    assert api.post("/api/auth/token", json={"email": email, "password": "another password 42"}).status_code == 201


@pytest.mark.parametrize("name", ["\u200b", "\u2060\u00a0", " ", ""])
def test_a_token_name_that_shows_nothing_is_refused_with_a_reason(api, token, name):
    """A token named with zero-width spaces was made (201) and listed on the settings page as nothing."""
    refused = api.post("/api/tokens", json={"name": name}, headers=bearer(token))
    assert refused.status_code == 422 and "Give the token a name that shows something" in refused.json()["detail"]
    assert refused.json()["errors"][0]["loc"] == ["body", "name"]
    assert [t["name"] for t in api.get("/api/tokens", headers=bearer(token)).json()] == ["tests"]
    email = api.get("/api/me", headers=bearer(token)).json()["email"]
    issued = api.post("/api/auth/token", json={"email": email, "password": PASSWORD, "name": name})
    assert issued.status_code == 422 and issued.json()["errors"][0]["loc"] == ["body", "name"]
    assert api.post("/api/tokens", json={}, headers=bearer(token)).json()["name"] == "API token"


def test_the_settings_form_names_a_token_that_shows_nothing_api_token(browser):
    browser.sign_up()
    made = browser.post("/settings/tokens", data={"csrf_token": browser.csrf("/settings"), "name": "\u200b\u2060"})
    assert made.status_code == 200
    assert [t["name"] for t in browser.get("/api/tokens").json()] == ["API token"]
