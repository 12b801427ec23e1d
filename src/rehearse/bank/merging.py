"""Writing a file's questions: new ones in bulk with their first revision, stored ones merged with their history.

Split from `importing` (which decides what each question of a file is) because the merge is the subtle part:
a re-import updates what the file changed and keeps what community edits changed since.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from sqlalchemy import delete, insert, update
from sqlalchemy.orm import Session

from rehearse.formats import ImportWarning, QuestionDoc, parse_talking_points

from . import search as search_index
from .competencies import infer_competencies
from .lifecycle import reindex_question, search_document
from .models import Bank, ExampleAnswer, Question, QuestionCompetency, Role, utcnow

if TYPE_CHECKING:
    from .importing import ImportSummary


def _points_of(doc: QuestionDoc) -> tuple[list[str], str]:
    if doc.talking_points is not None:
        return list(doc.talking_points), "file"
    return list(parse_talking_points(doc.intent)), "intent"


def _competencies_of(doc: QuestionDoc) -> list[str]:
    return list(dict.fromkeys(doc.competencies)) or infer_competencies(f"{doc.text} {doc.intent or ''}")


def insert_questions(session: Session, bank: Bank, role: Role, rows: list[tuple[str, int, QuestionDoc]]
                      ) -> list[int]:
    """Bulk insert: one INSERT per table, so a 10,000-question file imports in seconds. Returns the new ids."""
    if not rows:
        return []
    values = []
    extras = []
    for slug, position, doc in rows:
        points, source = _points_of(doc)
        competencies = _competencies_of(doc)
        values.append({
            "bank_id": bank.id, "role_id": role.id, "slug": slug, "text": doc.text, "kind": doc.kind or "other",
            "position": position, "intent": doc.intent, "talking_points": points, "talking_points_source": source,
            "search_document": search_document(doc.text, doc.intent, points, competencies, doc.example_answer),
        })
        extras.append((doc, points, competencies))
    ids = session.scalars(insert(Question).returning(Question.id, sort_by_parameter_order=True), values).all()
    competency_rows, answer_rows, index_rows = [], [], []
    for question_id, row, (doc, points, competencies) in zip(ids, values, extras, strict=True):
        competency_rows += [{"question_id": question_id, "name": name, "position": i}
                            for i, name in enumerate(competencies)]
        # Every question starts with revision 1, a full snapshot (empty text: no example answer), so
        # community edits and later imports share one history and have a base to compare with.
        answer_rows.append({"question_id": question_id, "revision": 1, "text": doc.example_answer or "",
                            "source": "import", "created_at": utcnow(), "intent": doc.intent,
                            "talking_points": points, "file_values": _file_values(doc, points)})
        index_rows.append(search_index.IndexRow(question_id, row["text"], doc.intent, points, competencies,
                                                doc.example_answer))
    if competency_rows:
        session.execute(insert(QuestionCompetency), competency_rows)
    if answer_rows:
        session.execute(insert(ExampleAnswer), answer_rows)
    search_index.write(session, index_rows)
    return list(ids)


def _file_values(doc: QuestionDoc, points: Sequence[str]) -> dict:
    return {"example_answer": doc.example_answer or None, "intent": doc.intent, "talking_points": list(points)}


def update_question(session: Session, question: Question, role: Role, position: int, doc: QuestionDoc,
                     summary: ImportSummary | None = None, file: str = "", slug: str | None = None
                     ) -> tuple[str, ...]:
    """Bring a stored question in line with the file; returns the names of the fields that changed
    (none: unchanged), as a reader says them ("example answer", "talking points", "position").

    The example answer, intent and talking points are merged with the question's history: a field
    whose stored value an import wrote takes the file's value; a field a community edit set keeps it
    unless the file gives a value the question never had (see `_values_ever_held`), and then the
    import warns that it replaced the edit.
    """
    changes: dict = {}
    kind = question.kind if "kind" in doc.omitted else doc.kind or "other"
    for attribute, value in (("role_id", role.id), ("slug", slug or question.slug), ("text", doc.text),
                             ("kind", kind), ("position", position)):
        if getattr(question, attribute) != value:
            changes[attribute] = value
    points, source = _points_of(doc)
    if "intent" in doc.omitted and doc.talking_points is None:  # points derived from the intent kept
        points = list(parse_talking_points(question.intent))
    competencies = question.competency_names if "competencies" in doc.omitted else _competencies_of(doc)
    competencies_changed = question.competency_names != competencies
    current_answer = question.example_answers[-1] if question.example_answers else None
    imported = next((row.file_values for row in reversed(question.example_answers) if row.file_values), None)
    now = {"example_answer": (current_answer.text or None) if current_answer else None,
           "intent": question.intent, "talking_points": list(question.talking_points or ())}
    incoming = _file_values(doc, points)
    for name in doc.omitted & incoming.keys():
        # The file has no place for this field: it says nothing about it, so the stored value stays, and
        # the last file that did give it remains the base of the next merge.
        incoming[name] = (imported or now).get(name)
    merged = dict(now)
    for name, value in incoming.items():
        if name in doc.omitted or value == now[name]:
            continue
        if name == "example_answer" and not value:
            if summary is not None and imported and imported.get("example_answer"):  # the file dropped it: say so
                summary.kept_answers.append(question.slug)
            continue  # a file without an example answer never removes one
        if _community_edited(question, name, now[name]):
            if value in _values_ever_held(question.example_answers, name):
                continue  # what the question said before the edit: the file has not changed this field since
            if summary is not None:
                summary.warnings.append(ImportWarning(
                    file, doc.line,
                    f"question {question.slug!r}: the file changed the {name.replace('_', ' ')}, replacing a "
                    "community edit made since the last import (it stays in the question's history)"))
        merged[name] = value
    if merged["intent"] != question.intent:
        changes["intent"] = merged["intent"]
    if merged["talking_points"] != now["talking_points"]:
        changes["talking_points"] = merged["talking_points"]
        changes["talking_points_source"] = source if merged["talking_points"] == points else "editor"
    content_changed = merged != now
    if not changes and not competencies_changed and not content_changed and imported == incoming:
        return ()
    if changes:
        session.execute(update(Question).where(Question.id == question.id).values(**changes))
    if competencies_changed:
        session.execute(delete(QuestionCompetency).where(QuestionCompetency.question_id == question.id))
    if competencies_changed and competencies:  # insert() with no rows would insert one row of defaults
        session.execute(insert(QuestionCompetency), [
            {"question_id": question.id, "name": name, "position": i} for i, name in enumerate(competencies)])
    if content_changed or imported != incoming:
        if content_changed or current_answer is None:
            revision = (current_answer.revision if current_answer else 0) + 1
            session.add(ExampleAnswer(question_id=question.id, revision=revision, text=merged["example_answer"] or "",
                                      intent=merged["intent"], talking_points=merged["talking_points"],
                                      file_values=incoming, source="import", created_at=utcnow()))
        else:  # the file moved on, but the question already says it all: remember what the file says now
            current_answer.file_values = incoming
    session.flush()
    session.expire(question)
    reindex_question(session, question.id)
    fields = [_FIELD_NAMES.get(name, name) for name in changes if name != "talking_points_source"]
    fields += ["competencies"] if competencies_changed else []
    fields += ["example answer"] if merged["example_answer"] != now["example_answer"] else []
    return tuple(dict.fromkeys(fields))


def _field_of(row: ExampleAnswer, name: str) -> tuple[bool, object]:
    """(whether the revision recorded the field, its value there); rows older than snapshots kept only
    the example answer."""
    if name == "example_answer":
        return True, row.text or None
    if row.talking_points is None:
        return False, None
    return True, row.intent if name == "intent" else list(row.talking_points)


def _community_edited(question: Question, name: str, value: object) -> bool:
    """Whether the field's stored value is a person's edit (an accepted suggestion, an editor's edit or
    revert), not what an import wrote: the revision that last changed the field was not an import, or
    the question says something no revision recorded (an editor's override of its talking points)."""
    setter, said = None, None
    for row in question.example_answers:
        recorded, at_row = _field_of(row, name)
        if recorded and (setter is None or at_row != said):
            setter, said = row, at_row
    if name == "talking_points" and question.talking_points_source == "editor":
        return True
    if setter is None:
        return False
    return setter.source != "import" or said != value


def _values_ever_held(rows: Sequence[ExampleAnswer], name: str) -> list:
    """Every value the field had in the question's history, and every value an import's file gave it.

    The base of an import's merge, when a community edit stands: a file "changed" the field only when
    it says something new. Remembering the last import alone was not enough: importing an export (which
    carries the edit) made the edit the last imported value, and the author's unchanged master file,
    imported next, then looked changed and silently put back the wording the edit had replaced.
    Files are not told apart (the same bank arrives as pm.yaml, pm.v2.yaml, an export, a backup), so
    any earlier import counts: an import never brings back wording the question had before an edit;
    an editor restores an old revision from the question's history for that.
    """
    values = [value for recorded, value in (_field_of(row, name) for row in rows) if recorded]
    return values + [row.file_values.get(name) for row in rows if row.file_values and name in row.file_values]


_FIELD_NAMES = {"role_id": "role", "talking_points": "talking points"}


