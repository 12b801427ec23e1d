"""Community use cases: suggest, vote, comment, moderate, revise, revert, notify. The only code in
community/ that touches the database session; callers own the transaction (web: one per request).

Revisions are rows of `example_answers`, each a full snapshot of a question's example answer,
intent and talking points; the question row keeps the current intent and points, so everything
that reads a question (practice, search, scoring) sees what was last accepted.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from rehearse.accounts.models import ROLES, User
from rehearse.bank import service as bank
from rehearse.bank.models import Bank, ExampleAnswer, Question, Role, utcnow
from rehearse.formats import slugify
from rehearse.throttle import service as throttle
from rehearse.throttle.models import Throttle
from rehearse.throttle.service import Rule

from . import diff as diffs
from .models import Comment, CommentReport, Notification, Suggestion, Vote

FIELDS = ("example_answer", "intent", "talking_points")
DEFAULT_LICENCE = "CC-BY-4.0"  # banks that state none publish community edits under this licence
# Size limits: a long example answer is ~600 words (~4,000 characters); these leave room for
# five times that and refuse pasted books.
MAX_ANSWER = 20_000
MAX_INTENT = 2_000
MAX_POINTS = 20
MAX_POINT = 300
MAX_QUESTION = 1_000
MAX_REASON = 2_000
MAX_COMMENT = 5_000
QUEUE_PAGE = 20  # suggestions per queue page, each shown with its diff (the diffs are the cost)
HISTORY_PAGE = 20  # revisions (with their diffs) per history page; the diffs are the cost


# Per-user limits, counted in the database (rehearse.throttle: one locked row per rule and user), so
# they hold across app processes. Fixed windows: a keen contributor suggests a few an hour.
SUGGESTION_LIMIT = Rule("community-suggestions", free=20, window=timedelta(hours=1))
COMMENT_LIMIT = Rule("community-comments", free=30, window=timedelta(minutes=10))
VOTE_LIMIT = Rule("community-votes", free=120, window=timedelta(minutes=10))  # voting down a queue is fine
# Previews run the feedback engine (CPU): checked before the engine runs, counted after.
PREVIEW_LIMIT = Rule("community-previews", free=60, window=timedelta(minutes=10))
_ACTIONS = {SUGGESTION_LIMIT.name: "suggestions", COMMENT_LIMIT.name: "comments", VOTE_LIMIT.name: "votes",
            PREVIEW_LIMIT.name: "previews"}


class CommunityError(ValueError):
    """Bad input or a refused action; the message is safe to show."""

    status = 400


class NotFound(CommunityError):
    status = 404


class Forbidden(CommunityError):
    status = 403


class Conflict(CommunityError):
    """The suggestion no longer fits the current revision, or was decided already."""

    status = 409


class RateLimited(CommunityError):
    status = 429

    def __init__(self, limit: Rule, retry_after: int):
        self.retry_after = max(1, retry_after)
        minutes = max(1, round(self.retry_after / 60))
        super().__init__(f"Too many {_ACTIONS.get(limit.name, limit.name)}: at most {limit.free} in "
                         f"{_span(limit.window)}. Try again in about {minutes} minute{'s' if minutes != 1 else ''}.")


def _span(window: timedelta) -> str:
    minutes = int(window.total_seconds() // 60)
    return f"{minutes // 60} hour{'s' if minutes >= 120 else ''}" if minutes % 60 == 0 else f"{minutes} minutes"


# --- snapshots and revisions -------------------------------------------------------------------


@dataclass(frozen=True)
class Snapshot:
    revision: int
    example_answer: str | None
    intent: str | None
    talking_points: tuple[str, ...]

    def get(self, name: str) -> Any:
        value = getattr(self, name)
        return list(value) if name == "talking_points" else value


def _question(session: Session, question_id: int, *, lock: bool = False) -> Question:
    statement = select(Question).where(Question.id == question_id)
    if lock:  # PostgreSQL: revisions of one question are made one at a time (SQLite: the write lock)
        statement = statement.with_for_update()
    question = session.scalar(statement.execution_options(populate_existing=True))
    if question is None:
        raise NotFound(f"There is no question with id {question_id} (it may have been deleted).")
    return question


def _latest(session: Session, question_id: int) -> ExampleAnswer | None:
    return session.scalar(select(ExampleAnswer).where(ExampleAnswer.question_id == question_id)
                          .order_by(ExampleAnswer.revision.desc()).limit(1))


def current(session: Session, question_id: int, *, lock: bool = False) -> Snapshot:
    """What the question says now, and its revision number (0 before any)."""
    question = _question(session, question_id, lock=lock)
    row = _latest(session, question_id)
    return Snapshot(row.revision if row else 0, (row.text or None) if row else None, question.intent,
                    tuple(question.talking_points or ()))


def _snapshot_of(row: ExampleAnswer, fallback: Snapshot) -> Snapshot:
    """A stored revision; fields it did not record (rows older than snapshots) come from `fallback`."""
    return Snapshot(row.revision, row.text or None,
                    row.intent if row.talking_points is not None else fallback.intent,
                    tuple(row.talking_points) if row.talking_points is not None else fallback.talking_points)


def revision(session: Session, question_id: int, number: int) -> Snapshot | None:
    row = session.scalar(select(ExampleAnswer).where(ExampleAnswer.question_id == question_id,
                                                     ExampleAnswer.revision == number))
    return _snapshot_of(row, current(session, question_id)) if row else None


def _write_revision(session: Session, question: Question, base: Snapshot, values: dict[str, Any], *,
                    author_id: int | None, source: str, note: str | None, suggestion_id: int | None = None,
                    reverted_from: int | None = None) -> ExampleAnswer:
    """Store the next revision (base.revision + 1) and bring the question row in line with it."""
    points = list(values["talking_points"])
    row = ExampleAnswer(question_id=question.id, revision=base.revision + 1, text=values["example_answer"] or "",
                        intent=values["intent"], talking_points=points, author_id=author_id, source=source,
                        note=note, suggestion_id=suggestion_id, reverted_from=reverted_from, created_at=utcnow())
    session.add(row)
    changes: dict[str, Any] = {}
    if values["intent"] != question.intent:
        changes["intent"] = values["intent"]
    if points != list(question.talking_points or ()):
        changes["talking_points"], changes["talking_points_source"] = points, "editor"
    if changes:
        session.execute(update(Question).where(Question.id == question.id).values(**changes))
    session.flush()
    bank.reindex_question(session, question.id)
    return row


# --- validation ----------------------------------------------------------------------------------


def _text(value: str | None, name: str, limit: int, *, required: bool = False) -> str | None:
    if value is None:
        if required:
            raise CommunityError(f"The {name} is missing.")
        return None
    value = value.replace("\r\n", "\n").strip()
    if required and not value:
        raise CommunityError(f"The {name} is empty.")
    if len(value) > limit:
        raise CommunityError(f"The {name} is {len(value):,} characters long; the most allowed is {limit:,}.")
    return value


def clean_points(points: Sequence[str] | str | None) -> list[str] | None:
    """Talking points from a list or from text with one point per line."""
    if points is None:
        return None
    items = points.splitlines() if isinstance(points, str) else list(points)
    cleaned = [" ".join(str(p).split()).lstrip("-*• ").strip() for p in items]
    cleaned = [p for p in cleaned if p]
    if len(cleaned) > MAX_POINTS:
        raise CommunityError(f"There are {len(cleaned)} talking points; the most allowed is {MAX_POINTS}.")
    for point in cleaned:
        if len(point) > MAX_POINT:
            raise CommunityError(f"A talking point is {len(point)} characters long; the most allowed is {MAX_POINT}.")
    return cleaned


def _active(user: User) -> None:
    if not user.active:
        raise Forbidden("This account is suspended.")


def require_editor(user: User) -> None:
    """Forbidden unless the user is an active editor or admin."""
    _active(user)
    if user.role not in ("editor", "admin"):
        raise Forbidden("Only editors can do this.")


def _rate(session: Session, user: User, limit: Rule, now: datetime) -> None:
    """Count one action by this user; RateLimited (and nothing counted) once past the rule."""
    try:
        with session.begin_nested():
            throttle.hit(session, limit, f"user:{user.id}", now=now)
    except throttle.Limited as limited:
        raise RateLimited(limit, limited.retry_after) from None


def preview_allowed(session: Session, *, user: User, now: datetime | None = None) -> None:
    """Refuse (RateLimited) a preview from a user past the preview limit; reads only, so the engine
    is not run for someone who must wait. `count_preview` counts the preview once it has run."""
    _active(user)
    now = now or utcnow()
    row = session.get(Throttle, throttle.key(PREVIEW_LIMIT, f"user:{user.id}"))
    blocked = row.blocked_until if row is not None else None
    if blocked is not None and blocked.tzinfo is None:
        blocked = blocked.replace(tzinfo=now.tzinfo)
    if blocked is not None and blocked > now:
        raise RateLimited(PREVIEW_LIMIT, int((blocked - now).total_seconds()) + 1)


def count_preview(session: Session, *, user: User, now: datetime | None = None) -> None:
    """Count one preview (in a writing transaction)."""
    _rate(session, user, PREVIEW_LIMIT, now or utcnow())


def licence_of(session: Session, *, question_id: int | None = None, role_id: int | None = None) -> str:
    """The licence community contributions to this question's (or role's) bank are published under."""
    statement = select(Bank.licence)
    if question_id is not None:
        statement = statement.join(Question, Question.bank_id == Bank.id).where(Question.id == question_id)
    else:
        statement = statement.join(Role, Role.bank_id == Bank.id).where(Role.id == role_id)
    return session.scalar(statement) or DEFAULT_LICENCE


# --- the engine's view of a suggestion ---------------------------------------------------------


@dataclass
class Preview:
    """What the author (and the editor) sees before a decision: diffs against the current revision
    and the feedback engine's report of the suggested example answer against the suggested points."""

    base: Snapshot
    proposed: dict[str, Any]
    diffs: dict[str, list[diffs.Chunk]] = field(default_factory=dict)
    report: dict[str, Any] | None = None

    @property
    def changed_fields(self) -> list[str]:
        return [name for name, chunks in self.diffs.items() if diffs.changed(chunks)]


