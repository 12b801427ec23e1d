"""Revisions of a question: snapshots of its example answer, intent and talking points, writing the next
revision, and the diffs and three-way merges between them.

Revisions are rows of `example_answers`, each a full snapshot of a question's example answer,
intent and talking points; the question row keeps the current intent and points, so everything
that reads a question (practice, search, scoring) sees what was last accepted.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from rehearse.bank import service as bank
from rehearse.bank.models import ExampleAnswer, Question, utcnow

from . import diff as diffs
from .rules import (
    FIELDS,
    MAX_ANSWER,
    MAX_INTENT,
    CommunityError,
    Conflict,
    NotFound,
    checked_text,
    clean_points,
)


@dataclass(frozen=True)
class Snapshot:
    revision: int | None  # None: a text that is no revision of this server (an imported suggestion's base)
    example_answer: str | None
    intent: str | None
    talking_points: tuple[str, ...]

    def get(self, name: str) -> Any:
        value = getattr(self, name)
        return list(value) if name == "talking_points" else value


def question_or_404(session: Session, question_id: int, *, lock: bool = False) -> Question:
    """The question (locked for a new revision when `lock`); NotFound if it does not exist."""
    statement = select(Question).where(Question.id == question_id)
    if lock:  # PostgreSQL: revisions of one question are made one at a time (SQLite: the write lock)
        statement = statement.with_for_update()
    question = session.scalar(statement.execution_options(populate_existing=True))
    if question is None:
        raise NotFound(f"There is no question with id {question_id} (it may have been deleted).")
    return question


def latest_row(session: Session, question_id: int) -> ExampleAnswer | None:
    """The newest stored revision of the question, if any."""
    return session.scalar(select(ExampleAnswer).where(ExampleAnswer.question_id == question_id)
                          .order_by(ExampleAnswer.revision.desc()).limit(1))


def current(session: Session, question_id: int, *, lock: bool = False) -> Snapshot:
    """What the question says now, and its revision number (0 before any)."""
    question = question_or_404(session, question_id, lock=lock)
    row = latest_row(session, question_id)
    return Snapshot(row.revision if row else 0, (row.text or None) if row else None, question.intent,
                    tuple(question.talking_points or ()))


def snapshot_of(row: ExampleAnswer, fallback: Snapshot) -> Snapshot:
    """A stored revision; fields it did not record (rows older than snapshots) come from `fallback`."""
    return Snapshot(row.revision, row.text or None,
                    row.intent if row.talking_points is not None else fallback.intent,
                    tuple(row.talking_points) if row.talking_points is not None else fallback.talking_points)


def revision(session: Session, question_id: int, number: int) -> Snapshot | None:
    row = session.scalar(select(ExampleAnswer).where(ExampleAnswer.question_id == question_id,
                                                     ExampleAnswer.revision == number))
    return snapshot_of(row, current(session, question_id)) if row else None


def fingerprint(snapshot: Snapshot) -> str:
    """A short digest of what a revision says (not its number), to find the same revision on another server."""
    said = json.dumps({name: snapshot.get(name) for name in FIELDS}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(said.encode("utf-8")).hexdigest()[:32]


def revision_by_fingerprint(session: Session, question_id: int, wanted: str) -> int | None:
    """The newest revision of the question that says what `wanted` fingerprints, or None."""
    now = current(session, question_id)
    rows = session.scalars(select(ExampleAnswer).where(ExampleAnswer.question_id == question_id)
                           .order_by(ExampleAnswer.revision.desc())).all()
    return next((row.revision for row in rows if fingerprint(snapshot_of(row, now)) == wanted), None)


def imported_snapshot(values: dict[str, Any]) -> Snapshot:
    """The base an imported suggestion keeps as text: no revision of this server."""
    return Snapshot(None, values.get("example_answer"), values.get("intent"), tuple(values.get("talking_points") or ()))


def matching_revision(session: Session, question_id: int, values: dict[str, Any], *,
                      first: bool = False) -> int | None:
    """The newest (with `first`: the oldest) revision of the question that says exactly `values` (0: the
    question before any revision, when it has none), or None when no revision ever said it."""
    now = current(session, question_id)
    wanted = imported_snapshot(values)

    def same(snapshot: Snapshot) -> bool:
        return all(snapshot.get(name) == wanted.get(name) for name in FIELDS)

    order = ExampleAnswer.revision.asc() if first else ExampleAnswer.revision.desc()
    rows = session.scalars(select(ExampleAnswer).where(ExampleAnswer.question_id == question_id)
                           .order_by(order)).all()
    if not rows:
        return 0 if same(now) else None
    return next((row.revision for row in rows if same(snapshot_of(row, now))), None)


def write_revision(session: Session, question: Question, base: Snapshot, values: dict[str, Any], *,
                   author_id: int | None, source: str, note: str | None, suggestion_id: int | None = None,
                   reverted_from: int | None = None, edited_by_id: int | None = None) -> ExampleAnswer:
    """Store the next revision (base.revision + 1) and bring the question row in line with it; `edited_by_id`
    is the editor who changed the accepted suggestion first."""
    points = list(values["talking_points"])
    row = ExampleAnswer(question_id=question.id, revision=base.revision + 1, text=values["example_answer"] or "",
                        intent=values["intent"], talking_points=points, author_id=author_id, source=source,
                        note=note, suggestion_id=suggestion_id, reverted_from=reverted_from, edited_by_id=edited_by_id,
                        created_at=utcnow())
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


def fill_proposed(base: Snapshot, *, example_answer: str | None, intent: str | None,
                  talking_points: Sequence[str] | str | None) -> dict[str, Any]:
    """The values a suggestion (or an editor's edit of one) proposes: the fields it gives, checked, the
    others as in `base`. Every path that changes a question comes through here, so none can blank it.

    An empty field (a form sends every field) means "none" where the question has none; where it has an
    example answer or talking points, emptying them is refused: answers would be scored against nothing.
    Emptying an intent it has is refused too: a suggestion stores an unchanged field as empty, so "remove
    the intent" could only be stored as a suggestion that changes nothing, and never be accepted.
    """
    answer = base.example_answer
    if example_answer is not None:
        answer = checked_text(example_answer, "example answer", MAX_ANSWER) or None
        if answer is None and base.example_answer:
            raise CommunityError("The suggested example answer is empty.", field="example_answer")
    said = base.intent
    if intent is not None:
        said = checked_text(intent, "intent", MAX_INTENT) or None
        if said is None and base.intent:
            raise CommunityError("The suggested intent is empty: a question's intent can be reworded, not removed.",
                                 field="intent")
    return {
        "example_answer": answer,
        "intent": said,
        "talking_points": (clean_points(talking_points, required=bool(base.talking_points))
                           if talking_points is not None else list(base.talking_points)),
    }


def diff_fields(old: dict[str, Any] | Snapshot, new: dict[str, Any]) -> dict[str, list[diffs.Chunk]]:
    """A word diff of each text field and a list diff of the talking points."""
    get = old.get if isinstance(old, dict) else old.get
    return {
        "example_answer": diffs.word_diff(get("example_answer"), new["example_answer"]),
        "intent": diffs.word_diff(get("intent"), new["intent"]),
        "talking_points": diffs.list_diff(get("talking_points"), new["talking_points"]),
    }


def merge_onto(base: Snapshot, proposed: dict[str, Any], now: Snapshot,
               fields: Sequence[str] = FIELDS) -> dict[str, Any]:
    """Apply the suggestion's changes (base -> proposed) on top of the current revision, field by field
    (only `fields`, when given: the others are not in the result)."""
    merged: dict[str, Any] = {}
    for name in fields:
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
                made = (f"revision {base.revision}" if base.revision is not None
                        else "a text imported from another Rehearse")
                raise Conflict(f"Revision {now.revision} changed the same part of the {label} as this suggestion "
                               f"(made against {made}); edit it against the current revision, then accept the edit "
                               f"(in the API, with \"edited_base\": {now.revision})."
                               ) from None
    return merged
