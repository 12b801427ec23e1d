"""JSON API for review: the due queue, the coming days, rating overrides, optimising parameters."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Response

from rehearse.scheduling import Rating
from rehearse.scheduling.fsrs_card import utc
from rehearse.web.deps import SessionDep
from rehearse.web.security import ApiUser, CsrfApi

from . import service
from .models import ReviewCard
from .schemas import CardRead, DueQueue, OptimiseResult, RatingUpdate, ReviewRead, UpcomingDay

router = APIRouter(prefix="/api/review", tags=["review"])
MAX_ID = 2**31 - 1  # ids are 32-bit integers on PostgreSQL


def rating_name(value: int | None) -> str | None:
    return Rating(value).name.lower() if value else None


@router.get("/due", response_model=DueQueue)
def list_due(user: ApiUser, session: SessionDep, response: Response,
             limit: Annotated[int, Query(ge=1, le=500)] = 50,
             offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> DueQueue:
    """Your cards due now, most overdue first, and how many are due in all."""
    # The navigation bar asks on every page; a browser may reuse the answer briefly (it is this user's own).
    response.headers["Cache-Control"] = "private, max-age=20"
    cards = service.due_cards(session, user=user, limit=limit, offset=offset)
    return DueQueue(count=service.due_count(session, user_id=user.id),
                    cards=[CardRead(**service.card_summary(c)) for c in cards])


@router.get("/upcoming", response_model=list[UpcomingDay])
def list_upcoming(user: ApiUser, session: SessionDep,
                  days: Annotated[int, Query(ge=1, le=365)] = 14) -> list[UpcomingDay]:
    """How many of your cards fall due on each of the coming days (today includes the overdue)."""
    return [UpcomingDay(date=d, due=n) for d, n in service.upcoming(session, user_id=user.id, days=days)]


@router.put("/attempts/{attempt_id}/rating", response_model=ReviewRead, dependencies=[CsrfApi])
def set_rating(attempt_id: Annotated[int, Path(ge=1, le=MAX_ID)], body: RatingUpdate, user: ApiUser,
               session: SessionDep) -> ReviewRead:
    """Override the rating an attempt's score gave its card (again, hard, good, easy); the card is rescheduled."""
    try:
        entry = service.override(session, user=user, attempt_id=attempt_id, rating=body.rating)
    except service.RatingRejected as rejected:
        raise HTTPException(rejected.status, str(rejected)) from None
    return review_read(session, entry)


def review_read(session, entry) -> ReviewRead:
    card = session.get(ReviewCard, entry.card_id)
    return ReviewRead(attempt_id=entry.attempt_id, question_id=card.question_id, score=entry.score,
                      suggested_rating=rating_name(entry.suggested_rating), rating=rating_name(entry.rating),
                      source=entry.source, reviewed_at=utc(entry.reviewed_at), card_due=utc(card.due))


@router.post("/optimise", response_model=OptimiseResult, dependencies=[CsrfApi])
def optimise(user: ApiUser, session: SessionDep) -> OptimiseResult:
    """Fit your FSRS parameters to your review log (needs enough reviews and the optimiser extra)."""
    result = service.optimise(session, user=user)
    return OptimiseResult(optimised=result.done, reason=result.reason, review_count=result.review_count,
                          min_reviews=service.MIN_REVIEWS_TO_OPTIMISE, parameters=result.parameters)
