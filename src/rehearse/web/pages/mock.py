"""Mock interview pages: start one, answer question by question against the clock, the end report,
a read-only shared link."""

from __future__ import annotations

import math
import uuid
import zlib
from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Path, Query, Request
from fastapi.responses import RedirectResponse, Response

from rehearse.bank import service as bank
from rehearse.bank.models import utcnow
from rehearse.idempotency import service as idempotency
from rehearse.mock import service as mocks
from rehearse.mock.views import answer_item, shared_report_url, shown, speech_of
from rehearse.progress import charts
from rehearse.web.deps import ReadSessionDep, SessionDep, SettingsDep
from rehearse.web.form_errors import FormErrors, Problem, each_field
from rehearse.web.pages.practice import pacing
from rehearse.web.security import CsrfForm, PageUser
from rehearse.web.templating import render, render_confirm

router = APIRouter()
MockId = Annotated[int, Path(ge=1, le=2**31 - 1)]
NO_STORE = {"Cache-Control": "no-store"}
SPOKEN_UNAVAILABLE = "Spoken answers are not available on this server; choose typed."
UNFINISHED_FIRST = ("You have an unfinished mock interview: resume it, or abandon it, before starting another "
                    "(one interview at a time).")
ANSWER_TO_FIX = (413, 422)  # refusals of the answer's text itself: the user fixes it on the question's page


def _whole(text: str, name: str) -> int:
    try:
        return int(text.strip())
    except ValueError:
        raise HTTPException(422, f"{name} must be a whole number, not {text[:20]!r}.") from None


def _seconds(minutes: str) -> int:
    """The start form's minutes per answer in seconds; MockRejected (the form again, with why) for anything
    that is not a finite number ("inf" and "1e309" overflow, "nan" is no time)."""
    if not minutes.strip():
        raise mocks.MockRejected(f"Give the time per answer: {mocks.MIN_SECONDS} s to "
                                 f"{mocks.MAX_SECONDS // 60} minutes.")
    try:
        value = float(minutes)
    except ValueError:
        raise mocks.MockRejected(f"The time per answer is a number of minutes, not {minutes[:20]!r}.") from None
    if not math.isfinite(value):
        raise mocks.MockRejected(f"The time per answer is {mocks.MIN_SECONDS} s to {mocks.MAX_SECONDS // 60} minutes, "
                                 f"not {minutes[:20]!r}.")
    seconds = round(value * 60)
    if not mocks.MIN_SECONDS <= seconds <= mocks.MAX_SECONDS:
        raise mocks.MockRejected(f"The time per answer is {mocks.MIN_SECONDS} s to {mocks.MAX_SECONDS // 60} "
                                 f"minutes, not {seconds} s.")
    return seconds


def _count(questions: str) -> int:
    if not questions.strip():
        raise mocks.MockRejected(f"Give the number of questions: {mocks.MIN_QUESTIONS} to {mocks.MAX_QUESTIONS}.")
    try:
        count = int(questions.strip())
    except ValueError:
        raise mocks.MockRejected(f"The number of questions must be a whole number, not {questions[:20]!r}.") from None
    if not mocks.MIN_QUESTIONS <= count <= mocks.MAX_QUESTIONS:
        raise mocks.MockRejected(f"A mock has {mocks.MIN_QUESTIONS} to {mocks.MAX_QUESTIONS} questions, not {count}.")
    return count


def _form_problems(*, questions: str, minutes: str, mode: str, spoken: bool) -> FormErrors:
    """Every problem of the start form's own fields at once, each with its field: a wrong count and an empty
    time are both told."""
    errors = each_field(mocks.MockRejected, [("questions", lambda: _count(questions)),
                                             ("minutes", lambda: _seconds(minutes))])
    if mode == "spoken" and not spoken:
        errors.problems.append(Problem(SPOKEN_UNAVAILABLE))  # its radio is disabled: the summary takes the focus
    return errors


