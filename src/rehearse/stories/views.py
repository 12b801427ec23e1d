"""JSON API for stories: your STAR stories, which fit a question, and a story scored against one."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Request, Response

from rehearse.bank import service as bank
from rehearse.web.deps import ReadSessionDep, SessionDep, SettingsDep
from rehearse.web.security import ApiUser, CsrfApi

from . import service
from .schemas import StoryRead, StoryReport, StoryScore, StoryWrite, Suggestion

router = APIRouter(prefix="/api/stories", tags=["stories"])
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]


def _input(body: StoryWrite) -> service.StoryInput:
    return service.StoryInput(title=body.title, situation=body.situation, task=body.task, action=body.action,
                              result=body.result, competencies=tuple(body.competencies), tags=tuple(body.tags))


def _call(function, *args, **kwargs):
    try:
        return function(*args, **kwargs)
    except service.StoryRejected as error:
        raise HTTPException(error.status, str(error)) from None


def _question(session, question_id: int):
    try:
        return bank.get_question(session, question_id)
    except bank.QuestionNotFound:
        raise HTTPException(404, f"There is no question with id {question_id}.") from None


@router.get("", response_model=list[StoryRead])
def list_stories(user: ApiUser, session: SessionDep) -> list[StoryRead]:
    """Your stories, most recently edited first."""
    return [StoryRead.of(s) for s in service.list_stories(session, user=user)]


@router.post("", response_model=StoryRead, status_code=201, dependencies=[CsrfApi])
def create_story(body: StoryWrite, user: ApiUser, session: SessionDep) -> StoryRead:
    """Add a STAR story (private to you)."""
    return StoryRead.of(_call(service.create, session, user=user, data=_input(body)))


@router.get("/suggestions", response_model=list[Suggestion])
def suggest(user: ApiUser, session: SessionDep, settings: SettingsDep,
            question_id: Annotated[int, Query(ge=1, le=2**31 - 1)]) -> list[Suggestion]:
    """The two or three of your stories that fit a question best, and why."""
    question = _question(session, question_id)
    return [Suggestion(**s) for s in service.suggest(session, user=user, question=question,
                                                     backend=settings.feedback_backend)]


@router.get("/{story_id}", response_model=StoryRead)
def read_story(story_id: Id, user: ApiUser, session: SessionDep) -> StoryRead:
    return StoryRead.of(_call(service.get_or_404, session, user=user, story_id=story_id))


@router.put("/{story_id}", response_model=StoryRead, dependencies=[CsrfApi])
def update_story(story_id: Id, body: StoryWrite, user: ApiUser, session: SessionDep) -> StoryRead:
    """Replace the story with this one: a field left out is emptied (send them all, as GET gives them)."""
    try:
        return StoryRead.of(service.update(session, user=user, story_id=story_id, data=_input(body)))
    except service.StoryRejected as error:
        left_out = [name for name in StoryWrite.model_fields if name not in body.model_fields_set]
        if str(error) == service.NO_PART and left_out:  # {"title": ...} alone reads like a change of title
            raise HTTPException(error.status, f"{error} PUT replaces the whole story, so the fields it leaves out "
                                f"are emptied; this one leaves out {_listed(left_out)}.") from None
        raise HTTPException(error.status, str(error)) from None


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


@router.delete("/{story_id}", status_code=204, dependencies=[CsrfApi])
def delete_story(story_id: Id, user: ApiUser, session: SessionDep) -> Response:
    _call(service.delete, session, user=user, story_id=story_id)
    return Response(status_code=204)


@router.post("/{story_id}/score", response_model=StoryReport)
def score_story(story_id: Id, body: StoryScore, request: Request, user: ApiUser, session: ReadSessionDep,
                settings: SettingsDep) -> StoryReport:
    """The feedback report of the story told as the answer to a question (nothing is stored)."""
    story = _call(service.get_or_404, session, user=user, story_id=story_id)
    question = _question(session, body.question_id)
    return StoryReport(story_id=story.id, question_id=question.id,
                       report=service.score(session, story=story, question=question,
                                            backend=settings.feedback_backend, scorer=request.app.state.scorer))
