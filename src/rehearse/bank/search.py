"""Full-text search behind one function: SQLite FTS5 or PostgreSQL tsvector, chosen by the session's dialect."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

# Column weights for ranking: the question's own words matter most, the long example answer least.
SQLITE_WEIGHTS = (10.0, 4.0, 4.0, 1.0)
MAX_TERMS = 12  # a pasted paragraph should not become a 200-term query
_TOKEN = re.compile(r"\w+", re.UNICODE)

PG_VECTOR = ("(setweight(to_tsvector('english', text), 'A') || "
             "setweight(to_tsvector('english', search_document), 'B'))")


@dataclass(frozen=True)
class IndexRow:
    question_id: int
    text: str
    intent: str | None
    talking_points: Sequence[str]
    competencies: Sequence[str]
    example: str | None


def terms(query: str) -> list[str]:
    return [token for token in _TOKEN.findall(query.lower()) if token][:MAX_TERMS]


def write(session: Session, rows: Sequence[IndexRow]) -> None:
    """Replace the index rows of these questions (PostgreSQL indexes the table itself)."""
    if not rows or session.get_bind().dialect.name != "sqlite":
        return
    session.execute(text("DELETE FROM question_search WHERE rowid = :id"), [{"id": r.question_id} for r in rows])
    session.execute(
        text("INSERT INTO question_search (rowid, text, guidance, competencies, example) "
             "VALUES (:id, :text, :guidance, :competencies, :example)"),
        [{"id": r.question_id, "text": r.text,
          "guidance": " ".join([r.intent or "", *r.talking_points]),
          "competencies": " ".join(c.replace("-", " ") for c in r.competencies),
          "example": r.example or ""} for r in rows],
    )


def remove(session: Session, question_ids: Sequence[int]) -> None:
    """Take these questions out of the index (retired: PostgreSQL's query leaves them out itself)."""
    if question_ids and session.get_bind().dialect.name == "sqlite":
        session.execute(text("DELETE FROM question_search WHERE rowid = :id"), [{"id": i} for i in question_ids])


def sqlite_match_expression(query: str) -> str | None:
    """Terms OR-ed, so partial matches still rank; bm25 puts documents with more terms first."""
    words = terms(query)
    return " OR ".join(f'"{word}"' for word in words) or None


SQLITE_SEARCH = text(
    "SELECT rowid FROM question_search WHERE question_search MATCH :match "
    f"ORDER BY bm25(question_search, {', '.join(map(str, SQLITE_WEIGHTS))}) LIMIT :limit"
)
PG_SEARCH = text(
    f"SELECT id FROM questions WHERE retired_at IS NULL AND {PG_VECTOR} @@ to_tsquery('english', :match) "
    f"ORDER BY ts_rank({PG_VECTOR}, to_tsquery('english', :match)) DESC, id LIMIT :limit"
)


def search_ids(session: Session, query: str, *, limit: int | None = 20) -> list[int]:
    """Question ids, best match first."""
    dialect = session.get_bind().dialect.name
    words = terms(query)
    if not words:
        return []
    row_limit = limit if limit is not None else -1 if dialect == "sqlite" else None
    if dialect == "sqlite":
        return list(session.scalars(SQLITE_SEARCH, {"match": sqlite_match_expression(query), "limit": row_limit}))
    if dialect == "postgresql":
        return list(session.scalars(PG_SEARCH, {"match": " | ".join(words), "limit": row_limit}))
    raise NotImplementedError(f"full-text search is not available on {dialect}")
