"""The home and history pages a signed-in user saw a moment ago, sent again from memory, kept honest.

This process remembers what those pages list for each credential (web/identity.py) until the next
write it answers, or IDENTITY_TTL_S. Every write that changes them shows on the user's very next
page (a new answer, a rating override, an import, the account's deletion), a page read while a
write was answered is never kept, and under threads no user is ever shown another user's answers.
"""

from __future__ import annotations

import re
import threading
import uuid
from datetime import UTC, datetime, timedelta

import anyio
import pytest
from fastapi.testclient import TestClient

from rehearse.accounts import service as accounts
from rehearse.review.models import ReviewCard
from rehearse.settings import Settings
from rehearse.web import identity

from .conftest import PASSWORD
from .test_signed_in_speed import statements

ANSWER = "First I would list every request, then rank them with the product leads and explain the trade-offs."
HISTORY_IDS = re.compile(r'data-attempt="(\d+)"')
HOME_IDS = re.compile(r'href="/attempts/(\d+)"')
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


@pytest.fixture(scope="module")
def settings(database_url, tmp_path_factory) -> Settings:
    # The lexical backend scores in milliseconds: these tests save many answers.
    return Settings(data_dir=tmp_path_factory.mktemp("data"), database_url=database_url, secret_key="k" * 48,
                    feedback_backend="lexical", signups_per_address_per_hour=10_000)


@pytest.fixture(scope="module")
def questions(app) -> list[int]:
    return [q["id"] for q in TestClient(app).get("/api/questions?limit=6").json()]


class Person:
    """A signed-up user with an API token, loading pages through a client of their own."""

    def __init__(self, app, name: str | None = None):
        self.name = name or f"u{uuid.uuid4().hex[:8]}"
        self.email = f"{self.name}@example.com"
        self.client = TestClient(app)
        assert self.client.post("/api/users", json={"email": self.email, "password": PASSWORD,
                                                    "display_name": self.name}).status_code == 201
        token = self.client.post("/api/auth/token", json={"email": self.email, "password": PASSWORD}).json()
        self.auth = {"Authorization": f"Bearer {token['token']}"}

    def get(self, path: str, client: TestClient | None = None):
        return (client or self.client).get(path, headers=self.auth)

    def save(self, question_id: int) -> int:
        saved = self.client.post("/api/attempts", json={"question_id": question_id, "answer": ANSWER},
                                 headers=self.auth)
        assert saved.status_code == 201, saved.text
        return saved.json()["id"]

    def listed(self, client: TestClient | None = None) -> tuple[set[int], set[int]]:
        """The attempt ids on the home page and on the first history page."""
        home, history = self.get("/", client), self.get("/history", client)
        assert home.status_code == history.status_code == 200
        assert f"data-user>{self.name}<" in home.text and f"data-user>{self.name}<" in history.text
        return {int(i) for i in HOME_IDS.findall(home.text)}, {int(i) for i in HISTORY_IDS.findall(history.text)}


def test_a_page_seen_a_moment_ago_is_sent_again_without_the_database(app, questions):
    ann = Person(app)
    first = ann.save(questions[0])
    home, history = ann.get("/"), ann.get("/history")
    with statements(app) as seen:
        home_again, history_again = ann.get("/"), ann.get("/history")
    assert seen == []
    assert home_again.text == home.text and history_again.text == history.text
    assert f'data-attempt="{first}"' in history_again.text and f"/attempts/{first}" in home_again.text


def test_only_the_rows_are_kept_never_a_csrf_token(app, questions):
    ann = Person(app)
    ann.save(questions[0])
    other_browser = TestClient(app)  # the same token from another client: its own CSRF cookie
    one, two = ann.get("/history").text, other_browser.get("/history", headers=ann.auth).text
    assert HISTORY_IDS.findall(one) == HISTORY_IDS.findall(two)
    assert CSRF_META.search(one).group(1) != CSRF_META.search(two).group(1)
    assert two.count(CSRF_META.search(two).group(1)) == 2  # the meta tag and the sign-out form: both its own


def test_a_new_answer_shows_on_the_next_page_at_once(app, questions):
    ann = Person(app)
    assert ann.listed() == (set(), set())
    assert ann.listed() == (set(), set())  # remembered
    first = ann.save(questions[0])
    assert ann.listed() == ({first}, {first})
    second = ann.save(questions[1])
    assert ann.listed() == ({first, second}, {first, second})
    assert "2 answers so far" in ann.get("/history").text


def test_a_rating_override_shows_on_the_home_page_at_once(app, questions):
    ann = Person(app)
    attempt = ann.save(questions[0])
    with app.state.database.transaction(writes=True) as session:
        card = session.query(ReviewCard).filter(ReviewCard.question_id == questions[0],
                                                ReviewCard.user_id == _user_id(app, ann.email)).one()
        card.due = datetime.now(UTC) - timedelta(minutes=1)
    identity.of(app).forget_all()  # stands for IDENTITY_TTL_S passing (a card falls due with time, not a write)
    home = ann.get("/").text
    assert "data-home-due" in home and "data-due-count>1<" in home
    assert "data-home-due" in ann.get("/").text  # remembered
    rated = ann.client.put(f"/api/review/attempts/{attempt}/rating", json={"rating": "easy"}, headers=ann.auth)
    assert rated.status_code == 200, rated.text
    home = ann.get("/").text
    assert "data-home-due" not in home and "data-due-count hidden" in home


