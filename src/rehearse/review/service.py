"""Review use cases: schedule practised questions with FSRS, the due queue, overrides, optimising.

Every read and write takes the user and filters by it: a card is its owner's alone.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from rehearse import scheduling
from rehearse.accounts.models import User
from rehearse.bank.models import Question, Role, utcnow
from rehearse.practice.models import Attempt
from rehearse.progress.metrics import metrics_of
from rehearse.progress.models import AttemptMetrics
from rehearse.scheduling.fsrs_card import CardState, review_logs, utc

from .models import ReviewCard, ReviewLogEntry, SchedulerParameters

# fsrs's optimiser learns only from reviews made a day or more after the card's previous one, reads
# the first 64 reviews of each card, and with fewer such reviews than one mini-batch (512) it returns
# its default parameters unchanged. So "enough reviews" is 512 of those, counted as it counts them.
MIN_REVIEWS_TO_OPTIMISE = 512
OPTIMISER_REVIEWS_PER_CARD = 64
QUEUE_PAGE = 50


class RatingRejected(ValueError):
    """A rating or review that cannot be applied; `status` is the HTTP status that says why."""

    def __init__(self, message: str, status: int = 422):
        self.status = status
        super().__init__(message)


def _scheduler(session: Session, user_id: int):
    params = session.get(SchedulerParameters, user_id)
    if params is None:
        return scheduling.scheduler_for()
    return scheduling.scheduler_for(params.parameters, params.desired_retention)


def _state(card: ReviewCard) -> CardState:
    return CardState(due=card.due, state=card.state, step=card.step, stability=card.stability,
                     difficulty=card.difficulty, last_review=card.last_review)


def _apply(card: ReviewCard, state: CardState) -> None:
    card.state, card.step, card.stability = state.state, state.step, state.stability
    card.difficulty, card.due, card.last_review = state.difficulty, state.due, state.last_review


def after_attempt(session: Session, attempt: Attempt) -> ReviewLogEntry:
    """Keep the attempt's dashboard figures and review its card with the rating its score stands for."""
    m = metrics_of(attempt.report, attempt.speech)
    session.add(AttemptMetrics(
        attempt_id=attempt.id, user_id=attempt.user_id, question_id=attempt.question_id,
        created_at=attempt.created_at, score=m.score, points_total=m.points_total,
        points_covered=m.points_covered, words=m.words, fillers=m.fillers, hedges=m.hedges,
        words_per_minute=m.words_per_minute,
    ))
    return review_question(session, user_id=attempt.user_id, question_id=attempt.question_id,
                           score=attempt.score, attempt_id=attempt.id, now=attempt.created_at)


def review_question(session: Session, *, user_id: int, question_id: int, score: int | None,
                    rating: scheduling.Rating | None = None, attempt_id: int | None = None,
                    now: datetime | None = None) -> ReviewLogEntry:
    """Review a question's card (made on first practice): the rating given, or the score's."""
    now = utc(now or utcnow())
    suggested = scheduling.rating_for_score(max(0, min(100, score))) if score is not None else None
    used = rating or suggested
    if used is None:
        raise RatingRejected("A review needs a score or a rating.")
    card = _locked_card(session, user_id=user_id, question_id=question_id, now=now)
    _apply(card, scheduling.review(_state(card), used, now, _scheduler(session, user_id)))
    card.reviews = (card.reviews or 0) + 1
    entry = ReviewLogEntry(card_id=card.id, user_id=user_id, attempt_id=attempt_id, score=score,
                           suggested_rating=int(suggested) if suggested else None, rating=int(used),
                           source=_source(used, suggested), reviewed_at=now)
    session.add(entry)
    session.flush()
    return entry


def _source(used: int, suggested: int | None) -> str:
    """"override" only when the user's rating differs from the one the score suggested."""
    return "score" if suggested is not None and int(used) == int(suggested) else "override"