def compact_report(report) -> dict[str, Any]:
    """The parts of a feedback Report a reviewer needs (stored with the suggestion)."""
    return {
        "score": report.score,
        "grade": report.grade,
        "coverage": report.coverage,
        "on_topic": report.on_topic,
        "talking_points": [{"point": p.point, "covered": p.covered, "strength": round(p.strength, 3),
                            "evidence": p.evidence} for p in report.talking_points],
        "missed": [p.point for p in report.talking_points if not p.covered],
        "suggestions": [s.message for s in report.suggestions],
        "engine": report.engine,
    }


def engine_report(session: Session, question: Question | None, values: dict[str, Any], *,
                  backend: str = "auto", question_text: str | None = None) -> dict[str, Any] | None:
    """The engine's report of the suggested example answer against the suggested talking points."""
    from rehearse import feedback
    from rehearse.practice.scoring import bank_lexicon

    answer = values.get("example_answer")
    if not answer:
        return None
    engine_question = feedback.Question(
        text=question.text if question else (question_text or ""),
        talking_points=tuple(values.get("talking_points") or ()),
        # The question as practice scores it (the engine's relevance check reads the bank's lexicon,
        # which knows this question by its current example answer); coverage is against the points.
        example_answer=bank.current_example_answer(session, question.id) if question else None,
        intent=values.get("intent"),
        kind=question.kind if question and question.kind in ("behavioural", "situational") else None,
        competencies=tuple(question.competency_names) if question else (),
    )
    lexicon = bank_lexicon(session, question.bank_id) if question else None
    try:
        report = feedback.analyze(engine_question, answer[:feedback.MAX_ANSWER_CHARS],
                                  backend=feedback.load_backend(backend), lexicon=lexicon)
    except feedback.AnswerTooLong:
        return None
    return compact_report(report)


