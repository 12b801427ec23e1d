"""Question vectors kept in the database, so a prep plan never waits for the model to read every bank.

Encoding a question with the e5 model takes about 35 ms, so the first plan in a process used to spend
7 s encoding the built-in bank and a 117-question import. Vectors are now computed once per question
text and model (in the background: at start, when the plan page opens and after a plan) and stored in
`question_vectors`; a plan reads them back (a few milliseconds) and encodes only what is missing.

The key is the model's vectors_version and a hash of the exact text encoded, so an edited question gets a new
vector and a vector from another model is never read. Only semantic backends are stored: the lexical
fallback is faster to recompute than to read. An asymmetric model (e5: "query: …" and "passage: …") gives each
question two vectors, both stored: the passage that a posting's phrases are compared with, and the query that
calibrates that closeness (how close the banks' other questions come to it); the query's label ends QUERY.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np
from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from rehearse.bank.models import Question, utcnow

from .models import QuestionVector

QUERY = " · plan query"  # the label suffix of questions encoded as e5 queries
WARM_BATCH = 32  # questions encoded, then stored, at a time: a warm that is stopped keeps what it did
READ_CHUNK = 500  # hashes per IN (...) query, well under SQLite's limit on bound parameters


def text_hash(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8"), digest_size=16).hexdigest()


def stored(encoder) -> bool:
    """Whether this backend's vectors are worth keeping in the database."""
    return bool(getattr(encoder, "semantic", False))


def asks(encoder) -> bool:
    """Whether the encoder reads queries apart from passages (e5); otherwise one vector serves both."""
    return callable(getattr(encoder, "encode_queries", None))


def label(encoder, kind: str = "passage") -> str:
    """The model label vectors of this kind are stored under."""
    return encoder.vectors_version + (QUERY if kind == "query" and asks(encoder) else "")


def encode(encoder, texts: Sequence[str], kind: str = "passage") -> np.ndarray:
    """Texts as passages, or as queries ("query: <text>") where the encoder tells the two apart."""
    if kind == "query" and asks(encoder):
        return np.asarray(encoder.encode_queries(list(texts), template="{}"), dtype=np.float32)
    return np.asarray(encoder.encode_cached(list(texts)), dtype=np.float32)


def _pack(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype="<f4").tobytes()


def _unpack(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype="<f4").astype(np.float32)


def read(session: Session, *, model: str, hashes: Sequence[str]) -> dict[str, np.ndarray]:
    """The stored vectors among these hashes, by hash."""
    unique = sorted(set(hashes))
    found: dict[str, np.ndarray] = {}
    for start in range(0, len(unique), READ_CHUNK):
        rows = session.execute(select(QuestionVector.text_hash, QuestionVector.vector)
                               .where(QuestionVector.model == model,
                                      QuestionVector.text_hash.in_(unique[start:start + READ_CHUNK])))
        found.update((h, _unpack(blob)) for h, blob in rows)
    return found


def read_all(session: Session, *, model: str) -> dict[str, np.ndarray]:
    """Every vector stored under this model label, by hash."""
    rows = session.execute(select(QuestionVector.text_hash, QuestionVector.vector).where(QuestionVector.model == model))
    return {h: _unpack(blob) for h, blob in rows}


def hashes(session: Session, *, model: str) -> set[str]:
    """The hashes stored under this model label (no vectors read)."""
    return set(session.scalars(select(QuestionVector.text_hash).where(QuestionVector.model == model)))


def other_models(session: Session, *, suffix: str, model: str) -> list[str]:
    """The labels ending with `suffix` other than `model` (an older version's vectors)."""
    return list(session.scalars(select(QuestionVector.model).distinct().where(
        QuestionVector.model.endswith(suffix, autoescape=True), QuestionVector.model != model)))


def drop_models(session: Session, models: Sequence[str]) -> None:
    """Delete every vector stored under these labels."""
    if models:
        session.execute(delete(QuestionVector).where(QuestionVector.model.in_(list(models))))


def prune(session: Session, *, model: str, gone: set[str]) -> None:
    """Delete these hashes' vectors of this model label (texts no question has any more)."""
    gone_list = sorted(gone)
    for start in range(0, len(gone_list), READ_CHUNK):
        session.execute(delete(QuestionVector).where(
            QuestionVector.model == model, QuestionVector.text_hash.in_(gone_list[start:start + READ_CHUNK])))


def write(session: Session, *, model: str, vectors: dict[str, np.ndarray]) -> None:
    """Store vectors by hash; one another process stored meanwhile is left as it is (same text, same vector)."""
    if not vectors:
        return
    rows = [{"model": model, "text_hash": h, "vector": _pack(v), "created_at": utcnow()} for h, v in vectors.items()]
    dialect = session.get_bind().dialect.name
    insert = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}[dialect]
    session.execute(insert(QuestionVector).values(rows).on_conflict_do_nothing())


def for_texts(session: Session, encoder, texts: Sequence[str], kind: str = "passage") -> np.ndarray:
    """The vectors of these question texts (as passages, or as queries): stored ones read back, the rest
    encoded now (not stored here: this runs in a reading transaction; warming stores them)."""
    if not stored(encoder) or not texts:
        return encode(encoder, texts, kind)
    hashes = [text_hash(t) for t in texts]
    found = read(session, model=label(encoder, kind), hashes=hashes)
    missing = [i for i, h in enumerate(hashes) if h not in found]
    if missing:
        fresh = encode(encoder, [texts[i] for i in missing], kind)
        for row, i in enumerate(missing):
            found[hashes[i]] = fresh[row]
    return np.stack([found[h] for h in hashes])


def warm(database, encoder) -> int:
    """Encode and store every question text that has no stored vector for this model (as a passage and, for
    an asymmetric model, as a query); prune vectors of texts no question has any more. Returns how many
    texts were encoded (once per kind)."""
    if not stored(encoder):
        return 0
    with database.transaction() as session:
        texts = list(dict.fromkeys(session.scalars(select(Question.text).order_by(Question.id))))
    by_hash = {text_hash(t): t for t in texts}
    encoded = 0
    for kind in ("passage", "query") if asks(encoder) else ("passage",):
        model = label(encoder, kind)
        with database.transaction() as session:
            have = hashes(session, model=model)
        missing = [h for h in by_hash if h not in have]
        for start in range(0, len(missing), WARM_BATCH):
            batch = missing[start:start + WARM_BATCH]
            vectors = encode(encoder, [by_hash[h] for h in batch], kind)
            with database.transaction(writes=True) as session:
                write(session, model=model, vectors=dict(zip(batch, vectors, strict=True)))
        gone = have - by_hash.keys()
        if gone:
            # A question edited or deleted: its old vector is never read again. (One added after the
            # read above has no stored vector yet, so it is not among these.)
            with database.transaction(writes=True) as session:
                prune(session, model=model, gone=gone)
        encoded = max(encoded, len(missing))
    return encoded
