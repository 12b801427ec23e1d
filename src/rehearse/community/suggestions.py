"""Suggesting: an edit of a question's example answer, intent or talking points, or a new question;
the preview (diffs and the feedback engine's report) before sending; reading a suggestion with its
staleness and three-way difference; withdrawing it; a contributor's record."""

from __future__ import annotations

import hashlib
import json
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from rehearse.accounts.models import User
from rehearse.bank import service as bank
from rehearse.bank.models import ExampleAnswer, Question, Role, utcnow

from . import diff as diffs
from .intents import intent_warning
from .models import Comment, Suggestion, Vote
from .revisions import (
    Snapshot,
    current,
    diff_fields,
    fill_proposed,
    imported_snapshot,
    merge_onto,
    question_or_404,
    revision,
)
from .rules import (
    FIELDS,
    MAX_ANSWER,
    MAX_INTENT,
    MAX_QUESTION,
    MAX_REASON,
    SUGGESTION_LIMIT,
    CommunityError,
    Conflict,
    Forbidden,
    NotFound,
    checked_kind,
    checked_text,
    clean_competencies,
    clean_points,
    count_action,
    licence_of,
    require_active,
)


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
    """The parts of a feedback report (a Report, or its JSON form) a reviewer needs (stored with the suggestion)."""
    data = report if isinstance(report, dict) else report.to_dict()
    points = data["talking_points"]
    return {
        "score": data["score"],
        "grade": data["grade"],
        "coverage": data["coverage"],
        "on_topic": data["on_topic"],
        "talking_points": [{"point": p["point"], "covered": p["covered"], "strength": round(p["strength"], 3),
                            "evidence": p["evidence"]} for p in points],
        "missed": [p["point"] for p in points if not p["covered"]],
        "suggestions": [s["message"] for s in data["suggestions"]],
        "engine": data["engine"],
    }


def scored_revision(report: dict[str, Any] | None, base_revision: int | None) -> int | None:
    """The revision whose talking points a suggestion's stored report measures: its own record, else (a report
    from before it was kept) the revision the suggestion was made on."""
    if report is None:
        return None
    return report.get("revision", base_revision)


def engine_report(session: Session, question: Question | None, values: dict[str, Any], *,
                  backend: str = "auto", question_text: str | None = None, scorer=None) -> dict[str, Any] | None:
    """The engine's report of the suggested example answer against the suggested talking points.

    With the web app's `scorer` the read transaction ends before scoring (no connection is held
    while it runs, or while a worker scores it through the job queue); without one it is scored here.
    """
    from rehearse.db.database import release
    from rehearse.practice.queued_scoring import score_here

    if not values.get("example_answer"):
        return None
    prepared, answer = engine_input(session, question, values, question_text=question_text)
    if scorer is None:
        return compact_report(score_here(prepared, answer, backend=backend))
    release(session)
    return compact_report(scorer.score(prepared, answer))


def engine_input(session: Session, question: Question | None, values: dict[str, Any], *,
                 question_text: str | None = None):
    """The engine's question (the suggested points, intent and kind) and the answer to score, as practice
    would see them: the question's own text, competencies and bank lexicon."""
    from rehearse import feedback
    from rehearse.practice.scoring import PreparedQuestion, bank_lexicon

    kind = question.kind if question else values.get("kind")  # a new question's: as its author gave it
    engine_question = feedback.Question(
        text=question.text if question else (question_text or ""),
        talking_points=tuple(values.get("talking_points") or ()),
        # The question as practice scores it (the engine's relevance check reads the bank's lexicon,
        # which knows this question by its current example answer); coverage is against the points.
        example_answer=bank.current_example_answer(session, question.id) if question else None,
        intent=values.get("intent"),
        kind=kind if kind in ("behavioural", "situational") else None,
        competencies=tuple(question.competency_names) if question else tuple(values.get("competencies") or ()),
    )
    prepared = PreparedQuestion(engine_question, bank_lexicon(session, question.bank_id) if question else None,
                                question.bank_id if question else None)
    return prepared, values["example_answer"][:feedback.MAX_ANSWER_CHARS]


