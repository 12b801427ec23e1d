"""Signed-in pages without avoidable work, and the identity cache that makes them cheap kept honest.

Each signed-in page counts its SQL statements (they were 9 or more on the home page); a question
page seen a moment ago needs none. A sign-out, a revoked token or a saved answer in this process
is seen at once; another process may lag by IDENTITY_TTL_S seconds, never more.
"""

from __future__ import annotations

import re
import time
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from rehearse.web import identity
from rehearse.web.app import create_app

from .conftest import PASSWORD, Browser


@contextmanager
def statements(app):
    """The SQL statements the app runs inside the block (BEGIN and COMMIT are not statements here)."""
    seen: list[str] = []

    def note(_conn, _cursor, statement, *_args) -> None:
        if statement.split(None, 1)[0].upper() not in ("BEGIN", "COMMIT", "ROLLBACK"):
            seen.append(statement)

    engine = app.state.database.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", note)


def forget_pages(app) -> None:
    """Drop the pages this process remembers for each credential, not who is behind it."""
    for entry in list(identity.of(app).entries.values()):
        entry.views.clear()


def _token(client: TestClient, email: str | None = None) -> tuple[str, dict]:
    email = email or f"speed-{time.monotonic_ns()}@example.com"
    client.post("/api/users", json={"email": email, "password": PASSWORD})
    token = client.post("/api/auth/token", json={"email": email, "password": PASSWORD}).json()["token"]
    return email, {"Authorization": f"Bearer {token}"}


@pytest.fixture
def signed_in(app, question):
    client = TestClient(app)
    email, auth = _token(client)
    saved = client.post("/api/attempts", json={"question_id": question["id"], "answer": "We phased it in."},
                        headers=auth)
    assert saved.status_code == 201, saved.text
    yield client, auth, saved.json()
    client.close()


def test_a_question_page_seen_a_moment_ago_needs_no_database(app, signed_in, question):
    client, auth, attempt = signed_in
    first = client.get(f"/questions/{question['id']}", headers=auth)
    assert first.status_code == 200 and f'/attempts/{attempt["id"]}' in first.text
    with statements(app) as seen:
        again = client.get(f"/questions/{question['id']}", headers=auth)
    assert seen == []
    assert again.text == first.text  # the same page: user, due count and last attempt all remembered


def test_the_home_and_history_pages_read_a_few_columns_in_a_few_statements(app, signed_in):
    client, auth, attempt = signed_in
    client.get("/", headers=auth)  # the lookup of the token and the list of roles are remembered
    forget_pages(app)  # but not the page: its own statements are counted here (none when it is remembered)
    with statements(app) as seen:
        home = client.get("/", headers=auth)
    assert home.status_code == 200 and f'/attempts/{attempt["id"]}' in home.text
    # Recent answers and due cards; their count only when the list is full (was 9: roles, banks, attempts ...).
    assert len(seen) == 2, seen
    with statements(app) as seen:
        history = client.get("/history", headers=auth)
    assert history.status_code == 200 and f'data-attempt="{attempt["id"]}"' in history.text
    assert len(seen) == 1, seen  # the page of attempts (their count only when the page is full)
    listed = " ".join(seen).lower()
    assert "report" not in listed  # lists never read the answers' reports (JSON, kilobytes each)


def test_a_saved_answer_shows_on_the_question_page_at_once_in_this_process(app, question):
    client = TestClient(app)
    _, auth = _token(client)
    page = f"/questions/{question['id']}"
    assert "/attempts/" not in client.get(page, headers=auth).text
    assert "/attempts/" not in client.get(page, headers=auth).text  # remembered: no attempt yet
    saved = client.post("/api/attempts", json={"question_id": question["id"], "answer": "We phased it in."},
                        headers=auth).json()
    assert f'/attempts/{saved["id"]}' in client.get(page, headers=auth).text


def test_revoking_a_token_or_signing_out_takes_effect_at_once_in_this_process(app, question, browser):
    client = TestClient(app)
    _, auth = _token(client)
    tokens = client.get("/api/tokens", headers=auth).json()
    assert client.get("/api/me", headers=auth).status_code == 200
    client.get(f"/questions/{question['id']}", headers=auth)
    assert client.delete(f"/api/tokens/{tokens[0]['id']}", headers=auth).status_code == 204
    assert client.get("/api/me", headers=auth).status_code == 401
    assert client.get(f"/questions/{question['id']}", headers=auth).status_code == 401

    email = browser.sign_up()
    assert "data-user" in browser.get("/history").text
    cookie = browser.cookies.get("rehearse_session")
    signed_out = browser.post("/signout", data={"csrf_token": re.search(
        r'name="csrf_token" value="([^"]+)"', browser.get("/history").text).group(1)}, follow_redirects=False)
    assert signed_out.status_code == 303
    replay = Browser(app)
    replay.cookies.set("rehearse_session", cookie)
    assert replay.get("/history", follow_redirects=False).status_code == 303  # to the sign-in page
    replay.close()
    assert email


def test_another_process_sees_a_revocation_within_the_ttl_and_no_later(app, settings, monkeypatch):
    monkeypatch.setattr(identity, "IDENTITY_TTL_S", 0.5)
    other = create_app(settings)  # a second app process on the same database
    try:
        here, there = TestClient(app), TestClient(other)
        _, auth = _token(here)
        token_id = here.get("/api/tokens", headers=auth).json()[0]["id"]
        assert there.get("/api/me", headers=auth).status_code == 200  # remembered there now
        assert here.delete(f"/api/tokens/{token_id}", headers=auth).status_code == 204
        assert here.get("/api/me", headers=auth).status_code == 401
        deadline = time.monotonic() + identity.IDENTITY_TTL_S + 0.2
        while there.get("/api/me", headers=auth).status_code == 200:
            assert time.monotonic() < deadline, "the other process kept a revoked token past the TTL"
            time.sleep(0.05)
        assert there.get("/api/me", headers=auth).status_code == 401
    finally:
        other.state.database.dispose()


def test_a_lookup_that_began_before_a_write_is_not_remembered(app):
    cache = identity.IdentityCache()
    from rehearse.accounts.models import User

    user = User(id=7, email="a@example.com", display_name="A", password_hash="x", role="candidate", active=True)
    before = cache.generation
    cache.forget_all()  # a write answered while the lookup ran
    cache.remember("token:abc", user, generation=before)
    assert cache.user("token:abc") is None
    cache.remember("token:abc", user, generation=cache.generation)
    copy = cache.user("token:abc")
    assert copy is not user and (copy.id, copy.email, copy.role) == (7, "a@example.com", "candidate")


def test_a_session_is_never_remembered_past_its_end():
    from datetime import timedelta

    from rehearse.accounts.models import User
    from rehearse.bank.models import utcnow

    cache = identity.IdentityCache()
    user = User(id=8, email="b@example.com", display_name="B", password_hash="x", role="candidate", active=True)
    cache.remember("session:s", user, generation=cache.generation, expires_at=utcnow() + timedelta(seconds=0.2))
    assert cache.user("session:s") is not None
    time.sleep(0.25)
    assert cache.user("session:s") is None
    cache.remember("session:t", user, generation=cache.generation, expires_at=utcnow() - timedelta(seconds=1))
    assert cache.user("session:t") is None