def _proposed(base: Snapshot, *, example_answer: str | None, intent: str | None,
              talking_points: Sequence[str] | str | None) -> dict[str, Any]:
    # An empty field (a form sends every field) means "none", as a question without one stores it.
    return {
        "example_answer": (_text(example_answer, "example answer", MAX_ANSWER) or None) if example_answer is not None
        else base.example_answer,
        "intent": (_text(intent, "intent", MAX_INTENT) or None) if intent is not None else base.intent,
        "talking_points": clean_points(talking_points) if talking_points is not None else list(base.talking_points),
    }


def _diffs(old: dict[str, Any] | Snapshot, new: dict[str, Any]) -> dict[str, list[diffs.Chunk]]:
    get = old.get if isinstance(old, dict) else old.get
    return {
        "example_answer": diffs.word_diff(get("example_answer"), new["example_answer"]),
        "intent": diffs.word_diff(get("intent"), new["intent"]),
        "talking_points": diffs.list_diff(get("talking_points"), new["talking_points"]),
    }


def preview_edit(session: Session, *, question_id: int, example_answer: str | None = None,
                 intent: str | None = None, talking_points: Sequence[str] | str | None = None,
                 backend: str = "auto") -> Preview:
    """Diffs and the engine's report for a suggested edit, without storing anything."""
    base = current(session, question_id)
    proposed = _proposed(base, example_answer=example_answer, intent=intent, talking_points=talking_points)
    preview = Preview(base=base, proposed=proposed, diffs=_diffs(base, proposed))
    preview.report = engine_report(session, _question(session, question_id), proposed, backend=backend)
    return preview


@dataclass
class QuestionPreview:
    """A suggested new question as the question page would show it, with the engine's report of its
    example answer against its own talking points; `digest` names exactly this content."""

    role: Role
    text: str
    intent: str | None
    talking_points: list[str]
    example_answer: str | None
    report: dict[str, Any] | None = None

    @property
    def digest(self) -> str:
        content = json.dumps([self.role.id, self.text, self.intent, self.talking_points, self.example_answer])
        return hashlib.sha256(content.encode("utf-8")).hexdigest()[:32]


def preview_question(session: Session, *, role_id: int, text: str | None, intent: str | None = None,
                     talking_points: Sequence[str] | str | None = None, example_answer: str | None = None,
                     backend: str = "auto") -> QuestionPreview:
    """A suggested new question, checked as `suggest_question` checks it, and scored: nothing is stored."""
    role = session.get(Role, role_id)
    if role is None:
        raise NotFound(f"There is no role with id {role_id}.")
    preview = QuestionPreview(
        role=role, text=_text(text, "question", MAX_QUESTION, required=True),
        intent=_text(intent, "intent", MAX_INTENT) or None, talking_points=clean_points(talking_points) or [],
        example_answer=_text(example_answer, "example answer", MAX_ANSWER) or None)
    preview.report = engine_report(session, None, {"example_answer": preview.example_answer,
                                                   "intent": preview.intent,
                                                   "talking_points": preview.talking_points},
                                   backend=backend, question_text=preview.text)
    return preview


# --- suggesting ----------------------------------------------------------------------------------


def suggest_edit(session: Session, *, user: User, question_id: int, reason: str, accept_licence: bool,
                 example_answer: str | None = None, intent: str | None = None,
                 talking_points: Sequence[str] | str | None = None, base_revision: int | None = None,
                 report: dict[str, Any] | None = None, now: datetime | None = None) -> Suggestion:
    """Store a suggested edit of a question's example answer, intent or talking points."""
    now = now or utcnow()
    _active(user)
    reason = _text(reason, "reason", MAX_REASON, required=True)
    base = current(session, question_id)
    if base_revision is not None and not 0 <= base_revision <= base.revision:
        raise CommunityError(f"Revision {base_revision} of this question does not exist.")
    seen = revision(session, question_id, base_revision) if base_revision else None
    seen = seen or base
    proposed = _proposed(seen, example_answer=example_answer, intent=intent, talking_points=talking_points)
    changed = {name for name in FIELDS if proposed[name] != seen.get(name)}
    if not changed:
        raise CommunityError("The suggestion changes nothing: edit the example answer, the intent or the "
                             "talking points first.")
    if not accept_licence:
        raise CommunityError(f"Agree to publish your suggestion under the bank's licence "
                             f"({licence_of(session, question_id=question_id)}) to send it.")
    if "example_answer" in changed and not proposed["example_answer"]:
        raise CommunityError("The suggested example answer is empty.")
    _rate(session, user, SUGGESTION_LIMIT, now)
    suggestion = Suggestion(
        kind="edit", question_id=question_id, author_id=user.id, base_revision=seen.revision,
        reason=reason, licence=licence_of(session, question_id=question_id), report=report, status="pending",
        votes=0, up=0, down=0, comment_count=0, created_at=now,
        **{name: (proposed[name] if name in changed else None) for name in FIELDS},
    )
    session.add(suggestion)
    session.flush()
    return suggestion


