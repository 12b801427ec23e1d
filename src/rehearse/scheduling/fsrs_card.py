"""A thin, pure wrapper over fsrs.Scheduler: plain card state in, the next state out.

Fuzzing is off, so the same reviews always give the same schedule: the stored review log
can recompute every card exactly (after an override, an import or new parameters).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from fsrs import Card, Rating, ReviewLog, Scheduler, State

__all__ = ["CardState", "Rating", "recompute", "review", "scheduler_for"]


@dataclass(frozen=True)
class CardState:
    """What is stored of a card: FSRS's state, step, stability, difficulty and the next due time."""

    due: datetime
    state: int = State.Learning.value
    step: int | None = 0
    stability: float | None = None
    difficulty: float | None = None
    last_review: datetime | None = None

    @classmethod
    def new(cls, now: datetime) -> CardState:
        """A card never reviewed, due now."""
        return cls(due=now)

    def _card(self) -> Card:
        return Card(card_id=1, state=State(self.state), step=self.step, stability=self.stability,
                    difficulty=self.difficulty, due=utc(self.due), last_review=utc(self.last_review))

    @classmethod
    def _of(cls, card: Card) -> CardState:
        return cls(due=card.due, state=int(card.state.value), step=card.step, stability=card.stability,
                   difficulty=card.difficulty, last_review=card.last_review)


def utc(moment: datetime | None) -> datetime | None:
    """The moment in UTC; a naive one (SQLite returns them) is taken to be UTC already."""
    if moment is None:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def scheduler_for(parameters: Sequence[float] | None = None, desired_retention: float = 0.9) -> Scheduler:
    """The library's scheduler, with its default parameters unless the user's optimised ones are given."""
    if parameters:
        return Scheduler(parameters=tuple(parameters), desired_retention=desired_retention, enable_fuzzing=False)
    return Scheduler(desired_retention=desired_retention, enable_fuzzing=False)


def review(card: CardState, rating: Rating, now: datetime, scheduler: Scheduler | None = None) -> CardState:
    """The card after a review with this rating at this moment."""
    scheduler = scheduler or scheduler_for()
    # fsrs refuses a review dated before the card's last one; a clock that went back reviews "now" at the last.
    now, last = utc(now), utc(card.last_review)
    moment = max(now, last) if last else now
    next_card, _log = scheduler.review_card(card._card(), rating, review_datetime=moment)
    return CardState._of(next_card)


def recompute(created: datetime, reviews: Iterable[tuple[Rating, datetime]],
              scheduler: Scheduler | None = None) -> CardState:
    """The card a sequence of (rating, moment) reviews leads to, replayed from a new card."""
    scheduler = scheduler or scheduler_for()
    card = CardState.new(utc(created))
    for rating, moment in sorted(reviews, key=lambda item: item[1]):
        card = review(card, rating, moment, scheduler)
    return card


def review_logs(card_id: int, reviews: Iterable[tuple[Rating, datetime]]) -> list[ReviewLog]:
    """The library's ReviewLog objects, for its optimiser."""
    return [ReviewLog(card_id=card_id, rating=rating, review_datetime=utc(moment), review_duration=None)
            for rating, moment in reviews]


def with_due(card: CardState, due: datetime) -> CardState:
    return replace(card, due=due)