def last_choices(past, *, speech: bool) -> dict:
    """The start form begins where the user's last mock did (its role or bank, length, timing,
    mode, follow-ups on or off), so that turning follow-ups off or choosing spoken answers is
    a choice made once, not before every mock."""
    if not past:
        return {}
    last = past[0]
    # a prep plan's mock has no role or bank of its own: the role is the last one actually chosen
    scoped = next((m for m in past if m.role_id or m.bank), None)
    role = "" if scoped is None else str(scoped.role_id) if scoped.role_id else f"bank:{scoped.bank.slug}"
    minutes = last.seconds_per_answer / 60
    return {"role": role, "questions": str(last.question_count),
            "minutes": f"{minutes:g}", "mode": last.mode if speech else "typed", "follow_ups": last.follow_ups}


def draft_key(mock_id: int, created_at: datetime) -> str:
    """What names a mock's drafts in the browser: its id and the moment it began, since SQLite gives
    a later mock the id of one abandoned (a stale draft must not come back in it)."""
    moment = created_at.replace(tzinfo=UTC) if created_at.tzinfo is None else created_at.astimezone(UTC)
    return f"{mock_id}.{moment:%Y%m%d%H%M%S%f}"


def _start_page(request: Request, session, user, *, errors: FormErrors | None = None, form: dict | None = None,
                status: int = 200) -> Response:
    past = mocks.list_mocks(session, user=user)
    chosen = request.query_params.get("role", "")[:120]
    if form is None:
        form = last_choices(past, speech=request.app.state.transcriptions.available())
        if chosen:  # "Mock interview for this role" from a role page wins over the last role
            form.pop("role", None)
    return render(request, "mock/start.html", {
        "roles": (roles := bank.list_roles(session)), "mocks": past, "errors": errors,
        "banks": list(dict.fromkeys((role.bank.slug, role.bank.name) for role, _ in roles)),
        "form": form, "limits": mocks, "chosen_role": chosen, "form_key": uuid.uuid4().hex,
        # their drafts alone stay in the browser
        "unfinished": [draft_key(mock_id, began) for mock_id, began in mocks.unfinished(session, user=user)],
        "resumable": resumable(past),
        "abandoned": _abandoned_notice(request.query_params.get("abandoned", "")),
    }, status_code=status, headers=NO_STORE)


def resumable(past) -> list[dict]:
    """The unfinished mocks, with the question each stands at: the start page offers them above its form,
    since a candidate coming back would otherwise start a new mock without seeing the one left halfway."""
    offers = []
    for mock in past:
        if mock.status == "finished":
            continue
        item = mocks.current_item(mock)
        offers.append({"mock": mock, "number": item.number if item else mock.question_count,
                       "answered": sum(1 for i in mock.items if not i.follow_up and i.answered_at is not None)})
    return offers


def answers_given(mock) -> int:
    """The answers an abandoned mock leaves in the history: not an empty one sent when time ran out."""
    return sum(1 for i in mock.items if i.attempt_id is not None)


def _abandoned_notice(kept: str) -> str | None:
    """What the start page says after abandoning, true to how many answers stayed (`kept`, from the address)."""
    if not kept.isdigit() or len(kept) > 3:
        return None
    n = int(kept)
    if n == 0:
        return "Mock interview abandoned. You had not answered any of its questions, so none of it was kept."
    return (f"Mock interview abandoned. The {n} answer{'' if n == 1 else 's'} you gave "
            f"{'is' if n == 1 else 'are'} kept in your history and review queue.")


@router.get("/mock")
def start_page(request: Request, session: SessionDep, user: PageUser) -> Response:
    return _start_page(request, session, user)


