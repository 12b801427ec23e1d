"""Two editors accepting two suggestions to the same answer at the same moment: two revisions, in order,
neither change lost (each editor's transaction is its own, as two app processes would have)."""

from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy import select

from rehearse.accounts import service as accounts
from rehearse.bank import service as bank
from rehearse.bank.models import ExampleAnswer
from rehearse.community import service as community
from rehearse.db.database import Database

from .conftest import ANSWER, bank_doc


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request, tmp_path):
    if request.param == "sqlite":
        db = Database(f"sqlite:///{tmp_path / 'accept.db'}")
        db.upgrade()
        yield db
        db.dispose()
        return
    schema = request.getfixturevalue("postgres_schema")
    own = type(schema)(schema.base_url)
    db = Database(own.url)
    db.upgrade()
    yield db
    db.dispose()
    own.drop()


def accept_at_once(database, editors: list[int], suggestions: list[int]) -> list[Exception]:
    """Each editor accepts their suggestion in their own thread, all released at the same moment;
    the errors they met."""
    barrier = threading.Barrier(len(editors))
    errors: list[Exception] = []

    def accept(editor_id: int, suggestion_id: int) -> None:
        try:
            barrier.wait(timeout=10)
            with database.transaction(writes=True) as session:
                community.accept(session, editor=session.get(accounts.User, editor_id), suggestion_id=suggestion_id)
        except Exception as error:  # noqa: BLE001 - returned to the test's assertion
            errors.append(error)

    threads = [threading.Thread(target=accept, args=pair) for pair in zip(editors, suggestions, strict=True)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def test_two_editors_accepting_at_once_make_two_ordered_revisions(database):
    with database.transaction(writes=True) as session:
        bank.import_bank(session, bank_doc())
        question_id = bank.get_question(session, "strategy").id
        people = [accounts.create_user(session, email=f"{uuid.uuid4().hex[:8]}@example.com",
                                       password="a long enough password", role=role)
                  for role in ("candidate", "candidate", "editor", "editor")]
        first = community.suggest_edit(session, user=people[0], question_id=question_id, reason="Trade-offs.",
                                       accept_licence=True, example_answer=ANSWER.replace(
                                           "engineering bets.", "engineering bets with explicit trade-offs."))
        second = community.suggest_edit(session, user=people[1], question_id=question_id, reason="Cadence.",
                                        accept_licence=True,
                                        example_answer=ANSWER.replace("every quarter", "every month"))
        editors = [people[2].id, people[3].id]
        suggestions = [first.id, second.id]
    assert accept_at_once(database, editors, suggestions) == []
    with database.transaction() as session:
        rows = session.scalars(select(ExampleAnswer).where(ExampleAnswer.question_id == question_id)
                               .order_by(ExampleAnswer.revision)).all()
        assert [row.revision for row in rows] == [1, 2, 3]
        assert {row.suggestion_id for row in rows[1:]} == set(suggestions)
        final = rows[-1].text
        assert "explicit trade-offs" in final and "every month" in final


def test_two_editors_accepting_the_same_new_question_at_once_add_it_once(database):
    """Two suggestions of one question, pending from before repeats were refused, accepted at the same
    moment: one question is added, and the other editor is told the role has it (409)."""
    from rehearse.bank.models import Question
    from rehearse.community.models import Suggestion

    text = "How do you run a blameless postmortem?"
    with database.transaction(writes=True) as session:
        bank.import_bank(session, bank_doc())
        role_id = bank.get_question(session, "strategy").role_id
        people = [accounts.create_user(session, email=f"{uuid.uuid4().hex[:8]}@example.com",
                                       password="a long enough password", role=role)
                  for role in ("candidate", "candidate", "editor", "editor")]
        twins = [Suggestion(kind="new_question", role_id=role_id, author_id=author.id, question_text=text,
                            reason="Missing.", talking_points=["the timeline"], status="pending", votes=0, up=0,
                            down=0, comment_count=0) for author in people[:2]]
        session.add_all(twins)
        session.flush()
        editors, suggestions = [people[2].id, people[3].id], [twin.id for twin in twins]
    errors = accept_at_once(database, editors, suggestions)
    assert [type(error) for error in errors] == [community.Conflict]
    assert "already has that question" in str(errors[0])
    with database.transaction() as session:
        assert session.scalars(select(Question.text).where(Question.role_id == role_id)).all().count(text) == 1