def preview_edit(session: Session, *, question_id: int, example_answer: str | None = None,
                 intent: str | None = None, talking_points: Sequence[str] | str | None = None,
                 backend: str = "auto", scorer=None) -> Preview:
    """Diffs and the engine's report for a suggested edit, without storing anything."""
    base = current(session, question_id)
    proposed = fill_proposed(base, example_answer=example_answer, intent=intent, talking_points=talking_points)
    preview = Preview(base=base, proposed=proposed, diffs=diff_fields(base, proposed))
    report = engine_report(session, question_or_404(session, question_id), proposed, backend=backend,
                           scorer=scorer)
    # The revision whose points it was scored against: an accepted edit makes it stale, and it is scored again.
    preview.report = {**report, "revision": base.revision} if report else None
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
    kind: str | None = None  # None: worked out from the text on acceptance
    competencies: list[str] | None = None  # None: inferred on acceptance

    @property
    def digest(self) -> str:
        content = json.dumps([self.role.id, self.text, self.intent, self.talking_points, self.example_answer,
                              self.kind, self.competencies])
        return hashlib.sha256(content.encode("utf-8")).hexdigest()[:32]


def preview_question(session: Session, *, role_id: int, text: str | None, intent: str | None = None,
                     talking_points: Sequence[str] | str | None = None, example_answer: str | None = None,
                     kind: str | None = None, competencies: Sequence[str] | str | None = None,
                     backend: str = "auto", scorer=None) -> QuestionPreview:
    """A suggested new question, checked as `suggest_question` checks it, and scored: nothing is stored."""
    role = session.get(Role, role_id)
    if role is None:
        raise NotFound(f"There is no role with id {role_id}.")
    preview = QuestionPreview(
        role=role, text=checked_text(text, "question", MAX_QUESTION, required=True),
        intent=checked_text(intent, "intent", MAX_INTENT) or None,
        talking_points=clean_points(talking_points if talking_points is not None else []),
        example_answer=checked_text(example_answer, "example answer", MAX_ANSWER) or None,
        kind=checked_kind(kind), competencies=clean_competencies(competencies))
    refuse_repeated_question(session, role_id=role_id, text=preview.text)
    preview.report = engine_report(session, None, {"example_answer": preview.example_answer,
                                                   "intent": preview.intent,
                                                   "talking_points": preview.talking_points},
                                   backend=backend, question_text=preview.text, scorer=scorer)
    return preview


def suggest_edit(session: Session, *, user: User, question_id: int, reason: str, accept_licence: bool,
                 example_answer: str | None = None, intent: str | None = None,
                 talking_points: Sequence[str] | str | None = None, base_revision: int | None = None,
                 report: dict[str, Any] | None = None, now: datetime | None = None) -> Suggestion:
    """Store a suggested edit of a question's example answer, intent or talking points. The question row is
    locked (as accepting locks it) before the pending suggestions are searched for the same edit, so the
    same form sent twice at once is stored once."""
    now = now or utcnow()
    require_active(user)
    reason = checked_text(reason, "reason", MAX_REASON, required=True)
    base = current(session, question_id, lock=True)
    if base_revision is not None and not 0 <= base_revision <= base.revision:
        raise CommunityError(f"Revision {base_revision} of this question does not exist.")
    seen = revision(session, question_id, base_revision) if base_revision else None
    seen = seen or base
    proposed = fill_proposed(seen, example_answer=example_answer, intent=intent, talking_points=talking_points)
    changed = {name for name in FIELDS if proposed[name] != seen.get(name)}
    if not changed:
        raise CommunityError("The suggestion changes nothing: edit the example answer, the intent or the "
                             "talking points first.")
    if not accept_licence:
        raise CommunityError(f"Agree to publish your suggestion under the bank's licence "
                             f"({licence_of(session, question_id=question_id)}) to send it.",
                             field="accept_licence")
    fields = {name: (proposed[name] if name in changed else None) for name in FIELDS}
    refuse_repeated_edit(session, question_id=question_id, fields=fields)
    count_action(session, user, SUGGESTION_LIMIT, now)
    suggestion = Suggestion(
        kind="edit", question_id=question_id, author_id=user.id, base_revision=seen.revision,
        reason=reason, licence=licence_of(session, question_id=question_id), report=report, status="pending",
        votes=0, up=0, down=0, comment_count=0, created_at=now, **fields,
    )
    session.add(suggestion)
    session.flush()
    if report is not None and report.get("revision", base.revision) != base.revision:
        from .rescoring import rescore_later  # scored on a revision an editor replaced meanwhile

        rescore_later(session, question_id=question_id, now=now)
    return suggestion