@router.post("/mock", dependencies=[CsrfForm])
def start_mock(request: Request, session: SessionDep, user: PageUser,
               role: Annotated[str, Form(max_length=200)] = "",
               questions: Annotated[str | None, Form(max_length=20)] = None,
               minutes: Annotated[str | None, Form(max_length=20)] = None,
               mode: Annotated[str, Form(max_length=10)] = "typed",
               follow_ups: Annotated[str, Form(max_length=5)] = "",
               form_key: Annotated[str, Form(max_length=idempotency.FORM_KEY)] = "") -> Response:
    """Start a mock; the page's one-time key makes a double click start one mock, not two. An empty number
    (the form always sends both; FastAPI reads an empty field as absent) is refused, not taken as the default."""
    questions, minutes = questions or "", minutes or ""
    form = {"role": role, "questions": questions, "minutes": minutes, "mode": mode, "follow_ups": bool(follow_ups)}
    claimed, status = None, 422
    try:
        claimed = idempotency.claim_form(session, user_id=user.id, form="/mock", form_key=form_key, now=utcnow())
        if isinstance(claimed, idempotency.Replay):
            return RedirectResponse(f"/mocks/{claimed.response['mock_id']}", status_code=303)
        errors = _form_problems(questions=questions, minutes=minutes, mode=mode,
                                spoken=request.app.state.transcriptions.available())
        if not errors:
            whole_bank = role.removeprefix("bank:") if role.startswith("bank:") else None
            try:
                mock = mocks.create(session, user=user, role=None if whole_bank else (role or None), bank=whole_bank,
                                    count=_count(questions), seconds=_seconds(minutes), mode=mode,
                                    follow_ups=bool(follow_ups))
            except mocks.MockInProgress:  # one interview at a time: the unfinished one is offered above the form
                errors, status = FormErrors.of(UNFINISHED_FIRST), 409
            except mocks.MockRejected as refusal:  # the numbers passed: what is left is the role or bank
                errors, status = FormErrors.of(str(refusal), "role"), refusal.status
    except idempotency.KeyMisused as misused:
        errors = FormErrors.of(str(misused))
    if errors:
        if isinstance(claimed, idempotency.IdempotentRequest):
            session.delete(claimed)  # nothing was started: the form may be sent again, put right
        return _start_page(request, session, user, errors=errors, form=form, status=status)
    if claimed is not None:
        idempotency.complete(claimed, status=303, response={"mock_id": mock.id})
    return RedirectResponse(f"/mocks/{mock.id}", status_code=303)


def _mock_or_404(session, user, mock_id: int):
    mock = mocks.get(session, user=user, mock_id=mock_id)
    if mock is None:
        raise HTTPException(404, "You have no mock interview at this address.")
    return mock


def answered_fingerprints(mock) -> str:
    """"<item id>:<CRC-32>" of each answer the server has, for mock.js: a draft goes once the server has that
    very text, and stays when it has another (the question was answered in another tab: this one was not
    kept). Line ends as a browser's textarea holds them (a form sends CRLF)."""
    return " ".join(f"{i.id}:{_crc32(i.answer or '')}" for i in mock.items if i.answered_at is not None)


def _crc32(text: str) -> str:
    return format(zlib.crc32(text.replace("\r\n", "\n").encode("utf-8", "replace")), "x")


def report_context(mock) -> dict:
    summary = mocks.report_of(mock) or {}
    rows = summary.get("competencies") or []
    chart = charts.data_uri(charts.bar("Mean score by competency (out of 100)",
                                       [r["competency"].replace("-", " ") for r in rows],
                                       [r["score"] for r in rows])) if rows else None
    return {"mock": mock, "summary": summary, "chart": chart, "reviews": {},
            "draft_key": draft_key(mock.id, mock.created_at)}


RATING_NAMES = {1: "again", 2: "hard", 3: "good", 4: "easy"}


def review_ratings(session, user, mock) -> dict[int, tuple[int, str]]:
    """For the owner: each drawn question's attempt and the rating it gave the review card (changed on
    the attempt's page, like any answer's)."""
    from rehearse.review import service as review

    found = {}
    for item in mock.items:
        if not item.follow_up and item.attempt_id is not None:
            entry = review.rating_of_attempt(session, user=user, attempt_id=item.attempt_id)
            if entry is not None:
                found[item.number] = (item.attempt_id, RATING_NAMES[entry.rating])
    return found


@router.get("/mocks/{mock_id}")
def show_mock(mock_id: MockId, request: Request, session: SessionDep, user: PageUser) -> Response:
    """The current question with its countdown, or the end report once the mock is finished."""
    mock = _mock_or_404(session, user, mock_id)
    item = mocks.current_item(mock)
    if item is None:
        return render(request, "mock/report.html", {**report_context(mock), "owner": True,
                                                    "reviews": review_ratings(session, user, mock),
                                                    "share_url": shared_report_url(request, mock)},
                      headers=NO_STORE)
    return _interview_page(request, session, user, mock, item)


