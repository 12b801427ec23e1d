"""JSON API for practice: score an answer, keep attempts, transcribe spoken answers."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from rehearse.bank import service as bank
from rehearse.bank.models import Question, utcnow
from rehearse.idempotency import service as idempotency
from rehearse.web.deps import ReadSessionDep, SessionDep, SettingsDep, begin_writing
from rehearse.web.limits import refuse_anonymous_overuse
from rehearse.web.params import MAX_ID, IdPath, OffsetQuery
from rehearse.web.security import CSRF_COOKIE, ApiUser, CsrfApi, OptionalUser, client_address

from . import service
from .schemas import (
    AttemptCreate,
    AttemptRead,
    AttemptSummary,
    FeedbackRequest,
    SpeechStatus,
    TranscriptionStatus,
)
from .transcriptions import RETRY_AFTER_S, QueueFull, TooManyOfYours, TranscriptionNotFound, owner_key, uploader_key

router = APIRouter(prefix="/api", tags=["practice"])

REPORT_EXAMPLE = {
    "score": 72,
    "grade": "good",
    "coverage": 0.67,
    "on_topic": True,
    "talking_points": [
        {
            "point": "phased roadmap",
            "covered": True,
            "strength": 0.81,
            "evidence": "We planned the year in three phases.",
        }
    ],
    "structure": {},
    "specificity": {},
    "delivery": {},
    "suggestions": [],
    "engine": {},
}


def question_or_404(session, question_id: int) -> Question:
    try:
        return bank.get_question(session, question_id)
    except bank.QuestionNotFound:
        raise HTTPException(404, f"There is no question with id {question_id}.") from None


def _score(request: Request, session, settings, question: Question, answer: str, *,
           max_chars: int | None = None, spoken_seconds: float | None = None) -> dict[str, Any]:
    """Score with no connection held: here, or by a worker through the queue (the app's Scorer)."""
    try:
        return service.score(
            session,
            question=question,
            answer=answer,
            max_chars=max_chars or settings.max_answer_chars,
            backend=settings.feedback_backend,
            release_connection=True,
            scorer=request.app.state.scorer,
            spoken_seconds=spoken_seconds,
        )
    except service.AnswerRejected as rejected:
        raise HTTPException(rejected.status, str(rejected)) from None


@router.post(
    "/feedback",
    responses={
        200: {
            "content": {"application/json": {"example": REPORT_EXAMPLE}},
            "description": "The feedback report (see PRODUCT.md).",
        },
        404: {"description": "No such question"},
        413: {"description": "Answer longer than the limit"},
        422: {"description": "Empty answer or missing field"},
        503: {"description": "No worker scored the answer in time (queued scoring); see Retry-After"},
    },
)
def feedback(
    body: FeedbackRequest, request: Request, user: OptionalUser, session: ReadSessionDep, settings: SettingsDep
) -> dict[str, Any]:
    """Score an answer to a question and return the report. Nothing is stored.

    Without an account, answers are limited to REHEARSE_MAX_ANONYMOUS_ANSWER_CHARS and each
    network address to REHEARSE_ANONYMOUS_SCORINGS_PER_MINUTE (scoring costs CPU).
    """
    max_chars = answer_limit(settings, user)
    try:
        service.check_answer(body.answer, max_chars=max_chars)  # before any database work
    except service.AnswerRejected as rejected:
        raise HTTPException(rejected.status, signed_in_hint(str(rejected), user, settings)) from None
    if user is None:
        refuse_anonymous_overuse(request)
    question = question_or_404(session, body.question_id)
    return _score(request, session, settings, question, body.answer, max_chars=max_chars)


def answer_limit(settings, user) -> int:
    """The longest answer scored for this user: lower for someone not signed in."""
    return settings.max_answer_chars if user is not None else min(
        settings.max_answer_chars, settings.max_anonymous_answer_chars)


def signed_in_hint(message: str, user, settings) -> str:
    """A refusal of an anonymous answer for its length says how long a signed-in user's may be."""
    if user is None and "the limit is" in message and settings.max_anonymous_answer_chars < settings.max_answer_chars:
        return f"{message} Signed-in users may send up to {settings.max_answer_chars:,} characters."
    return message


IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=200,
        description="Any unique string (a UUID). Sending the same request again with the same key "
        "returns the first answer instead of storing a second attempt (kept for 24 hours).",
    ),
]


