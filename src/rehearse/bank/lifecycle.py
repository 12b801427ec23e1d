"""A stored question after its import: its search row kept current, and taken out of the bank and put back.

Split from `importing` because every writer needs it (imports, community edits, editors' reverts), not only
an import.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from . import search as search_index
from .models import ExampleAnswer, Question, utcnow


def search_document(text: str, intent: str | None, points: Sequence[str], competencies: Sequence[str],
                    example: str | None) -> str:
    return "\n".join(part for part in (text, intent or "", " ".join(points), " ".join(competencies),
                                       example or "") if part)


def retire_questions(session: Session, question_ids: Sequence[int]) -> None:
    """Take questions out of the bank: out of lists, search, practice, mocks and exports; attempts, reviews and
    revisions stay (a deleted question would take a candidate's attempts with it)."""
    session.execute(update(Question).where(Question.id.in_(question_ids), Question.retired_at.is_(None))
                    .values(retired_at=utcnow()))
    search_index.remove(session, question_ids)


def restore_question(session: Session, question: Question) -> None:
    """Put a retired question back in the bank."""
    session.execute(update(Question).where(Question.id == question.id).values(retired_at=None))
    session.expire(question)
    reindex_question(session, question.id)


def reindex_question(session: Session, question_id: int) -> None:
    """Rebuild one question's search row after any edit."""
    question = session.get(Question, question_id)
    if question.retired_at is not None:  # an edit of a retired question: kept, still out of search
        search_index.remove(session, [question_id])
        return
    example = current_example_answer(session, question_id)
    points, competencies = list(question.talking_points), question.competency_names
    session.execute(update(Question).where(Question.id == question_id).values(
        search_document=search_document(question.text, question.intent, points, competencies, example)))
    search_index.write(session, [search_index.IndexRow(question_id, question.text, question.intent, points,
                                                       competencies, example)])


def current_example_answer(session: Session, question_id: int) -> str | None:
    """The current revision's example answer; None when it has none (stored as empty text)."""
    return session.scalar(select(ExampleAnswer.text).where(ExampleAnswer.question_id == question_id)
                          .order_by(ExampleAnswer.revision.desc()).limit(1)) or None