def suggest_question(session: Session, *, user: User, role_id: int, text: str, reason: str, accept_licence: bool,
                     intent: str | None = None, talking_points: Sequence[str] | str | None = None,
                     example_answer: str | None = None, report: dict[str, Any] | None = None,
                     now: datetime | None = None) -> Suggestion:
    """Store a suggested new question for a role."""
    now = now or utcnow()
    _active(user)
    if session.get(Role, role_id) is None:
        raise NotFound(f"There is no role with id {role_id}.")
    text = _text(text, "question", MAX_QUESTION, required=True)
    reason = _text(reason, "reason", MAX_REASON, required=True)
    example = _text(example_answer, "example answer", MAX_ANSWER) or None
    if not accept_licence:
        raise CommunityError(f"Agree to publish your suggestion under the bank's licence "
                             f"({licence_of(session, role_id=role_id)}) to send it.")
    _rate(session, user, SUGGESTION_LIMIT, now)
    suggestion = Suggestion(
        kind="new_question", role_id=role_id, author_id=user.id, question_text=text, reason=reason,
        intent=_text(intent, "intent", MAX_INTENT) or None, talking_points=clean_points(talking_points) or [],
        example_answer=example, licence=licence_of(session, role_id=role_id), report=report, status="pending",
        votes=0, up=0, down=0, comment_count=0, created_at=now,
    )
    session.add(suggestion)
    session.flush()
    return suggestion


def get_suggestion(session: Session, suggestion_id: int, *, lock: bool = False) -> Suggestion:
    statement = select(Suggestion).where(Suggestion.id == suggestion_id).options(
        selectinload(Suggestion.author), selectinload(Suggestion.question), selectinload(Suggestion.role))
    if lock:
        statement = statement.with_for_update(of=Suggestion)
    suggestion = session.scalar(statement.execution_options(populate_existing=True))
    if suggestion is None:
        raise NotFound(f"There is no suggestion with id {suggestion_id}.")
    return suggestion


def proposed_values(session: Session, suggestion: Suggestion) -> tuple[Snapshot, dict[str, Any]]:
    """The revision the suggestion was made against, and the values it proposes (unchanged fields filled in)."""
    if suggestion.kind == "new_question":
        empty = Snapshot(0, None, None, ())
        return empty, {"example_answer": suggestion.example_answer, "intent": suggestion.intent,
                       "talking_points": list(suggestion.talking_points or ())}
    now = current(session, suggestion.question_id)
    base = (revision(session, suggestion.question_id, suggestion.base_revision)
            if suggestion.base_revision else None) or Snapshot(0, None, now.intent, now.talking_points)
    values = {name: (getattr(suggestion, name) if getattr(suggestion, name) is not None else base.get(name))
              for name in FIELDS}
    return base, values


@dataclass
class SuggestionView:
    """A suggestion with everything a page shows: diffs, staleness and the three-way difference."""

    suggestion: Suggestion
    base: Snapshot
    current: Snapshot | None
    proposed: dict[str, Any]
    diffs: dict[str, list[diffs.Chunk]]
    stale: bool = False
    since: dict[str, list[diffs.Chunk]] = field(default_factory=dict)  # base -> current, when stale
    merge: dict[str, Any] | None = None  # what accepting would store, when stale and mergeable
    conflict: str | None = None
    author_record: dict[str, int] = field(default_factory=dict)
    my_vote: int = 0
    comments: list[Comment] = field(default_factory=list)

    @property
    def changed_fields(self) -> list[str]:
        return [name for name, chunks in self.diffs.items() if diffs.changed(chunks)]


def view_suggestion(session: Session, suggestion_id: int, *, viewer: User | None = None) -> SuggestionView:
    suggestion = get_suggestion(session, suggestion_id)
    base, proposed = proposed_values(session, suggestion)
    now = current(session, suggestion.question_id) if suggestion.question_id else None
    view = SuggestionView(suggestion, base, now, proposed, _diffs(base, proposed))
    if now is not None and suggestion.status == "pending" and now.revision != base.revision:
        view.stale = True
        view.since = _diffs(base, {name: now.get(name) for name in FIELDS})
        try:
            view.merge = _merge(base, proposed, now)
        except Conflict as error:
            view.conflict = str(error)
    view.author_record = author_records(session, [suggestion.author_id]).get(suggestion.author_id, {})
    if viewer is not None:
        view.my_vote = session.scalar(select(Vote.value).where(Vote.suggestion_id == suggestion_id,
                                                               Vote.user_id == viewer.id)) or 0
    view.comments = list(session.scalars(select(Comment).where(Comment.suggestion_id == suggestion_id)
                                         .options(selectinload(Comment.author)).order_by(Comment.id)))
    return view


def _merge(base: Snapshot, proposed: dict[str, Any], now: Snapshot) -> dict[str, Any]:
    """Apply the suggestion's changes (base -> proposed) on top of the current revision, field by field."""
    merged: dict[str, Any] = {}
    for name in FIELDS:
        old, mine, theirs = base.get(name), proposed[name], now.get(name)
        if mine in (old, theirs):
            merged[name] = theirs
        elif theirs == old:
            merged[name] = mine
        else:
            try:
                merged[name] = (diffs.merge_list(old, mine, theirs) if name == "talking_points"
                                else diffs.merge_text(old, mine, theirs) or None)
            except diffs.MergeConflict:
                label = name.replace("_", " ")
                raise Conflict(f"Revision {now.revision} changed the same part of the {label} as this suggestion "
                               f"(made against revision {base.revision}); edit it against the current revision, "
                               "then accept.") from None
    return merged


