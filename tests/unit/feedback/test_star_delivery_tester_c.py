"""STAR and delivery as an experienced interviewer reads them (tester C)."""

import pytest

from rehearse.feedback.delivery import delivery
from rehearse.feedback.star import structure
from rehearse.feedback.text import sentences


def _star(answer, outcomes=()):
    return structure("behavioural", "question", sentences(answer), 0, outcomes)


@pytest.mark.parametrize("opening", [
    "At Tandem Health I ran engineering, about 60 people in seven teams.",
    "In Q3 2022 our biggest customer asked for the integration by October.",
])
def test_an_opening_that_places_the_story_is_the_situation(opening):
    story = opening + " I wrote a note to the CEO the same day. We shipped on 8 November."
    assert _star(story).star["situation"]


def test_a_hard_deadline_is_the_task():
    story = ("We were migrating checkout to Adyen, hard deadline 1 Nov because the old contract expired. "
             "I cut scope with the PM. We shipped 29 Oct.")
    assert _star(story).star["task"]


def test_nothing_changed_is_no_quantified_result():
    story = ("Last year a config change took the service down for about forty minutes. I opened the incident "
             "channel and rolled it back. We never did a postmortem afterwards, so nothing really changed.")
    s = _star(story, outcomes=("Last year a config change took the service down for about forty minutes.",))
    assert not s.result_quantified


def test_a_vague_result_is_a_result_not_quantified():
    story = ("I had an engineer on my last team who was struggling. I sat down with him and set him up with a "
             "buddy. Over a few months he got better and the team noticed.")
    s = _star(story)
    assert s.star["result"] and not s.result_quantified


@pytest.mark.parametrize(("words", "verdict"), [(145, "ok"), (130, "short"), (490, "ok"), (500, "long")])
def test_length_has_a_small_tolerance(words, verdict):
    assert delivery("word " * words, 3).length_verdict == verdict


def test_maybe_listing_causes_is_no_hedge():
    d = delivery("Maybe it is workload, maybe something at home, or maybe the on-call. I think we wait.", 2)
    assert "maybe" not in d.hedges and d.hedges.get("I think") == 1
