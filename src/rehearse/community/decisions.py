"""The moderation queue as a file, for editors who prefer files: export it as JSON Lines, fill in
the decisions, apply them all or none (service calls in the caller's transaction)."""

from __future__ import annotations

import json
import re
from typing import Any

from sqlalchemy.exc import DataError, IntegrityError
from sqlalchemy.orm import Session

from rehearse.accounts.models import User
from rehearse.bank.models import utcnow
from rehearse.db.engine import UnstorableValue
from rehearse.formats.checks import shown

from .models import Suggestion
from .service import (
    FIELDS,
    QUESTION_ONLY,
    CommunityError,
    accept,
    checked_kind,
    clean_competencies,
    queue,
    reject,
    require_editor,
)

QUEUE_FORMAT = "rehearse-community-queue"
QUEUE_VERSION = 1
DECISIONS = ("accept", "reject", "skip")
MAX_ID = 2**31 - 1  # suggestion ids and revision numbers are 32-bit integers on PostgreSQL
UNSAFE_TEXT = re.compile("[\x00\ud800-\udfff]")  # NUL (PostgreSQL refuses it) and lone surrogates (no encoding)
EDITABLE = (*FIELDS, *QUESTION_ONLY)  # a suggested new question's edit may give its kind and competencies too
LISTS = {"talking_points": "talking point", "competencies": "competency"}  # edited fields that are lists of text


class DecisionFileError(CommunityError):
    """A decision file that cannot be applied; names the file and line. Nothing was applied."""

    def __init__(self, file: str, line: int | None, message: str):
        self.file, self.line = file, line
        super().__init__(f"{file}:{line}: {message}" if line else f"{file}: {message}")


def export_queue(session: Session) -> list[dict[str, Any]]:
    """The pending queue as JSON Lines records: a header, then one suggestion a line, each with an
    empty `decision` ("accept", "reject" or "skip"), `decision_reason` and `edited` (null: accept as proposed)."""
    records: list[dict[str, Any]] = [{"format": QUEUE_FORMAT, "version": QUEUE_VERSION,
                                      "exported_at": utcnow().isoformat(),
                                      "help": "Fill in decision (accept | reject | skip) and decision_reason "
                                              "(required to reject) on each line; to edit, then accept, put the "
                                              "fields you change in edited ({\"talking_points\": [...]}, and "
                                              "a suggested new question's \"kind\" and \"competencies\"; "
                                              "proposed is what the suggestion says: leave it as it is). Then: "
                                              "rehearse community apply FILE --as EDITOR-EMAIL"}]
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
                "proposed": proposed_record(suggestion),
                "engine_score": item.score, "missed_points": list(item.missed),
                "engine_scored_revision": item.scored_revision,
                "decision": None, "decision_reason": None, "edited": None,
            })
        offset += len(items)


def proposed_record(suggestion: Suggestion) -> dict[str, Any]:
    """What a suggestion proposes, as the export shows it: the fields it gives, and a suggested new
    question's kind and competencies when its author gave them (the names `edited` uses)."""
    record = {name: getattr(suggestion, name) for name in FIELDS if getattr(suggestion, name) is not None}
    if suggestion.kind == "new_question":
        record |= {name: value for name, value in (("kind", suggestion.question_kind),
                                                   ("competencies", suggestion.competencies)) if value}
    return record


def decode(data: bytes, *, file: str) -> str:
    """The text of a decision file; DecisionFileError at the line where its bytes stop being UTF-8."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise DecisionFileError(file, data[:error.start].count(b"\n") + 1,
                                f"not UTF-8 text (byte {error.start + 1})") from None


def _text(value: Any, what: str, file: str, number: int) -> None:
    if value is not None and (not isinstance(value, str) or UNSAFE_TEXT.search(value)):
        raise DecisionFileError(file, number, f"{what} must be text (without NUL characters or lone surrogates)")


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _clause(sentence: str) -> str:
    """The service's sentence as the file's errors read ("Suggestion #3 was ..." -> "suggestion #3 was ...")."""
    sentence = sentence.rstrip(".")
    first = sentence.split(" ", 1)[0]
    return sentence if len(first) > 1 and first.isupper() else sentence[:1].lower() + sentence[1:]  # "API" stays


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object whose keys are each given once: with a key twice, which one was meant is a guess."""
    record: dict[str, Any] = {}
    for key, value in pairs:
        if key in record:
            raise ValueError(f"duplicate key {key!r}")
        record[key] = value
    return record


