"""Review cards on a real database: made by practice, scheduled by the score, overridden, private."""

from datetime import UTC, datetime, timedelta

import pytest

from rehearse.practice import service as practice
from rehearse.progress.models import AttemptMetrics
from rehearse.review import service as review
from rehearse.review.models import ReviewCard, ReviewLogEntry
from rehearse.scheduling import CardState, Rating, recompute
from rehearse.scheduling.fsrs_card import utc

from .conftest import fake_report


def attempt(session, user, question, score):
    return practice.record(session, user=user, question=question, answer="An answer.", report=fake_report(score))


def card_of(session, user, question):
    return session.query(ReviewCard).filter_by(user_id=user.id, question_id=question.id).one()


@pytest.mark.parametrize(("score", "rating"), [(20, Rating.Again), (50, Rating.Hard), (70, Rating.Good),
                                               (95, Rating.Easy)])
def test_practising_makes_a_card_rated_by_the_score(session, bank, users, score, rating):
    ann = users[0]
    made = attempt(session, ann, bank["questions"][0], score)
    card = card_of(session, ann, bank["questions"][0])
    entry = session.query(ReviewLogEntry).filter_by(attempt_id=made.id).one()
    assert (entry.rating, entry.suggested_rating, entry.source, entry.score) == (int(rating), int(rating), "score",
                                                                                 score)
    expected = recompute(made.created_at, [(rating, made.created_at)])
    assert utc(card.due) == expected.due and card.reviews == 1
    metrics = session.get(AttemptMetrics, made.id)
    assert (metrics.points_total, metrics.points_covered, metrics.fillers, metrics.hedges) == (3, 1, 2, 1)


def test_a_second_attempt_reviews_the_same_card(session, bank, users):
    ann, q = users[0], bank["questions"][0]
    first = attempt(session, ann, q, 30)
    second = attempt(session, ann, q, 90)
    card = card_of(session, ann, q)
    assert card.reviews == 2
    expected = recompute(first.created_at, [(Rating.Again, first.created_at), (Rating.Easy, second.created_at)])
    assert utc(card.due) == expected.due


def test_an_override_reschedules_by_replaying_the_log(session, bank, users):
    ann, q = users[0], bank["questions"][1]
    made = attempt(session, ann, q, 95)  # Easy: far out
    easy_due = utc(card_of(session, ann, q).due)
    review.override(session, user=ann, attempt_id=made.id, rating="again")
    card = card_of(session, ann, q)
    assert utc(card.due) < easy_due
    assert utc(card.due) == recompute(made.created_at, [(Rating.Again, made.created_at)]).due
    entry = review.rating_of_attempt(session, user=ann, attempt_id=made.id)
    assert (entry.rating, entry.suggested_rating, entry.source) == (1, 4, "override")


def test_choosing_the_rating_the_score_suggested_is_no_override(session, bank, users):
    ann, q = users[0], bank["questions"][1]
    made = attempt(session, ann, q, 95)  # Easy suggested
    review.override(session, user=ann, attempt_id=made.id, rating="again")
    back = review.override(session, user=ann, attempt_id=made.id, rating="easy")  # changed their mind
    assert (back.rating, back.suggested_rating, back.source) == (4, 4, "score")


@pytest.mark.parametrize("rating", ["perfect", "0", "", "5"])
def test_a_rating_that_does_not_exist_changes_nothing(session, bank, users, rating):
    ann, q = users[0], bank["questions"][1]
    made = attempt(session, ann, q, 70)
    due = card_of(session, ann, q).due
    with pytest.raises(review.RatingRejected, match="not a rating") as rejected:
        review.override(session, user=ann, attempt_id=made.id, rating=rating)
    assert rejected.value.status == 422
    assert card_of(session, ann, q).due == due


def test_nobody_else_can_override_or_see_a_card(session, bank, users):
    ann, bob = users
    made = attempt(session, ann, bank["questions"][0], 20)
    with pytest.raises(review.RatingRejected) as rejected:
        review.override(session, user=bob, attempt_id=made.id, rating="easy")
    assert rejected.value.status == 404
    later = datetime.now(UTC) + timedelta(days=400)
    assert review.due_cards(session, user=bob, now=later) == []
    assert review.due_count(session, user_id=bob.id, now=later) == 0
    assert [c.question_id for c in review.due_cards(session, user=ann, now=later)] == [bank["questions"][0].id]


