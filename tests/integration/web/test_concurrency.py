"""Many requests at once: no request may wait on the connection pool for a second connection.

Each request holds at most one pooled connection at a time, so however many requests run
together, none can deadlock waiting for a connection that another waiting request holds.
"""

from __future__ import annotations

import threading
import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from rehearse.practice.models import Attempt
from rehearse.settings import Settings

from .conftest import PASSWORD

SAVERS = 40  # the anyio thread pool's size: every request thread busy at once


@pytest.fixture(scope="module")
def settings(database_url, tmp_path_factory) -> Settings:
    # The lexical backend scores in milliseconds, so the test measures waiting, not scoring.
    return Settings(
        data_dir=tmp_path_factory.mktemp("data"),
        database_url=database_url,
        secret_key="k" * 48,
        feedback_backend="lexical",
    )


def _tokens(app, count: int) -> list[str]:
    client = TestClient(app)
    tokens = []
    for _ in range(count):
        email = f"saver-{uuid.uuid4().hex[:10]}@example.com"
        assert client.post("/api/users", json={"email": email, "password": PASSWORD}).status_code == 201
        issued = client.post("/api/auth/token", json={"email": email, "password": PASSWORD})
        assert issued.status_code == 201, issued.text
        tokens.append(issued.json()["token"])
    return tokens


def _run_together(count: int, work) -> list:
    """Run work(i) in `count` threads released at the same moment; returns results in order."""
    results: list = [None] * count
    start = threading.Barrier(count)

    def run(index: int) -> None:
        start.wait()
        try:
            results[index] = work(index)
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            results[index] = error

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_forty_concurrent_savers_all_succeed_and_are_stored(app, question):
    tokens = _tokens(app, 4)
    database = app.state.database

    def save(index: int):
        client = TestClient(app)
        return client.post(
            "/api/attempts",
            json={"question_id": question["id"], "answer": f"Attempt {index}: I would start with a roadmap."},
            headers={"Authorization": f"Bearer {tokens[index % len(tokens)]}"},
        )

    responses = _run_together(SAVERS, save)
    failures = [r if isinstance(r, Exception) else (r.status_code, r.text[:200]) for r in responses
                if isinstance(r, Exception) or r.status_code != 201]
    assert failures == []
    ids = {r.json()["id"] for r in responses}
    assert len(ids) == SAVERS
    with database.transaction() as session:
        stored = session.scalar(select(func.count(Attempt.id)).where(Attempt.id.in_(ids)))
    assert stored == SAVERS


def test_concurrent_page_views_and_saves_by_signed_in_browsers(app, question, make_browser):
    """Pages that resolve the user and then read more must not take a second connection either."""
    tokens = _tokens(app, 2)

    def work(index: int):
        client = TestClient(app)
        headers = {"Authorization": f"Bearer {tokens[index % 2]}"}
        if index % 2:
            return client.get(f"/api/attempts?question_id={question['id']}", headers=headers)
        return client.post(
            "/api/attempts",
            json={"question_id": question["id"], "answer": "We phased the roadmap over a year."},
            headers=headers,
        )

    responses = _run_together(SAVERS, work)
    bad = [r if isinstance(r, Exception) else r.status_code for r in responses
           if isinstance(r, Exception) or r.status_code >= 400]
    assert bad == []


def test_a_token_s_last_use_is_still_noted_after_the_request_s_own_connection_is_back(app):
    token = _tokens(app, 1)[0]
    client = TestClient(app)
    assert client.get("/api/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    listed = client.get("/api/tokens", headers={"Authorization": f"Bearer {token}"}).json()
    assert listed[0]["last_used_at"] is not None


@pytest.mark.parametrize("texts", [("One tab's answer.", "Another tab's answer."), ("The same answer.",) * 2])
def test_two_answers_to_one_mock_question_at_once_keep_one_and_never_drop_the_other_silently(app, question, texts):
    """Both were answered 200 and one text was lost. A different text is refused (409), the same one is the
    same answer sent twice (200); either way one answer is kept, and recorded once."""
    from rehearse.mock.models import MockItem

    token = _tokens(app, 1)[0]
    headers = {"Authorization": f"Bearer {token}"}
    client = TestClient(app)
    mock = client.post("/api/mocks", json={"role": question["role_slug"], "questions": 2, "follow_ups": False},
                       headers=headers).json()
    item = mock["current_item_id"]

    def send(index: int):
        return TestClient(app).post(f"/api/mocks/{mock['id']}/answers", json={"item_id": item, "answer": texts[index]},
                                    headers=headers)

    responses = _run_together(2, send)
    assert not [r for r in responses if isinstance(r, Exception)], responses
    statuses = sorted(r.status_code for r in responses)
    assert statuses == ([200, 200] if texts[0] == texts[1] else [200, 409])
    kept = [texts[i] for i, r in enumerate(responses) if r.status_code == 200][0]
    with app.state.database.transaction() as session:
        assert session.get(MockItem, item).answer == kept
        assert session.scalar(select(func.count(Attempt.id)).where(Attempt.answer.in_(texts))) == 1
    refused = [r for r in responses if r.status_code == 409]
    assert all("already answered" in r.json()["detail"] for r in refused)


def test_the_mock_start_form_sent_twice_at_once_starts_one_mock(app, question, make_browser):
    """A double click sends the page's form twice, at once: its one-time key lets one of them start a mock, and
    sends both to it."""
    import re

    ann = make_browser()
    ann.sign_up()
    page = ann.get(f"/mock?role={question['role_slug']}").text
    form = {"csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page).group(1),
            "form_key": re.search(r'name="form_key" value="([^"]+)"', page).group(1),
            "role": re.search(r'<option value="(\d+)" selected', page).group(1), "questions": "2", "minutes": "1"}
    responses = _run_together(2, lambda _: ann.post("/mock", data=form, follow_redirects=False))
    assert [r.status_code for r in responses] == [303, 303], responses
    assert responses[0].headers["location"] == responses[1].headers["location"]
    assert [m["status"] for m in ann.get("/api/mocks").json()] == ["in_progress"]