@pytest.mark.parametrize("due", [3, 6])
def test_the_home_page_says_how_many_are_due_beyond_the_five_it_lists(app, questions, due):
    ann = Person(app)
    for question_id in questions[:due]:
        ann.save(question_id)
    with app.state.database.transaction(writes=True) as session:
        for card in session.query(ReviewCard).filter(ReviewCard.user_id == _user_id(app, ann.email)):
            card.due = datetime.now(UTC) - timedelta(minutes=1)
    identity.of(app).forget_all()  # stands for IDENTITY_TTL_S passing
    for _ in range(2):  # read, then remembered
        home = ann.get("/").text
        listed = home.split("data-home-due", 1)[1].split("</section>", 1)[0].count("?review=1")
        assert listed == min(due, 5)
        assert f"Due today: {due} questions" in home and f"data-due-count>{due}<" in home


def test_an_import_shows_on_the_next_page_at_once(app, questions):
    ann, bob = Person(app), Person(app)
    saved = {ann.save(questions[0]), ann.save(questions[1])}
    document = ann.get("/api/me/data").json()
    assert bob.listed() == (set(), set())  # remembered, empty
    imported = bob.client.post("/api/me/data", json=document, headers=bob.auth)
    assert imported.status_code == 200, imported.text
    bob.name = ann.name  # an import restores the document's display name: shown at once too
    home, history = bob.listed()
    assert len(home) == len(history) == 2 and not history & saved  # Bob's own copies, not Ann's attempts


def test_a_deleted_account_s_pages_are_gone_at_once(app, questions):
    ann = Person(app)
    ann.save(questions[0])
    ann.listed()
    deleted = ann.client.delete("/api/me/account", params={"confirm": ann.email}, headers=ann.auth)
    assert deleted.status_code == 204, deleted.text
    assert ann.get("/").status_code == 401 and ann.get("/history").status_code == 401


def test_a_page_read_while_a_write_was_answered_is_not_kept(app, questions, monkeypatch):
    """On SQLite a transaction's snapshot starts at its first query (here, looking up the token): a write
    answered after that, and a fresh lookup by another request, must not let this page's older read be kept."""
    ann = Person(app)
    ann.save(questions[0])
    cache = identity.of(app)
    cache.forget_all()  # the token is looked up afresh by the next page
    real_owner = accounts.token_owner

    def owner_then_a_write_elsewhere(session, token):
        found = real_owner(session, token)
        cache.forget_all()  # a write answered meanwhile ...
        cache.remember(identity.credential_key("token", token), found[0], generation=cache.generation)  # ... and
        return found  # another request of Ann's looked her up again since

    monkeypatch.setattr(accounts, "token_owner", owner_then_a_write_elsewhere)
    assert ann.get("/history").status_code == 200
    monkeypatch.setattr(accounts, "token_owner", real_owner)
    with statements(app) as seen:
        assert ann.get("/history").status_code == 200
    assert seen  # read again: the page read before the write was not kept


def test_under_threads_nobody_sees_another_users_answers_and_a_writer_sees_their_own_at_once(app, questions):
    readers = [Person(app) for _ in range(3)]
    own = {user.name: {user.save(q) for q in questions[:2]} for user in readers}
    writer = Person(app)
    failures: list[str] = []
    stop = threading.Event()

    def read(user: Person, client: TestClient) -> None:
        try:
            while not stop.is_set():
                home, history = user.listed(client)
                if not home | history <= own[user.name]:
                    failures.append(f"{user.name} was shown {sorted((home | history) - own[user.name])}")
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            failures.append(repr(error))

    def write() -> None:
        try:
            for number in range(8):
                saved = writer.save(questions[number % len(questions)])
                home, history = writer.listed()  # the very next pages, while others fill the cache
                if saved not in home or saved not in history:
                    failures.append(f"the writer's answer {saved} was missing from their next page")
        except Exception as error:  # noqa: BLE001
            failures.append(repr(error))

    # One event loop serves every request, as in a server (a TestClient otherwise starts one per request).
    with anyio.from_thread.start_blocking_portal() as portal:
        clients = [TestClient(app) for _ in range(2 * len(readers))]  # a client (and cookie jar) per thread
        for client in [*clients, writer.client]:
            client.portal = portal
        threads = [threading.Thread(target=read, args=(readers[i % len(readers)], client))
                   for i, client in enumerate(clients)]
        for thread in threads:
            thread.start()
        write()
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        writer.client.portal = None
    assert failures == []


def test_the_cache_forgets_a_page_read_before_a_write_and_stays_bounded(monkeypatch):
    from rehearse.accounts.models import User as Account

    cache = identity.IdentityCache()
    ann = Account(id=1, email="a@example.com", display_name="A", password_hash="x", role="candidate", active=True)
    cache.remember("token:a", ann, generation=cache.generation)
    before = cache.generation
    cache.forget_all()
    cache.remember("token:a", ann, generation=cache.generation)
    cache.remember_view("token:a", ("history", 1), "rows", generation=before)  # read before the write
    assert cache.view("token:a", ("history", 1)) is identity.MISSING
    cache.remember_view("token:a", ("history", 1), "rows", generation=cache.generation)
    assert cache.view("token:a", ("history", 1)) == "rows"
    assert cache.view("token:b", ("history", 1)) is identity.MISSING  # another credential: nothing

    monkeypatch.setattr(identity, "MAX_VIEWS_IN_ALL", 3)
    for page in range(2, 5):
        cache.remember_view("token:a", ("history", page), "rows", generation=cache.generation)
    assert cache.entries == {}  # past the bound the whole cache is emptied


def _user_id(app, email: str) -> int:
    from sqlalchemy import select

    from rehearse.accounts.models import User as Account

    with app.state.database.transaction() as session:
        return session.scalar(select(Account.id).where(Account.email == email))
