"""The per-user limits are rows in the database, so two app processes (here: two engines with their own
connection pools, as two processes have) share one count: a user cannot double the limit by being
served by both."""

from __future__ import annotations

import uuid

import pytest

from rehearse.accounts import service as accounts
from rehearse.bank import service as bank
from rehearse.bank.models import utcnow
from rehearse.community import service as community
from rehearse.db.database import Database

from .conftest import ANSWER, bank_doc


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'limits.db'}"
        return
    schema = request.getfixturevalue("postgres_schema")
    own = type(schema)(schema.base_url)
    yield own.url
    own.drop()


def test_two_processes_share_one_suggestion_count(url):
    first, second = Database(url), Database(url)
    try:
        first.upgrade()
        with first.transaction(writes=True) as session:
            bank.import_bank(session, bank_doc())
            question_id = bank.get_question(session, "strategy").id
            user_id = accounts.create_user(session, email=f"{uuid.uuid4().hex[:8]}@example.com",
                                           password="a long enough password").id
        start = utcnow()

        def suggest(database: Database, index: int) -> None:
            with database.transaction(writes=True) as session:
                community.suggest_edit(session, user=session.get(accounts.User, user_id), question_id=question_id,
                                       reason="r", accept_licence=True, example_answer=f"{ANSWER} Variant {index}.",
                                       now=start)

        half = community.SUGGESTION_LIMIT.free // 2
        for index in range(community.SUGGESTION_LIMIT.free):
            suggest(first if index < half else second, index)
        for database in (first, second):
            with pytest.raises(community.RateLimited, match="Too many suggestions"):
                suggest(database, 999)
    finally:
        first.dispose()
        second.dispose()
