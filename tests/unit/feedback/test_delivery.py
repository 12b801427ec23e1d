"""Delivery as a coach would mark it: fillers, hedges and clichés, and what is none of them."""

from __future__ import annotations

import pytest

from rehearse.feedback import delivery as D


def _said(answer: str):
    return D.delivery(answer, 1)


@pytest.mark.parametrize("answer", [
    "I showed the new starter what good practice looks like, who will buddy them and when.",
    "It sounds like, on paper, a small change.",
    "The ward felt like, for once, a calm place.",
    "It seemed like, at first, a billing error.",
    "I asked what she would like, and wrote it down.",
])
def test_the_like_of_a_verb_of_seeming_is_not_a_filler(answer):
    assert "like" not in _said(answer).fillers


def test_like_with_its_comma_is_still_a_filler_elsewhere():
    assert _said("The root cause was, like, we had no review.").fillers == {"like": 1}


@pytest.mark.parametrize("answer", ["I believe in holistic care for every patient.",
                                    "I believe in giving feedback early."])
def test_i_believe_in_a_value_is_not_a_hedge(answer):
    assert _said(answer).hedges == {}


@pytest.mark.parametrize("answer", ["I believe we fixed it that week.", "I believe that the rota changed."])
def test_i_believe_about_what_happened_is_a_hedge(answer):
    assert _said(answer).hedges == {"I believe": 1}


@pytest.mark.parametrize("cliche", [
    "passionate", "best practice", "committed to excellence", "drive outcomes", "bias for action",
    "growth mindset", "at scale", "thought leadership", "detail-oriented", "world-class",
])
def test_common_interview_cliches_are_counted(cliche):
    assert _said(f"I bring {cliche} to the role.").cliches == {cliche: 1}


def test_passionate_about_is_one_cliche_not_two():
    assert _said("I am passionate about teaching.").cliches == {"passionate": 1}


def test_a_plain_answer_has_no_cliches():
    d = _said("On Tuesday I rang the prescriber, held the dose and logged it on the chart by 3 pm.")
    assert d.cliches == {} and d.fillers == {} and d.hedges == {}


@pytest.mark.parametrize(("answer", "fillers"), [
    ("Actually, we rolled it back.", 1),
    ("So actually we rolled it back, and then actually, it held.", 2),
    ("I would then actually reduce their workload.", 0),  # stress, not a filler
    ("Our relationship actually got stronger.", 0),
])
def test_actually_is_a_filler_where_it_opens_a_clause_not_where_it_stresses_a_verb(answer, fillers):
    assert D.delivery(answer, 1).fillers.get("actually", 0) == fillers


def test_the_english_word_lists_are_not_applied_to_another_language():
    """"um" is Portuguese for "a": an answer in Portuguese was told to cut five fillers it never said."""
    answer = ("Eu começaria por entender qual problema queremos resolver com um serviço separado, "
              "depois um monólito modular e um plano de extração gradual.")
    d = D.delivery(answer, 1)
    assert d.fillers == {} and d.hedges == {}
    assert D.delivery("Um, I would, um, start with the problem we want to solve.", 1).fillers == {"um": 2}


# ---------------------------------------------------------------- I and we


@pytest.mark.parametrize(("answer", "i_count", "we_count"), [
    # whose team or plan it was is not who acted: possessives and "us" are not counted
    ("Our team was behind, our releases slipped and our CTO asked us why. I read our last ten incidents, "
     "I rewrote our runbook and I set our on-call rota.", 3, 0),
    ("We're late, we've missed two dates and we'll miss a third; I'm told we'd better cut scope.", 1, 4),
    ("My manager gave me my first team; I'd asked for it, i.e. I wanted it.", 2, 0),
])
def test_i_and_we_count_who_acted_not_whose_it_was(answer, i_count, we_count):
    d = _said(answer)
    assert (d.i_count, d.we_count) == (i_count, we_count)