# --- votes and comments --------------------------------------------------------------------------


def vote(session: Session, *, user: User, suggestion_id: int, value: int, now: datetime | None = None) -> Suggestion:
    """Vote a suggestion up (1) or down (-1), change the vote, or take it back (0)."""
    now = now or utcnow()
    _active(user)
    if value not in (-1, 0, 1):
        raise CommunityError("A vote is 1 (up), -1 (down) or 0 (take the vote back).")
    suggestion = get_suggestion(session, suggestion_id)
    if suggestion.author_id == user.id:
        raise Forbidden("You cannot vote on your own suggestion.")
    if suggestion.status != "pending":
        raise Conflict(f"This suggestion was {suggestion.status}; votes are closed.")
    _rate(session, user, VOTE_LIMIT, now)
    existing = session.scalar(select(Vote).where(Vote.suggestion_id == suggestion_id, Vote.user_id == user.id)
                              .with_for_update())
    old = existing.value if existing else 0
    if value == old:
        return suggestion
    if existing is None:
        try:
            with session.begin_nested():
                session.add(Vote(suggestion_id=suggestion_id, user_id=user.id, value=value, created_at=now,
                                 updated_at=now))
        except IntegrityError:
            raise Conflict("Your vote changed at the same moment; reload and vote again.") from None
    elif value == 0:
        session.delete(existing)
    else:
        existing.value, existing.updated_at = value, now
    # Counters change by the difference, in SQL, so concurrent votes add up.
    session.execute(update(Suggestion).where(Suggestion.id == suggestion_id).values(
        votes=Suggestion.votes + (value - old),
        up=Suggestion.up + (int(value == 1) - int(old == 1)),
        down=Suggestion.down + (int(value == -1) - int(old == -1))))
    session.flush()
    return get_suggestion(session, suggestion_id)


def add_comment(session: Session, *, user: User, suggestion_id: int, body: str, reply_to: int | None = None,
                now: datetime | None = None) -> Comment:
    """A Markdown comment on a suggestion; the suggestion's author is told."""
    now = now or utcnow()
    _active(user)
    body = _text(body, "comment", MAX_COMMENT, required=True)
    suggestion = get_suggestion(session, suggestion_id)
    if reply_to is not None:
        parent = session.get(Comment, reply_to)
        if parent is None or parent.suggestion_id != suggestion_id:
            raise NotFound(f"There is no comment {reply_to} on this suggestion.")
        if parent.hidden:
            raise Conflict("That comment was hidden by an editor; it cannot be replied to.")
    _rate(session, user, COMMENT_LIMIT, now)
    comment = Comment(suggestion_id=suggestion_id, author_id=user.id, reply_to_id=reply_to, body=body,
                      hidden=False, reports=0, created_at=now)
    session.add(comment)
    session.execute(update(Suggestion).where(Suggestion.id == suggestion_id)
                    .values(comment_count=Suggestion.comment_count + 1))
    if suggestion.author_id != user.id:
        notify(session, user_id=suggestion.author_id, kind="commented", suggestion_id=suggestion_id,
               message=f"{user.display_name} commented on your suggestion #{suggestion_id}.", now=now)
    session.flush()
    return comment


def report_comment(session: Session, *, user: User, comment_id: int, reason: str) -> Comment:
    """Flag a comment for the editors; one report per user and comment."""
    _active(user)
    reason = _text(reason, "reason", MAX_REASON, required=True)
    comment = session.get(Comment, comment_id)
    if comment is None:
        raise NotFound(f"There is no comment with id {comment_id}.")
    if session.get(CommentReport, (comment_id, user.id)) is not None:
        raise Conflict("You have reported this comment already.")
    session.add(CommentReport(comment_id=comment_id, user_id=user.id, reason=reason, created_at=utcnow()))
    session.execute(update(Comment).where(Comment.id == comment_id).values(reports=Comment.reports + 1))
    session.flush()
    session.refresh(comment)
    return comment


def hide_comment(session: Session, *, editor: User, comment_id: int, reason: str, hidden: bool = True) -> Comment:
    require_editor(editor)
    comment = session.get(Comment, comment_id)
    if comment is None:
        raise NotFound(f"There is no comment with id {comment_id}.")
    comment.hidden = hidden
    comment.hidden_by_id = editor.id if hidden else None
    comment.hidden_reason = _text(reason, "reason", MAX_REASON, required=hidden) if hidden else None
    session.flush()
    return comment


def reported_comments(session: Session, *, limit: int = 100) -> list[Comment]:
    return list(session.scalars(select(Comment).where(Comment.reports > 0, Comment.hidden.is_(False))
                                .options(selectinload(Comment.author)).order_by(Comment.reports.desc(), Comment.id)
                                .limit(limit)))


# --- moderation ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueItem:
    id: int
    kind: str
    question_id: int | None
    question_text: str
    author_id: int
    author_name: str
    reason: str
    votes: int
    up: int
    down: int
    comments: int
    created_at: datetime
    base_revision: int | None
    current_revision: int | None
    fields: tuple[str, ...]
    score: int | None
    missed: tuple[str, ...]
    accepted: int
    rejected: int

    @property
    def stale(self) -> bool:
        return self.kind == "edit" and self.base_revision != self.current_revision


