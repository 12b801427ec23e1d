"""A score's colour band and its grade word are one judgement: a page never shows a "strong" score in amber."""

import pytest

from rehearse.feedback.engine import GRADES
from rehearse.web.templating import score_band, score_grade


@pytest.mark.parametrize(("score", "band", "grade"), [
    (100, "high", "excellent"), (85, "high", "excellent"), (70, "high", "strong"), (69, "mid", "fair"),
    (50, "mid", "fair"), (49, "low", "weak"), (30, "low", "weak"), (0, "low", "poor"), (None, "none", ""),
])
def test_each_score_has_the_band_of_its_grade(score, band, grade):
    assert (score_band(score), score_grade(score)) == (band, grade)


def test_every_grade_has_a_band():
    for floor, _name in GRADES:
        assert score_band(floor) in ("high", "mid", "low")
