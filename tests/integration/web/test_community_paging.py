"""The community lists that grow without end come a page at a time, like the moderation queue: `limit`
(default 50, 1 to 200) and `offset`, newest (or most reported) first. The body stays the list it was before
paging, so existing clients keep working; the total over every page is the X-Total-Count header."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient

from rehearse.accounts import service as accounts

from .conftest import PASSWORD

PAGED = ["/api/notifications", "/api/suggestions/mine", "/api/community/reported-comments"]


def _account(app, role: str = "candidate") -> dict[str, str]:
    client = TestClient(app)
    email = f"pages-{uuid.uuid4().hex[:10]}@example.com"
    assert client.post("/api/users", json={"email": email, "password": PASSWORD}).status_code == 201
    if role != "candidate":
        with app.state.database.transaction(writes=True) as session:
            accounts.set_role(session, email=email, role=role)
    token = client.post("/api/auth/token", json={"email": email, "password": PASSWORD}).json()["token"]
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def busy_author(app, question):
    """An author with 3 suggestions and 5 notifications (a comment each), 4 of whose comments are reported."""
    client, author = TestClient(app), _account(app)
    ids = []
    for number in range(3):
        made = client.post(f"/api/questions/{question['id']}/suggestions", headers=author, json={
            "example_answer": f"{question['example_answer']} Paged {number} {uuid.uuid4().hex}.", "reason": "r",
            "accept_licence": True})
        assert made.status_code == 201, made.text
        ids.append(made.json()["id"])
    commenter, reporter = _account(app), _account(app)
    for number in range(5):
        comment = client.post(f"/api/suggestions/{ids[number % 3]}/comments", headers=commenter,
                              json={"body": f"Comment {number}."})
        assert comment.status_code == 201
        if number:
            assert client.post(f"/api/comments/{comment.json()['id']}/report", headers=reporter,
                               json={"reason": "Off topic."}).status_code == 204
    return author


def _walk(client: TestClient, path: str, headers: dict, limit: int) -> tuple[list, int]:
    """Every page of a list, and the total each page states."""
    items, totals, offset = [], set(), 0
    while True:
        page = client.get(path, headers=headers, params={"limit": limit, "offset": offset})
        assert page.status_code == 200, page.text
        assert isinstance(page.json(), list) and len(page.json()) <= limit
        totals.add(int(page.headers["x-total-count"]))
        items += page.json()
        offset += limit
        if not page.json():
            break
    assert len(totals) == 1, totals
    return items, totals.pop()


@pytest.mark.parametrize("path", PAGED)
def test_a_list_comes_a_page_at_a_time_and_the_pages_make_the_whole(app, busy_author, path):
    """34 notifications came in one answer and `?limit=2` was ignored."""
    client = TestClient(app)
    headers = busy_author if path != "/api/community/reported-comments" else _account(app, "editor")
    whole = client.get(path, headers=headers)
    total = int(whole.headers["x-total-count"])
    assert whole.status_code == 200 and len(whole.json()) == min(total, 50)  # the default page: 50
    pages, stated = _walk(client, path, headers, limit=2)
    assert stated == total and len(pages) == total >= 3
    assert pages[:50] == whole.json()  # in the same order, nothing twice, nothing left out
    assert client.get(path, headers=headers, params={"limit": 200}).json() == pages[:200]

def test_the_totals_count_what_the_caller_may_see(app, busy_author):
    client = TestClient(app)
    assert client.get("/api/notifications", headers=busy_author).headers["x-total-count"] == "5"
    assert client.get("/api/suggestions/mine", headers=busy_author).headers["x-total-count"] == "3"
    newcomer = _account(app)
    assert client.get("/api/notifications", headers=newcomer).headers["x-total-count"] == "0"
    assert client.get("/api/notifications", headers=newcomer).json() == []


def test_paging_leaves_the_unread_count_alone(app, busy_author):
    client = TestClient(app)
    assert client.get("/api/notifications", headers=busy_author, params={"limit": 1}).status_code == 200
    assert client.get("/api/notifications/unread", headers=busy_author).json() == {"unread": 5}


@pytest.mark.parametrize("path", PAGED)
@pytest.mark.parametrize(("name", "value"), [("limit", 0), ("limit", 201), ("limit", "abc"), ("offset", -1),
                                             ("offset", 1_000_001)])
def test_a_page_out_of_bounds_is_a_422_naming_the_parameter(app, path, name, value):
    headers = _account(app, "editor")
    refused = TestClient(app).get(path, headers=headers, params={name: value})
    assert refused.status_code == 422 and name in refused.text


@pytest.mark.parametrize("path", [*PAGED, "/api/community/queue"])
def test_the_document_says_how_to_page(app, path):
    operation = TestClient(app).get("/openapi.json").json()["paths"][path]["get"]
    parameters = {p["name"]: p["schema"] for p in operation["parameters"]}
    assert (parameters["limit"]["minimum"], parameters["limit"]["maximum"], parameters["limit"]["default"]) == (
        1, 200, 50)
    assert (parameters["offset"]["minimum"], parameters["offset"]["maximum"]) == (0, 1_000_000)
    if path != "/api/community/queue":  # the queue's body is {total, items}
        header = operation["responses"]["200"]["headers"]["X-Total-Count"]
        assert header["required"] is True and header["schema"]["type"] == "integer"