def suggest_question(session: Session, *, user: User, role_id: int, text: str, reason: str, accept_licence: bool,
                     intent: str | None = None, talking_points: Sequence[str] | str | None = None,
                     example_answer: str | None = None, kind: str | None = None,
                     competencies: Sequence[str] | str | None = None, report: dict[str, Any] | None = None,
                     now: datetime | None = None) -> Suggestion:
    """Store a suggested new question for a role (with its kind and competencies, when given), once: the
    role row is locked (PostgreSQL; SQLite has the write lock) before the role and its pending suggestions
    are searched for the same question, so the same question sent twice at once (a double click) is stored
    once and the other is told (Conflict)."""
    now = now or utcnow()
    require_active(user)
    if session.scalar(select(Role.id).where(Role.id == role_id).with_for_update()) is None:
        raise NotFound(f"There is no role with id {role_id}.")
    text = checked_text(text, "question", MAX_QUESTION, required=True)
    reason = checked_text(reason, "reason", MAX_REASON, required=True)
    example = checked_text(example_answer, "example answer", MAX_ANSWER) or None
    points = clean_points(talking_points if talking_points is not None else [])
    kind, competencies = checked_kind(kind), clean_competencies(competencies)
    if not accept_licence:
        raise CommunityError(f"Agree to publish your suggestion under the bank's licence "
                             f"({licence_of(session, role_id=role_id)}) to send it.",
                             field="accept_licence")
    refuse_repeated_question(session, role_id=role_id, text=text)
    count_action(session, user, SUGGESTION_LIMIT, now)
    suggestion = Suggestion(
        kind="new_question", role_id=role_id, author_id=user.id, question_text=text, reason=reason,
        intent=checked_text(intent, "intent", MAX_INTENT) or None, talking_points=points,
        example_answer=example, question_kind=kind, competencies=competencies,
        licence=licence_of(session, role_id=role_id), report=report, status="pending",
        votes=0, up=0, down=0, comment_count=0, created_at=now,
    )
    session.add(suggestion)
    session.flush()
    return suggestion


def refuse_repeated_edit(session: Session, *, question_id: int, fields: dict[str, Any]) -> None:
    """Conflict when a pending suggestion already proposes exactly these values (None: unchanged) for the
    question: a form sent twice, or the same idea twice, is one suggestion to vote on."""
    for other_id, *values in session.execute(select(Suggestion.id, *(getattr(Suggestion, name) for name in FIELDS))
                                             .where(Suggestion.kind == "edit", Suggestion.question_id == question_id,
                                                    Suggestion.status == "pending")):
        if dict(zip(FIELDS, values, strict=True)) == fields:
            raise Conflict(f"Suggestion #{other_id} already proposes exactly this; vote for it or comment on it "
                           "instead.")


_KEPT_MARKS = frozenset("#+")  # "C#", "C++": marks that are part of a word, not punctuation around it


def same_question(text: str) -> str:
    """What two wordings of one question have in common: case, punctuation and spacing aside ("How do you
    run a postmortem, then?" and "how do you run a postmortem then" are one question; a bank can hold only
    one). A hyphen counts as a space: "post-mortem" and "postmortem" stay two wordings."""
    kept = "".join(c if c in _KEPT_MARKS or not unicodedata.category(c).startswith("P") else
                   ("" if c in "'’" else " ") for c in unicodedata.normalize("NFKC", text))
    return " ".join(kept.split()).casefold()


def refuse_repeated_question(session: Session, *, role_id: int, text: str, pending: bool = True) -> None:
    """Conflict when the role has this question already (case, punctuation and spacing aside), or, with
    `pending`, a pending suggestion proposes it: a role asks each question once, as an imported file must,
    and a bank with a question twice (or all but a question mark) would be asked it twice."""
    said = same_question(text)
    for question_id, question_text in session.execute(select(Question.id, Question.text)
                                                      .where(Question.role_id == role_id)):
        if same_question(question_text) == said:
            raise Conflict(f"This role already has that question (question {question_id}); suggest a change "
                           "to it instead.", field="text")
    if pending:
        refuse_pending_question(session, role_id=role_id, text=text)


def refuse_pending_question(session: Session, *, role_id: int, text: str) -> None:
    """Conflict when a pending suggestion already proposes this question (case, punctuation and spacing aside)
    for the role."""
    said = same_question(text)
    for suggestion_id, suggested in session.execute(
            select(Suggestion.id, Suggestion.question_text).where(
                Suggestion.kind == "new_question", Suggestion.role_id == role_id, Suggestion.status == "pending")):
        if same_question(suggested or "") == said:
            raise Conflict(f"Suggestion #{suggestion_id} already proposes that question for this role; vote for "
                           "it or comment on it instead.", field="text")


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
    if suggestion.imported_base is not None:
        base = imported_snapshot(suggestion.imported_base)
    else:
        base = (revision(session, suggestion.question_id, suggestion.base_revision)
                if suggestion.base_revision else None) or Snapshot(0, None, now.intent, now.talking_points)
    values = {name: (getattr(suggestion, name) if getattr(suggestion, name) is not None else base.get(name))
              for name in FIELDS}
    return base, values


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
    edited_by: str | None = None  # accepted: the editor who changed it before accepting, if one did
    # Pending: accepting it changes the points but not the intent that lists them; accepted: its revision did.
    intent_warning: str | None = None
    scored_revision: int | None = None  # the revision whose points the report measures (edits only)

    @property
    def changed_fields(self) -> list[str]:
        return [name for name, chunks in self.diffs.items() if diffs.changed(chunks)]