def _interview_page(request: Request, session, user, mock, item, *, error: str | None = None, answer: str = "",
                    status: int = 200, unsent: dict | None = None) -> Response:
    """The current question with its countdown; `error` and `answer`: an answer sent back to be completed;
    `unsent`: an answer to an earlier question that was not kept (answered first in another tab)."""
    from rehearse.stories import service as stories

    parent = next((i for i in mock.items if i.number == item.number and not i.follow_up), None)
    # Shown now: the question's countdown starts here if it has not. The stories that fit it are not worked
    # out before the page (the engine scores each candidate: seconds with many stories, off the question's
    # clock); the page loads them from /mocks/N/stories once it is shown, or links to them without scripts.
    shown(session, mock)
    return render(request, "mock/interview.html", {
        "mock": mock, "item": item, "parent": parent, "seconds_left": mocks.remaining_seconds(mock, item),
        "main_total": mock.question_count, "question_id": item.question_id,
        "has_stories": bool(stories.list_stories(session, user=user)),
        "pacing": pacing(), "speech_reason": request.app.state.transcriptions.unavailable_reason(),
        "draft_key": draft_key(mock.id, mock.created_at), "error": error, "answer": answer,
        "answered": answered_fingerprints(mock), "unsent": unsent,
    }, status_code=status, headers=NO_STORE)


@router.get("/mocks/{mock_id}/stories")
def story_suggestions(mock_id: MockId, request: Request, session: SessionDep, user: PageUser,
                      item: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None) -> Response:
    """Your stories that fit the mock's current question (or its item `item`), and why: the interview page
    loads this after it is shown, since finding them scores each candidate story with the engine."""
    from rehearse.stories import service as stories

    mock = _mock_or_404(session, user, mock_id)
    chosen = next((i for i in mock.items if i.id == item), None) if item else mocks.current_item(mock)
    if chosen is None:
        if item:
            raise HTTPException(404, "That question is not part of this mock interview.")
        return RedirectResponse(f"/mocks/{mock.id}", status_code=303)  # finished: nothing left to ask
    suggestions = stories.suggest(session, user=user, question=chosen.question,
                                  backend=request.app.state.settings.feedback_backend)
    return render(request, "mock/stories.html", {"mock": mock, "item": chosen, "story_suggestions": suggestions,
                                                 "question_id": chosen.question_id, "open_suggestions": True},
                  headers=NO_STORE)


@router.post("/mocks/{mock_id}/answer", dependencies=[CsrfForm])
def answer(mock_id: MockId, request: Request, session: ReadSessionDep, user: PageUser, settings: SettingsDep,
           item_id: Annotated[str, Form(max_length=20)] = "", answer: Annotated[str, Form()] = "",
           timed_out: Annotated[str, Form(max_length=5)] = "",
           transcription_id: Annotated[str, Form(max_length=64)] = "") -> Response:
    _mock_or_404(session, user, mock_id)
    item_number = _whole(item_id, "item_id")
    try:
        answer_item(request, session, settings, user=user, mock_id=mock_id, item_id=item_number,
                    answer=answer, timed_out=timed_out == "1",
                    speech=speech_of(request, session, user, transcription_id))
    except mocks.AlreadyAnswered as refused:
        # Answered first in another tab, with another text: this one is not kept, and is shown back to be
        # copied above where the interview now is (its draft stays in the browser).
        return _unsent_page(request, session, user, mock_id, refused, answer)
    except (HTTPException, mocks.MockRejected) as refused:
        status, detail = (refused.status_code, refused.detail) if isinstance(refused, HTTPException) else \
            (refused.status, str(refused))
        mock = _mock_or_404(session, user, mock_id)
        item = mocks.current_item(mock)
        if status not in ANSWER_TO_FIX or item is None:
            raise HTTPException(status, detail) from None
        # An answer to complete (empty with time left, or too long): the interview again, with what was
        # sent in the box and why by it, so the user stays on the question while its clock runs.
        return _interview_page(request, session, user, mock, item, error=detail, answer=answer, status=status)
    return RedirectResponse(f"/mocks/{mock_id}", status_code=303)


