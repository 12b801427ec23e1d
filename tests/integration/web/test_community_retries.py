"""A retried community write stores once: suggesting an edit, suggesting a new question and commenting honour
Idempotency-Key as POST /api/attempts does (same key and body: the first answer, 200, Idempotent-Replayed;
same key, other body: 422), sent one after another or 8 at once, on SQLite and PostgreSQL."""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from rehearse.bank.models import Question
from rehearse.community.models import Comment, Suggestion

from .conftest import PASSWORD


def _token(app) -> str:
    client = TestClient(app)
    email = f"retry-{uuid.uuid4().hex[:10]}@example.com"
    assert client.post("/api/users", json={"email": email, "password": PASSWORD}).status_code == 201
    return client.post("/api/auth/token", json={"email": email, "password": PASSWORD}).json()["token"]


@dataclass
class Write:
    path: str
    body: dict
    other_body: dict  # the same write with something else in it
    column: object  # where the text that marks this write is stored
    mark: str
    fresh_key_status: int  # the same body under a new key: a new request, refused or stored again

    def stored(self, app) -> int:
        with app.state.database.transaction() as session:
            return session.scalar(select(func.count()).where(self.column == self.mark))


def _edit(app, question) -> Write:
    answer = f"{question['example_answer']} We reviewed it every {uuid.uuid4().hex}."
    body = {"example_answer": answer, "reason": "Adds a cadence.", "accept_licence": True}
    return Write(f"/api/questions/{question['id']}/suggestions", body, {**body, "reason": "Another reason."},
                 Suggestion.example_answer, answer, 409)  # a pending suggestion proposes it already


def _new_question(app, question) -> Write:
    with app.state.database.transaction() as session:
        role_id = session.get(Question, question["id"]).role_id
    text = f"How would you hand over a team you built to a successor ({uuid.uuid4().hex})?"
    body = {"text": text, "reason": "Missing.", "accept_licence": True,
            "talking_points": ["the timeline", "the people"]}
    return Write(f"/api/roles/{role_id}/suggestions", body, {**body, "talking_points": ["the timeline"]},
                 Suggestion.question_text, text, 409)  # the role is asked it already, pending


def _comment(app, question) -> Write:
    author = {"Authorization": f"Bearer {_token(app)}"}
    made = TestClient(app).post(f"/api/questions/{question['id']}/suggestions", headers=author, json={
        "example_answer": f"{question['example_answer']} Commented {uuid.uuid4().hex}.", "reason": "r",
        "accept_licence": True})
    assert made.status_code == 201, made.text
    text = f"Could this name the owner? {uuid.uuid4().hex}"
    return Write(f"/api/suggestions/{made.json()['id']}/comments", {"body": text}, {"body": text + " Please."},
                 Comment.body, text, 201)  # a new key is a new comment


WRITES = {"suggested edit": _edit, "suggested question": _new_question, "comment": _comment}


@pytest.mark.parametrize("kind", WRITES)
def test_a_retried_community_write_with_the_same_idempotency_key_stores_once(app, question, kind):
    """A retried comment was posted twice (comments 4 and 5) and a retried suggestion was a 409."""
    token = _token(app)
    write = WRITES[kind](app, question)
    client, headers = TestClient(app), {"Authorization": f"Bearer {token}", "Idempotency-Key": str(uuid.uuid4())}
    first = client.post(write.path, json=write.body, headers=headers)
    again = client.post(write.path, json=write.body, headers=headers)
    assert (first.status_code, again.status_code) == (201, 200), again.text
    assert again.headers["idempotent-replayed"] == "true" and again.json() == first.json()
    assert "idempotent-replayed" not in first.headers
    assert write.stored(app) == 1
    other = client.post(write.path, json=write.other_body, headers=headers)
    assert other.status_code == 422 and "different request" in other.json()["detail"]
    assert write.stored(app) == 1
    fresh = client.post(write.path, json=write.body, headers={**headers, "Idempotency-Key": str(uuid.uuid4())})
    assert fresh.status_code == write.fresh_key_status and "idempotent-replayed" not in fresh.headers


@pytest.mark.parametrize("kind", WRITES)
def test_concurrent_retries_of_a_community_write_with_one_key_store_once(app, question, kind):
    token = _token(app)
    write = WRITES[kind](app, question)
    headers = {"Authorization": f"Bearer {token}", "Idempotency-Key": str(uuid.uuid4())}
    count = 8
    start, responses = threading.Barrier(count), []

    def send() -> None:
        start.wait()
        responses.append(TestClient(app).post(write.path, json=write.body, headers=headers))

    threads = [threading.Thread(target=send) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(r.status_code for r in responses) == [200] * (count - 1) + [201], [r.text for r in responses]
    assert len({r.json()["id"] for r in responses}) == 1
    assert all(r.headers.get("idempotent-replayed") == "true" for r in responses if r.status_code == 200)
    assert write.stored(app) == 1


def test_an_idempotency_key_is_the_senders_own(app, question):
    """Another account sending the same key makes its own comment, not a replay of someone else's."""
    write = _comment(app, question)
    key = str(uuid.uuid4())
    for _ in range(2):
        sent = TestClient(app).post(write.path, json=write.body,
                                    headers={"Authorization": f"Bearer {_token(app)}", "Idempotency-Key": key})
        assert sent.status_code == 201 and "idempotent-replayed" not in sent.headers
    assert write.stored(app) == 2


def test_a_malformed_idempotency_key_is_a_422_and_nothing_is_stored(app, question):
    write = _comment(app, question)
    sent = TestClient(app).post(write.path, json=write.body,
                                headers={"Authorization": f"Bearer {_token(app)}", "Idempotency-Key": " "})
    assert sent.status_code == 422 and "Idempotency-Key must be" in sent.json()["detail"]
    assert write.stored(app) == 0
