"""Review, mocks, progress and stories are their owner's alone: every route walked as anonymous, Ann and Bob.

Ann practises, so she has a review card. Then Bob (signed in) and an anonymous visitor call every
route of these features, pointed at Ann's ids: nothing of Ann's may come back, nothing of hers may
change, and anonymous callers are sent to sign in (pages) or refused (API).
"""

import re
import uuid

import pytest

from .conftest import Browser

ANSWER = ("First, I would put every request in one visible list ({marker}). Then I would rank it with the product "
          "leads against company priorities, and explain the trade-offs to every waiting team.")

# Every route these features add; test_privacy.py checks that the app has no route nobody walks.
PREPARATION_ROUTES = {
    "/review",
    "/review/next",
    "/review/optimise",
    "/attempts/{attempt_id}/rating",
    "/api/review/due",
    "/api/review/upcoming",
    "/api/review/attempts/{attempt_id}/rating",
    "/api/review/optimise",
}


@pytest.fixture
def ann(app, question):
    marker = f"MARKER-{uuid.uuid4().hex[:8]}"
    browser = Browser(app)
    browser.sign_up()
    location = browser.answer(question["id"], ANSWER.format(marker=marker)).headers["location"]
    attempt_id = int(location.rsplit("/", 1)[1])
    due_before = browser.get("/api/review/upcoming", params={"days": 365}).json()
    yield {"browser": browser, "marker": marker, "attempt": attempt_id, "upcoming": due_before}
    browser.close()


def walk(client, ann, csrf):
    a = ann["attempt"]
    api_headers = {"X-CSRF-Token": csrf} if csrf else {}
    calls = [
        ("GET", "/review", {}),
        ("GET", "/review/next", {}),
        ("POST", "/review/optimise", {"data": {"csrf_token": csrf}}),
        ("POST", f"/attempts/{a}/rating", {"data": {"csrf_token": csrf, "rating": "easy"}}),
        ("GET", "/api/review/due", {}),
        ("GET", "/api/review/upcoming", {}),
        ("PUT", f"/api/review/attempts/{a}/rating", {"json": {"rating": "easy"}, "headers": api_headers}),
        ("POST", "/api/review/optimise", {"headers": api_headers}),
    ]
    for method, path, kwargs in calls:
        yield method, path, client.request(method, path, follow_redirects=False, **kwargs)


def assert_nothing_of_anns(method, path, response, ann):
    assert response.status_code < 500, (method, path, response.status_code)
    assert ann["marker"] not in response.text, f"{method} {path} leaked Ann's answer"
    assert f"/attempts/{ann['attempt']}" not in response.text, f"{method} {path} links Ann's attempt"


def test_bob_sees_and_changes_nothing_of_anns(app, ann):
    bob = Browser(app)
    bob.sign_up()
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', bob.get("/settings").text).group(1)
    statuses = {}
    for method, path, response in walk(bob, ann, csrf):
        assert_nothing_of_anns(method, path, response, ann)
        statuses[(method, path)] = response.status_code
    assert statuses[("POST", f"/attempts/{ann['attempt']}/rating")] == 404
    assert statuses[("PUT", f"/api/review/attempts/{ann['attempt']}/rating")] == 404
    assert bob.get("/api/review/upcoming", params={"days": 365}).json() == [
        {**day, "due": 0} for day in bob.get("/api/review/upcoming", params={"days": 365}).json()]
    # Ann's schedule is as it was.
    assert ann["browser"].get("/api/review/upcoming", params={"days": 365}).json() == ann["upcoming"]


def test_an_anonymous_visitor_is_sent_to_sign_in(app, ann):
    visitor = Browser(app)
    csrf = visitor.csrf("/signin")
    for method, path, response in walk(visitor, ann, csrf):
        assert_nothing_of_anns(method, path, response, ann)
        if path.startswith("/api/"):
            assert response.status_code == 401, (method, path)
        else:
            assert response.status_code == 303 and response.headers["location"].startswith("/signin"), (method, path)
    assert ann["browser"].get("/api/review/upcoming", params={"days": 365}).json() == ann["upcoming"]
