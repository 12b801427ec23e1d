"""Moderation: the editors' queue (most votes, then oldest), accepting a suggestion into a new revision
that credits its author (merged onto a newer revision, never overwriting it), rejecting with a reason."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rehearse.accounts.models import User
from rehearse.bank.competencies import infer_competencies
from rehearse.bank.models import ExampleAnswer, Question, QuestionCompetency, Role, utcnow
from rehearse.formats import detect_kind, slugify

from . import diff as diffs
from .inbox import (
    notify,
)
from .models import Suggestion
from .rescoring import rescore_later
from .revisions import (
    Snapshot,
    current,
    fill_proposed,
    imported_snapshot,
    merge_onto,
    question_or_404,
    revision,
    write_revision,
)
from .rules import (
    FIELDS,
    MAX_REASON,
    QUEUE_PAGE,
    CommunityError,
    Conflict,
    Forbidden,
    NotFound,
    checked_kind,
    checked_text,
    clean_competencies,
    require_editor,
    shorten,
)
from .suggestions import (
    author_records,
    get_suggestion,
    proposed_values,
    refuse_repeated_question,
    scored_revision,
)

QUESTION_ONLY = ("kind", "competencies")  # what an edit of a suggested new question may give besides FIELDS


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
    # The revision whose talking points `score` and `missed` measure (None for a new question, or no report):
    # behind current_revision until the re-score an accepted edit or a revert queued has run.
    scored_revision: int | None = None

    @property
    def stale(self) -> bool:
        return self.kind == "edit" and self.base_revision != self.current_revision


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
        if suggestion.imported_base is not None:  # made on another Rehearse, against a text not in this history
            old = {name: imported_snapshot(suggestion.imported_base).get(name) for name in FIELDS}
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
            records[author_id]["accepted"], records[author_id]["rejected"],
            scored_revision(report, base) if kind == "edit" else None))
    return items, total


def accept(session: Session, *, editor: User, suggestion_id: int, note: str | None = None,
           edited: dict[str, Any] | None = None, edited_base: int | None = None,
           now: datetime | None = None) -> ExampleAnswer:
    """Accept a suggestion into a new revision that credits its author.

    `edited` (edit, then accept) replaces the suggested values of the fields it gives; the fields it
    leaves out keep what the suggestion proposes (an empty `edited` accepts it as proposed).
    `edited_base` is the revision the editor edited against; without it, the edit is taken as made on
    what the suggestion was made on (the queue file and the API show the suggestion's proposed text,
    which the editor tweaks). A suggestion or an edit made against an older revision is merged onto
    the current one, field by field and word by word; where both changed the same words, Conflict is
    raised and nothing changes, so a newer revision is never silently overwritten.

    An edit that changes what the suggestion proposes is recorded on the revision (`edited_by_id`), so
    the history does not credit the author with the editor's words. The edit of a suggested new
    question may also give its `kind` and `competencies`.
    """
    now = now or utcnow()
    require_editor(editor)
    note = checked_text(note, "note", MAX_REASON)
    suggestion = get_suggestion(session, suggestion_id, lock=True)
    if suggestion.status != "pending":
        raise Conflict(f"Suggestion #{suggestion_id} was {suggestion.status} already.")
    if suggestion.author_id == editor.id and other_moderators(session, editor):
        raise Forbidden(f"Suggestion #{suggestion_id} is your own: another editor accepts it, so that every "
                        "change to the bank is read by a second person.")
    if suggestion.kind == "new_question":
        return _accept_question(session, editor=editor, suggestion=suggestion, edited=edited, note=note, now=now)
    if edited and any(edited.get(name) is not None for name in QUESTION_ONLY):
        raise CommunityError("A kind and competencies are given to a suggested new question only; this "
                             "suggestion edits an existing question.")
    question = question_or_404(session, suggestion.question_id, lock=True)
    latest = current(session, question.id)
    base, proposed = proposed_values(session, suggestion)
    if edited:
        if edited_base is not None:
            edited_on = (latest if edited_base in (0, latest.revision)
                         else revision(session, question.id, edited_base))
            if edited_on is None:
                raise CommunityError(f"Question {question.id} has no revision {edited_base} to have edited.")
            if edited_on.revision != base.revision:  # the suggestion's own changes, carried onto it
                left_out = [name for name in FIELDS if edited.get(name) is None]
                proposed = {**proposed, **merge_onto(base, proposed, edited_on, left_out)}
            base = edited_on
        # Fields the edit leaves out keep the suggestion's values, not the base's: an editor who
        # rewords one point has not taken back the author's new example answer.
        suggested = Snapshot(base.revision, proposed["example_answer"], proposed["intent"],
                             tuple(proposed["talking_points"]))
        unedited = proposed
        proposed = fill_proposed(suggested, example_answer=edited.get("example_answer"),
                                 intent=edited.get("intent"), talking_points=edited.get("talking_points"))
        # The web form sends every field, most as the suggestion says them: only a change is an edit.
        edited_by = editor.id if proposed != unedited else None
    else:
        edited_by = None
    values = merge_onto(base, proposed, latest) if base.revision != latest.revision else proposed
    if all(values[name] == latest.get(name) for name in FIELDS):
        raise Conflict(f"Revision {latest.revision} already says what suggestion #{suggestion_id} proposes; "
                       "reject it or withdraw it instead.")
    reason = suggestion.reason if not note else f"{suggestion.reason}\n\nEditor: {note}"
    row = write_revision(session, question, latest, values, author_id=suggestion.author_id, source="suggestion",
                         note=reason, suggestion_id=suggestion.id, edited_by_id=edited_by)
    suggestion.status, suggestion.decided_by_id, suggestion.decided_at = "accepted", editor.id, now
    suggestion.revision, suggestion.decision_reason = row.revision, note
    notify(session, user_id=suggestion.author_id, kind="accepted", suggestion_id=suggestion.id, now=now,
           message=f"Your suggestion #{suggestion.id} was accepted as revision {row.revision} of "
                   f"“{shorten(question.text)}”.")
    session.flush()
    rescore_later(session, question_id=question.id, now=now)  # the others were scored against older points
    return row


def other_moderators(session: Session, editor: User) -> bool:
    """Whether an active editor or admin other than this one could accept the suggestion. A
    one-person installation has none, and its only editor may accept their own."""
    return session.scalar(select(func.count(User.id)).where(
        User.id != editor.id, User.active.is_(True), User.role.in_(("editor", "admin")))) > 0


def _accept_question(session: Session, *, editor: User, suggestion: Suggestion, edited: dict[str, Any] | None,
                     note: str | None, now: datetime) -> ExampleAnswer:
    """Add the suggested question to its role, once: the role row is locked while the role is checked
    for the same question, so two editors accepting two suggestions of it at once make one question."""
    suggested = Snapshot(0, suggestion.example_answer, suggestion.intent, tuple(suggestion.talking_points or ()))
    edited = edited or {}
    values = {"text": suggestion.question_text, **fill_proposed(
        suggested, example_answer=edited.get("example_answer"), intent=edited.get("intent"),
        talking_points=edited.get("talking_points"))}
    kind = (checked_kind(edited["kind"]) if edited.get("kind") is not None else None) or suggestion.question_kind
    competencies = (clean_competencies(edited["competencies"]) if edited.get("competencies") is not None
                    else None) or suggestion.competencies
    changed = (any(values[name] != suggested.get(name) for name in FIELDS) or kind != suggestion.question_kind
               or competencies != suggestion.competencies)
    if not values["talking_points"]:  # suggested before points were required: the editor gives them
        raise CommunityError("The suggested question has no talking points (answers to it would be scored "
                             "against nothing): edit it to give at least one, then accept.", field="talking_points")
    role = session.scalar(select(Role).where(Role.id == suggestion.role_id).with_for_update()
                          .execution_options(populate_existing=True))
    if role is None:
        raise NotFound("The role this question was suggested for no longer exists.")
    refuse_repeated_question(session, role_id=role.id, text=values["text"], pending=False)
    taken = set(session.scalars(select(Question.slug).where(Question.bank_id == role.bank_id)))
    slug, number = slugify(values["text"])[:110] or "question", 2
    while slug in taken:
        slug, number = f"{slugify(values['text'])[:100]}-{number}", number + 1
    position = (session.scalar(select(func.max(Question.position)).where(Question.role_id == role.id)) or 0) + 1
    # Its kind and competencies as the author (or the editor) gave them; those not given, as an import gives
    # a new question: a re-imported export then finds it unchanged.
    question = Question(bank_id=role.bank_id, role_id=role.id, slug=slug, text=values["text"],
                        kind=kind or detect_kind(values["text"]), position=position, intent=values["intent"],
                        talking_points=values["talking_points"], talking_points_source="editor", search_document="")
    session.add(question)
    session.flush()
    session.add_all(QuestionCompetency(question_id=question.id, name=name, position=index) for index, name in
                    enumerate(competencies or infer_competencies(f"{values['text']} {values['intent'] or ''}")))
    row = write_revision(session, question, Snapshot(0, None, values["intent"], tuple(values["talking_points"])),
                         values, author_id=suggestion.author_id, source="suggestion", note=suggestion.reason,
                         suggestion_id=suggestion.id, edited_by_id=editor.id if changed else None)
    suggestion.question_id = question.id
    suggestion.status, suggestion.decided_by_id, suggestion.decided_at = "accepted", editor.id, now
    suggestion.revision, suggestion.decision_reason = row.revision, note
    notify(session, user_id=suggestion.author_id, kind="accepted", suggestion_id=suggestion.id, now=now,
           message=f"Your suggested question #{suggestion.id} was accepted: “{shorten(question.text)}”.")
    session.flush()
    return row


def reject(session: Session, *, editor: User, suggestion_id: int, reason: str,
           now: datetime | None = None) -> Suggestion:
    """Reject with a reason the author sees on their page."""
    now = now or utcnow()
    require_editor(editor)
    reason = checked_text(reason, "reason", MAX_REASON, required=True)
    suggestion = get_suggestion(session, suggestion_id, lock=True)
    if suggestion.status != "pending":
        raise Conflict(f"Suggestion #{suggestion_id} was {suggestion.status} already.")
    suggestion.status, suggestion.decided_by_id, suggestion.decided_at = "rejected", editor.id, now
    suggestion.decision_reason = reason
    notify(session, user_id=suggestion.author_id, kind="rejected", suggestion_id=suggestion_id, now=now,
           message=f"Your suggestion #{suggestion_id} was not accepted: {shorten(reason, 200)}")
    session.flush()
    return suggestion