@router.post(
    "/attempts",
    response_model=AttemptRead,
    status_code=201,
    dependencies=[CsrfApi],
    responses={
        200: {"model": AttemptRead, "description": "A retry with an Idempotency-Key already answered: "
              "the attempt stored the first time."},
        404: {"description": "No such question, transcription, or earlier attempt of yours"},
        409: {"description": "The transcription is not done yet"},
        413: {"description": "Answer longer than the limit"},
    },
)
def create_attempt(
    body: AttemptCreate,
    request: Request,
    user: ApiUser,
    session: ReadSessionDep,
    settings: SettingsDep,
    idempotency_key: IdempotencyKey = None,
) -> Any:
    """Score an answer and keep it in your history; committed before the response is sent.

    Scoring reads, then gives its connection back while the model runs; only the insert
    writes, in a short transaction of its own, so SQLite's write lock is not held while
    the model runs and the request never holds two connections.
    """
    key = print_ = None
    if idempotency_key is not None:
        try:
            key = idempotency.check_key(idempotency_key)
            print_ = idempotency.fingerprint("POST", "/api/attempts", body.model_dump(mode="json"))
            replay = idempotency.find(session, user_id=user.id, key=key, print_=print_)
        except idempotency.KeyMisused as misused:
            raise HTTPException(422, str(misused)) from None
        if replay is not None:
            return _replayed(replay)
    question = question_or_404(session, body.question_id)
    if body.previous_attempt_id is not None:
        _check_tried_again(session, user, body.previous_attempt_id, question.id)
    speech = None
    if body.transcription_id:
        speech = _transcript(request, session, body.transcription_id, owner_key(user.id, None))
    # A spoken answer is scored with its measured speaking time, so its report's length agrees with its pace.
    spoken_seconds = service.measured_seconds(speech) if body.mode == "spoken" else None
    report = _score(request, session, settings, question, body.answer, spoken_seconds=spoken_seconds)
    begin_writing(session)
    claimed = None
    if key is not None:
        try:
            claimed = idempotency.claim(session, user_id=user.id, key=key, print_=print_, now=utcnow())
        except idempotency.KeyMisused as misused:
            raise HTTPException(422, str(misused)) from None
        if isinstance(claimed, idempotency.Replay):
            return _replayed(claimed)
    attempt = service.record(
        session,
        user=user,
        question=question,
        answer=body.answer,
        report=report,
        mode=body.mode,
        duration_s=body.duration_s,
        speech=speech,
        previous_attempt_id=body.previous_attempt_id,
    )
    result = AttemptRead.full(attempt, _comparison(session, user, attempt))
    if claimed is not None:
        # A replay answers 200 (nothing new was created) with the same body.
        idempotency.complete(claimed, status=200, response=result.model_dump(mode="json"))
    return JSONResponse(result.model_dump(mode="json"), status_code=201)


def _check_tried_again(session, user, attempt_id: int, question_id: int) -> None:
    """The attempt a new one tries again is one of the user's own, at the same question (a comparison with
    another question's points means nothing); checked before scoring, so a bad reference costs no model time."""
    earlier = service.get(session, user=user, attempt_id=attempt_id)
    if earlier is None:
        raise HTTPException(404, f"You have no attempt with id {attempt_id} to try again.")
    if earlier.question_id != question_id:
        raise HTTPException(422, f"Attempt {attempt_id} answers question {earlier.question_id}, not question "
                                 f"{question_id}: an attempt tries again an answer to the same question.")


def _replayed(replay) -> JSONResponse:
    return JSONResponse(replay.response, status_code=replay.status, headers={"Idempotent-Replayed": "true"})


def _comparison(session, user, attempt) -> dict[str, Any] | None:
    if attempt.previous_attempt_id is None:
        return None
    previous = service.get(session, user=user, attempt_id=attempt.previous_attempt_id)
    if previous is None:
        return None
    comparison = service.compare(previous.report, attempt.report)
    return {"previous_attempt_id": previous.id, **comparison.__dict__}


def _transcript(request: Request, session, job_id: str, owner: str | None) -> dict[str, Any] | None:
    try:
        status = request.app.state.transcriptions.status(session, job_id, owner=owner)
    except TranscriptionNotFound:
        raise HTTPException(404, "That transcription is unknown here (or has expired).") from None
    if status["state"] != "done":
        raise HTTPException(409, f"That transcription is {status['state']}; wait until it is done.")
    return service.speech_summary(status.get("transcript"))


