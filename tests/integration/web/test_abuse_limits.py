"""Limits that slow down guessing and unpaid CPU without locking anyone out, on both databases."""

from __future__ import annotations

import sqlite3
import threading
import uuid

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.engine import make_url

from rehearse.accounts import service as accounts
from rehearse.accounts import signin
from rehearse.bank.models import utcnow
from rehearse.settings import Settings
from rehearse.web.app import create_app

from .conftest import PASSWORD, Browser


@pytest.fixture(scope="module")
def settings(database_url, tmp_path_factory) -> Settings:
    return Settings(
        data_dir=tmp_path_factory.mktemp("data"),
        database_url=database_url,
        secret_key="k" * 48,
        feedback_backend="lexical",
        signups_per_address_per_hour=1000,
        anonymous_scorings_per_minute=1000,
    )


def _account(app) -> str:
    email = f"owner-{uuid.uuid4().hex[:10]}@example.com"
    assert TestClient(app).post("/api/users", json={"email": email, "password": PASSWORD}).status_code == 201
    return email


def _address() -> str:
    """An address of the calling test's own (documentation range): limits are kept in the database,
    which other runs of this suite may share, so a fixed address could carry their counts."""
    return f"2001:db8::{uuid.uuid4().hex[:4]}:{uuid.uuid4().hex[:4]}"


def _token(client: TestClient, email: str, password: str, address: str | None = None):
    headers = {"X-Forwarded-For": address} if address else {}
    return client.post("/api/auth/token", json={"email": email, "password": password}, headers=headers)


def test_rotating_x_forwarded_for_does_not_bypass_the_limit_by_default(app):
    email, client = _account(app), TestClient(app, client=(_address(), 50000))
    for _ in range(accounts.SIGN_IN_ACCOUNT_ADDRESS.free):
        assert _token(client, email, "wrong password!", _address()).status_code == 401
    limited = _token(client, email, PASSWORD, _address())
    assert limited.status_code == 429 and int(limited.headers["retry-after"]) >= 1


def test_behind_a_trusted_proxy_the_owner_at_another_address_is_not_locked_out(settings):
    app = create_app(settings.model_copy(update={"trusted_proxies": "testclient"}))
    try:
        email, client, guesser = _account(app), TestClient(app), _address()
        for _ in range(12):
            assert _token(client, email, "wrong password!", guesser).status_code in (401, 429)
        assert _token(client, email, PASSWORD, guesser).status_code == 429  # the guesser waits
        assert _token(client, email, PASSWORD, _address()).status_code == 201  # the owner does not
    finally:
        app.state.database.dispose()


def test_concurrent_wrong_guesses_are_each_checked_against_the_count_before_them(app, monkeypatch):
    email = _account(app)
    # One instant for the whole burst: past its free tries the bucket makes the next wait 1 s, and
    # on a loaded machine twelve threads can straddle that second, when a late guess is rightly
    # allowed; what is tested here is that no guess is checked against a stale count.
    instant = utcnow()
    monkeypatch.setattr(signin, "utcnow", lambda: instant)
    guesses = 12
    start, results, peer = threading.Barrier(guesses), [], (_address(), 50000)

    def guess() -> None:
        start.wait()
        results.append(_token(TestClient(app, client=peer), email, "wrong password!").status_code)

    threads = [threading.Thread(target=guess) for _ in range(guesses)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(results) == [401] * accounts.SIGN_IN_ACCOUNT_ADDRESS.free + [429] * (
        guesses - accounts.SIGN_IN_ACCOUNT_ADDRESS.free
    )


def test_sign_ups_are_limited_per_address(settings):
    app = create_app(settings.model_copy(update={"signups_per_address_per_hour": 2, "trusted_proxies": "testclient"}))
    address = {"X-Forwarded-For": _address()}
    try:
        client = TestClient(app)
        statuses = [
            client.post("/api/users", json={"email": f"s{i}-{uuid.uuid4().hex[:6]}@example.com",
                                            "password": PASSWORD}, headers=address).status_code
            for i in range(3)
        ]
        assert statuses == [201, 201, 429]
        page = Browser(app)
        refused = page.post("/signup", data={"csrf_token": page.csrf("/signup"), "email": "p@example.com",
                                             "password": PASSWORD}, headers=address)
        assert refused.status_code == 429 and "Too many sign-ups" in refused.text
    finally:
        app.state.database.dispose()


def test_anonymous_scoring_is_limited_per_address_and_signed_in_scoring_is_not(settings, question):
    app = create_app(settings.model_copy(update={"anonymous_scorings_per_minute": 2}))
    try:
        client = TestClient(app)
        body = {"question_id": question["id"], "answer": "I would phase the roadmap and tie it to OKRs."}
        statuses = [client.post("/api/feedback", json=body).status_code for _ in range(3)]
        assert statuses == [200, 200, 429]
        email = _account(app)
        token = _token(client, email, PASSWORD).json()["token"]
        signed_in = [client.post("/api/feedback", json=body, headers={"Authorization": f"Bearer {token}"})
                     for _ in range(3)]
        assert [r.status_code for r in signed_in] == [200, 200, 200]
    finally:
        app.state.database.dispose()


def test_anonymous_answers_have_a_lower_length_cap(app, question):
    client = TestClient(app)
    long_answer = "We phased the roadmap. " * 300  # 6,900 characters
    anonymous = client.post("/api/feedback", json={"question_id": question["id"], "answer": long_answer})
    assert anonymous.status_code == 413 and "Signed-in users may send up to 20,000" in anonymous.json()["detail"]
    # ...and the practice page says the same where the answer is kept for shortening
    page = Browser(app).answer(question["id"], long_answer)
    assert page.status_code == 413 and "Signed-in users may send up to 20,000" in page.text
    email = _account(app)
    token = _token(client, email, PASSWORD).json()["token"]
    signed_in = client.post("/api/feedback", json={"question_id": question["id"], "answer": long_answer},
                            headers={"Authorization": f"Bearer {token}"})
    assert signed_in.status_code == 200


def test_password_hashing_never_holds_the_sqlite_write_lock(app, database_url, monkeypatch):
    """While argon2 runs for a sign-up or a sign-in, another connection can take the write lock at once."""
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's database-wide write lock")
    path = make_url(database_url).database
    seen: list[bool] = []

    def write_lock_is_free() -> bool:
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            other.execute("ROLLBACK")
            return True
        except sqlite3.OperationalError:
            return False
        finally:
            other.close()

    real = signin._hasher

    class Spy:
        def hash(self, *args, **kwargs):
            seen.append(write_lock_is_free())
            return real.hash(*args, **kwargs)

        def verify(self, *args, **kwargs):
            seen.append(write_lock_is_free())
            return real.verify(*args, **kwargs)

        def __getattr__(self, name):
            return getattr(real, name)

    monkeypatch.setattr(signin, "_hasher", Spy())
    email = _account(app)
    assert _token(TestClient(app), email, PASSWORD).status_code == 201
    assert len(seen) >= 2 and all(seen)