def author_records(session: Session, author_ids: Sequence[int]) -> dict[int, dict[str, int]]:
    """How many suggestions each author has had accepted and rejected."""
    records: dict[int, dict[str, int]] = {a: {"accepted": 0, "rejected": 0} for a in author_ids}
    if author_ids:
        for author_id, status, count in session.execute(
                select(Suggestion.author_id, Suggestion.status, func.count())
                .where(Suggestion.author_id.in_(set(author_ids)), Suggestion.status.in_(("accepted", "rejected")))
                .group_by(Suggestion.author_id, Suggestion.status)):
            records[author_id][status] = count
    return records


def queue_diffs(session: Session, items: Sequence[QueueItem]) -> dict[int, dict[str, list[diffs.Chunk]]]:
    """The changed fields' diffs of a page of queue items against the revisions they were made on,
    in two queries (the suggestions' texts, then their base revisions)."""
    edits = [item for item in items if item.kind == "edit" and item.question_id is not None]
    if not edits:
        return {}
    suggestions = {s.id: s for s in session.scalars(select(Suggestion).where(
        Suggestion.id.in_([item.id for item in edits])))}
    wanted = {(item.question_id, item.base_revision) for item in edits}
    bases = {(row.question_id, row.revision): row for row in session.scalars(select(ExampleAnswer).where(
        ExampleAnswer.question_id.in_({q for q, _ in wanted}), ExampleAnswer.revision.in_({r for _, r in wanted})))}
    result: dict[int, dict[str, list[diffs.Chunk]]] = {}
    for item in edits:
        suggestion, base = suggestions[item.id], bases.get((item.question_id, item.base_revision))
        old = {"example_answer": (base.text or None) if base else None, "intent": base.intent if base else None,
               "talking_points": list(base.talking_points or ()) if base else []}
        result[item.id] = {
            name: (diffs.list_diff(old[name], suggestion.talking_points) if name == "talking_points"
                   else diffs.word_diff(old[name], getattr(suggestion, name)))
            for name in item.fields}
    return result


def queue(session: Session, *, limit: int = QUEUE_PAGE, offset: int = 0) -> tuple[list[QueueItem], int]:
    """Pending suggestions, most votes first, then oldest first; and how many are pending in all."""
    rows = session.execute(
        select(Suggestion.id, Suggestion.kind, Suggestion.question_id, Suggestion.question_text, Question.text,
               Suggestion.author_id, User.display_name, Suggestion.reason, Suggestion.votes, Suggestion.up,
               Suggestion.down, Suggestion.comment_count, Suggestion.created_at, Suggestion.base_revision,
               Suggestion.example_answer.is_not(None), Suggestion.intent.is_not(None),
               Suggestion.talking_points.is_not(None), Suggestion.report)
        .join(User, User.id == Suggestion.author_id).outerjoin(Question, Question.id == Suggestion.question_id)
        .where(Suggestion.status == "pending")
        .order_by(Suggestion.votes.desc(), Suggestion.created_at, Suggestion.id).limit(limit).offset(offset)).all()
    total = session.scalar(select(func.count()).select_from(Suggestion).where(Suggestion.status == "pending"))
    question_ids = {row[2] for row in rows if row[2] is not None}
    revisions = dict(session.execute(
        select(ExampleAnswer.question_id, func.max(ExampleAnswer.revision))
        .where(ExampleAnswer.question_id.in_(question_ids)).group_by(ExampleAnswer.question_id)).all()
    ) if question_ids else {}
    records = author_records(session, list({row[5] for row in rows}))
    items = []
    for (sid, kind, qid, new_text, qtext, author_id, author_name, reason, votes, up, down, comments, created,
         base, has_answer, has_intent, has_points, report) in rows:
        fields = tuple(name for name, present in zip(FIELDS, (has_answer, has_intent, has_points), strict=True)
                       if present)
        items.append(QueueItem(
            sid, kind, qid, qtext or new_text or "", author_id, author_name, reason, votes, up, down, comments,
            created, base, revisions.get(qid, 0) if qid else None, fields,
            report.get("score") if report else None, tuple(report.get("missed", ())) if report else (),
            records[author_id]["accepted"], records[author_id]["rejected"]))
    return items, total