def test_the_due_queue_is_most_overdue_first_and_counts_all(session, bank, users):
    ann = users[0]
    for question, score in zip(bank["questions"][:4], (95, 20, 70, 50), strict=True):
        attempt(session, ann, question, score)
    now = datetime.now(UTC) + timedelta(days=2)
    due = review.due_cards(session, user=ann, now=now)
    assert [c.due for c in due] == sorted(c.due for c in due)
    assert review.due_count(session, user_id=ann.id, now=now) == len(due)
    assert bank["questions"][1].id in [c.question_id for c in due]  # Again: back within minutes
    assert bank["questions"][0].id not in [c.question_id for c in due]  # Easy: not within two days
    days = review.upcoming(session, user_id=ann.id, days=30)
    assert sum(n for _, n in days) == 4 and len(days) == 30


def test_optimising_with_too_few_reviews_says_how_many_are_needed(session, bank, users):
    ann = users[0]
    attempt(session, ann, bank["questions"][0], 70)
    result = review.optimise(session, user=ann)
    assert not result.done and result.review_count == 1
    assert f"at least {review.MIN_REVIEWS_TO_OPTIMISE}" in result.reason


def test_card_state_round_trips_through_the_database(session, bank, users):
    ann, q = users[0], bank["questions"][2]
    made = attempt(session, ann, q, 70)
    card = card_of(session, ann, q)
    session.expire_all()
    stored = card_of(session, ann, q)
    assert CardState(due=utc(stored.due), state=stored.state, step=stored.step, stability=stored.stability,
                     difficulty=stored.difficulty, last_review=utc(stored.last_review)) == \
        recompute(made.created_at, [(Rating.Good, made.created_at)])
    assert card.id == stored.id


def test_due_now_is_one_figure_and_later_today_is_counted_apart(session, bank, users):
    # The tester's /review said "1 question due" above a table whose today said 5: the 5 counted cards due
    # later that day. Due now is one definition (due at or before now, overdue included) for the queue, its
    # count, the navigation bar and the week's table; later today is a row of its own.
    ann = users[0]
    now = datetime(2026, 5, 4, 12, 0, tzinfo=UTC)
    for question, due in zip(bank["questions"][:6], (
            now - timedelta(days=3),       # overdue: due now
            now,                           # due this moment: due now
            now + timedelta(minutes=10),   # later today
            now + timedelta(hours=11),     # later today, before midnight UTC
            now + timedelta(hours=13),     # tomorrow
            now + timedelta(days=3)), strict=True):
        review.ensure_card(session, user_id=ann.id, question_id=question.id, now=now)
        card_of(session, ann, question).due = due
    session.flush()
    seen = review.outlook(session, user_id=ann.id, now=now, days=7)
    assert seen.due_now == review.due_count(session, user_id=ann.id, now=now) == 2
    assert len(review.due_cards(session, user=ann, now=now)) == 2
    assert seen.later_today == 2
    assert seen.days[:3] == [("2026-05-05", 1), ("2026-05-06", 0), ("2026-05-07", 1)] and len(seen.days) == 6
    assert review.next_due_question(session, user=ann, now=now) == bank["questions"][0].id
    # Every card is counted once: the table adds up to what upcoming() spreads over the same days.
    assert seen.due_now + seen.later_today + sum(n for _, n in seen.days) == sum(
        n for _, n in review.upcoming(session, user_id=ann.id, now=now, days=7))


def test_a_retired_question_stops_falling_due_and_comes_back_with_its_schedule(session, bank, users):
    # A question taken out of its bank (`import --prune`, `questions retire`) is out of practice, so its card
    # must leave the queue, the count on the navigation bar and the coming days; the card and its log stay.
    ann = users[0]
    kept, retired = bank["questions"][:2]
    for question in (kept, retired):
        attempt(session, ann, question, 20)  # Again: due again within minutes
    now = datetime.now(UTC) + timedelta(days=1)
    retired.retired_at = datetime.now(UTC)
    session.flush()
    assert [c.question_id for c in review.due_cards(session, user=ann, now=now)] == [kept.id]
    assert review.due_count(session, user_id=ann.id, now=now) == 1
    assert sum(n for _, n in review.upcoming(session, user_id=ann.id, days=30)) == 1
    assert review.next_due_question(session, user=ann, now=now) == kept.id
    assert review.next_due_time(session, user_id=ann.id) == utc(card_of(session, ann, kept).due)
    assert card_of(session, ann, retired).reviews == 1  # kept, with its log
    retired.retired_at = None  # `questions retire --undo`
    session.flush()
    assert review.due_count(session, user_id=ann.id, now=now) == 2
