"""A question's history: its revisions with author, date, reason and diff; reverting to an earlier one
(a new revision: nothing is erased); the contributors whose suggestions were accepted."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, aliased

from rehearse.accounts.models import User
from rehearse.bank.models import Bank, ExampleAnswer, Question

from . import diff as diffs
from .inbox import notify
from .models import Suggestion
from .rescoring import rescore_later
from .revisions import (
    Snapshot,
    current,
    diff_fields,
    question_or_404,
    revision,
    snapshot_of,
    write_revision,
)
from .rules import (
    FIELDS,
    HISTORY_PAGE,
    MAX_REASON,
    Conflict,
    NotFound,
    checked_text,
    require_editor,
    shorten,
)


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
    edited_by: str | None = None  # the editor who changed the suggestion before accepting it


FORMER_MEMBER = "a former member"  # the author of a revision whose account was deleted


def history(session: Session, *, question_id: int, page: int = 1) -> tuple[list[HistoryEntry], int]:
    """A question's revisions, newest first, each with its author, reason and the diff from the one before.

    A revision whose author deleted their account stays (its text is published under the bank's licence),
    by "a former member", without the link to the suggestion, which went with the account."""
    question_or_404(session, question_id)
    total = session.scalar(select(func.count()).where(ExampleAnswer.question_id == question_id)) or 0
    start = max(0, (page - 1) * HISTORY_PAGE)
    # The suggestion is looked up, not trusted: deleting an account before it unlinked revisions left numbers
    # that name nothing (or, where SQLite reused the number, another question's suggestion).
    editor = aliased(User)
    rows = session.execute(
        select(ExampleAnswer, User.display_name, Suggestion.id, editor.display_name)
        .outerjoin(User, User.id == ExampleAnswer.author_id)
        .outerjoin(editor, editor.id == ExampleAnswer.edited_by_id)
        .outerjoin(Suggestion, (Suggestion.id == ExampleAnswer.suggestion_id)
                   & (Suggestion.question_id == ExampleAnswer.question_id))
        .where(ExampleAnswer.question_id == question_id).order_by(ExampleAnswer.revision.desc())
        .offset(start).limit(HISTORY_PAGE + 1)).all()  # one more: the revision before the page's last
    now = current(session, question_id)
    snapshots = [snapshot_of(row, now) for row, *_ in rows]
    entries = []
    for index, (row, author, suggestion_id, edited_by) in enumerate(rows[:HISTORY_PAGE]):
        before = snapshots[index + 1] if index + 1 < len(snapshots) else Snapshot(0, None, None, ())
        after = snapshots[index]
        changes = diff_fields(before, {name: after.get(name) for name in FIELDS})
        if row.talking_points is None:  # an old row: only its answer text was recorded
            changes = {"example_answer": changes["example_answer"]}
        if author is None and row.source != "import":  # made by someone: an account since deleted
            author = FORMER_MEMBER
        entries.append(HistoryEntry(row.revision, row.created_at, row.source, author, row.note, suggestion_id,
                                    row.reverted_from, changes,
                                    tuple(name for name, chunks in changes.items() if diffs.changed(chunks)),
                                    edited_by))
    return entries, total


def forget_contributor(session: Session, *, user: User) -> None:
    """Before an account is deleted (its suggestions go with it): the revisions its accepted suggestions made
    stay, by no one, unlinked from the suggestions; and the banks stop crediting its name, including where an
    export of this server, imported back, stored the name among the bank's file-credited contributors."""
    banks = session.scalars(select(Bank).where(Bank.id.in_(
        select(Question.bank_id).join(ExampleAnswer, ExampleAnswer.question_id == Question.id)
        .where(ExampleAnswer.author_id == user.id, ExampleAnswer.source == "suggestion"))))
    for bank in banks:
        if user.display_name in (bank.contributors or ()):
            bank.contributors = [name for name in bank.contributors if name != user.display_name]
    session.execute(update(ExampleAnswer).where(ExampleAnswer.suggestion_id.in_(
        select(Suggestion.id).where(Suggestion.author_id == user.id))).values(suggestion_id=None))
    session.flush()


def revert(session: Session, *, editor: User, question_id: int, to_revision: int, reason: str) -> ExampleAnswer:
    """Restore an earlier revision as a new one; nothing is erased."""
    require_editor(editor)
    reason = checked_text(reason, "reason", MAX_REASON, required=True)
    question = question_or_404(session, question_id, lock=True)
    latest = current(session, question_id)
    target = revision(session, question_id, to_revision)
    if target is None:
        raise NotFound(f"Question {question_id} has no revision {to_revision}.")
    if to_revision == latest.revision:
        raise Conflict(f"Revision {to_revision} is the current revision already.")
    values = {name: target.get(name) for name in FIELDS}
    if all(values[name] == latest.get(name) for name in FIELDS):  # a revision that changes nothing
        raise Conflict(f"Revision {latest.revision} already says what revision {to_revision} says; "
                       "there is nothing to restore.")
    row = write_revision(session, question, latest, values, author_id=editor.id, source="revert",
                         note=reason, reverted_from=to_revision)
    undone = {name for name in FIELDS if values[name] != latest.get(name)}
    for suggestion_id, author_id, made in undone_suggestions(session, question_id, to_revision, latest.revision,
                                                             undone):
        if author_id != editor.id:
            notify(session, user_id=author_id, kind="reverted", suggestion_id=suggestion_id,
                   message=f"Your change to “{shorten(question.text)}” (suggestion #{suggestion_id}, revision "
                           f"{made}) was reverted by an editor, who restored revision {to_revision}. "
                           f"Reason: {reason}")
    session.flush()
    rescore_later(session, question_id=question_id)  # pending suggestions were scored against other points
    return row


def undone_suggestions(session: Session, question_id: int, after: int, upto: int,
                       fields: set[str]) -> list[tuple[int, int, int]]:
    """(suggestion id, author id, revision) of each accepted suggestion among revisions after..upto that
    changed one of `fields`: the changes a revert of those fields to revision `after` takes back."""
    rows = session.execute(
        select(ExampleAnswer, Suggestion.author_id)
        .join(Suggestion, (Suggestion.id == ExampleAnswer.suggestion_id)
              & (Suggestion.question_id == ExampleAnswer.question_id))
        .where(ExampleAnswer.question_id == question_id, ExampleAnswer.source == "suggestion",
               ExampleAnswer.revision > after, ExampleAnswer.revision <= upto)
        .order_by(ExampleAnswer.revision)).all()
    now = current(session, question_id)
    undone = []
    for row, author_id in rows:
        before = revision(session, question_id, row.revision - 1) or Snapshot(0, None, None, ())
        made = snapshot_of(row, now)
        if any(before.get(name) != made.get(name) for name in fields):
            undone.append((row.suggestion_id, author_id, row.revision))
    return undone


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
