"""The unseen-domain set is whole, labelled point by point, and apart from everything fitted."""

import re
import sys
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "benchmarks"))

from _blind_data import BLIND_DIR, load_unseen  # noqa: E402


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip().lower()


@pytest.fixture(scope="module")
def unseen():
    sources, questions = load_unseen()
    assert questions, "benchmarks/data/unseen holds the banks and answers.yaml"
    return sources, questions


def test_every_question_of_both_banks_has_its_answers_labelled_point_by_point(unseen):
    sources, questions = unseen
    assert set(sources) == {"unseen:registered-nurse", "unseen:account-executive"}
    assert {q.slug for q in questions} == {slug for bank in sources.values() for slug in bank}
    for q in questions:
        assert {a.quality for a in q.answers} >= {"strong", "partial", "weak"}
        for a in q.answers:
            assert len(a.points) == len(a.evidence) == len(q.question.talking_points)
            assert all(v in (0, 1, 2) for v in a.points)


def test_each_quote_is_the_answers_own_words(unseen):
    _, questions = unseen
    for q in questions:
        for a in q.answers:
            for score, quote in zip(a.points, a.evidence, strict=True):
                assert (quote is None) == (score == 0), a.id
                if quote:
                    assert _norm(quote) in _norm(a.text), (a.id, quote)


def test_nothing_is_shared_with_the_blind_set_that_the_engine_is_fitted_on(unseen):
    _, questions = unseen
    blind = [item for p in sorted(BLIND_DIR.glob("*.yaml"))
             for item in yaml.safe_load(p.read_text(encoding="utf-8"))]
    assert blind
    assert not {q.slug for q in questions} & {item["question"] for item in blind}
    assert not ({_norm(a.text) for q in questions for a in q.answers}
                & {_norm(a["text"]) for item in blind for a in item["answers"]})
