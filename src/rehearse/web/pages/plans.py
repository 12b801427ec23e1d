"""Prep plan pages: paste a job posting, see the plan, send it to the review queue or a mock."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Path, Request
from fastapi.responses import RedirectResponse, Response

from rehearse.bank.models import utcnow
from rehearse.idempotency import service as idempotency
from rehearse.plans import service as plans
from rehearse.web.deps import ReadSessionDep, SessionDep, SettingsDep, begin_writing
from rehearse.web.form_errors import FormErrors
from rehearse.web.security import CsrfForm, PageUser
from rehearse.web.templating import render, render_confirm

router = APIRouter()
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
NO_STORE = {"Cache-Control": "no-store"}


def _list(request: Request, session, user, *, posting: str = "", role: str = "", errors: FormErrors | None = None,
          status: int = 200) -> Response:
    return render(request, "plans/list.html", {"plans": plans.list_plans(session, user=user), "posting": posting,
                                               "role": role, "roles": plans.roles_to_plan_for(session),
                                               "errors": errors, "limits": plans}, status_code=status,
                  headers=NO_STORE)


@router.get("/plans")
def list_page(request: Request, session: SessionDep, user: PageUser) -> Response:
    plans.warm_in_background(request.app.state.database, backend=request.app.state.settings.feedback_backend)
    return _list(request, session, user)


@router.post("/plans", dependencies=[CsrfForm])
def create(request: Request, session: ReadSessionDep, user: PageUser, settings: SettingsDep,
           posting: Annotated[str, Form()] = "", role: Annotated[str, Form()] = "") -> Response:
    """Make a plan from the posting, for the role chosen in the form (the plan page's "make it for another
    role" sends its posting back with one) or else the one that fits."""
    try:
        planned = plans.compute(session, user=user, posting=posting, backend=settings.feedback_backend, role=role)
    except plans.PlanRejected as error:
        text = plans.normal_line_ends(posting)
        message = str(error)
        if len(text) > plans.MAX_POSTING:  # the box gets what fits, and says so: not a silent cut
            message += (f" The box below holds its first {plans.MAX_POSTING:,} characters only; "
                        "the rest was not kept.")
        return _list(request, session, user, posting=text[:plans.MAX_POSTING], role=role,
                     errors=FormErrors.of(message, error.field), status=error.status)
    begin_writing(session)
    plan = plans.store(session, user=user, planned=planned)
    plans.warm_in_background(request.app.state.database, backend=settings.feedback_backend)  # stores what it encoded
    return RedirectResponse(f"/plans/{plan.id}", status_code=303)


def _plan_or_404(session, user, plan_id: int):
    plan = plans.get(session, user=user, plan_id=plan_id)
    if plan is None:
        raise HTTPException(404, "You have no prep plan at this address.")
    return plan


@router.get("/plans/{plan_id}")
def show(plan_id: Id, request: Request, session: SessionDep, user: PageUser, added: int | None = None) -> Response:
    plan = _plan_or_404(session, user, plan_id)
    items = plans.plan_view(session, plan)
    return render(request, "plans/plan.html", {"plan": plan, "items": items, "added": added,
                                               "choice": plans.role_choice(session, plan, items), "limits": plans,
                                               "mock_form_key": uuid.uuid4().hex,
                                               "own": [i for i in items if not i["other_role"]],
                                               "others": [i for i in items if i["other_role"]]},
                  headers=NO_STORE)


@router.post("/plans/{plan_id}/review", dependencies=[CsrfForm])
def to_review(plan_id: Id, session: SessionDep, user: PageUser) -> Response:
    try:
        added = plans.to_review(session, user=user, plan_id=plan_id)
    except plans.PlanRejected as error:
        raise HTTPException(error.status, str(error)) from None
    return RedirectResponse(f"/plans/{plan_id}?added={added}", status_code=303)


@router.post("/plans/{plan_id}/mock", dependencies=[CsrfForm])
def to_mock(plan_id: Id, session: SessionDep, user: PageUser,
            form_key: Annotated[str, Form(max_length=idempotency.FORM_KEY)] = "") -> Response:
    """Start the plan's mock; the page's one-time key makes a double click start one mock, not two."""
    try:
        claimed = idempotency.claim_form(session, user_id=user.id, form=f"/plans/{plan_id}/mock", form_key=form_key,
                                         now=utcnow())
    except idempotency.KeyMisused as misused:
        raise HTTPException(422, str(misused)) from None
    if isinstance(claimed, idempotency.Replay):
        return RedirectResponse(f"/mocks/{claimed.response['mock_id']}", status_code=303)
    try:
        mock = plans.start_mock(session, user=user, plan_id=plan_id)
    except plans.PlanRejected as error:
        raise HTTPException(error.status, str(error)) from None  # rolled back, the key's claim with it
    if claimed is not None:
        idempotency.complete(claimed, status=303, response={"mock_id": mock.id})
    return RedirectResponse(f"/mocks/{mock.id}", status_code=303)


@router.get("/plans/{plan_id}/delete")
def confirm_delete(plan_id: Id, request: Request, session: SessionDep, user: PageUser) -> Response:
    """The second step of deleting a plan: what goes, what stays, and the button that does it."""
    plan = _plan_or_404(session, user, plan_id)
    return render_confirm(
        request, kind="delete-plan", eyebrow="Prep plan", title=f"Delete the plan “{plan.title}”?",
        lines=["The plan and the posting it was made from go for good. Questions it added to your review "
               "queue and mock interviews it started stay."],
        action=f"/plans/{plan.id}/delete", button="Delete the plan", back=f"/plans/{plan.id}",
        back_label=plan.title)


@router.post("/plans/{plan_id}/delete", dependencies=[CsrfForm])
def delete(plan_id: Id, session: SessionDep, user: PageUser) -> Response:
    try:
        plans.delete(session, user=user, plan_id=plan_id)
    except plans.PlanRejected as error:
        raise HTTPException(error.status, str(error)) from None
    return RedirectResponse("/plans?deleted=1", status_code=303)
