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
    "/mock",
    "/mocks/{mock_id}",
    "/mocks/{mock_id}/answer",
    "/mocks/{mock_id}/stories",
    "/mocks/{mock_id}/resume",
    "/mocks/{mock_id}/share",
    "/mocks/{mock_id}/abandon",
    "/shared/mocks/{token}",
    "/api/mocks",
    "/api/mocks/{mock_id}",
    "/api/mocks/{mock_id}/answers",
    "/api/mocks/{mock_id}/resume",
    "/api/mocks/{mock_id}/share",
    "/progress",
    "/api/progress",
    "/stories",
    "/stories/{story_id}",
    "/stories/{story_id}/delete",
    "/stories/{story_id}/score",
    "/api/stories",
    "/api/stories/suggestions",
    "/api/stories/{story_id}",
    "/api/stories/{story_id}/score",
    "/practice/{question_id}/stories",
    "/account/data",
    "/account/data.json",
    "/account/delete",
    "/api/me/data",
    "/api/me/account",
    "/plans",
    "/plans/{plan_id}",
    "/plans/{plan_id}/review",
    "/plans/{plan_id}/mock",
    "/plans/{plan_id}/delete",
    "/api/plans",
    "/api/plans/{plan_id}",
    "/api/plans/{plan_id}/review",
    "/api/plans/{plan_id}/mock",
    "/prep-sheets/{role_ref}",
    "/prep-sheets/{role_ref}.pdf",
}


@pytest.fixture
def ann(app, question):
    marker = f"MARKER-{uuid.uuid4().hex[:8]}"
    browser = Browser(app)
    email = browser.sign_up()
    location = browser.answer(question["id"], ANSWER.format(marker=marker)).headers["location"]
    attempt_id = int(location.rsplit("/", 1)[1])
    headers = browser.page_csrf_header()
    role = question["role_slug"]
    done = browser.post("/api/mocks", json={"role": role, "questions": 1, "follow_ups": False}, headers=headers).json()
    browser.post(f"/api/mocks/{done['id']}/answers", headers=headers,
                 json={"item_id": done["current_item_id"], "answer": ANSWER.format(marker=marker)})
    token = browser.post(f"/api/mocks/{done['id']}/share", headers=headers).json()["share_url"].rsplit("/", 1)[1]
    open_mock = browser.post("/api/mocks", json={"role": role, "questions": 2}, headers=headers).json()
    story = browser.post("/api/stories", headers=headers, json={
        "title": f"Story {marker}", "action": f"I ranked every request ({marker}) against company priorities."}).json()
    posting = (f"Engineering Manager, Platform ({marker})\nYou will own how the platform team takes requests from "
               "several product teams: rank competing requests against company priorities, explain the trade-offs "
               "to the teams that wait, and build self-service tooling.\nYou will hire engineers and run the "
               "on-call rotation.")
    plan = browser.post("/api/plans", json={"posting": posting}, headers=headers).json()
    due_before = browser.get("/api/review/upcoming", params={"days": 365}).json()
    yield {"browser": browser, "marker": marker, "email": email, "attempt": attempt_id, "upcoming": due_before,
           "mock": open_mock["id"], "item": open_mock["current_item_id"], "done": done["id"], "token": token,
           "state": state_of(browser, open_mock["id"], done["id"]), "story": story["id"], "question": question["id"],
           "stories": browser.get("/api/stories").json(), "plan": plan["id"],
           "plans": browser.get("/api/plans").json(), "role": role}
    browser.close()


def state_of(browser, *mock_ids):
    """What Ann sees of her mocks (less the running clock): nobody else may change it."""
    states = [browser.get(f"/api/mocks/{m}").json() for m in mock_ids]
    for state in states:
        for item in state["items"]:
            item.pop("seconds_left")
    return states


