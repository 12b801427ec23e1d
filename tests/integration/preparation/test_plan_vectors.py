"""Question vectors stored in the database: warmed once per text and model, read back by every plan, so the
first plan in a process encodes only the posting; edited questions get a new vector, stale ones go."""

from __future__ import annotations

import time

import numpy as np
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from rehearse import feedback
from rehearse.accounts.models import User
from rehearse.bank.models import Question
from rehearse.plans import service as plans
from rehearse.plans import vectors
from rehearse.plans.models import QuestionVector

from .conftest import QUESTIONS, make_bank
from .test_plan_service import POSTING


class CountingEncoder:
    """The real sentence encoder, noting every text it is asked to encode (as a passage; as a query in
    `asked`, where the model tells the two apart)."""

    def __init__(self, inner):
        self.inner = inner
        self.semantic = inner.semantic
        self.version = inner.version
        self.vectors_version = inner.vectors_version
        self.seen: list[str] = []
        self.asked: list[str] = []
        if vectors.asks(inner):
            self.encode_queries = self._encode_queries

    def encode_cached(self, texts):
        self.seen.extend(texts)
        return self.inner.encode(list(texts))

    def _encode_queries(self, texts, template=None):
        self.asked.extend(texts)
        return self.inner.encode_queries(list(texts), template=template)

    def info(self):
        return self.inner.info()


def _stored(database, kind: str = "passage") -> dict[str, np.ndarray]:
    """The stored vectors of questions encoded as passages (or as queries), by hash."""
    query = QuestionVector.model.endswith(vectors.QUERY)
    with database.transaction() as session:
        return {h: np.frombuffer(v, dtype="<f4") for h, v in session.execute(
            select(QuestionVector.text_hash, QuestionVector.vector).where(query if kind == "query" else ~query))}


def _plan(database, monkeypatch, encoder):
    monkeypatch.setattr(plans, "_encoder", lambda backend: encoder)
    with database.transaction() as session:
        user = session.scalar(select(User))
        return plans.compute(session, user=user, posting=POSTING, backend="auto")


def test_warming_stores_each_question_once_and_a_plan_then_encodes_only_the_posting(fresh, semantic, monkeypatch):
    texts = [text for text, *_ in QUESTIONS]
    warmer = CountingEncoder(semantic)
    assert vectors.warm(fresh, warmer) == len(texts)
    assert sorted(warmer.seen) == sorted(texts)  # each once as a passage,
    assert sorted(warmer.asked) == (sorted(texts) if vectors.asks(semantic) else [])  # and once as a query
    stored, asked = _stored(fresh), _stored(fresh, "query")
    assert set(stored) == {vectors.text_hash(t) for t in texts}
    for text in texts:  # exactly what the model gives, so a plan is the same whether vectors are stored or not
        np.testing.assert_array_equal(stored[vectors.text_hash(text)], semantic.encode([text])[0])
        if vectors.asks(semantic):
            np.testing.assert_array_equal(asked[vectors.text_hash(text)],
                                          semantic.encode_queries([text], template="{}")[0])

    again = CountingEncoder(semantic)
    assert vectors.warm(fresh, again) == 0 and again.seen == again.asked == []

    planner = CountingEncoder(semantic)
    warm_plan = _plan(fresh, monkeypatch, planner)
    assert not set(planner.seen + planner.asked) & set(texts), "a question was encoded although its vector was stored"
    assert planner.asked or planner.seen  # the posting's phrases are encoded: they are new each time

    with fresh.transaction(writes=True) as session:
        session.execute(QuestionVector.__table__.delete())
    cold = CountingEncoder(semantic)
    cold_plan = _plan(fresh, monkeypatch, cold)
    assert set(texts) <= set(cold.seen)  # nothing stored: every question is encoded, as before
    assert cold_plan == warm_plan and warm_plan["items"][0]["measure"] == semantic.info()["backend"]


def test_an_edited_question_gets_a_new_vector_and_the_old_one_is_pruned(fresh, semantic):
    vectors.warm(fresh, semantic)
    with fresh.transaction(writes=True) as session:
        question = session.scalar(select(Question).order_by(Question.id))
        old_hash = vectors.text_hash(question.text)
        question.text = "Tell me about the worst outage you led the response to, and what changed after it."
        new_text = question.text
    counting = CountingEncoder(semantic)
    assert vectors.warm(fresh, counting) == 1 and counting.seen == [new_text]
    assert counting.asked == ([new_text] if vectors.asks(semantic) else [])
    for kind in ("passage", "query") if vectors.asks(semantic) else ("passage",):
        stored = _stored(fresh, kind)
        assert vectors.text_hash(new_text) in stored and old_hash not in stored
        assert len(stored) == len(QUESTIONS)


def test_a_vector_stored_twice_by_two_processes_is_no_error(fresh, semantic):
    vector = semantic.encode(["How would you run a postmortem?"])[0]
    for _ in range(2):  # the second insert meets the first: kept as it is, no integrity error
        with fresh.transaction(writes=True) as session:
            vectors.write(session, model=semantic.vectors_version, vectors={"a" * 32: vector})
    assert list(_stored(fresh)) == ["a" * 32]


def test_the_lexical_fallback_is_not_stored_and_still_plans(fresh, monkeypatch):
    lexical = feedback.load_backend("lexical")
    assert vectors.warm(fresh, lexical) == 0 and _stored(fresh) == {}
    planned = _plan(fresh, monkeypatch, lexical)
    assert planned["items"] and planned["items"][0]["measure"] == "job terms only"  # word counts add nothing to the terms


def test_the_app_stores_question_vectors_in_the_background_when_it_starts(tmp_path, semantic):
    from rehearse.settings import Settings
    from rehearse.web.app import create_app

    settings = Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'app.db'}", secret_key="v" * 48,
                        load_builtin_bank=False, feedback_backend="auto")
    app = create_app(settings)
    with app.state.database.transaction(writes=True) as session:
        make_bank(session)
    count = 0
    with TestClient(app):
        deadline = time.monotonic() + 60  # eight short questions: a second or two, more on a busy machine
        while time.monotonic() < deadline:
            with app.state.database.transaction() as session:
                count = session.scalar(select(func.count()).select_from(QuestionVector)
                                       .where(QuestionVector.model == semantic.vectors_version))
            if count == len(QUESTIONS):
                break
            time.sleep(0.1)
    assert count == len(QUESTIONS)
