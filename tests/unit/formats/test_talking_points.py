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
    pytest.param("", (), id="no guidance, no points"),
    pytest.param(None, (), id="missing guidance"),
]


@pytest.mark.parametrize(("intent", "expected"), CASES)
def test_talking_points_from_guidance(intent, expected):
    assert parse_talking_points(intent) == expected