def walk(client, ann, csrf):
    a, m, done, s, q, p = ann["attempt"], ann["mock"], ann["done"], ann["story"], ann["question"], ann["plan"]
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
        ("GET", "/mock", {}),
        ("POST", "/mock", {"data": {"csrf_token": csrf, "role": "1", "questions": "1", "minutes": "1"}}),
        ("GET", f"/mocks/{m}", {}),
        ("GET", f"/mocks/{done}", {}),
        ("GET", f"/mocks/{m}/stories", {"params": {"item": ann["item"]}}),  # the caller's own stories, never Ann's
        ("POST", f"/mocks/{m}/answer", {"data": {"csrf_token": csrf, "item_id": str(ann["item"]), "answer": "x"}}),
        ("POST", f"/mocks/{m}/resume", {"data": {"csrf_token": csrf}}),
        ("POST", f"/mocks/{done}/share", {"data": {"csrf_token": csrf, "action": "revoke"}}),
        ("GET", f"/mocks/{m}/abandon", {}),
        ("POST", f"/mocks/{m}/abandon", {"data": {"csrf_token": csrf}}),
        ("DELETE", f"/api/mocks/{m}", {"headers": api_headers}),
        ("GET", "/api/mocks", {}),
        ("POST", "/api/mocks", {"json": {"role": "1", "questions": 1}, "headers": api_headers}),
        ("GET", f"/api/mocks/{m}", {}),
        ("GET", f"/api/mocks/{done}", {}),
        ("POST", f"/api/mocks/{m}/answers", {"json": {"item_id": ann["item"], "answer": "x"}, "headers": api_headers}),
        ("POST", f"/api/mocks/{m}/resume", {"headers": api_headers}),
        ("POST", f"/api/mocks/{done}/share", {"headers": api_headers}),
        ("DELETE", f"/api/mocks/{done}/share", {"headers": api_headers}),
        ("GET", f"/shared/mocks/{ann['token']}", {}),
        ("GET", "/progress", {}),
        ("GET", "/api/progress", {}),
        ("GET", "/stories", {}),
        ("POST", "/stories", {"data": {"csrf_token": csrf, "title": "Bob's", "action": "x"}}),
        ("GET", f"/stories/{s}", {}),
        ("POST", f"/stories/{s}", {"data": {"csrf_token": csrf, "title": "Bob was here", "action": "x"}}),
        ("GET", f"/stories/{s}/score", {"params": {"question_id": q}}),
        ("GET", f"/practice/{q}", {}),  # the practice page suggests the caller's own stories only
        ("GET", f"/practice/{q}/stories", {}),  # which it loads from here, once shown
        ("GET", "/api/stories", {}),
        ("POST", "/api/stories", {"json": {"title": "Bob's", "action": "x"}, "headers": api_headers}),
        ("GET", "/api/stories/suggestions", {"params": {"question_id": q}}),
        ("GET", f"/api/stories/{s}", {}),
        ("PUT", f"/api/stories/{s}", {"json": {"title": "Bob was here", "action": "x"}, "headers": api_headers}),
        ("POST", f"/api/stories/{s}/score", {"json": {"question_id": q}}),
        ("DELETE", f"/api/stories/{s}", {"headers": api_headers}),
        ("GET", f"/stories/{s}/delete", {}),
        ("POST", f"/stories/{s}/delete", {"data": {"csrf_token": csrf}}),
        ("GET", "/plans", {}),
        ("POST", "/plans", {"data": {"csrf_token": csrf, "posting": "short"}}),
        ("GET", f"/plans/{p}", {}),
        ("POST", f"/plans/{p}/review", {"data": {"csrf_token": csrf}}),
        ("POST", f"/plans/{p}/mock", {"data": {"csrf_token": csrf}}),
        ("GET", "/api/plans", {}),
        ("POST", "/api/plans", {"json": {"posting": "short"}, "headers": api_headers}),
        ("GET", f"/api/plans/{p}", {}),
        ("POST", f"/api/plans/{p}/review", {"headers": api_headers}),
        ("POST", f"/api/plans/{p}/mock", {"headers": api_headers}),
        ("GET", f"/plans/{p}/delete", {}),
        ("POST", f"/plans/{p}/delete", {"data": {"csrf_token": csrf}}),
        ("DELETE", f"/api/plans/{p}", {"headers": api_headers}),
        ("GET", f"/prep-sheets/{ann['role']}", {}),
        ("GET", f"/prep-sheets/{ann['role']}.pdf", {}),
        ("GET", "/account/data", {}),
        ("GET", "/account/data.json", {}),
        ("GET", "/api/me/data", {}),
        # Loading a document goes into the caller's own account only (an empty one is refused).
        ("POST", "/account/data", {"data": {"csrf_token": csrf}}),
        ("POST", "/api/me/data", {"json": {}, "headers": api_headers}),
        ("POST", "/account/delete", {"data": {"csrf_token": csrf, "password": "guess guess guess"}}),
        ("DELETE", "/api/me/account", {"params": {"confirm": "ann@example.com"}, "headers": api_headers}),
    ]
    for method, path, kwargs in calls:
        yield method, path, client.request(method, path, follow_redirects=False, **kwargs)