def view_suggestion(session: Session, suggestion_id: int, *, viewer: User | None = None) -> SuggestionView:
    suggestion = get_suggestion(session, suggestion_id)
    base, proposed = proposed_values(session, suggestion)
    now = current(session, suggestion.question_id) if suggestion.question_id else None
    view = SuggestionView(suggestion, base, now, proposed, diff_fields(base, proposed))
    if now is not None and suggestion.status == "pending" and now.revision != base.revision:
        view.stale = True
        view.since = diff_fields(base, {name: now.get(name) for name in FIELDS})
        try:
            view.merge = merge_onto(base, proposed, now)
        except Conflict as error:
            view.conflict = str(error)
    if suggestion.status == "accepted" and suggestion.revision and suggestion.question_id:
        view.edited_by = session.scalar(
            select(User.display_name).join(ExampleAnswer, ExampleAnswer.edited_by_id == User.id).where(
                ExampleAnswer.question_id == suggestion.question_id, ExampleAnswer.revision == suggestion.revision,
                ExampleAnswer.suggestion_id == suggestion.id))
    view.intent_warning = _intent_warning(session, view)
    if suggestion.kind == "edit":
        view.scored_revision = scored_revision(suggestion.report, suggestion.base_revision)
    view.author_record = author_records(session, [suggestion.author_id]).get(suggestion.author_id, {})
    if viewer is not None:
        view.my_vote = session.scalar(select(Vote.value).where(Vote.suggestion_id == suggestion_id,
                                                               Vote.user_id == viewer.id)) or 0
    view.comments = list(session.scalars(select(Comment).where(Comment.suggestion_id == suggestion_id)
                                         .options(selectinload(Comment.author)).order_by(Comment.id)))
    return view


def _intent_warning(session: Session, view: SuggestionView) -> str | None:
    """The editor's warning that the intent lists points this suggestion's change leaves it out of step with:
    before a decision, for what accepting would store; after acceptance, for the revision it made, while that
    revision is the current one (a later revision may have changed the intent, or taken the change back)."""
    suggestion = view.suggestion
    if suggestion.kind != "edit" or view.current is None:
        return None
    if suggestion.status == "pending":
        values = view.merge or view.proposed
        return intent_warning(values["intent"], view.current.talking_points, values["talking_points"])
    if suggestion.status == "accepted" and suggestion.revision == view.current.revision:  # until a newer one
        made = revision(session, suggestion.question_id, suggestion.revision)
        before = revision(session, suggestion.question_id, suggestion.revision - 1)
        if made is not None and before is not None:
            return intent_warning(made.intent, before.talking_points, made.talking_points)
    return None


def withdraw(session: Session, *, user: User, suggestion_id: int) -> Suggestion:
    suggestion = get_suggestion(session, suggestion_id, lock=True)
    if suggestion.author_id != user.id:
        raise Forbidden("Only its author can withdraw a suggestion.")
    if suggestion.status != "pending":
        raise Conflict(f"Suggestion #{suggestion_id} was {suggestion.status} already.")
    suggestion.status, suggestion.decided_at = "withdrawn", utcnow()
    session.flush()
    return suggestion


def user_suggestions(session: Session, *, user_id: int, limit: int = 100, offset: int = 0) -> list[Suggestion]:
    """A page of a contributor's suggestions, newest first, with their decisions."""
    return list(session.scalars(select(Suggestion).where(Suggestion.author_id == user_id)
                                .options(selectinload(Suggestion.question))
                                .order_by(Suggestion.created_at.desc(), Suggestion.id.desc())
                                .limit(limit).offset(offset)))


def user_suggestion_count(session: Session, *, user_id: int) -> int:
    """How many suggestions a contributor made, whatever became of them (the pages of `user_suggestions`)."""
    return session.scalar(select(func.count()).select_from(Suggestion).where(Suggestion.author_id == user_id)) or 0


def question_suggestions(session: Session, *, question_id: int) -> list[Suggestion]:
    """A question's pending suggestions, most votes first; NotFound for a question that does not exist (an
    empty list would read as "nothing suggested")."""
    question_or_404(session, question_id)
    return list(session.scalars(select(Suggestion).where(Suggestion.question_id == question_id,
                                                         Suggestion.status == "pending")
                                .options(selectinload(Suggestion.author))
                                .order_by(Suggestion.votes.desc(), Suggestion.created_at)))
