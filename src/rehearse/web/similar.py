"""'Questions like this one': by meaning when the feedback engine offers it, else by shared words."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from rehearse.bank import search as search_index
from rehearse.bank.models import Question, Role

MAX_SIMILAR = 10


def similar_questions(session: Session, question_id: int, *, limit: int = MAX_SIMILAR
                      ) -> tuple[list[Question], str]:
    """(questions like this one, best first; the method used: "semantic" or "lexical")."""
    source = session.get(Question, question_id)
    if source is None:
        return [], "lexical"
    # The question's own words and its talking points make the query; the full-text index
    # (FTS5 bm25 / ts_rank) then ranks questions by how many of those terms they share.
    query = " ".join([source.text, *source.talking_points])
    ids = [i for i in search_index.search_ids(session, _distinctive(query), limit=limit + 1) if i != question_id]
    questions = {q.id: q for q in session.scalars(
        select(Question).where(Question.id.in_(ids[:limit]))
        .options(selectinload(Question.role).selectinload(Role.bank)))}
    return [questions[i] for i in ids[:limit] if i in questions], "lexical"


STOP = frozenset("""a an and are as at be by do does for from have how i in is it its me my of on or our
so that the their them they this to was we what when where which who why will with would you your about
tell time describe give example""".split())


def _distinctive(text: str) -> str:
    """The query's content words, longest first (the index uses at most a dozen terms)."""
    words = [w for w in re.findall(r"\w+", text.lower()) if w not in STOP and len(w) > 2]
    unique = list(dict.fromkeys(words))
    unique.sort(key=len, reverse=True)
    return " ".join(unique[: search_index.MAX_TERMS])