def assert_nothing_of_anns(method, path, response, ann):
    assert response.status_code < 500, (method, path, response.status_code)
    if path.startswith("/shared/"):
        # The link Ann chose to share: her report, whose suggestions may quote her answer; never her account.
        assert ann["email"] not in response.text and "/settings" not in response.text.split("</header>")[-1]
        return
    assert ann["marker"] not in response.text, f"{method} {path} leaked Ann's answer"
    assert f"/attempts/{ann['attempt']}" not in response.text, f"{method} {path} links Ann's attempt"


def names(path, kind, id_):
    """Whether the path addresses that record: `/mocks/1/answers` names mock 1, `/shared/mocks/1abc` does not."""
    segments = path.split("?")[0].split("/")
    return any(a == kind and b == str(id_) for a, b in zip(segments, segments[1:], strict=False))


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
    for (method, path), status in statuses.items():
        if names(path, "mocks", ann["mock"]) or names(path, "mocks", ann["done"]):
            assert status == 404, (method, path, status)
    assert statuses[("GET", f"/shared/mocks/{ann['token']}")] == 200  # the link is for whoever has it
    assert statuses[("GET", f"/practice/{ann['question']}/stories")] == 200  # Bob's own stories: none
    assert statuses[("POST", "/api/me/data")] == statuses[("POST", "/account/data")] == 422
    assert ann["done"] not in [m["id"] for m in bob.get("/api/mocks").json()]
    assert bob.get("/api/progress").json()["totals"]["attempts"] == 0
    for (method, path), status in statuses.items():
        if names(path, "stories", ann["story"]) or names(path, "plans", ann["plan"]):
            assert status == 404, (method, path, status)
    assert bob.get("/api/review/upcoming", params={"days": 365}).json() == [
        {**day, "due": 0} for day in bob.get("/api/review/upcoming", params={"days": 365}).json()]
    # Ann's schedule and mocks are as they were.
    assert ann["browser"].get("/api/review/upcoming", params={"days": 365}).json() == ann["upcoming"]
    assert state_of(ann["browser"], ann["mock"], ann["done"]) == ann["state"]
    assert ann["browser"].get("/api/stories").json() == ann["stories"]
    assert ann["browser"].get("/api/plans").json() == ann["plans"]
    assert bob.get("/api/review/due").json()["count"] == 0  # Ann's plan fed nobody's queue


def test_an_anonymous_visitor_is_sent_to_sign_in(app, ann):
    visitor = Browser(app)
    csrf = visitor.csrf("/signin")
    for method, path, response in walk(visitor, ann, csrf):
        assert_nothing_of_anns(method, path, response, ann)
        if path.startswith("/shared/") or (path.startswith("/practice/") and not path.endswith("/stories")):
            assert response.status_code == 200  # a shared link, and practice, are open to everyone
        elif path.startswith("/api/"):
            assert response.status_code == 401, (method, path)
        else:
            assert response.status_code == 303 and response.headers["location"].startswith("/signin"), (method, path)
    assert ann["browser"].get("/api/review/upcoming", params={"days": 365}).json() == ann["upcoming"]
    assert state_of(ann["browser"], ann["mock"], ann["done"]) == ann["state"]
    assert ann["browser"].get("/api/stories").json() == ann["stories"]


def test_a_revoked_link_is_gone_for_everyone(app, ann):
    headers = ann["browser"].page_csrf_header()
    ann["browser"].delete(f"/api/mocks/{ann['done']}/share", headers=headers)
    assert Browser(app).get(f"/shared/mocks/{ann['token']}").status_code == 404
