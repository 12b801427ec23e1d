"""Practice pages: answer a question (typed or spoken), see the report, try again, history."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import RedirectResponse, Response
from markupsafe import Markup
from starlette.concurrency import run_in_threadpool

from rehearse.bank import service as bank
from rehearse.practice import service as practice
from rehearse.practice.transcriptions import TranscriptionNotFound, owner_key
from rehearse.practice.views import answer_limit, signed_in_hint
from rehearse.practice.views import submit as submit_recording
from rehearse.web import identity, one_hop
from rehearse.web import questions as question_cache
from rehearse.web.deps import ReadSessionDep, SessionDep, SettingsDep, begin_writing
from rehearse.web.limits import refuse_anonymous_overuse
from rehearse.web.params import IdPath, OptionalIdQuery, PageQuery
from rehearse.web.security import CSRF_COOKIE, CsrfForm, OptionalUser, PageUser, is_anonymous, remembered_user
from rehearse.web.templating import render, render_part
from rehearse.web.text_guard import lf_newlines

router = APIRouter()
NO_STORE = {"Cache-Control": "no-store"}  # the signed-in user's own stories
WORDS_PER_MINUTE = 150  # the speaking rate the engine assumes (feedback.signals.WORDS_PER_MINUTE)
TARGET_SECONDS = (60, 180)  # the engine's target answer length (feedback.signals.TARGET_SECONDS)


def pacing() -> dict[str, Any]:
    """The engine's assumed speaking rate and target length, for the timer and word counter."""
    try:
        from rehearse.feedback import signals

        wpm, target = signals.WORDS_PER_MINUTE, signals.TARGET_SECONDS
    except (ImportError, AttributeError):
        wpm, target = WORDS_PER_MINUTE, TARGET_SECONDS
    return {
        "wpm": wpm,
        "target": target,
        "target_words": (target[0] * wpm // 60, target[1] * wpm // 60),
    }


def _question(request: Request, session, question_id: int):
    view = question_cache.get(request.app, session, question_id)
    if view is None:
        raise HTTPException(404, f"There is no question with id {question_id}.")
    return view


def _owner(request: Request, user) -> str | None:
    return owner_key(user.id if user else None, request.cookies.get(CSRF_COOKIE))


def _practice_page(
    request: Request,
    q,
    *,
    user,
    session,
    answer: str = "",
    error: str | None = None,
    status: int = 200,
    previous=None,
    previous_answer: str | None = None,
    previous_seconds: float | None = None,
    transcription: dict[str, Any] | None = None,
    transcription_id: str | None = None,
    report: dict[str, Any] | None = None,
    comparison=None,
    attempt=None,
    mode: str = "typed",
    speech: dict[str, Any] | None = None,
    review: dict[str, Any] | None = None,
    has_stories: bool = False,
) -> Response:
    settings = request.app.state.settings
    return render(
        request,
        "practice/practice.html",
        {
            "q": q,
            "answer": answer,
            "error": error,
            "previous": previous,
            "previous_answer": previous_answer,
            "previous_seconds": previous_seconds,
            "transcription": transcription,
            "transcription_id": transcription_id,
            "report": report,
            "comparison": comparison,
            "attempt": attempt,
            "mode": mode,
            "speech": speech,
            "review": review,
            "has_stories": has_stories,
            "pacing": pacing(),
            "max_chars": answer_limit(settings, user),
            "speech_reason": request.app.state.transcriptions.unavailable_reason(),
        },
        status_code=status,
    )


@router.get("/practice/{question_id}")
def practise(
    question_id: IdPath,
    request: Request,
    session: SessionDep,
    user: OptionalUser,
    previous: OptionalIdQuery = None,
    transcription: Annotated[str | None, Query(max_length=64)] = None,
) -> Response:
    q = _question(request, session, question_id)
    earlier = (practice.earlier_attempt(session, user=user, attempt_id=previous, question_id=question_id)
               if user and previous else None)
    status_data, answer, mode = None, "", "typed"
    if transcription:
        try:
            status_data = request.app.state.transcriptions.status(
                session, transcription[:64], owner=_owner(request, user)
            )
        except TranscriptionNotFound:
            status_data = {
                "state": "failed",
                "progress": 1.0,
                "error": "That recording is unknown here (it may have expired); record it again.",
            }
        if status_data.get("transcript"):
            answer, mode = status_data["transcript"]["text"], "spoken"
    return _practice_page(
        request,
        q,
        user=user,
        session=session,
        previous=earlier,
        answer=answer,
        mode=mode,
        transcription=status_data,
        transcription_id=transcription if answer else None,
        has_stories=_has_stories(session, user),
    )


def _has_stories(session, user) -> bool:
    """Whether the page offers the signed-in user's stories that fit (anonymous visitors have none).

    Which ones fit is not worked out here: the engine scores each candidate story (seconds with a few of
    them), so the page loads them from /practice/N/stories once it is shown, or links there without scripts."""
    if user is None:
        return False
    from rehearse.stories import service as stories

    return stories.has_stories(session, user=user)


@router.get("/practice/{question_id}/stories")
def story_suggestions(question_id: IdPath, request: Request, session: SessionDep, user: PageUser) -> Response:
    """Your stories that fit the question, and why: the practice page loads this after it is shown, since
    finding them scores each candidate story with the engine."""
    from rehearse.stories import service as stories

    q = _question(request, session, question_id)
    suggestions = stories.suggest(session, user=user, question=bank.get_question(session, question_id),
                                  backend=request.app.state.settings.feedback_backend)
    return render(request, "practice/stories.html", {"q": q, "story_suggestions": suggestions,
                                                     "question_id": q.id, "open_suggestions": True},
                  headers=NO_STORE)


@router.post("/practice/{question_id}", dependencies=[CsrfForm])
def submit_answer(
    question_id: IdPath,
    request: Request,
    session: ReadSessionDep,
    user: OptionalUser,
    settings: SettingsDep,
    answer: Annotated[str, Form()] = "",
    mode: Annotated[str, Form(max_length=10)] = "typed",
    duration_s: Annotated[str, Form(max_length=20)] = "",
    transcription_id: Annotated[str, Form(max_length=64)] = "",
    previous_attempt_id: Annotated[str, Form(max_length=20)] = "",
    previous_answer: Annotated[str, Form()] = "",
    previous_seconds: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    """Score the answer; signed in, keep it and show it at its own address; else show it here."""
    answer, previous_answer = lf_newlines(answer), lf_newlines(previous_answer)  # sent with CRLF breaks
    q = _question(request, session, question_id)
    question = bank.get_question(session, question_id)
    mode = mode if mode in ("typed", "spoken") else "typed"
    earlier_seconds = _spoken_seconds(previous_seconds)  # an anonymous earlier answer's, carried in the form
    earlier = None
    if user and previous_attempt_id.isdigit():
        earlier = practice.earlier_attempt(session, user=user, attempt_id=int(previous_attempt_id),
                                           question_id=question_id)
    speech = None
    if mode == "spoken" and transcription_id:
        try:
            status = request.app.state.transcriptions.status(
                session, transcription_id, owner=_owner(request, user)
            )
            speech = practice.speech_summary(status.get("transcript"))
        except TranscriptionNotFound:
            speech = None
    max_chars = answer_limit(settings, user)
    if user is None and answer.strip():
        refuse_anonymous_overuse(request)

    def score(text: str, spoken_seconds: float | None = None) -> dict[str, Any]:
        return practice.score(session, question=question, answer=text, max_chars=max_chars,
                              backend=settings.feedback_backend, release_connection=True,
                              scorer=request.app.state.scorer, spoken_seconds=spoken_seconds)

    try:
        # A spoken answer is scored with its measured speaking time, so the report's length agrees with its pace.
        report = score(answer, practice.measured_seconds(speech))
    except practice.AnswerRejected as rejected:
        return _practice_page(
            request,
            q,
            user=user,
            session=session,
            answer=answer,
            error=signed_in_hint(str(rejected), user, settings),
            status=rejected.status,
            previous=earlier,
            mode=mode,
            previous_answer=previous_answer or None,
            previous_seconds=earlier_seconds,
        )
    if user is not None:
        # Scoring only read (and gave its connection back while the model ran); the insert gets
        # a short write transaction of its own, committed before the redirect is sent.
        begin_writing(session)
        attempt = practice.record(
            session,
            user=user,
            question=question,
            answer=answer,
            report=report,
            mode=mode,
            duration_s=_seconds(duration_s),
            speech=speech,
            previous_attempt_id=earlier.id if earlier else None,
        )
        session.flush()
        return RedirectResponse(f"/attempts/{attempt.id}", status_code=303)
    comparison = None
    if previous_answer.strip() and len(previous_answer) <= max_chars:
        # Anonymous practice keeps nothing on the server: the earlier answer rides in the form, with
        # its measured speaking time when it was spoken, so it is re-scored as it was scored then.
        try:
            comparison = practice.compare(score(previous_answer, earlier_seconds), report)
        except practice.AnswerRejected:
            comparison = None
    return _practice_page(
        request,
        q,
        user=None,
        session=session,
        answer=answer,
        report=report,
        mode=mode,
        comparison=comparison,
        speech=speech,
        previous_answer=previous_answer or None,
        previous_seconds=earlier_seconds,
    )


def _spoken_seconds(text: str) -> float | None:
    """An earlier anonymous answer's measured speaking time as the form carries it (None for a typed
    answer or anything that is not a speaking time)."""
    return practice.measured_seconds({"speaking_s": _seconds(text)})


def _seconds(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if 0 <= value <= practice.MAX_DURATION_S else None


@router.get("/attempts/{attempt_id}")
def show_attempt(
    attempt_id: IdPath, request: Request, session: SessionDep, user: PageUser
) -> Response:
    attempt = practice.get(session, user=user, attempt_id=attempt_id)
    if attempt is None:
        raise HTTPException(404, "You have no attempt at this address.")
    q = _question(request, session, attempt.question_id)
    earlier = comparison = None
    if attempt.previous_attempt_id:
        earlier = practice.get(session, user=user, attempt_id=attempt.previous_attempt_id)
        if earlier is not None:
            comparison = practice.compare(earlier.report, attempt.report)
    from rehearse.review import service as review

    return _practice_page(
        request,
        q,
        user=user,
        session=session,
        answer=attempt.answer,
        report=attempt.report,
        review=review.attempt_review(session, user=user, attempt_id=attempt.id),
        attempt=attempt,
        previous=earlier,
        comparison=comparison,
        mode=attempt.mode,
        speech=attempt.speech,
    )


@dataclass(frozen=True)
class HistoryPage:
    """One page of a user's history as the history page shows it."""

    rows: Markup  # the table's rows, rendered from the attempts alone
    total: int  # the user's attempts in all


@router.get("/history")
async def show_history(request: Request, page: PageQuery = 1) -> Response:
    """Signed in and seen a moment ago: sent from what this process remembers (web/identity.py), no
    database and no thread; otherwise one trip to a page thread."""
    page = max(1, min(page, 10_000))
    name = ("history", page)  # the key of this page among what this process remembers for a user
    if not is_anonymous(request) and (remembered := remembered_user(request)) is not None:
        cache = identity.of(request.app)
        due, _ = cache.remembered(remembered[1])
        listed = cache.view(remembered[1], name)
        if due is not None and listed is not identity.MISSING:
            return _render_history(request, page, listed, review_due=due)
    generation = identity.request_generation(request)

    def build(session, user) -> Response:
        attempts, total = practice.history_page(session, user=user, page=page)
        # The rows rendered once (from the attempts alone) and kept with the count for the next moment.
        listed = HistoryPage(render_part(request, "practice/_history_rows.html", attempts=attempts), total)
        identity.of(request.app).remember_view(getattr(request.state, "identity_key", None), name, listed,
                                               generation=generation)
        return _render_history(request, page, listed)

    return await one_hop.page(request, build, sign_in=True)


def _render_history(request: Request, page: int, listed: HistoryPage, **extra: Any) -> Response:
    return render(request, "practice/history.html", {
        "rows": listed.rows, "page": page, "total": listed.total,
        "has_next": page * practice.HISTORY_PAGE < listed.total,
        "last_page": max(1, -(-listed.total // practice.HISTORY_PAGE)), **extra,
    })


@router.post("/practice/{question_id}/recording", dependencies=[CsrfForm])
async def upload_recording(
    question_id: IdPath,
    request: Request,
    user: OptionalUser,
    session: ReadSessionDep,
    audio: Annotated[UploadFile | None, Form()] = None,
) -> Response:
    """The no-JavaScript way to send a recording: upload it, then the page polls by reloading."""
    if audio is None:
        raise HTTPException(422, "Choose a recording to upload.")
    if user is None:
        refuse_anonymous_overuse(request)
    recording = await audio.read()
    job_id = await run_in_threadpool(submit_recording, request, session, recording, user)
    return RedirectResponse(f"/practice/{question_id}?transcription={job_id}", status_code=303)
