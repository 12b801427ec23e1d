"""The feedback engine's rubric vectors kept in the database: a new process reads them back and
encodes only the answers; the reports are the same whether they were stored or not; no answer is
ever stored; stale rubrics go."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import select
from tests.encoder_spy import encoded_texts

from rehearse import feedback
from rehearse.bank.models import Question
from rehearse.feedback.backends import ENGINE_VERSION, cache_key
from rehearse.feedback.engine import split_answer
from rehearse.plans.models import QuestionVector
from rehearse.practice import rubric_store
from rehearse.practice.scoring import analyze_prepared, prepare

ANSWER = ("During the outage I ran the incident channel and posted updates for customers every half hour. "
          "Afterwards we added a canary stage, and the next quarter had no repeat.")


def _new_process(semantic):
    """A backend as a new process has it: same model, empty caches, nothing read from the database."""
    return type(semantic)()


def _questions(database):
    with database.transaction() as session:
        return [prepare(session, q) for q in session.scalars(select(Question).order_by(Question.id))]


def _labels(database) -> set[str]:
    with database.transaction() as session:
        return set(session.scalars(select(QuestionVector.model).distinct()))


def test_a_new_process_reads_the_stored_rubrics_and_encodes_only_the_answer(fresh, semantic):
    questions = _questions(fresh)
    assert rubric_store.warm(fresh, _new_process(semantic)) > 0
    cold = _new_process(semantic)
    cold_report = feedback.analyze(questions[0].question, ANSWER, backend=cold, lexicon=questions[0].lexicon)

    warm = _new_process(semantic)
    assert rubric_store.load(fresh, warm) > 0
    seen = encoded_texts(warm)
    report = feedback.analyze(questions[0].question, ANSWER, backend=warm, lexicon=questions[0].lexicon)
    assert seen and set(seen) <= set(split_answer(ANSWER)[1]), f"rubric text encoded again: {seen}"
    assert report.to_dict() == cold_report.to_dict()


def test_no_answer_is_ever_stored(fresh, semantic):
    backend = _new_process(semantic)
    questions = _questions(fresh)
    analyze_prepared(questions[0], ANSWER, backend="auto")
    rubric_store.store(fresh, backend, questions)
    with fresh.transaction() as session:
        stored = set(session.scalars(select(QuestionVector.text_hash)))
    _, sentences = split_answer(ANSWER)
    assert stored and not stored & {cache_key(s) for s in sentences}


def test_warming_again_writes_nothing_and_an_edited_rubric_replaces_the_old_vectors(fresh, semantic):
    backend = _new_process(semantic)
    rubric_store.warm(fresh, backend)
    assert rubric_store.warm(fresh, _new_process(semantic)) == 0
    with fresh.transaction(writes=True) as session:
        question = session.scalar(select(Question).order_by(Question.id))
        old_point = question.talking_points[0]
        question.talking_points = ["how you ran the incident channel and who you told", *question.talking_points[1:]]
    assert rubric_store.warm(fresh, _new_process(semantic)) > 0
    with fresh.transaction() as session:
        stored = set(session.scalars(select(QuestionVector.text_hash)))
    assert cache_key("how you ran the incident channel and who you told") in stored
    assert cache_key(old_point) not in stored  # no question has that point any more


def test_vectors_of_another_engine_version_are_dropped_when_warming(fresh, semantic):
    backend = _new_process(semantic)
    rubric_store.warm(fresh, backend)
    old = f"an older model{rubric_store.KINDS['passage']}"
    with fresh.transaction(writes=True) as session:
        rubric_store.stored_vectors.write(session, model=old, vectors={"b" * 32: np.zeros(4, dtype=np.float32)})
    rubric_store.warm(fresh, _new_process(semantic))
    assert old not in _labels(fresh)


def test_a_new_engine_version_keeps_the_stored_vectors_of_the_same_model(fresh, semantic):
    """Scoring changes (new calibration, new rules) bump the engine's version, not its vectors':
    a server upgraded to the next engine reads the rubric vectors back instead of re-encoding
    every bank at its first start."""
    rubric_store.warm(fresh, _new_process(semantic))
    labels = _labels(fresh)
    upgraded, restarted = _new_process(semantic), _new_process(semantic)
    upgraded.version = restarted.version = semantic.version + ".next"
    assert rubric_store.warm(fresh, upgraded) == 0
    assert rubric_store.load(fresh, restarted) > 0
    assert _labels(fresh) == labels
    assert "/" + ENGINE_VERSION not in upgraded.vectors_version


def test_the_lexical_fallback_stores_nothing(fresh):
    lexical = feedback.load_backend("lexical")
    assert rubric_store.warm(fresh, lexical) == 0
    assert rubric_store.store(fresh, lexical, _questions(fresh)) == 0
    assert rubric_store.load(fresh, lexical) == 0
    assert not _labels(fresh)


@pytest.mark.parametrize("kind", sorted(rubric_store.KINDS))
def test_stored_vectors_are_the_models_own(fresh, semantic, kind):
    backend = _new_process(semantic)
    rubric_store.warm(fresh, backend)
    questions = _questions(fresh)
    expected = feedback.rubric_vectors(questions[0].question, semantic, questions[0].lexicon)[kind]
    with fresh.transaction() as session:
        stored = rubric_store.stored_vectors.read_all(session, model=semantic.vectors_version + rubric_store.KINDS[kind])
    for key, vector in expected.items():
        np.testing.assert_array_equal(stored[key], vector)


def test_the_warm_at_start_runs_below_the_priority_of_requests(fresh, monkeypatch):
    import os
    import threading

    seen = []

    def load_backend(name):
        seen.append(os.getpriority(os.PRIO_PROCESS, threading.get_native_id()))
        raise feedback.BackendUnavailable("not needed here")

    monkeypatch.setattr(rubric_store.feedback, "load_backend", load_backend)
    rubric_store.warm_in_background(fresh, backend="e5").join(timeout=30)
    assert seen == [rubric_store.WARM_NICENESS]
    assert os.getpriority(os.PRIO_PROCESS, 0) < rubric_store.WARM_NICENESS  # the process itself is untouched