def _locked_card(session: Session, *, user_id: int, question_id: int, now: datetime) -> ReviewCard:
    """The user's card for a question, made if missing, locked until the transaction ends.

    Two saves of the same question at once (PostgreSQL runs them side by side) must not both
    make the card, nor both update it from the same old state: the row lock orders them, and
    the one that loses the race to create it reads the winner's card instead.
    """
    query = (select(ReviewCard).where(ReviewCard.user_id == user_id, ReviewCard.question_id == question_id)
             .with_for_update())
    card = session.scalar(query)
    if card is not None:
        return card
    try:
        with session.begin_nested():
            card = ReviewCard(user_id=user_id, question_id=question_id, created_at=now, reviews=0)
            _apply(card, CardState.new(now))
            session.add(card)
            session.flush()
        return card
    except IntegrityError:
        return session.scalar(query.execution_options(populate_existing=True))


def ensure_card(session: Session, *, user_id: int, question_id: int, now: datetime | None = None) -> int:
    """A card for the question, due now, unless the user has one already (1 when one was made)."""
    now = utc(now or utcnow())
    exists = session.scalar(select(ReviewCard.id).where(ReviewCard.user_id == user_id,
                                                        ReviewCard.question_id == question_id))
    if exists is not None:
        return 0
    _locked_card(session, user_id=user_id, question_id=question_id, now=now)
    return 1


def recompute_card(session: Session, card: ReviewCard) -> None:
    """Replay the card's review log through FSRS (after an override or new parameters)."""
    entries = session.scalars(select(ReviewLogEntry).where(ReviewLogEntry.card_id == card.id)
                              .order_by(ReviewLogEntry.reviewed_at, ReviewLogEntry.id)).all()
    state = scheduling.recompute(card.created_at, [(scheduling.Rating(e.rating), e.reviewed_at) for e in entries],
                                 _scheduler(session, card.user_id))
    _apply(card, state)
    card.reviews = len(entries)


def override(session: Session, *, user: User, attempt_id: int, rating: str | int) -> ReviewLogEntry:
    """Use the user's own rating for the review an attempt made, and reschedule its card."""
    try:
        chosen = scheduling.parse_rating(rating)
    except ValueError as error:
        raise RatingRejected(str(error)) from None
    entry = session.scalar(select(ReviewLogEntry).where(ReviewLogEntry.attempt_id == attempt_id,
                                                        ReviewLogEntry.user_id == user.id))
    if entry is None:
        raise RatingRejected(f"You have no reviewed attempt with id {attempt_id}.", 404)
    entry.rating, entry.source = int(chosen), _source(chosen, entry.suggested_rating)
    session.flush()
    recompute_card(session, session.get(ReviewCard, entry.card_id))
    return entry


def rating_of_attempt(session: Session, *, user: User, attempt_id: int) -> ReviewLogEntry | None:
    return session.scalar(select(ReviewLogEntry).where(ReviewLogEntry.attempt_id == attempt_id,
                                                       ReviewLogEntry.user_id == user.id))


def attempt_review(session: Session, *, user: User, attempt_id: int) -> dict[str, Any] | None:
    """What the attempt page shows of the review an attempt made: the entry, when its card is due, what is left."""
    entry = rating_of_attempt(session, user=user, attempt_id=attempt_id)
    if entry is None:
        return None
    card = session.get(ReviewCard, entry.card_id)
    return {"entry": entry, "card_due": card.due, "due_next": due_count(session, user_id=user.id)}


@dataclass(frozen=True)
class DueCard:
    """A due card as the queue shows it: read in one joined query, no ORM objects."""

    id: int
    question_id: int
    question: str
    role: str
    due: datetime
    reviews: int
    state: int
    stability: float | None
    difficulty: float | None


def due_now(now):
    """What "due" means everywhere (the queue, its count, the navigation bar, "due now" in the coming week):
    the card's moment has come, overdue ones included; a card due later today is not due yet."""
    return ReviewCard.due <= now


# A retired question (`import --prune`, `questions retire`) leaves practice, so its card stops falling due; the
# card and its log are kept, and the card is due again as it was if the question is put back.
_OF_LIVE_QUESTION = ReviewCard.question_id.in_(select(Question.id).where(Question.retired_at.is_(None)))


