"""'Questions like this one': by meaning with the engine's embeddings, else by shared words.

With a semantic backend (the ONNX sentence model), every question's text is embedded
once per process and kept; a look-up is one matrix product. Without one, or for banks
too large to embed on a page view, the full-text index ranks questions by the words
they share with this one.
"""

from __future__ import annotations

import re
import threading

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from rehearse.bank import search as search_index
from rehearse.bank.models import Question, Role

MAX_SIMILAR = 10
# Embedding costs ~2 ms a question with the ONNX model; past this many, the first look-up
# would keep a visitor waiting for seconds, so larger banks use the full-text index.
MAX_EMBEDDED = 3000
# Words too common in interview questions to say what one is about.
_STOP_WORDS = (
    "a an and are as at be by do does for from have how i in is it its me my of on or our so "
    "that the their them they this to was we what when where which who why will with would "
    "you your about tell time describe give example"
)
STOP = frozenset(_STOP_WORDS.split())

_lock = threading.Lock()
_building = threading.Lock()
_matrix: dict[tuple, tuple[list[int], np.ndarray]] = {}


def similar_questions(
    session: Session, question_id: int, *, backend: str = "auto", limit: int = MAX_SIMILAR
) -> tuple[list[Question], str]:
    """(questions like this one, best first; the method used: "semantic" or "lexical")."""
    source = session.get(Question, question_id)
    if source is None:
        return [], "lexical"
    ids, method = _semantic(session, source, backend, limit), "semantic"
    if ids is None:
        ids, method = _lexical(session, source, limit), "lexical"
    questions = {
        q.id: q
        for q in session.scalars(
            select(Question)
            .where(Question.id.in_(ids))
            .options(selectinload(Question.role).selectinload(Role.bank))
        )
    }
    return [questions[i] for i in ids if i in questions], method


def _semantic(
    session: Session, source: Question, backend_name: str, limit: int
) -> list[int] | None:
    try:
        from rehearse.feedback import load_backend

        backend = load_backend(backend_name)
    except Exception:  # noqa: BLE001 - no engine, no model: fall back to words
        return None
    if not getattr(backend, "semantic", False):
        return None
    count, last = session.execute(select(func.count(Question.id), func.max(Question.id))).one()
    if count > MAX_EMBEDDED:
        return None
    key = (str(session.get_bind().url), backend.name, count, last)
    with _lock:
        cached = _matrix.get(key)
    if cached is None:
        with _building:  # requests that miss together wait for one encoding of the bank, not one each
            with _lock:
                cached = _matrix.get(key)
            if cached is None:
                rows = session.execute(select(Question.id, Question.text).order_by(Question.id)).all()
                cached = ([r.id for r in rows], backend.encode([r.text for r in rows]))
                with _lock:
                    _matrix.clear()  # one database per process in practice; keep only the current bank
                    _matrix[key] = cached
    ids, vectors = cached
    if source.id not in ids:
        return None
    scores = vectors @ vectors[ids.index(source.id)]
    order = np.argsort(-scores)
    return [ids[i] for i in order if ids[i] != source.id][:limit]


def _lexical(session: Session, source: Question, limit: int) -> list[int]:
    # The question's own words and its talking points make the query; the full-text index
    # (FTS5 bm25 / ts_rank) then ranks questions by how many of those terms they share.
    query = _distinctive(" ".join([source.text, *source.talking_points]))
    return [i for i in search_index.search_ids(session, query, limit=limit + 1) if i != source.id][
        :limit
    ]


def _distinctive(text: str) -> str:
    """The text's content words, longest first (the index uses at most a dozen terms)."""
    words = [w for w in re.findall(r"\w+", text.lower()) if w not in STOP and len(w) > 2]
    unique = list(dict.fromkeys(words))
    unique.sort(key=len, reverse=True)
    return " ".join(unique[: search_index.MAX_TERMS])
