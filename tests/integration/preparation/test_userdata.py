"""The user's data: export → import into an empty database → export gives the same document; deleting
an account deletes everything in it."""

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import inspect, text
from sqlalchemy.orm import Session

from rehearse.accounts import service as accounts
from rehearse.bank.models import utcnow
from rehearse.db.database import Database
from rehearse.mock import service as mocks
from rehearse.plans import service as plans
from rehearse.practice import service as practice
from rehearse.review import service as review
from rehearse.stories import service as stories
from rehearse.userdata import service as userdata

from .conftest import fake_report, make_bank

printable = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=40)
attempt_st = st.tuples(st.integers(0, 7), st.integers(0, 100), printable.filter(str.strip),
                       st.lists(st.booleans(), min_size=3, max_size=3), st.integers(0, 400),
                       st.sampled_from([None, "again", "hard", "good", "easy"]))
story_st = st.tuples(printable.filter(str.strip), printable, printable.filter(str.strip),
                     st.lists(st.sampled_from(["hiring", "incidents", "x y"]), max_size=2))
mock_st = st.tuples(st.integers(1, 3), st.integers(0, 2**31 - 1), st.booleans(), st.integers(0, 6))
POSTING = ("Lead incident response and on-call for our platform; hire engineers and build the interview loop; "
           "set the strategy and tie it to OKRs.")


@pytest.fixture(scope="module")
def other_rehearse(tmp_path_factory):
    """A second, empty Rehearse to import into."""
    db = Database(f"sqlite:///{tmp_path_factory.mktemp('other') / 'other.db'}")
    db.upgrade()
    yield db
    db.dispose()


def fill(session, user, questions, attempts, story_list, mock_list, plan_count=0):
    """Give the user attempts (some re-rated), stories and mock interviews, as the app would."""
    for index, (q, score, answer, covered, days_ago, override) in enumerate(attempts):
        made = practice.record(session, user=user, question=questions[q], answer=answer,
                               report=fake_report(score, covered=tuple(covered)))
        made.created_at = utcnow() - timedelta(days=days_ago, minutes=index)
        if override:
            review.override(session, user=user, attempt_id=made.id, rating=override)
    for title, situation, action, competencies in story_list:
        stories.create(session, user=user, data=stories.StoryInput(title=title, situation=situation, action=action,
                                                                   competencies=tuple(competencies)))
    for count, seed, follow_ups, answered in mock_list:
        mock = mocks.create(session, user=user, role="prep-role", count=count, seed=seed, follow_ups=follow_ups)
        for _ in range(answered):
            item = mocks.current_item(mock)
            if item is None:
                break
            points = (item.follow_up_point,) if item.follow_up else tuple(item.question.talking_points)
            mocks.record_answer(session, user=user, mock=mock, item=item, answer="An answer.",
                                report=fake_report(40, points=points, covered=(False,) * len(points)))
    for _ in range(plan_count):
        plans.make(session, user=user, posting=POSTING, backend="lexical")
    session.flush()


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(attempts=st.lists(attempt_st, max_size=6), story_list=st.lists(story_st, max_size=3),
       mock_list=st.lists(mock_st, max_size=2), plan_count=st.integers(0, 1))
def test_export_import_export_gives_the_same_document(session, other_rehearse, attempts, story_list, mock_list,
                                                      plan_count):
    here = session.begin_nested()
    try:
        questions = make_bank(session)["questions"]
        ann = accounts.create_user(session, email="ann@example.com", password_hash="-")
        fill(session, ann, questions, attempts, story_list, mock_list, plan_count)
        first = userdata.export_user(session, user=ann)
    finally:
        here.rollback()
    with other_rehearse.engine.connect() as connection:
        outer = connection.begin()
        try:
            elsewhere = Session(bind=connection)
            make_bank(elsewhere)
            ann_there = accounts.create_user(elsewhere, email="ann@example.com", password_hash="-")
            counts = userdata.import_user(elsewhere, user=ann_there, document=first)
            assert counts["attempts"] == len(first["attempts"]) >= len(attempts)
            assert counts["stories"] == len(story_list)
            again = userdata.export_user(elsewhere, user=ann_there)
            elsewhere.close()
        finally:
            outer.rollback()
    assert again == first


def test_an_import_that_does_not_fit_is_refused_whole(session, bank, users):
    ann, bob = users
    fill(session, ann, bank["questions"], [(0, 50, "An answer.", [True, False, False], 3, "easy")],
         [("A story", "", "I did it.", [])], [])
    document = userdata.export_user(session, user=ann)
    with pytest.raises(userdata.ImportRejected, match="already has") as rejected:
        userdata.import_user(session, user=ann, document=document)
    assert rejected.value.status == 409
    broken = {**document, "attempts": [{**document["attempts"][0], "question": {"bank": "gone", "question": "q"}}]}
    with pytest.raises(userdata.ImportRejected, match="not on this server"):
        userdata.import_user(session, user=bob, document=broken)
    for bad, message in [({}, "not a Rehearse user-data document"), ({**document, "version": 9}, "version 9"),
                         ({**document, "cards": [{"question": document["cards"][0]["question"]}]}, "missing")]:
        with pytest.raises(userdata.ImportRejected, match=message):
            userdata.import_user(session, user=bob, document=bad)
    assert userdata.export_user(session, user=bob)["attempts"] == []


def test_deleting_an_account_deletes_everything_in_it(session, bank, users):
    ann, bob = users
    fill(session, ann, bank["questions"], [(0, 50, "Ann's answer.", [True, False, False], 3, "easy"),
                                           (1, 90, "Another.", [True, True, True], 1, None)],
         [("Ann's story", "", "I did it.", ["hiring"])], [(2, 5, True, 3)], plan_count=1)
    fill(session, bob, bank["questions"], [(0, 60, "Bob's answer.", [True, False, False], 2, None)], [], [])
    accounts.start_session(session, user=ann)
    accounts.create_token(session, user=ann, name="laptop")
    userdata.delete_account(session, user=ann)
    session.expire_all()
    tables = inspect(session.connection()).get_table_names()
    left = {}
    for table in tables:
        columns = {c["name"] for c in inspect(session.connection()).get_columns(table)}
        for column in ("user_id", "author_id") if table != "users" else ("id",):
            if column in columns:
                count = session.execute(text(f'SELECT count(*) FROM "{table}" WHERE {column} = :id'),
                                        {"id": ann.id}).scalar()
                if count:
                    left[f"{table}.{column}"] = count
    assert left == {}
    assert session.execute(text("SELECT count(*) FROM mock_items")).scalar() == 0  # via the mocks
    assert len(userdata.export_user(session, user=bob)["attempts"]) == 1  # Bob keeps his
