"""Things done at the same moment by people in their own transactions, as two app processes would: two
editors accepting two suggestions to one answer (two revisions, in order, neither change lost), one
question or edit suggested twice at once (stored once), one comment reported twice at once (once)."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rehearse.accounts import service as accounts
from rehearse.bank import service as bank
from rehearse.bank.models import ExampleAnswer
from rehearse.community import service as community
from rehearse.community.models import Comment, Suggestion
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


def at_once(database, actions: list[Callable[[Session], object]]) -> list[Exception]:
    """Each action in its own thread and writing transaction, all released at the same moment; the errors
    they met."""
    barrier = threading.Barrier(len(actions))
    errors: list[Exception] = []

    def run(action: Callable[[Session], object]) -> None:
        try:
            barrier.wait(timeout=10)
            with database.transaction(writes=True) as session:
                action(session)
        except Exception as error:  # noqa: BLE001 - returned to the test's assertion
            errors.append(error)

    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def accept_at_once(database, editors: list[int], suggestions: list[int]) -> list[Exception]:
    """Each editor accepts their suggestion in their own thread, all released at the same moment;
    the errors they met."""
    def accepting(editor_id: int, suggestion_id: int) -> Callable[[Session], object]:
        return lambda session: community.accept(session, editor=session.get(accounts.User, editor_id),
                                                suggestion_id=suggestion_id)

    return at_once(database, [accepting(*pair) for pair in zip(editors, suggestions, strict=True)])


def made_accounts(session, *roles: str) -> list[int]:
    return [accounts.create_user(session, email=f"{uuid.uuid4().hex[:8]}@example.com",
                                 password="a long enough password", role=role).id for role in roles]


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


def test_one_comment_reported_by_one_person_four_times_at_once_is_reported_once(database):
    """On PostgreSQL the three late reports hit the primary key and answered 500; now each is told (409)."""
    with database.transaction(writes=True) as session:
        bank.import_bank(session, bank_doc())
        question_id = bank.get_question(session, "strategy").id
        author_id, reporter_id = made_accounts(session, "candidate", "candidate")
        suggestion = community.suggest_edit(session, user=session.get(accounts.User, author_id),
                                            question_id=question_id, reason="r", accept_licence=True,
                                            example_answer=ANSWER + " More.")
        comment_id = community.add_comment(session, user=session.get(accounts.User, author_id),
                                           suggestion_id=suggestion.id, body="Buy watches.").id

    def report(session: Session) -> object:
        return community.report_comment(session, user=session.get(accounts.User, reporter_id),
                                        comment_id=comment_id, reason="spam")

    errors = at_once(database, [report] * 4)
    assert [str(error) for error in errors] == ["You have reported this comment already."] * 3
    assert all(isinstance(error, community.Conflict) for error in errors)
    with database.transaction() as session:
        assert session.get(Comment, comment_id).reports == 1


def test_one_new_question_suggested_three_times_at_once_is_stored_once(database):
    """Two by one person (a double click) and one by another: PostgreSQL stored two of them."""
    text = "How do you run a blameless postmortem?"
    with database.transaction(writes=True) as session:
        bank.import_bank(session, bank_doc())
        role_id = bank.get_question(session, "strategy").role_id
        first, second = made_accounts(session, "candidate", "candidate")

    def suggesting(user_id: int) -> Callable[[Session], object]:
        return lambda session: community.suggest_question(
            session, user=session.get(accounts.User, user_id), role_id=role_id, text=text, reason="Missing.",
            accept_licence=True, talking_points=["the timeline"])

    errors = at_once(database, [suggesting(first), suggesting(first), suggesting(second)])
    assert len(errors) == 2 and all(isinstance(error, community.Conflict) for error in errors), errors
    with database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Suggestion).where(
            Suggestion.role_id == role_id, Suggestion.question_text == text)) == 1


def test_one_edit_suggested_three_times_at_once_is_stored_once(database):
    with database.transaction(writes=True) as session:
        bank.import_bank(session, bank_doc())
        question_id = bank.get_question(session, "strategy").id
        first, second = made_accounts(session, "candidate", "candidate")

    def suggesting(user_id: int) -> Callable[[Session], object]:
        return lambda session: community.suggest_edit(
            session, user=session.get(accounts.User, user_id), question_id=question_id, reason="More.",
            accept_licence=True, example_answer=ANSWER + " More.")

    errors = at_once(database, [suggesting(first), suggesting(first), suggesting(second)])
    assert len(errors) == 2 and all(isinstance(error, community.Conflict) for error in errors), errors
    with database.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Suggestion).where(
            Suggestion.question_id == question_id)) == 1