def _edit_problem(error: dict[str, Any]) -> str:
    """One validation error of an `edited` object, in the file's words."""
    loc = error["loc"]
    name = str(loc[0]) if loc else ""
    if error["type"] == "extra_forbidden":
        return f"edited has no field {name!r}; it takes some of {', '.join(EDITABLE)}"
    if error["type"] == "list_type":
        return f"edited {name} must be a list of text"
    if error["type"] == "string_type":
        return f"each edited {LISTS[name]} must be text" if len(loc) > 1 and name in LISTS else \
            f"edited {name} must be text"
    return f"edited {name}: {str(error['msg']).rstrip('.')}"


def _check_edited(edited: Any, file: str, number: int) -> None:
    """The edit is checked by the model the API's accept body uses (AcceptEdits: the same fields, types and
    limits), after the suggestion form's own checks of a kind and competencies, which give the readable
    sentences and forgive case and spacing ("Behavioural")."""
    from pydantic import ValidationError

    from .schemas import AcceptEdits

    if edited is None:
        return
    if not isinstance(edited, dict):
        raise DecisionFileError(file, number, f"edited must be an object with some of {', '.join(EDITABLE)}")
    for name, value in edited.items():  # NUL and lone surrogates: the API's text guard refuses them too
        for item in value if name in LISTS and isinstance(value, list) else [value]:
            if isinstance(item, str) and UNSAFE_TEXT.search(item):
                _text(item, f"edited {name}", file, number)
    _text(edited.get("kind"), "edited kind", file, number)
    given = dict(edited)
    try:
        if "kind" in given:
            given["kind"] = checked_kind(given["kind"])
    except CommunityError as error:
        raise DecisionFileError(file, number, f"edited kind: {error}") from None
    competencies = edited.get("competencies")
    if isinstance(competencies, list) and all(isinstance(name, str) for name in competencies):
        try:
            clean_competencies(competencies)
        except CommunityError as error:
            raise DecisionFileError(file, number, f"edited competencies: {error}") from None
    try:
        AcceptEdits.model_validate(given)
    except ValidationError as error:
        raise DecisionFileError(file, number, _edit_problem(error.errors()[0])) from None


