"""JSON API for mock interviews: start, answer item by item, read the end report, share read-only."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, HTTPException, Path, Request, Response
from fastapi.responses import JSONResponse

from rehearse.bank.models import utcnow
from rehearse.idempotency import service as idempotency
from rehearse.web.deps import ReadSessionDep, SessionDep, SettingsDep, begin_writing, release
from rehearse.web.security import ApiUser, CsrfApi
from rehearse.web.text_guard import lf_newlines

from . import service
from .schemas import MockAnswer, MockCreate, MockRead, MockSummaryRead

router = APIRouter(prefix="/api", tags=["mock interviews"])
MockId = Annotated[int, Path(ge=1, le=2**31 - 1)]
StartKey = Annotated[str | None, Header(
    alias="Idempotency-Key", max_length=200,
    description="Any unique string (a UUID). Sending the same request again with the same key returns the first "
                "answer instead of starting a second mock (kept for 24 hours).")]


def started_once(session, user, key: str | None, request: str, body: dict, start) -> JSONResponse:
    """Start a mock (`start()` returns the JSON-ready answer) at most once per Idempotency-Key: a retried or
    doubled request gets the first answer (Idempotent-Replayed: true), not a second running mock."""
    claimed = None
    if key is not None:
        try:
            claimed = idempotency.claim(session, user_id=user.id, key=idempotency.check_key(key),
                                        print_=idempotency.fingerprint("POST", request, body), now=utcnow())
        except idempotency.KeyMisused as misused:
            raise HTTPException(422, str(misused)) from None
        if isinstance(claimed, idempotency.Replay):
            return JSONResponse(claimed.response, status_code=claimed.status, headers={"Idempotent-Replayed": "true"})
    answer = start()
    if claimed is not None:
        idempotency.complete(claimed, status=200, response=answer)  # a replay answers 200: nothing new was started
    return JSONResponse(answer, status_code=201)


def _rejected(error: service.MockRejected) -> HTTPException:
    return HTTPException(error.status, str(error))


def check_speech(request: Request, mode: str) -> None:
    """A spoken mock needs a server that can transcribe."""
    jobs = request.app.state.transcriptions
    if mode == "spoken" and not jobs.available():
        raise HTTPException(422, f"Spoken answers are not available on this server ({jobs.unavailable_reason()}); "
                                 "choose typed.")


def speech_of(request: Request, session, user, transcription_id: str | None) -> dict | None:
    """Pace and pauses of a spoken answer, from its transcription (only its uploader's)."""
    from rehearse.practice import service as practice
    from rehearse.practice.transcriptions import TranscriptionNotFound, owner_key
    from rehearse.web.security import CSRF_COOKIE

    if not transcription_id:
        return None
    try:
        status = request.app.state.transcriptions.status(
            session, transcription_id[:64], owner=owner_key(user.id, request.cookies.get(CSRF_COOKIE)))
    except TranscriptionNotFound:
        return None
    return practice.speech_summary(status.get("transcript")) if status.get("state") == "done" else None


def shared_report_url(request: Request, mock) -> str | None:
    """The shared report's full address, as this request reached the server (its scheme from a trusted
    proxy's X-Forwarded-Proto when REHEARSE_TRUSTED_PROXIES names it, its host from the Host header)."""
    if not mock.share_token:
        return None
    return str(request.url_for("show_shared", token=mock.share_token))


def _read(request: Request, mock) -> MockRead:
    return MockRead.of(mock, share_url=shared_report_url(request, mock))


def shown(session, mock) -> None:
    """The mock's current question is being shown (its page, an API answer that holds it): its countdown starts
    now if it has not, and the seconds left are read after this."""
    item = service.current_item(mock)
    if item is not None and item.started_at is None:
        begin_writing(session)  # a GET reads; this first showing writes (nothing when already writing)
        service.start_clock(session, item)


@router.post("/mocks", response_model=MockRead, status_code=201, dependencies=[CsrfApi], responses={
    409: {"description": "You have a mock interview in progress: one at a time. The detail names it; resume it "
                         "(GET /api/mocks/{id}) or abandon it (DELETE /api/mocks/{id}) first."}})
def create_mock(body: MockCreate, request: Request, user: ApiUser, session: SessionDep,
                idempotency_key: StartKey = None) -> JSONResponse:
    """Start a mock interview: questions drawn balanced across competencies (the seed is kept). One at a time,
    as in a real interview: while another of yours is unfinished, the answer is 409."""
    check_speech(request, body.mode)

    def start() -> dict:
        try:
            mock = service.create(session, user=user, role=body.role, bank=body.bank, count=body.questions,
                                  seconds=body.seconds_per_answer, mode=body.mode, follow_ups=body.follow_ups,
                                  seed=body.seed)
        except service.MockRejected as error:
            raise _rejected(error) from None
        mock = service.get(session, user=user, mock_id=mock.id)
        shown(session, mock)  # the answer holds the first question
        return _read(request, mock).model_dump(mode="json")

    return started_once(session, user, idempotency_key, "/api/mocks", body.model_dump(mode="json"), start)


@router.get("/mocks", response_model=list[MockSummaryRead])
def list_mocks(user: ApiUser, session: SessionDep) -> list[MockSummaryRead]:
    """Your mock interviews, newest first."""
    return [MockSummaryRead(id=m.id, title=m.title, status=m.status, question_count=m.question_count,
                            score=(m.summary or {}).get("score"), created_at=m.created_at)
            for m in service.list_mocks(session, user=user)]


@router.get("/mocks/{mock_id}", response_model=MockRead)
def read_mock(mock_id: MockId, request: Request, user: ApiUser, session: SessionDep) -> MockRead:
    """A mock: the current question and its seconds left (its countdown starts the first time it is read or
    shown); scores and the end report once finished."""
    try:
        mock = service.get_or_404(session, user=user, mock_id=mock_id)
    except service.MockRejected as error:
        raise _rejected(error) from None
    shown(session, mock)
    return _read(request, mock)


@router.delete("/mocks/{mock_id}", status_code=204, dependencies=[CsrfApi])
def abandon_mock(mock_id: MockId, user: ApiUser, session: SessionDep) -> Response:
    """Abandon an unfinished mock: it is deleted and no longer offered to resume. The main answers given so far
    stay in your practice history and review queue. A finished mock is kept (409)."""
    try:
        service.abandon(session, user=user, mock_id=mock_id)
    except service.MockRejected as error:
        raise _rejected(error) from None
    return Response(status_code=204)


@router.post("/mocks/{mock_id}/answers", response_model=MockRead, dependencies=[CsrfApi])
def answer_mock(mock_id: MockId, body: MockAnswer, request: Request, user: ApiUser, session: ReadSessionDep,
                settings: SettingsDep) -> MockRead:
    """Answer the current item (as it stands when time runs out); the next item, a follow-up, or the report.

    The same answer sent again changes nothing (200); another answer to a question already answered (another
    tab, another device) is not kept: 409."""
    try:
        return answer_item(request, session, settings, user=user, mock_id=mock_id, item_id=body.item_id,
                           answer=body.answer, timed_out=body.timed_out,
                           speech=speech_of(request, session, user, body.transcription_id), show_next=True)
    except service.MockRejected as error:
        raise _rejected(error) from None


def answer_item(request: Request, session, settings, *, user, mock_id: int, item_id: int, answer: str,
                timed_out: bool, speech: dict | None = None, show_next: bool = False) -> MockRead:
    """Read, then score with no connection held, then store in a short write transaction.

    Whether the time ran out is judged by the server's clock when the answer arrived (not when its
    scoring ended); `timed_out` is the client's word for it (see service.time_ran_out). Raises
    service.MockRejected (AlreadyAnswered for another text to a question answered meanwhile). `show_next`: the
    answer holds the next question (the API), so its countdown starts; a page's starts when the page is shown."""
    arrived = utcnow()
    answer = lf_newlines(answer)  # a form sends CRLF breaks: each is one character against the limit
    mock = service.get_or_404(session, user=user, mock_id=mock_id)
    item = service.check_answer(mock, item_id, answer, max_chars=settings.max_answer_chars, timed_out=timed_out,
                                now=arrived)
    if item is None:  # answered already: a repeated submit changes nothing
        if show_next:
            shown(session, mock)
        return _read(request, mock)
    from rehearse.practice.service import measured_seconds

    prepared = service.prepare_item(session, item)
    release(session)
    report = service.score_prepared(prepared, answer, backend=settings.feedback_backend,
                                    scorer=request.app.state.scorer,  # here, or by a worker (queued)
                                    spoken_seconds=measured_seconds(speech))  # a spoken answer's measured time
    begin_writing(session)
    session.expire_all()  # read again under the write lock (and the mock's row lock): another submit may be first
    mock = service.get_or_404(session, user=user, mock_id=mock_id, lock=True)
    item = service.check_answer(mock, item_id, answer, max_chars=settings.max_answer_chars, timed_out=timed_out,
                                now=arrived)
    if item is not None:  # None: a repeated submit of the same answer was first
        service.record_answer(session, user=user, mock=mock, item=item, answer=answer, report=report,
                              timed_out=service.time_ran_out(mock, item, answer, claimed=timed_out, now=arrived),
                              speech=speech)
    mock = service.get(session, user=user, mock_id=mock_id)
    if show_next:
        shown(session, mock)
    return _read(request, mock)


@router.post("/mocks/{mock_id}/resume", response_model=MockRead, dependencies=[CsrfApi])
def resume_mock(mock_id: MockId, request: Request, user: ApiUser, session: SessionDep) -> MockRead:
    """Start the current question's time again when it ran out while you were away. A finished mock is not
    resumed (409)."""
    try:
        mock = service.resume(session, user=user, mock_id=mock_id)
    except service.MockRejected as error:
        raise _rejected(error) from None
    shown(session, mock)
    return _read(request, mock)


@router.post("/mocks/{mock_id}/share", response_model=MockRead, dependencies=[CsrfApi])
def share_mock(mock_id: MockId, request: Request, user: ApiUser, session: SessionDep) -> MockRead:
    """Make a read-only link to the finished report (`share_url`)."""
    try:
        return _read(request, service.share(session, user=user, mock_id=mock_id))
    except service.MockRejected as error:
        raise _rejected(error) from None


@router.delete("/mocks/{mock_id}/share", status_code=204, dependencies=[CsrfApi])
def unshare_mock(mock_id: MockId, user: ApiUser, session: SessionDep) -> Response:
    """Revoke the read-only link; whoever has it gets a 404 from now on. 204, then 404 (no link to revoke),
    like the other deletes."""
    try:
        revoked = service.unshare(session, user=user, mock_id=mock_id)
    except service.MockRejected as error:
        raise _rejected(error) from None
    if not revoked:
        raise HTTPException(404, f"Mock interview {mock_id} has no shared link to revoke.")
    return Response(status_code=204)
