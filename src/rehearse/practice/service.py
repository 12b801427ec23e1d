"""Practice use cases: score an answer, keep it as an attempt, read a user's history.

Every read takes the user and filters by it: an attempt is visible to its owner alone.
Scoring goes through `scoring.analyze_answer`, the one bridge to the feedback engine.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session, selectinload

from rehearse.accounts.models import User
from rehearse.bank.models import ExampleAnswer, Question, Role, utcnow

from .models import MODES, Attempt

if TYPE_CHECKING:
    from .queued_scoring import Scorer

_HAS_WORD = re.compile(r"[^\W_]")  # a letter or digit in any script: zero-width spaces and "?!" are not an answer
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # a valid pair decodes to one character, never these
MAX_DURATION_S = 4 * 3600  # a timer past four hours is a tab left open, not an answer
HISTORY_PAGE = 50
# session.info key: {question id: the revision `score` read with the question}, for `record` to keep. Scoring
# holds no transaction, so an editor may accept a new revision before the attempt is written.
_SCORED_REVISIONS = "rehearse.scored_revisions"


class AnswerRejected(ValueError):
    """The answer cannot be scored; `status` is the HTTP status that says why."""

    def __init__(self, message: str, status: int = 422):
        self.status = status
        super().__init__(message)


@dataclass(frozen=True)
class Comparison:
    """How a new attempt compares with the one it tries again."""

    previous_score: int
    score_change: int
    newly_covered: tuple[str, ...]
    no_longer_covered: tuple[str, ...]


def has_words(answer: str | None) -> bool:
    """Whether the answer holds a letter or digit: spaces, "?!" and zero-width characters are no answer."""
    return bool(answer) and _HAS_WORD.search(answer) is not None


_UNSCORED = object()  # `record` of a report that `score` did not make in this session


def _latest_revision(session: Session, question_id: int) -> int | None:
    return session.scalar(select(func.max(ExampleAnswer.revision)).where(ExampleAnswer.question_id == question_id))


def check_answer(answer: str | None, *, max_chars: int) -> str:
    """The answer, or AnswerRejected saying why it cannot be scored."""
    if not has_words(answer):
        raise AnswerRejected("The answer is empty (it has no words). Type (or record) an answer, then send it.")
    if "\x00" in answer or _LONE_SURROGATE.search(answer):
        raise AnswerRejected("The answer contains a NUL character or an unpaired surrogate; send plain text.", 400)
    if len(answer) > max_chars:
        raise AnswerRejected(
            f"The answer is {len(answer):,} characters long; the limit is {max_chars:,} characters "
            f"(about {max_chars // 6:,} words). Shorten it and send it again.",
            413,
        )
    from rehearse.feedback import unreadable_script  # the engine is about to be loaded to score it

    if unreadable_script(answer):
        raise AnswerRejected("The answer is written in a script Rehearse cannot read yet: it scores answers written "
                             "in the Latin alphabet (best in English). Answer in English to get feedback.")
    return answer


def score(
    session: Session,
    *,
    question: Question,
    answer: str,
    max_chars: int,
    backend: str = "auto",
    release_connection: bool = False,
    scorer: Scorer | None = None,
    spoken_seconds: float | None = None,
) -> dict[str, Any]:
    """The feedback report of an answer, as JSON-ready data.

    `spoken_seconds`: a spoken answer's measured speaking time (`measured_seconds(speech)`), which its report's
    delivery reads instead of estimating it from the words; None for a typed answer.

    `release_connection=True` ends the session's (read) transaction once the question's data
    is read, so no pooled connection is held while the answer waits for and runs the model.
    `scorer` decides where it is scored (the web app's may queue it for a worker, and raise
    ScoringUnavailable); without one it is scored here.
    """
    from rehearse import feedback
    from rehearse.db.database import release
    from rehearse.practice.queued_scoring import score_here
    from rehearse.practice.scoring import prepare

    check_answer(answer, max_chars=max_chars)
    prepared = prepare(session, question)
    session.info.setdefault(_SCORED_REVISIONS, {})[question.id] = _latest_revision(session, question.id)
    if release_connection:
        release(session)
    try:
        if scorer is None:
            return score_here(prepared, answer, backend=backend, spoken_seconds=spoken_seconds)
        if spoken_seconds is None:
            return scorer.score(prepared, answer)  # a typed answer: as before (to any scorer)
        return scorer.score(prepared, answer, spoken_seconds=spoken_seconds)
    except feedback.AnswerTooLong as error:
        raise AnswerRejected(str(error), 413) from None


def measured_seconds(speech: dict[str, Any] | None) -> float | None:
    """A spoken answer's measured speaking time, from its transcript or its `speech_summary`, for scoring it:
    the report then says how long it was spoken, as its pace does. None when there is no usable figure
    (a typed answer, a transcript without speaking time, or none measured)."""
    value = (speech or {}).get("speaking_s")
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value <= 0:
        return None
    return float(value)


def speech_summary(transcript: dict[str, Any] | None) -> dict[str, Any] | None:
    """What a spoken attempt keeps of its transcript: pace, speaking time and long pauses."""
    if not transcript:
        return None
    return {
        key: transcript.get(key)
        for key in (
            "duration_s",
            "speaking_s",
            "words_per_minute",
            "pauses",
            "word_count",
            "language",
        )
    }


def record(
    session: Session,
    *,
    user: User,
    question: Question,
    answer: str,
    report: dict[str, Any],
    mode: str = "typed",
    duration_s: float | None = None,
    speech: dict[str, Any] | None = None,
    previous_attempt_id: int | None = None,
) -> Attempt:
    """Store an attempt; a previous attempt that is not the user's own, or answers another question, is
    ignored."""
    if mode not in MODES:
        raise AnswerRejected(f"mode must be one of {', '.join(MODES)}")
    if duration_s is not None and not 0 <= duration_s <= MAX_DURATION_S:
        duration_s = None
    previous = (earlier_attempt(session, user=user, attempt_id=previous_attempt_id, question_id=question.id)
                if previous_attempt_id else None)
    scored = session.info.get(_SCORED_REVISIONS, {}).pop(question.id, _UNSCORED)
    attempt = Attempt(
        user_id=user.id,
        question_id=question.id,
        answer=answer,
        mode=mode,
        duration_s=duration_s,
        score=int(report["score"]),
        grade=str(report.get("grade", "")),
        report=report,
        speech=speech if mode == "spoken" else None,
        previous_attempt_id=previous.id if previous else None,
        # The revision (example answer, talking points) it was scored against: later community edits
        # change what new answers are scored against, never this attempt's report.
        example_revision=scored if scored is not _UNSCORED else _latest_revision(session, question.id),
        created_at=utcnow(),
    )
    session.add(attempt)
    session.flush()
    # Every practised question becomes a review card (FSRS), and the dashboard gets its figures.
    from rehearse.review.service import after_attempt

    after_attempt(session, attempt)
    return attempt


def get(session: Session, *, user: User, attempt_id: int) -> Attempt | None:
    """One of the user's own attempts; anybody else's is None, exactly like a missing one."""
    return session.scalar(
        select(Attempt)
        .where(Attempt.id == attempt_id, Attempt.user_id == user.id)
        .options(selectinload(Attempt.question).selectinload(Question.role))
    )


def earlier_attempt(session: Session, *, user: User, attempt_id: int, question_id: int) -> Attempt | None:
    """The user's own earlier answer to this question that a new one tries again; None for an attempt
    at another question (a retry is compared with an answer to the same question, never another's)."""
    earlier = get(session, user=user, attempt_id=attempt_id)
    return earlier if earlier is not None and earlier.question_id == question_id else None


@dataclass(frozen=True)
class AttemptRow:
    """One line of a user's history: what lists show of an attempt, without its answer and report."""

    id: int
    question_id: int
    question_text: str
    role_name: str
    score: int
    grade: str
    mode: str
    duration_s: float | None
    created_at: datetime
    previous_attempt_id: int | None


# Columns only, one query: loading whole attempts read every report (JSON, kilobytes each) to list them.
_HISTORY = (
    select(Attempt.id, Attempt.question_id, Question.text, Role.name, Attempt.score, Attempt.grade, Attempt.mode,
           Attempt.duration_s, Attempt.created_at, Attempt.previous_attempt_id)
    .join(Question, Question.id == Attempt.question_id).join(Role, Role.id == Question.role_id)
    .where(Attempt.user_id == bindparam("user_id"))
    .order_by(Attempt.created_at.desc(), Attempt.id.desc())
    .limit(bindparam("limit")).offset(bindparam("offset"))
)
_HISTORY_OF_QUESTION = _HISTORY.where(Attempt.question_id == bindparam("question_id"))
_COUNT = select(func.count(Attempt.id)).where(Attempt.user_id == bindparam("user_id"))
_LATEST = (select(Attempt.id, Attempt.score)
           .where(Attempt.user_id == bindparam("user_id"), Attempt.question_id == bindparam("question_id"))
           .order_by(Attempt.id.desc()).limit(1))


def history(
    session: Session,
    *,
    user: User,
    limit: int = HISTORY_PAGE,
    offset: int = 0,
    question_id: int | None = None,
) -> list[AttemptRow]:
    """The user's attempts, newest first."""
    params = {"user_id": user.id, "limit": limit, "offset": offset}
    statement = _HISTORY
    if question_id is not None:
        statement, params["question_id"] = _HISTORY_OF_QUESTION, question_id
    return [AttemptRow(*row) for row in session.connection().execute(statement, params)]


def count(session: Session, *, user: User) -> int:
    return session.connection().execute(_COUNT, {"user_id": user.id}).scalar() or 0


def history_page(session: Session, *, user: User, page: int = 1,
                 per_page: int = HISTORY_PAGE) -> tuple[list[AttemptRow], int]:
    """One page of the user's attempts, newest first, and how many they have in all (counted only when
    the page is full or empty: a shorter page is the last, so it says the total itself)."""
    offset = (page - 1) * per_page
    rows = history(session, user=user, limit=per_page, offset=offset)
    if 0 < len(rows) < per_page or (not rows and page == 1):
        return rows, offset + len(rows)
    return rows, count(session, user=user)


def last_scores(session: Session, *, user: User | None, question_ids: list[int]) -> dict[int, int]:
    """The user's latest score on each of these questions (questions never tried are absent)."""
    if user is None or not question_ids:
        return {}
    latest = (
        select(Attempt.question_id, func.max(Attempt.id).label("id"))
        .where(Attempt.user_id == user.id, Attempt.question_id.in_(question_ids))
        .group_by(Attempt.question_id)
        .subquery()
    )
    rows = session.execute(
        select(Attempt.question_id, Attempt.score).join(latest, latest.c.id == Attempt.id)
    )
    return dict(rows.all())


@dataclass(frozen=True)
class LastAttempt:
    id: int
    score: int


def latest(session: Session, *, user: User | None, question_id: int) -> LastAttempt | None:
    """The id and score of the user's latest attempt at a question (pages link to it)."""
    if user is None:
        return None
    row = session.connection().execute(_LATEST, {"user_id": user.id, "question_id": question_id}).first()
    return LastAttempt(row.id, row.score) if row else None


def compare(previous: dict[str, Any], current: dict[str, Any]) -> Comparison:
    """Score change and talking points gained or lost between two reports."""

    def covered(report: dict[str, Any]) -> set[str]:
        return {p["point"] for p in report.get("talking_points", ()) if p.get("covered")}

    before, after = covered(previous), covered(current)
    order = [p["point"] for p in current.get("talking_points", ())]
    return Comparison(
        previous_score=int(previous["score"]),
        score_change=int(current["score"]) - int(previous["score"]),
        newly_covered=tuple(p for p in order if p in after - before),
        no_longer_covered=tuple(p for p in order if p in before - after),
    )


def random_question_id(session: Session, *, role_id: int | None = None) -> int | None:
    """A question picked at random, optionally from one role."""
    statement = select(Question.id).where(Question.retired_at.is_(None)).order_by(func.random()).limit(1)
    if role_id is not None:
        statement = statement.where(Question.role_id == role_id)
    return session.scalar(statement)