# Built once: every signed-in page counts the due cards (the navigation bar), and the home page lists them.
_DUE_CARDS = (
    select(ReviewCard.id, ReviewCard.question_id, Question.text, Role.name, ReviewCard.due, ReviewCard.reviews,
           ReviewCard.state, ReviewCard.stability, ReviewCard.difficulty)
    .join(Question, Question.id == ReviewCard.question_id).join(Role, Role.id == Question.role_id)
    .where(ReviewCard.user_id == bindparam("user_id"), due_now(bindparam("now")), Question.retired_at.is_(None))
    .order_by(ReviewCard.due, ReviewCard.id).limit(bindparam("limit")).offset(bindparam("offset"))
)
_DUE_COUNT = (select(func.count()).select_from(ReviewCard)
              .where(ReviewCard.user_id == bindparam("user_id"), due_now(bindparam("now")), _OF_LIVE_QUESTION))


def due_cards(session: Session, *, user: User, now: datetime | None = None, limit: int = QUEUE_PAGE,
              offset: int = 0) -> list[DueCard]:
    """The user's cards due by now, most overdue first (one range scan of the (user, due) index)."""
    now = utc(now or utcnow())
    rows = session.connection().execute(
        _DUE_CARDS, {"user_id": user.id, "now": now, "limit": limit, "offset": offset}).all()
    return [DueCard(*row[:4], utc(row[4]), *row[5:]) for row in rows]


def due_count(session: Session, *, user_id: int, now: datetime | None = None) -> int:
    now = utc(now or utcnow())
    return session.connection().execute(_DUE_COUNT, {"user_id": user_id, "now": now}).scalar() or 0


def next_due_question(session: Session, *, user: User, now: datetime | None = None) -> int | None:
    now = utc(now or utcnow())
    return session.scalar(select(ReviewCard.question_id)
                          .where(ReviewCard.user_id == user.id, due_now(now), _OF_LIVE_QUESTION)
                          .order_by(ReviewCard.due, ReviewCard.id).limit(1))


def reviewed_since(session: Session, *, user_id: int, since: datetime) -> int:
    """How many questions the user has reviewed since a moment: a review walk-through's place ("Review 3 of 5")."""
    return session.scalar(select(func.count(func.distinct(ReviewLogEntry.card_id)))
                          .where(ReviewLogEntry.user_id == user_id, ReviewLogEntry.reviewed_at >= utc(since))) or 0


def next_due_time(session: Session, *, user_id: int) -> datetime | None:
    due = session.scalar(select(func.min(ReviewCard.due)).where(ReviewCard.user_id == user_id, _OF_LIVE_QUESTION))
    return utc(due) if due else None


def parameters_info(session: Session, *, user_id: int) -> dict[str, Any]:
    params = session.get(SchedulerParameters, user_id)
    return {"optimised_at": params.optimised_at if params else None,
            "optimised_count": params.review_count if params else None}


def card_count(session: Session, *, user: User) -> int:
    return session.scalar(select(func.count()).select_from(ReviewCard).where(ReviewCard.user_id == user.id)) or 0


def upcoming(session: Session, *, user_id: int, now: datetime | None = None, days: int = 14) -> list[tuple[str, int]]:
    """How many cards fall due on each of the coming days (today counts the overdue too)."""
    now = utc(now or utcnow())
    start = now.replace(hour=0, minute=0, second=0, microsecond=0)
    end = start + timedelta(days=days)
    dues = session.scalars(select(ReviewCard.due).where(ReviewCard.user_id == user_id, ReviewCard.due < end,
                                                        _OF_LIVE_QUESTION))
    counts = Counter(max(0, (utc(d) - start).days) for d in dues)
    return [((start + timedelta(days=i)).date().isoformat(), counts.get(i, 0)) for i in range(days)]


@dataclass(frozen=True)
class Outlook:
    """The coming week as the review page shows it, each figure counted once: what is due now (the queue's
    own count, overdue included), what falls due later today (UTC), then each following day."""

    due_now: int
    later_today: int
    days: list[tuple[str, int]]  # (ISO date, cards falling due that day), from tomorrow


def outlook(session: Session, *, user_id: int, now: datetime | None = None, days: int = 7) -> Outlook:
    """Due now, later today and day by day for `days` days in all (today included)."""
    now = utc(now or utcnow())
    by_day = upcoming(session, user_id=user_id, now=now, days=days)
    due = due_count(session, user_id=user_id, now=now)
    # upcoming()'s today counts the overdue and the rest of today alike; the queue counts only the former.
    return Outlook(due_now=due, later_today=by_day[0][1] - due, days=by_day[1:])


