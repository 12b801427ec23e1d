"""JSON API for banks, roles and questions."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Query

from rehearse.web.deps import SessionDep
from rehearse.web.params import IdPath, OffsetQuery

from . import service
from .pick import FilterRefused, check_question_filters
from .schemas import QuestionRead, QuestionSummary, RoleRead, summarize

router = APIRouter(prefix="/api", tags=["bank"])


@router.get("/roles", response_model=list[RoleRead])
def list_roles(session: SessionDep) -> list[RoleRead]:
    return [RoleRead.of(role, count) for role, count in service.list_roles(session)]


@router.get("/questions", response_model=list[QuestionSummary], responses={
    400: {"description": "The role's slug is in several banks: give bank too, or the role's id"},
    404: {"description": "No such role, or no such bank"},
})
def list_questions(
    session: SessionDep,
    role: Annotated[str | None, Query(description="Role id or slug (two banks may share a slug: give bank too).")
                    ] = None,
    competency: Annotated[str | None, Query(description="Competency tag.")] = None,
    q: Annotated[str | None, Query(max_length=500, description="Full-text query.")] = None,
    bank: Annotated[str | None, Query(max_length=120, description="Bank slug (each role's bank_slug).")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: OffsetQuery = 0,
) -> list[QuestionSummary]:
    """Questions, filtered; a role or bank that is not here is a 404 (not an empty list that reads as "no
    questions"), and a role slug two banks share needs its bank."""
    try:
        check_question_filters(session, role=role, bank=bank)
    except FilterRefused as refused:
        reason = f"{str(refused)[:1].upper()}{str(refused)[1:]} (GET /api/roles lists the roles and their banks)."
        raise HTTPException(400 if refused.several else 404, reason) from None
    questions = service.list_questions(session, role=role, competency=competency, query=q, bank=bank, limit=limit,
                                       offset=offset)
    return [summarize(question) for question in questions]


@router.get("/questions/{question_id}", response_model=QuestionRead)
def get_question(question_id: IdPath, session: SessionDep) -> QuestionRead:
    try:
        question = service.get_question(session, question_id)
    except service.QuestionNotFound:
        raise HTTPException(404, f"There is no question with id {question_id}.") from None
    return QuestionRead.of(question, service.current_example_answer(session, question.id))