@router.get("/attempts", response_model=list[AttemptSummary])
def list_attempts(
    user: ApiUser,
    session: SessionDep,
    question_id: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Only attempts at this question.")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: OffsetQuery = 0,
) -> list[AttemptSummary]:
    """Your attempts, newest first."""
    return [
        AttemptSummary.of_row(a)
        for a in service.history(
            session, user=user, limit=limit, offset=offset, question_id=question_id
        )
    ]


@router.get("/attempts/{attempt_id}", response_model=AttemptRead)
def read_attempt(attempt_id: IdPath, user: ApiUser, session: SessionDep) -> AttemptRead:
    """One of your attempts with its full report; other people's attempts are not found."""
    attempt = service.get(session, user=user, attempt_id=attempt_id)
    if attempt is None:
        raise HTTPException(404, f"You have no attempt with id {attempt_id}.")
    return AttemptRead.full(attempt, _comparison(session, user, attempt))


@router.get("/speech", response_model=SpeechStatus)
def speech_status(request: Request) -> SpeechStatus:
    """Whether spoken answers can be transcribed on this server, and why not."""
    jobs = request.app.state.transcriptions
    return SpeechStatus(available=jobs.available(), reason=jobs.unavailable_reason())


@router.post(
    "/transcriptions",
    response_model=TranscriptionStatus,
    status_code=202,
    dependencies=[CsrfApi],
    openapi_extra={
        "requestBody": {
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {"audio": {"type": "string", "format": "binary"}},
                    }
                },
                "audio/*": {"schema": {"type": "string", "format": "binary"}},
            }
        }
    },
)
async def create_transcription(request: Request, user: OptionalUser, session: ReadSessionDep) -> JSONResponse:
    """Upload a recording (multipart field `audio`, or raw audio as the body); then poll it."""
    if user is None:
        refuse_anonymous_overuse(request)
    audio = await read_audio(request)
    job_id = await run_in_threadpool(submit, request, session, audio, user)
    return JSONResponse(
        {"id": job_id, "state": "queued", "progress": 0.0},
        status_code=202,
        headers={"Location": f"/api/transcriptions/{job_id}"},
    )


async def read_audio(request: Request) -> bytes:
    kind = request.headers.get("content-type", "")
    if kind.startswith("multipart/form-data"):
        try:
            form = await request.form()
        except HTTPException:
            raise
        except Exception:  # noqa: BLE001 - any parse failure is the client's malformed upload
            raise HTTPException(400, "The upload is not a valid multipart form.") from None
        upload = form.get("audio")
        if upload is None or isinstance(upload, str):
            raise HTTPException(422, "Send the recording as a file in the form field `audio`.")
        return await upload.read()
    return await request.body()


def submit(request: Request, session, audio: bytes, user) -> str:
    """Queue the recording as a job in the database (committed); 422 for a bad upload (empty, too large,
    not audio), 429 when the uploader has its share of the queue already, 503 when the queue is full."""
    from rehearse import speech

    jobs = request.app.state.transcriptions
    if not jobs.available():
        raise HTTPException(
            503,
            f"Spoken answers are not available on this server: "
            f"{jobs.unavailable_reason()}. Type your answer instead.",
        )
    user_id = user.id if user else None
    try:
        return jobs.submit(session, audio, owner=owner_key(user_id, request.cookies.get(CSRF_COOKIE)),
                           uploader=uploader_key(user_id, client_address(request)))
    except speech.TranscriptionError as error:
        raise HTTPException(422, str(error)) from None
    except TooManyOfYours as error:
        raise HTTPException(429, str(error), headers={"Retry-After": str(RETRY_AFTER_S)}) from None
    except QueueFull as error:
        raise HTTPException(503, str(error), headers={"Retry-After": str(RETRY_AFTER_S)}) from None


@router.get("/transcriptions/{job_id}", response_model=TranscriptionStatus)
def read_transcription(job_id: str, request: Request, user: OptionalUser,
                       session: ReadSessionDep) -> TranscriptionStatus:
    """A transcription's progress, and its transcript once done. Only its uploader can read it,
    through any app process (the job is kept in the database)."""
    owner = owner_key(user.id if user else None, request.cookies.get(CSRF_COOKIE))
    try:
        status = request.app.state.transcriptions.status(session, job_id[:64], owner=owner)
    except TranscriptionNotFound:
        raise HTTPException(404, "No such transcription (it may have expired).") from None
    return TranscriptionStatus(id=job_id, **status)
