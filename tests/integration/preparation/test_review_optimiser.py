""""Optimise my parameters": the threshold counts reviews as fsrs's optimiser does, fitted parameters are stored
and every card is rescheduled with them. The optimiser is faked at its interface (fsrs.Optimizer) for the
threshold and the bookkeeping, and run for real when it is installed (the `optimizer` extra, CPU torch)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import fsrs
import pytest
from fsrs.scheduler import DEFAULT_PARAMETERS, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS

from rehearse.bank.models import Question
from rehearse.review import service as review
from rehearse.review.models import ReviewCard, ReviewLogEntry, SchedulerParameters
from rehearse.scheduling import Rating, recompute, scheduler_for
from rehearse.scheduling.fsrs_card import utc

START = datetime(2025, 1, 6, 9, 0, tzinfo=UTC)
FITTED = [round(p * 1.05, 4) for p in DEFAULT_PARAMETERS]  # what the fake optimiser "learns"


class FakeOptimizer:
    """fsrs.Optimizer's interface: built from review logs, asked for 21 parameters."""

    calls: list[list] = []
    result = FITTED

    def __init__(self, review_logs):
        self.logs = list(review_logs)
        if self.logs:
            FakeOptimizer.calls.append(self.logs)

    def compute_optimal_parameters(self, verbose: bool = False):
        return list(FakeOptimizer.result)


@pytest.fixture
def fake_optimiser(monkeypatch):
    FakeOptimizer.calls, FakeOptimizer.result = [], FITTED
    monkeypatch.setattr(fsrs, "Optimizer", FakeOptimizer)
    return FakeOptimizer


def history(session, bank, user, *, cards: int, reviews_per_card: int, seed: int = 3) -> list[ReviewCard]:
    """Cards with a year of reviews, days apart, answered well or forgotten at random (a fixed seed)."""
    rng = random.Random(seed)
    while len(bank["questions"]) < cards:
        n = len(bank["questions"])
        extra = Question(bank_id=bank["bank"].id, role_id=bank["role"].id, slug=f"extra-{n}", position=n,
                         text=f"Extra question number {n}?", kind="situational", talking_points=["a point"],
                         search_document="extra")
        session.add(extra)
        session.flush()
        bank["questions"].append(extra)
    made = []
    for question in bank["questions"][:cards]:
        created = START + timedelta(hours=rng.randrange(24 * 20))
        card = ReviewCard(user_id=user.id, question_id=question.id, due=created, created_at=created, reviews=0)
        session.add(card)
        session.flush()
        moment, gap = created, 1.0
        for _ in range(reviews_per_card):
            rating = Rating.Again if rng.random() < 0.25 else rng.choice([Rating.Hard, Rating.Good, Rating.Easy])
            session.add(ReviewLogEntry(card_id=card.id, user_id=user.id, rating=int(rating), source="score",
                                       reviewed_at=moment))
            gap = 1.0 if rating == Rating.Again else min(gap * 1.6, 20.0)
            moment += timedelta(days=gap, hours=rng.randrange(1, 12))
        made.append(card)
    session.flush()
    for card in made:
        review.recompute_card(session, card)
    return made


def expected_due(session, card: ReviewCard, parameters) -> datetime:
    entries = session.query(ReviewLogEntry).filter_by(card_id=card.id).order_by(ReviewLogEntry.reviewed_at).all()
    return recompute(card.created_at, [(Rating(e.rating), e.reviewed_at) for e in entries],
                     scheduler_for(parameters)).due


@pytest.mark.parametrize(("gaps_in_hours", "spaced"), [
    ([], 0),  # one review: nothing before it
    ([1, 2, 20], 0),  # the same day, again and again: the optimiser skips these
    ([23.99, 24], 1),  # a whole day counts, a minute short does not
    ([30, 72, 240], 3),
    ([25] * 80, 63),  # only a card's first 64 reviews are read
])
def test_spaced_reviews_counts_what_the_optimiser_learns_from(gaps_in_hours, spaced):
    moments = [START]
    for gap in gaps_in_hours:
        moments.append(moments[-1] + timedelta(hours=gap))
    shuffled = [(7, m) for m in reversed(moments)]  # any order, as rows come back from the database
    assert review.spaced_reviews(shuffled) == spaced
    assert review.spaced_reviews(shuffled + [(8, m) for m in moments]) == 2 * spaced  # per card


