"""A rubric's vectors can be kept by the caller and given back to a new backend, which then
encodes only the answer, and scores it exactly as before."""

import pytest
from tests.encoder_spy import encoded_texts

from rehearse.feedback import analyze, remember, rubric_vectors
from rehearse.feedback.backends import cache_key
from rehearse.feedback.engine import split_answer

from .conftest import STRATEGY

ANSWER = ("First I would listen for a month. Then I would set three phases with milestones, and tie "
          "each goal to a company OKR.")


@pytest.fixture
def fresh(backend):
    """A new instance of the backend under test: the same model with empty caches."""
    return type(backend)()


def test_remembered_rubric_vectors_spare_the_encoder_and_change_no_report(backend, fresh):
    kept = rubric_vectors(STRATEGY, backend)
    assert kept["passage"] and all(len(k) == 32 for k in kept["passage"])
    remember(fresh, kept)
    seen = encoded_texts(fresh)
    report = analyze(STRATEGY, ANSWER, backend=fresh)
    assert set(seen) <= set(split_answer(ANSWER)[1])  # the answer only
    assert report.to_dict() == analyze(STRATEGY, ANSWER, backend=type(backend)()).to_dict()


def test_the_rubric_vectors_hold_the_talking_points_never_the_answer(backend):
    analyze(STRATEGY, ANSWER, backend=backend)
    kept = rubric_vectors(STRATEGY, backend)
    assert cache_key(STRATEGY.talking_points[0]) in kept["passage"]
    assert not {cache_key(s) for s in split_answer(ANSWER)[1]} & set(kept["passage"])