@dataclass(frozen=True)
class Optimisation:
    done: bool
    reason: str
    review_count: int
    parameters: list[float] | None = None


def optimiser_available() -> str | None:
    """None when the library's optimiser can run here, else why not."""
    try:
        from fsrs import Optimizer

        Optimizer([])
    except ImportError:
        return ("the FSRS optimiser is not installed here (pip install 'rehearse[optimizer]': the CPU build "
                "of torch, and pandas)")
    except Exception:  # noqa: BLE001 - an empty log is refused by a working optimiser: it is installed
        return None
    return None


def spaced_reviews(reviews: list[tuple[int, datetime]]) -> int:
    """How many of these (card id, moment) reviews the optimiser learns from: among each card's first 64,
    those a whole day or more after the card's previous review."""
    by_card: dict[int, list[datetime]] = {}
    for card_id, moment in reviews:
        by_card.setdefault(card_id, []).append(utc(moment))
    count = 0
    for moments in by_card.values():
        moments = sorted(moments)[:OPTIMISER_REVIEWS_PER_CARD]
        count += sum((later - earlier).days > 0 for earlier, later in zip(moments, moments[1:], strict=False))
    return count


def optimise(session: Session, *, user: User) -> Optimisation:
    """Fit the user's FSRS parameters to their own review log, when there are enough reviews."""
    rows = session.execute(select(ReviewLogEntry.card_id, ReviewLogEntry.rating, ReviewLogEntry.reviewed_at)
                           .where(ReviewLogEntry.user_id == user.id)).all()
    count, spaced = len(rows), spaced_reviews([(card_id, moment) for card_id, _rating, moment in rows])
    if spaced < MIN_REVIEWS_TO_OPTIMISE:
        return Optimisation(False, f"You have {count} reviews, {spaced} of them a day or more after the previous "
                                   f"review of the same question; the optimiser needs at least "
                                   f"{MIN_REVIEWS_TO_OPTIMISE} of those. Until then the library's defaults are used.",
                            count)
    missing = optimiser_available()
    if missing:
        return Optimisation(False, f"Not optimised: {missing}. The library's defaults are used.", count)
    from fsrs import Optimizer
    from fsrs.scheduler import DEFAULT_PARAMETERS

    logs = [log for card_id, rating, moment in rows
            for log in review_logs(card_id, [(scheduling.Rating(rating), moment)])]
    parameters = [float(p) for p in Optimizer(logs).compute_optimal_parameters()]
    if len(parameters) != len(DEFAULT_PARAMETERS):
        raise RuntimeError(f"the FSRS optimiser returned {len(parameters)} parameters, not {len(DEFAULT_PARAMETERS)}")
    if parameters == [float(p) for p in DEFAULT_PARAMETERS]:
        return Optimisation(False, f"The optimiser found nothing in your {count} reviews to improve on the library's "
                                   "defaults, so they are kept.", count)
    params = session.get(SchedulerParameters, user.id) or SchedulerParameters(user_id=user.id)
    params.parameters, params.review_count, params.optimised_at = parameters, count, utcnow()
    params.desired_retention = params.desired_retention or 0.9
    session.merge(params)
    session.flush()
    for card in session.scalars(select(ReviewCard).where(ReviewCard.user_id == user.id)):
        recompute_card(session, card)
    return Optimisation(True, f"Optimised from your {count} reviews.", count, parameters)


def reset_parameters(session: Session, *, user: User) -> None:
    session.execute(delete(SchedulerParameters).where(SchedulerParameters.user_id == user.id))


def card_summary(card: DueCard, now: datetime | None = None) -> dict[str, Any]:
    now = utc(now or datetime.now(UTC))
    return {
        "id": card.id, "question_id": card.question_id, "question": card.question, "role": card.role,
        "due": card.due, "overdue_days": max(0, (now - card.due).days), "state": card.state,
        "reviews": card.reviews, "stability": card.stability, "difficulty": card.difficulty,
    }