def test_one_spaced_review_short_says_so_and_the_next_one_optimises(session, bank, users, fake_optimiser):
    ann, bob = users
    cards = history(session, bank, ann, cards=9, reviews_per_card=58)  # 9 × 57 = 513 spaced reviews
    history(session, bank, bob, cards=9, reviews_per_card=60, seed=4)  # Bob's reviews are not Ann's
    rows = session.query(ReviewLogEntry).filter_by(user_id=ann.id).order_by(ReviewLogEntry.reviewed_at.desc())
    for entry in rows.limit(2):  # drop Ann's two latest reviews: 511 spaced left
        session.delete(entry)
    session.flush()

    short = review.optimise(session, user=ann)
    assert not short.done and fake_optimiser.calls == []
    assert "511 of them a day or more after" in short.reason and "at least 512" in short.reason
    assert short.review_count == 9 * 58 - 2
    assert session.get(SchedulerParameters, ann.id) is None

    latest = max(session.query(ReviewLogEntry).filter_by(user_id=ann.id), key=lambda e: e.reviewed_at)
    session.add(ReviewLogEntry(card_id=latest.card_id, user_id=ann.id, rating=int(Rating.Good), source="score",
                               reviewed_at=utc(latest.reviewed_at) + timedelta(days=3)))
    session.flush()
    done = review.optimise(session, user=ann)
    assert done.done and done.parameters == FITTED and done.review_count == 9 * 58 - 1
    (logs,) = fake_optimiser.calls  # called once, with every one of Ann's reviews and no one else's
    mine = session.query(ReviewLogEntry).filter_by(user_id=ann.id).all()
    assert sorted((log.card_id, int(log.rating), log.review_datetime) for log in logs) == \
        sorted((e.card_id, e.rating, utc(e.reviewed_at)) for e in mine)
    stored = session.get(SchedulerParameters, ann.id)
    assert stored.parameters == FITTED and stored.review_count == done.review_count and stored.optimised_at
    assert session.get(SchedulerParameters, bob.id) is None
    moved = 0
    for card in cards:  # every card replayed with the fitted parameters
        session.refresh(card)
        assert utc(card.due) == expected_due(session, card, FITTED)
        moved += utc(card.due) != expected_due(session, card, None)
    assert moved  # and the fitted parameters do change the schedule
    info = review.parameters_info(session, user_id=ann.id)
    assert info["optimised_count"] == done.review_count and info["optimised_at"] is not None


def test_an_optimiser_that_keeps_the_defaults_stores_nothing(session, bank, users, fake_optimiser):
    ann = users[0]
    history(session, bank, ann, cards=10, reviews_per_card=60)
    fake_optimiser.result = list(DEFAULT_PARAMETERS)
    result = review.optimise(session, user=ann)
    assert not result.done and "kept" in result.reason and len(fake_optimiser.calls) == 1
    assert session.get(SchedulerParameters, ann.id) is None


def test_without_the_optimiser_installed_it_says_how_to_get_it(session, bank, users, monkeypatch):
    ann = users[0]
    history(session, bank, ann, cards=10, reviews_per_card=60)
    monkeypatch.setattr(review, "optimiser_available", lambda: "the FSRS optimiser is not installed here")
    result = review.optimise(session, user=ann)
    assert not result.done and "not installed" in result.reason and "defaults are used" in result.reason
    assert session.get(SchedulerParameters, ann.id) is None


def test_the_real_optimiser_fits_parameters_and_the_next_review_uses_them(session, bank, users):
    missing = review.optimiser_available()
    if missing:
        pytest.skip(f"needs the optimizer extra: {missing}")
    ann = users[0]
    cards = history(session, bank, ann, cards=20, reviews_per_card=30)  # 600 reviews, 580 spaced
    result = review.optimise(session, user=ann)
    assert result.done, result.reason
    fitted = result.parameters
    assert len(fitted) == len(DEFAULT_PARAMETERS) and fitted != list(DEFAULT_PARAMETERS)
    assert all(low <= p <= high for p, low, high in zip(fitted, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS,
                                                          strict=True))
    assert session.get(SchedulerParameters, ann.id).parameters == fitted
    card = cards[0]
    session.refresh(card)
    assert utc(card.due) == expected_due(session, card, fitted)
    # A review after optimising is scheduled with the fitted parameters, not the defaults.
    session.add(ReviewLogEntry(card_id=card.id, user_id=ann.id, rating=int(Rating.Good), source="score",
                               reviewed_at=utc(card.due) + timedelta(hours=1)))
    session.flush()
    review.recompute_card(session, card)
    assert utc(card.due) == expected_due(session, card, fitted) != expected_due(session, card, None)