def _unsent_page(request: Request, session, user, mock_id: int, refused, answer: str) -> Response:
    """409: the interview where it now is (or its report), with the answer that was not kept shown to copy."""
    mock = _mock_or_404(session, user, mock_id)
    unsent = {"item_id": refused.item_id, "number": refused.number, "follow_up": refused.follow_up, "text": answer}
    item = mocks.current_item(mock)
    if item is not None:
        return _interview_page(request, session, user, mock, item, status=409, unsent=unsent)
    return render(request, "mock/report.html", {**report_context(mock), "owner": True, "unsent": unsent,
                                                "reviews": review_ratings(session, user, mock),
                                                "share_url": shared_report_url(request, mock)},
                  status_code=409, headers=NO_STORE)


@router.post("/mocks/{mock_id}/resume", dependencies=[CsrfForm])
def resume(mock_id: MockId, session: SessionDep, user: PageUser) -> Response:
    try:
        mocks.resume(session, user=user, mock_id=mock_id)
    except mocks.MockRejected as error:
        raise HTTPException(error.status, str(error)) from None
    return RedirectResponse(f"/mocks/{mock_id}", status_code=303)


@router.get("/mocks/{mock_id}/abandon")
def confirm_abandon(mock_id: MockId, request: Request, session: SessionDep, user: PageUser) -> Response:
    """The second step of abandoning an unfinished mock: what goes, what stays, and the button."""
    mock = _mock_or_404(session, user, mock_id)
    if mock.status == "finished":
        return RedirectResponse(f"/mocks/{mock.id}", status_code=303)  # nothing to abandon: its report
    answered = answers_given(mock)
    kept = (f"The {answered} answer{'' if answered == 1 else 's'} you gave stay{'s' if answered == 1 else ''} in "
            "your history and review queue." if answered else "You have not answered any of its questions yet.")
    return render_confirm(
        request, kind="abandon-mock", eyebrow=mock.title, title="Abandon this mock interview?",
        lines=[f"It will be deleted and no longer offered to resume, and it gets no report. {kept}",
               "The current question's clock keeps running while you decide."],
        action=f"/mocks/{mock.id}/abandon", button="Abandon the mock", back=f"/mocks/{mock.id}",
        back_label="Back to the interview", cancel="Carry on")


@router.post("/mocks/{mock_id}/abandon", dependencies=[CsrfForm])
def abandon(mock_id: MockId, session: SessionDep, user: PageUser) -> Response:
    """Abandon, and land on the start page saying how many answers stayed (none: it must not say they are kept)."""
    kept = answers_given(_mock_or_404(session, user, mock_id))
    try:
        mocks.abandon(session, user=user, mock_id=mock_id)
    except mocks.MockRejected as error:
        raise HTTPException(error.status, str(error)) from None
    return RedirectResponse(f"/mock?abandoned={kept}", status_code=303)


@router.post("/mocks/{mock_id}/share", dependencies=[CsrfForm])
def share(mock_id: MockId, session: SessionDep, user: PageUser,
          action: Annotated[str, Form(max_length=10)] = "share") -> Response:
    try:
        if action == "revoke":
            mocks.unshare(session, user=user, mock_id=mock_id)
        else:
            mocks.share(session, user=user, mock_id=mock_id)
    except mocks.MockRejected as error:
        raise HTTPException(error.status, str(error)) from None
    return RedirectResponse(f"/mocks/{mock_id}#share", status_code=303)


@router.get("/shared/mocks/{token}")
def show_shared(token: Annotated[str, Path(max_length=64)], request: Request, session: SessionDep) -> Response:
    """A finished mock's report, read-only, for whoever has the link (until its owner revokes it)."""
    mock = mocks.shared(session, token=token)
    if mock is None:
        raise HTTPException(404, "This link is not valid (its owner may have revoked it).")
    return render(request, "mock/report.html", {**report_context(mock), "owner": False},
                  headers={"Cache-Control": "no-store", "X-Robots-Tag": "noindex"})