def accept(session: Session, *, editor: User, suggestion_id: int, note: str | None = None,
           edited: dict[str, Any] | None = None, edited_base: int | None = None,
           now: datetime | None = None) -> ExampleAnswer:
    """Accept a suggestion into a new revision that credits its author.

    `edited` (edit, then accept) replaces the suggested values; `edited_base` is the revision the
    editor edited against. A suggestion or an edit made against an older revision is merged onto the
    current one, field by field and word by word; where both changed the same words, Conflict is
    raised and nothing changes, so a newer revision is never silently overwritten.
    """
    now = now or utcnow()
    require_editor(editor)
    note = _text(note, "note", MAX_REASON)
    suggestion = get_suggestion(session, suggestion_id, lock=True)
    if suggestion.status != "pending":
        raise Conflict(f"Suggestion #{suggestion_id} was {suggestion.status} already.")
    if suggestion.kind == "new_question":
        return _accept_question(session, editor=editor, suggestion=suggestion, edited=edited, note=note, now=now)
    question = _question(session, suggestion.question_id, lock=True)
    latest = current(session, question.id)
    base, proposed = proposed_values(session, suggestion)
    if edited is not None:
        base = (revision(session, question.id, edited_base) if edited_base else None) or latest
        proposed = _proposed(base, example_answer=edited.get("example_answer"), intent=edited.get("intent"),
                             talking_points=edited.get("talking_points"))
    values = _merge(base, proposed, latest) if base.revision != latest.revision else proposed
    if all(values[name] == latest.get(name) for name in FIELDS):
        raise Conflict(f"Revision {latest.revision} already says what suggestion #{suggestion_id} proposes; "
                       "reject it or withdraw it instead.")
    reason = suggestion.reason if not note else f"{suggestion.reason}\n\nEditor: {note}"
    row = _write_revision(session, question, latest, values, author_id=suggestion.author_id, source="suggestion",
                          note=reason, suggestion_id=suggestion.id)
    suggestion.status, suggestion.decided_by_id, suggestion.decided_at = "accepted", editor.id, now
    suggestion.revision, suggestion.decision_reason = row.revision, note
    notify(session, user_id=suggestion.author_id, kind="accepted", suggestion_id=suggestion.id, now=now,
           message=f"Your suggestion #{suggestion.id} was accepted as revision {row.revision} of "
                   f"“{_short(question.text)}”.")
    session.flush()
    return row


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _accept_question(session: Session, *, editor: User, suggestion: Suggestion, edited: dict[str, Any] | None,
                     note: str | None, now: datetime) -> ExampleAnswer:
    values = dict(text=suggestion.question_text, intent=suggestion.intent,
                  talking_points=list(suggestion.talking_points or ()), example_answer=suggestion.example_answer)
    if edited:
        values.update({k: v for k, v in edited.items() if k in values and v is not None})
        values["talking_points"] = clean_points(values["talking_points"]) or []
    role = session.get(Role, suggestion.role_id)
    if role is None:
        raise NotFound("The role this question was suggested for no longer exists.")
    taken = set(session.scalars(select(Question.slug).where(Question.bank_id == role.bank_id)))
    slug, number = slugify(values["text"])[:110] or "question", 2
    while slug in taken:
        slug, number = f"{slugify(values['text'])[:100]}-{number}", number + 1
    position = (session.scalar(select(func.max(Question.position)).where(Question.role_id == role.id)) or 0) + 1
    question = Question(bank_id=role.bank_id, role_id=role.id, slug=slug, text=values["text"], kind="other",
                        position=position, intent=values["intent"], talking_points=values["talking_points"],
                        talking_points_source="editor", search_document="")
    session.add(question)
    session.flush()
    row = _write_revision(session, question, Snapshot(0, None, values["intent"], tuple(values["talking_points"])),
                          values, author_id=suggestion.author_id, source="suggestion", note=suggestion.reason,
                          suggestion_id=suggestion.id)
    suggestion.question_id = question.id
    suggestion.status, suggestion.decided_by_id, suggestion.decided_at = "accepted", editor.id, now
    suggestion.revision, suggestion.decision_reason = row.revision, note
    notify(session, user_id=suggestion.author_id, kind="accepted", suggestion_id=suggestion.id, now=now,
           message=f"Your suggested question #{suggestion.id} was accepted: “{_short(question.text)}”.")
    session.flush()
    return row


def reject(session: Session, *, editor: User, suggestion_id: int, reason: str,
           now: datetime | None = None) -> Suggestion:
    """Reject with a reason the author sees on their page."""
    now = now or utcnow()
    require_editor(editor)
    reason = _text(reason, "reason", MAX_REASON, required=True)
    suggestion = get_suggestion(session, suggestion_id, lock=True)
    if suggestion.status != "pending":
        raise Conflict(f"Suggestion #{suggestion_id} was {suggestion.status} already.")
    suggestion.status, suggestion.decided_by_id, suggestion.decided_at = "rejected", editor.id, now
    suggestion.decision_reason = reason
    notify(session, user_id=suggestion.author_id, kind="rejected", suggestion_id=suggestion_id, now=now,
           message=f"Your suggestion #{suggestion_id} was not accepted: {_short(reason, 200)}")
    session.flush()
    return suggestion


def withdraw(session: Session, *, user: User, suggestion_id: int) -> Suggestion:
    suggestion = get_suggestion(session, suggestion_id, lock=True)
    if suggestion.author_id != user.id:
        raise Forbidden("Only its author can withdraw a suggestion.")
    if suggestion.status != "pending":
        raise Conflict(f"Suggestion #{suggestion_id} was {suggestion.status} already.")
    suggestion.status, suggestion.decided_at = "withdrawn", utcnow()
    session.flush()
    return suggestion


def user_suggestions(session: Session, *, user_id: int, limit: int = 100) -> list[Suggestion]:
    """A contributor's suggestions, newest first, with their decisions."""
    return list(session.scalars(select(Suggestion).where(Suggestion.author_id == user_id)
                                .options(selectinload(Suggestion.question))
                                .order_by(Suggestion.created_at.desc(), Suggestion.id.desc()).limit(limit)))


def question_suggestions(session: Session, *, question_id: int) -> list[Suggestion]:
    return list(session.scalars(select(Suggestion).where(Suggestion.question_id == question_id,
                                                         Suggestion.status == "pending")
                                .options(selectinload(Suggestion.author))
                                .order_by(Suggestion.votes.desc(), Suggestion.created_at)))


# --- history -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    revision: int
    created_at: datetime
    source: str
    author: str | None
    reason: str | None
    suggestion_id: int | None
    reverted_from: int | None
    diffs: dict[str, list[diffs.Chunk]]
    changed: tuple[str, ...]


