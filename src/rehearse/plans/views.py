"""JSON API for prep plans: paste a posting, get the ordered questions; feed the review queue and a mock."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Response

from rehearse.mock.views import StartKey, started_once
from rehearse.web.deps import DatabaseDep, ReadSessionDep, SessionDep, SettingsDep, begin_writing
from rehearse.web.security import ApiUser, CsrfApi

from . import service
from .schemas import MockStarted, PlanCreate, PlanItemRead, PlanRead, PlanSummary, ReviewAdded

router = APIRouter(prefix="/api/plans", tags=["prep plans"])
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _call(function, *args, **kwargs):
    try:
        return function(*args, **kwargs)
    except service.PlanRejected as error:
        raise HTTPException(error.status, str(error)) from None


def plan_read(session, plan) -> PlanRead:
    items = service.plan_view(session, plan)
    choice = service.role_choice(session, plan, items)
    return PlanRead(id=plan.id, title=plan.title, role_id=plan.role_id, role=choice["role"],
                    role_reason=choice["reason"], created_at=plan.created_at,
                    items=[PlanItemRead(**item) for item in items])


@router.post("", response_model=PlanRead, status_code=201, dependencies=[CsrfApi])
def create_plan(body: PlanCreate, user: ApiUser, session: ReadSessionDep, settings: SettingsDep,
                database: DatabaseDep) -> PlanRead:
    """Match the posting to every bank's questions (by meaning and job terms), choose the role (or take the one
    given), order the plan by relevance and your weakest competencies, and keep it."""
    planned = _call(service.compute, session, user=user, posting=body.posting, backend=settings.feedback_backend,
                    role=body.role)
    begin_writing(session)  # the matching read; only storing the plan writes
    plan = plan_read(session, service.store(session, user=user, planned=planned))
    service.warm_in_background(database, backend=settings.feedback_backend)  # stores what this plan had to encode
    return plan


@router.get("", response_model=list[PlanSummary])
def list_plans(user: ApiUser, session: SessionDep) -> list[PlanSummary]:
    return [PlanSummary(id=p.id, title=p.title, created_at=p.created_at, questions=len(p.items))
            for p in service.list_plans(session, user=user)]


@router.get("/{plan_id}", response_model=PlanRead)
def read_plan(plan_id: Id, user: ApiUser, session: SessionDep) -> PlanRead:
    return plan_read(session, _call(service.get_or_404, session, user=user, plan_id=plan_id))


@router.delete("/{plan_id}", status_code=204, dependencies=[CsrfApi])
def delete_plan(plan_id: Id, user: ApiUser, session: SessionDep) -> Response:
    """Delete the plan (the review cards it added and the mocks it started stay)."""
    _call(service.delete, session, user=user, plan_id=plan_id)
    return Response(status_code=204)


@router.post("/{plan_id}/review", response_model=ReviewAdded, dependencies=[CsrfApi])
def add_to_review(plan_id: Id, user: ApiUser, session: SessionDep) -> ReviewAdded:
    """Put the plan's questions in your review queue, due now."""
    return ReviewAdded(added=_call(service.to_review, session, user=user, plan_id=plan_id))


@router.post("/{plan_id}/mock", response_model=MockStarted, status_code=201, dependencies=[CsrfApi])
def mock_from_plan(plan_id: Id, user: ApiUser, session: SessionDep, idempotency_key: StartKey = None) -> Response:
    """Start a mock interview of the plan's first five questions (once per Idempotency-Key, when one is sent)."""

    def start() -> dict:
        mock = _call(service.start_mock, session, user=user, plan_id=plan_id)
        return MockStarted(mock_id=mock.id, url=f"/mocks/{mock.id}").model_dump(mode="json")

    return started_once(session, user, idempotency_key, f"/api/plans/{plan_id}/mock", {}, start)

