"""Talking points come from the guidance sentence that starts "In your answer,"."""

import pytest

from rehearse.formats import parse_talking_points

CASES = [
    pytest.param(
        "Employers ask this to see direction. In your answer, outline a phased approach (e.g., MVP hardening, "
        "scalability, hiring), key trade-offs, and how you’ll tie engineering goals to company OKRs.",
        ("a phased approach (e.g., MVP hardening, scalability, hiring)", "key trade-offs",
         "how you’ll tie engineering goals to company OKRs"),
        id="three points, parenthesised list kept whole, curly apostrophe kept",
    ),
    pytest.param(
        "In your answer, describe the trigger, the communication approach, how you reset the roadmap, and "
        "specific actions you took to maintain trust.",
        ("the trigger", "the communication approach", "how you reset the roadmap",
         "specific actions you took to maintain trust"),
        id="four points",
    ),
    pytest.param(
        "In your answer, focus on a small set of leading indicators and how you link them to company goals.",
        ("a small set of leading indicators", "how you link them to company goals"),
        id="two points joined by and",
    ),
    pytest.param(
        "In your answer, name concrete practices that reinforce ownership, learning, and psychological safety.",
        ("concrete practices that reinforce ownership", "concrete practices that reinforce learning",
         "concrete practices that reinforce psychological safety"),
        id="a list that is all the guidance asks for: one checkable point per item",
    ),
    pytest.param(
        "In your answer, describe cadences and artifacts you use to inform up, down, and across the org.",
        ("cadences and artifacts you use to inform up", "cadences and artifacts you use to inform down",
         "cadences and artifacts you use to inform across the org"),
        id="the shared head is repeated for each item",
    ),
    pytest.param(
        "In your answer, name the tools you would adopt such as linters, CI, and code review.",
        ("the tools you would adopt such as linters, CI, and code review",),
        id="a list of examples stays one point",
    ),
    pytest.param(
        "In your answer, outline a stabilization plan that protects the near-term goal while setting up "
        "long-term improvements.",
        ("a stabilization plan that protects the near-term goal", "setting up long-term improvements"),
        id="two substantial halves joined by while",
    ),
    pytest.param(
        "In your answer, describe shared rituals, decision criteria, and how you make space for discovery, "
        "delivery, and technical health.",
        ("shared rituals", "decision criteria", "how you make space for discovery, delivery, and technical health"),
        id="a trailing list stays with its point",
    ),
    pytest.param(
        "Interviewers want to understand how you balance speed, cost, and focus.",
        ("how you balance speed, cost, and focus",),
        id="no 'In your answer' clause: the guidance's own wording",
    ),
    pytest.param(
        "Employers ask this question to see if you can set direction that matches the runway.",
        ("you can set direction that matches the runway",),
        id="the 'Employers ask this' preamble is dropped",
    ),
    pytest.param(
        "In your answer, explain how you stay calm while the ward is shouting.",
        ("how you stay calm while the ward is shouting",),
        id="a 'while' circumstance (while + subject + verb) stays with its point",
    ),
    pytest.param(
        "In your answer, describe how you keep dispensing fast while checking every item.",
        ("how you keep dispensing fast", "checking every item"),
        id="'while' + an -ing clause is a second thing the candidate does: two points",
    ),
    pytest.param(
        "In your answer, explain how you balance cost, safety, and patient preference when choosing a brand.",
        ("how you balance cost, safety, and patient preference when choosing a brand",),
        id="bare nouns governed by one verb are one point",
    ),
    pytest.param(
        "In your answer, explain how you balance speed, cost, and focus.",
        ("how you balance speed, cost, and focus",),
        id="bare nouns governed by one verb, short list",
    ),
    pytest.param(
        "In your answer, show how you diagnose, set clear expectations, and support growth with measurable outcomes.",
        ("how you diagnose", "set clear expectations", "support growth with measurable outcomes"),
        id="a list of verbs after 'how you' is one point per verb",
    ),
    pytest.param(
        "In your answer, describe the situation, what you did to de-escalate, and the result.",
        ("the situation", "what you did to de-escalate", "the result"),
        id="items that are each a noun phrase or clause of their own split, short or long",
    ),
    pytest.param(
        "In your answer, cover: the risk, the mitigation, and who you tell.",
        ("the risk", "the mitigation", "who you tell"),
        id="a colon after the leading verb is dropped with it",
    ),
    pytest.param("", (), id="no guidance, no points"),
    pytest.param(None, (), id="missing guidance"),
]


@pytest.mark.parametrize(("intent", "expected"), CASES)
def test_talking_points_from_guidance(intent, expected):
    assert parse_talking_points(intent) == expected
