"""JSON API for progress: the dashboard's figures."""

from __future__ import annotations

from fastapi import APIRouter, Response

from rehearse.web.deps import SessionDep
from rehearse.web.security import ApiUser

from . import service
from .schemas import Progress

router = APIRouter(prefix="/api", tags=["progress"])


@router.get("/progress", response_model=Progress)
def read_progress(user: ApiUser, session: SessionDep, response: Response) -> Progress:
    """Your score over time (by week, a year), coverage by competency, delivery trends, reviews due in the
    next 14 days, your streak and the questions that most need work."""
    response.headers["Cache-Control"] = "no-store"
    return Progress(**service.figures(session, user=user))