def apply_decisions(session: Session, *, editor: User, text: str, file: str) -> dict[str, int]:
    """Apply an edited export: every line is checked first, then all decisions are made in the caller's
    transaction; any error raises DecisionFileError (file and line) and the caller rolls everything back."""
    require_editor(editor)
    # Lines end at "\n" only: export-queue writes U+2028, U+0085 and form feeds inside texts as they are,
    # and str.splitlines() would split a line there.
    lines = text.split("\n")
    if not lines or not lines[0].strip():
        raise DecisionFileError(file, 1, "the file is empty; expected the header line of an export")
    parsed: list[tuple[int, dict[str, Any]]] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line, object_pairs_hook=_unique_keys)
        except json.JSONDecodeError as error:
            # "Unterminated string starting at" names the column it means: the string's start
            where = f"{error.msg} column {error.colno}" if error.msg.endswith(" at") else \
                f"{error.msg} at column {error.colno}"
            raise DecisionFileError(file, number, f"not valid JSON ({where})") from None
        except (ValueError, RecursionError) as error:  # 4,300 digits and more; nesting past Python's stack
            reason = str(error) if str(error).startswith("duplicate key") else \
                "a number is too long" if isinstance(error, ValueError) else "it nests too deep"
            raise DecisionFileError(file, number, f"not a line this Rehearse reads ({reason})") from None
        if not isinstance(record, dict):
            raise DecisionFileError(file, number, "each line must be a JSON object")
        parsed.append((number, record))
    header_line, header = parsed[0]
    if header.get("format") != QUEUE_FORMAT or header.get("version") != QUEUE_VERSION:
        raise DecisionFileError(file, header_line, f"not a queue export: the first line must say "
                                                   f'"format": "{QUEUE_FORMAT}", "version": {QUEUE_VERSION}')
    plan = []
    lines_of: dict[int, int] = {}  # suggestion id -> the line that names it
    for number, record in parsed[1:]:
        decision = record.get("decision")
        if decision is not None and decision not in (*DECISIONS, ""):
            given = decision if isinstance(decision, str) else json.dumps(decision)
            raise DecisionFileError(file, number, f"decision must be one of {', '.join(DECISIONS)}, not {shown(given)}")
        # Every line names a suggestion here, skipped or not: a file made for another installation, or with a
        # slip in an id, is refused whole rather than half applied.
        suggestion_id = record.get("id")
        if not _whole(suggestion_id):
            raise DecisionFileError(file, number, "id must be a suggestion id (a whole number)")
        if suggestion_id in lines_of:
            raise DecisionFileError(file, number, f"suggestion #{suggestion_id} is on line {lines_of[suggestion_id]} "
                                                  "as well; give each suggestion one line")
        lines_of[suggestion_id] = number
        found = session.get(Suggestion, suggestion_id) if 1 <= suggestion_id <= MAX_ID else None
        if found is None:
            raise DecisionFileError(file, number, f"there is no suggestion with id {suggestion_id}")
        if decision in (None, "", "skip"):
            continue
        if found.status != "pending":
            raise DecisionFileError(file, number, f"suggestion #{suggestion_id} was {found.status} already")
        reason = record.get("decision_reason")
        _text(reason, "decision_reason", file, number)
        if decision == "reject" and not (reason or "").strip():
            raise DecisionFileError(file, number, "a rejection needs a decision_reason (the author sees it)")
        edited = record.get("edited")
        if decision == "reject" and edited is not None:
            raise DecisionFileError(file, number, "edited is for an acceptance: a rejection stores no edit "
                                                  "(accept with edited, or reject with edited null)")
        _check_edited(edited, file, number)
        proposed, says = record.get("proposed"), proposed_record(found)
        # an export from before kinds and competencies were shown left them out: that is not a change
        if proposed is not None and proposed not in (says, {k: v for k, v in says.items() if k not in QUESTION_ONLY}):
            # An edit made there would be silently ignored: accepted (or rejected) as the author proposed it.
            raise DecisionFileError(file, number, "proposed was changed, but it is what the suggestion says and "
                                                  "is not applied: put the fields you change in edited instead")
        edited_base = record.get("edited_base")
        if edited_base is not None and not (_whole(edited_base) and 0 <= edited_base <= MAX_ID):
            raise DecisionFileError(file, number, "edited_base must be the revision number the edit was made on")
        plan.append((number, decision, suggestion_id, reason, edited, edited_base))
    counts = {"accepted": 0, "rejected": 0}
    for number, decision, suggestion_id, reason, edited, edited_base in plan:
        try:
            if decision == "accept":
                accept(session, editor=editor, suggestion_id=suggestion_id, note=reason, edited=edited,
                       edited_base=edited_base)
                counts["accepted"] += 1
            else:
                reject(session, editor=editor, suggestion_id=suggestion_id, reason=reason)
                counts["rejected"] += 1
        except DecisionFileError:
            raise
        except CommunityError as error:
            raise DecisionFileError(file, number, _clause(str(error))) from None
        except (UnstorableValue, DataError, IntegrityError) as error:  # a value the checks above did not foresee
            raise DecisionFileError(file, number, f"the database cannot store this decision "
                                                  f"({str(error).splitlines()[0][:200]})") from None
    return counts
