"""Story bank pages: your STAR stories, one story's form, and a story scored against a question."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import func, select

from rehearse.bank import service as bank
from rehearse.bank.models import Bank, Question, QuestionCompetency, Role
from rehearse.formats.model import is_blank
from rehearse.stories import service as stories
from rehearse.web.deps import ReadSessionDep, SessionDep, SettingsDep
from rehearse.web.form_errors import FormErrors, Problem
from rehearse.web.security import CsrfForm, PageUser
from rehearse.web.templating import render, render_confirm

router = APIRouter()
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
NO_STORE = {"Cache-Control": "no-store"}
QUESTION_CHOICES = 60  # questions offered for scoring a story: those sharing its competencies first
SHARED_GROUP = "On this story's competencies"


class StoryForm:
    """The story form's fields (each part is checked for length by the service, which names the field)."""

    def __init__(self, title: Annotated[str, Form()] = "", situation: Annotated[str, Form()] = "",
                 task: Annotated[str, Form()] = "", action: Annotated[str, Form()] = "",
                 result: Annotated[str, Form()] = "", competencies: Annotated[str, Form()] = "",
                 tags: Annotated[str, Form()] = ""):
        self.values = {"title": title, "situation": situation, "task": task, "action": action, "result": result,
                       "competencies": competencies, "tags": tags}

    def data(self) -> stories.StoryInput:
        v = self.values
        return stories.StoryInput(title=v["title"], situation=v["situation"], task=v["task"], action=v["action"],
                                  result=v["result"], competencies=_listed(v["competencies"]), tags=_listed(v["tags"]))


def _listed(text: str) -> tuple[str, ...]:
    """The names a comma-separated field lists; nothing between two commas (a trailing one) is no name."""
    return tuple(name for name in text.split(",") if not is_blank(name))


def _form_values(story) -> dict:
    return {"title": story.title, "situation": story.situation, "task": story.task, "action": story.action,
            "result": story.result, "competencies": ", ".join(c.replace("-", " ") for c in story.competencies),
            "tags": ", ".join(story.tags)}


def _questions_for(session, story) -> list[tuple[str, list[Question]]]:
    """The questions offered for scoring the story, in groups: first those sharing the most of its competencies,
    then the others role by role; within a group, as the banks list them (role, then the question's place)."""
    competencies = set(story.competencies or ())
    rows = session.execute(
        select(Question, Role.name, func.count(QuestionCompetency.name))
        .join(Role, Role.id == Question.role_id).join(Bank, Bank.id == Role.bank_id)
        .outerjoin(QuestionCompetency, (QuestionCompetency.question_id == Question.id)
                   & QuestionCompetency.name.in_(competencies or {""}))
        .group_by(Question.id, Role.name, Bank.name, Role.position)
        .order_by(func.count(QuestionCompetency.name).desc(), Bank.name, Role.position, Question.position,
                  Question.id)
        .limit(QUESTION_CHOICES)).all()
    groups: dict[str, list[Question]] = {}
    for question, role, shared in rows:
        groups.setdefault(SHARED_GROUP if shared else role, []).append(question)
    return list(groups.items())


def _errors(refusal: stories.StoryRejected) -> FormErrors:
    return FormErrors(Problem(message, (field,) if field else ()) for field, message in refusal.problems)


def _list_page(request, session, user, *, form=None, errors=None, status=200) -> Response:
    return render(request, "stories/list.html", {
        "stories": stories.list_stories(session, user=user), "form": form or {}, "errors": errors,
        "limits": stories}, status_code=status, headers=NO_STORE)


@router.get("/stories")
def list_page(request: Request, session: SessionDep, user: PageUser) -> Response:
    return _list_page(request, session, user)


@router.post("/stories", dependencies=[CsrfForm])
def create(request: Request, session: SessionDep, user: PageUser, form: Annotated[StoryForm, Depends()]) -> Response:
    try:
        story = stories.create(session, user=user, data=form.data())
    except stories.StoryRejected as error:
        return _list_page(request, session, user, form=form.values, errors=_errors(error), status=error.status)
    return RedirectResponse(f"/stories/{story.id}?saved=new", status_code=303)


def _story_page(request, session, user, story, *, form=None, errors=None, status=200) -> Response:
    return render(request, "stories/edit.html", {
        "story": story, "form": form or _form_values(story), "errors": errors, "limits": stories,
        "questions": _questions_for(session, story)}, status_code=status, headers=NO_STORE)


def _story_or_404(session, user, story_id: int):
    story = stories.get(session, user=user, story_id=story_id)
    if story is None:
        raise HTTPException(404, "You have no story at this address.")
    return story


@router.get("/stories/{story_id}")
def show(story_id: Id, request: Request, session: SessionDep, user: PageUser) -> Response:
    return _story_page(request, session, user, _story_or_404(session, user, story_id))


@router.post("/stories/{story_id}", dependencies=[CsrfForm])
def update(story_id: Id, request: Request, session: SessionDep, user: PageUser,
           form: Annotated[StoryForm, Depends()]) -> Response:
    story = _story_or_404(session, user, story_id)
    try:
        stories.update(session, user=user, story_id=story_id, data=form.data())
    except stories.StoryRejected as error:
        session.rollback()  # nothing half-saved
        return _story_page(request, session, user, _story_or_404(session, user, story_id), form=form.values,
                           errors=_errors(error), status=error.status)
    return RedirectResponse(f"/stories/{story.id}?saved=1", status_code=303)


@router.get("/stories/{story_id}/delete")
def confirm_delete(story_id: Id, request: Request, session: SessionDep, user: PageUser) -> Response:
    """The second step of deleting a story: what goes, and the button that does it."""
    story = _story_or_404(session, user, story_id)
    return render_confirm(
        request, kind="delete-story", eyebrow="Story", title=f"Delete “{story.title}”?",
        lines=["The story goes for good: it will no longer be suggested for any question. Your answers and "
               "reviews are not touched."],
        action=f"/stories/{story.id}/delete", button="Delete the story", back=f"/stories/{story.id}",
        back_label=story.title)


@router.post("/stories/{story_id}/delete", dependencies=[CsrfForm])
def delete(story_id: Id, session: SessionDep, user: PageUser) -> Response:
    try:
        stories.delete(session, user=user, story_id=story_id)
    except stories.StoryRejected as error:
        raise HTTPException(error.status, str(error)) from None
    return RedirectResponse("/stories?deleted=1", status_code=303)


@router.get("/stories/{story_id}/score")
def score(story_id: Id, request: Request, session: ReadSessionDep, user: PageUser, settings: SettingsDep,
          question_id: Annotated[int, Query(ge=1, le=2**31 - 1)]) -> Response:
    """The story told as the answer to a question: the engine's report, before the story is used."""
    story = _story_or_404(session, user, story_id)
    try:
        question = bank.get_question(session, question_id)
    except bank.QuestionNotFound:
        raise HTTPException(404, f"There is no question with id {question_id}.") from None
    report = stories.score(session, story=story, question=question, backend=settings.feedback_backend,
                           scorer=request.app.state.scorer)
    return render(request, "stories/score.html", {"story": story, "question": question, "report": report},
                  headers=NO_STORE)
