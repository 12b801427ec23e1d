"""The moderation queue as a file, for editors who prefer files: export it as JSON Lines, fill in
the decisions, apply them all or none (service calls in the caller's transaction)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy.orm import Session

from rehearse.accounts.models import User
from rehearse.bank.models import utcnow

from .models import Suggestion
from .service import FIELDS, CommunityError, accept, queue, reject, require_editor

QUEUE_FORMAT = "rehearse-community-queue"
QUEUE_VERSION = 1
DECISIONS = ("accept", "reject", "skip")


class DecisionFileError(CommunityError):
    """A decision file that cannot be applied; names the file and line. Nothing was applied."""

    def __init__(self, file: str, line: int | None, message: str):
        self.file, self.line = file, line
        super().__init__(f"{file}:{line}: {message}" if line else f"{file}: {message}")


def export_queue(session: Session) -> list[dict[str, Any]]:
    """The pending queue as JSON Lines records: a header, then one suggestion a line, each with an
    empty `decision` ("accept", "reject" or "skip"), `decision_reason` and optional `edited` fields."""
    records: list[dict[str, Any]] = [{"format": QUEUE_FORMAT, "version": QUEUE_VERSION,
                                      "exported_at": utcnow().isoformat(),
                                      "help": "Fill in decision (accept | reject | skip) and decision_reason "
                                              "(required to reject) on each line, then: rehearse community apply "
                                              "FILE --as EDITOR-EMAIL"}]
    offset = 0
    while True:
        items, _ = queue(session, limit=500, offset=offset)
        if not items:
            return records
        for item in items:
            suggestion = session.get(Suggestion, item.id)
            records.append({
                "id": item.id, "kind": item.kind, "question_id": item.question_id, "question": item.question_text,
                "base_revision": item.base_revision, "current_revision": item.current_revision,
                "stale": item.stale, "author": item.author_name, "votes": item.votes, "reason": item.reason,
                "proposed": {name: getattr(suggestion, name) for name in FIELDS
                             if getattr(suggestion, name) is not None},
                "engine_score": item.score, "missed_points": list(item.missed),
                "decision": None, "decision_reason": None,
            })
        offset += len(items)


def apply_decisions(session: Session, *, editor: User, text: str, file: str) -> dict[str, int]:
    """Apply an edited export: every line is checked first, then all decisions are made in the caller's
    transaction; any error raises DecisionFileError (file and line) and the caller rolls everything back."""
    require_editor(editor)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise DecisionFileError(file, 1, "the file is empty; expected the header line of an export")
    parsed: list[tuple[int, dict[str, Any]]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise DecisionFileError(file, number, f"not valid JSON ({error.msg}, column {error.colno})") from None
        if not isinstance(record, dict):
            raise DecisionFileError(file, number, "each line must be a JSON object")
        parsed.append((number, record))
    header_line, header = parsed[0]
    if header.get("format") != QUEUE_FORMAT or header.get("version") != QUEUE_VERSION:
        raise DecisionFileError(file, header_line, f"not a queue export: the first line must say "
                                                   f'"format": "{QUEUE_FORMAT}", "version": {QUEUE_VERSION}')
    plan = []
    for number, record in parsed[1:]:
        decision = record.get("decision")
        if decision in (None, "", "skip"):
            continue
        if decision not in DECISIONS:
            raise DecisionFileError(file, number, f"decision must be one of {', '.join(DECISIONS)}, not {decision!r}")
        suggestion_id = record.get("id")
        if not isinstance(suggestion_id, int) or isinstance(suggestion_id, bool):
            raise DecisionFileError(file, number, "id must be a suggestion id (a whole number)")
        found = session.get(Suggestion, suggestion_id)
        if found is None:
            raise DecisionFileError(file, number, f"there is no suggestion with id {suggestion_id}")
        if found.status != "pending":
            raise DecisionFileError(file, number, f"suggestion {suggestion_id} was {found.status} already")
        reason = record.get("decision_reason")
        if reason is not None and not isinstance(reason, str):
            raise DecisionFileError(file, number, "decision_reason must be text")
        if decision == "reject" and not (reason or "").strip():
            raise DecisionFileError(file, number, "a rejection needs a decision_reason (the author sees it)")
        edited = record.get("edited")
        if edited is not None and (not isinstance(edited, dict) or set(edited) - set(FIELDS)):
            raise DecisionFileError(file, number, f"edited must be an object with some of {', '.join(FIELDS)}")
        plan.append((number, decision, suggestion_id, reason, edited, record.get("edited_base")))
    counts = {"accepted": 0, "rejected": 0}
    for number, decision, suggestion_id, reason, edited, edited_base in plan:
        try:
            if decision == "accept":
                accept(session, editor=editor, suggestion_id=suggestion_id, note=reason, edited=edited,
                       edited_base=edited_base if isinstance(edited_base, int) else None)
                counts["accepted"] += 1
            else:
                reject(session, editor=editor, suggestion_id=suggestion_id, reason=reason)
                counts["rejected"] += 1
        except DecisionFileError:
            raise
        except CommunityError as error:
            raise DecisionFileError(file, number, str(error)) from None
    return counts