def history(session: Session, *, question_id: int, page: int = 1) -> tuple[list[HistoryEntry], int]:
    """A question's revisions, newest first, each with its author, reason and the diff from the one before."""
    _question(session, question_id)
    total = session.scalar(select(func.count()).where(ExampleAnswer.question_id == question_id)) or 0
    start = max(0, (page - 1) * HISTORY_PAGE)
    rows = session.execute(
        select(ExampleAnswer, User.display_name).outerjoin(User, User.id == ExampleAnswer.author_id)
        .where(ExampleAnswer.question_id == question_id).order_by(ExampleAnswer.revision.desc())
        .offset(start).limit(HISTORY_PAGE + 1)).all()  # one more: the revision before the page's last
    now = current(session, question_id)
    snapshots = [_snapshot_of(row, now) for row, _ in rows]
    entries = []
    for index, (row, author) in enumerate(rows[:HISTORY_PAGE]):
        before = snapshots[index + 1] if index + 1 < len(snapshots) else Snapshot(0, None, None, ())
        after = snapshots[index]
        changes = _diffs(before, {name: after.get(name) for name in FIELDS})
        if row.talking_points is None:  # an old row: only its answer text was recorded
            changes = {"example_answer": changes["example_answer"]}
        entries.append(HistoryEntry(row.revision, row.created_at, row.source, author, row.note, row.suggestion_id,
                                    row.reverted_from, changes,
                                    tuple(name for name, chunks in changes.items() if diffs.changed(chunks))))
    return entries, total


def revert(session: Session, *, editor: User, question_id: int, to_revision: int, reason: str) -> ExampleAnswer:
    """Restore an earlier revision as a new one; nothing is erased."""
    require_editor(editor)
    reason = _text(reason, "reason", MAX_REASON, required=True)
    question = _question(session, question_id, lock=True)
    latest = current(session, question_id)
    target = revision(session, question_id, to_revision)
    if target is None:
        raise NotFound(f"Question {question_id} has no revision {to_revision}.")
    if to_revision == latest.revision:
        raise Conflict(f"Revision {to_revision} is the current revision already.")
    values = {name: target.get(name) for name in FIELDS}
    return _write_revision(session, question, latest, values, author_id=editor.id, source="revert",
                           note=reason, reverted_from=to_revision)


def contributors(session: Session, *, bank_id: int | None = None) -> list[tuple[str, int]]:
    """Everyone whose suggestions were accepted (into this bank), with how many, most first."""
    statement = (select(User.display_name, func.count(func.distinct(ExampleAnswer.suggestion_id)))
                 .join(ExampleAnswer, ExampleAnswer.author_id == User.id)
                 .where(ExampleAnswer.source == "suggestion"))
    if bank_id is not None:
        statement = statement.join(Question, Question.id == ExampleAnswer.question_id).where(
            Question.bank_id == bank_id)
    rows = session.execute(statement.group_by(User.id, User.display_name)
                           .order_by(func.count(func.distinct(ExampleAnswer.suggestion_id)).desc(),
                                     User.display_name)).all()
    return [(name, count) for name, count in rows]


# --- notifications -------------------------------------------------------------------------------


def notify(session: Session, *, user_id: int, kind: str, message: str, suggestion_id: int | None = None,
           now: datetime | None = None) -> None:
    session.add(Notification(user_id=user_id, kind=kind, suggestion_id=suggestion_id, message=message,
                             created_at=now or utcnow()))


def unread_count(session: Session, *, user_id: int) -> int:
    return session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == user_id, Notification.read_at.is_(None))) or 0


def notifications(session: Session, *, user_id: int, limit: int = 50) -> list[Notification]:
    return list(session.scalars(select(Notification).where(Notification.user_id == user_id)
                                .order_by(Notification.id.desc()).limit(limit)))


def mark_read(session: Session, *, user_id: int, ids: Sequence[int] | None = None) -> int:
    """Mark some (or all) of a user's notifications read; returns how many changed."""
    statement = update(Notification).where(Notification.user_id == user_id, Notification.read_at.is_(None))
    if ids is not None:
        statement = statement.where(Notification.id.in_(list(ids)))
    return session.execute(statement.values(read_at=utcnow())).rowcount or 0


# --- administration ------------------------------------------------------------------------------


def set_role(session: Session, *, admin: User, user_id: int, role: str) -> User:
    """Admins make editors (and take the role back)."""
    _active(admin)
    if admin.role != "admin":
        raise Forbidden("Only admins manage editors.")
    if role not in ROLES:
        raise CommunityError(f"Role must be one of {', '.join(ROLES)}.")
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"There is no user with id {user_id}.")
    if user.id == admin.id and role != "admin":
        raise CommunityError("Admins cannot demote themselves; ask another admin.")
    user.role = role
    session.flush()
    return user


def ban(session: Session, *, admin: User, user_id: int, reason: str) -> int:
    """Suspend an account and withdraw its pending suggestions; returns how many were withdrawn."""
    _active(admin)
    if admin.role != "admin":
        raise Forbidden("Only admins ban users.")
    reason = _text(reason, "reason", MAX_REASON, required=True)
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"There is no user with id {user_id}.")
    if user.id == admin.id:
        raise CommunityError("Admins cannot ban themselves.")
    user.active = False
    withdrawn = session.execute(
        update(Suggestion).where(Suggestion.author_id == user_id, Suggestion.status == "pending")
        .values(status="withdrawn", decided_at=utcnow(), decided_by_id=admin.id,
                decision_reason=f"Withdrawn: the author's account was suspended ({_short(reason, 150)})."))
    session.flush()
    return withdrawn.rowcount or 0


def list_users(session: Session, *, limit: int = 200) -> list[User]:
    return list(session.scalars(select(User).order_by(User.role != "admin", User.role != "editor", User.id)
                                .limit(limit)))
