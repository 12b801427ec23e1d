"""Review pages: the due queue, the next due question, rating overrides, optimising parameters."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Path, Request
from fastapi.responses import RedirectResponse, Response

from rehearse.bank.models import utcnow
from rehearse.review import service as review
from rehearse.web.deps import SessionDep
from rehearse.web.security import CsrfForm, PageUser
from rehearse.web.templating import render

router = APIRouter()
MAX_ID = 2**31 - 1


@router.get("/review")
def show_queue(request: Request, session: SessionDep, user: PageUser) -> Response:
    return _queue_page(request, session, user)


def _queue_page(request: Request, session, user, message: str | None = None) -> Response:
    now = utcnow()  # one moment for every figure on the page, so that they agree
    outlook = review.outlook(session, user_id=user.id, now=now, days=7)
    return render(request, "review/queue.html", {
        "cards": review.due_cards(session, user=user, now=now),
        "due_total": outlook.due_now,
        "review_due": outlook.due_now,  # the navigation bar's count, the same figure
        "card_total": review.card_count(session, user=user),
        "outlook": outlook,
        "min_reviews": review.MIN_REVIEWS_TO_OPTIMISE,
        "next_due": review.next_due_time(session, user_id=user.id),
        **review.parameters_info(session, user_id=user.id),
        "message": message,
    }, headers={"Cache-Control": "no-store"})


@router.get("/review/next")
def next_due(request: Request, session: SessionDep, user: PageUser, start: bool = False) -> Response:
    """The next due question's practice page, told its place in the walk-through ("?review=3": the third);
    the queue itself when nothing is due. "Start reviewing" (`start`) begins a walk-through: a cookie keeps
    when, and the place is one more than the questions reviewed since."""
    question_id = review.next_due_question(session, user=user)
    if question_id is None:
        return RedirectResponse("/review", status_code=303)
    now = utcnow()
    began = None if start else _walk_began(request.cookies.get(WALK_COOKIE, ""), now)
    done = review.reviewed_since(session, user_id=user.id, since=began) if began else 0
    response = RedirectResponse(f"/practice/{question_id}?review={done + 1}", status_code=303)
    if began is None:
        response.set_cookie(WALK_COOKIE, str(int(now.timestamp() * 1000)), max_age=WALK_SECONDS, httponly=True,
                            samesite="lax", secure=request.url.scheme == "https")
    return response


WALK_COOKIE = "rehearse_review_walk"
WALK_SECONDS = 12 * 3600  # a walk-through left for longer starts again at 1


def _walk_began(value: str, now: datetime) -> datetime | None:
    """When the walk-through in the cookie began; None for no cookie, a malformed one, or one too old."""
    if not value.isdigit() or len(value) > 15:
        return None
    began = datetime.fromtimestamp(int(value) / 1000, UTC)  # milliseconds: answers just before do not count
    return began if timedelta(0) <= now - began <= timedelta(seconds=WALK_SECONDS) else None


@router.post("/attempts/{attempt_id}/rating", dependencies=[CsrfForm])
def rate_attempt(attempt_id: Annotated[int, Path(ge=1, le=MAX_ID)], session: SessionDep, user: PageUser,
                 rating: Annotated[str, Form(max_length=10)] = "") -> Response:
    try:
        review.override(session, user=user, attempt_id=attempt_id, rating=rating)
    except review.RatingRejected as rejected:
        raise HTTPException(rejected.status, str(rejected)) from None
    return RedirectResponse(f"/attempts/{attempt_id}#review", status_code=303)


@router.post("/review/optimise", dependencies=[CsrfForm])
def optimise(request: Request, session: SessionDep, user: PageUser) -> Response:
    result = review.optimise(session, user=user)
    return _queue_page(request, session, user, message=result.reason)
