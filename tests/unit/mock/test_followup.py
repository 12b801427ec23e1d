"""Follow-up questions come from what the answer missed, phrased from the point by its kind."""

import pytest

from rehearse.mock.followup import choose, phrase_missed_point, point_kind


def report(points=(), star=None, quantified=None, framework=None, verdict="ok"):
    return {
        "talking_points": [{"point": p, "covered": c} for p, c in points],
        "structure": {"star": star, "result_quantified": quantified, "framework": framework},
        "delivery": {"length_verdict": verdict},
    }


ALL_STAR = {"situation": True, "task": True, "action": True, "result": True}


@pytest.mark.parametrize(("given", "reason", "point"), [
    # the first missed point in rubric order, whatever comes after
    (report([("a phased plan", True), ("key trade-offs", False), ("how you tie goals to OKRs", False)]),
     "missed_point", "key trade-offs"),
    (report([("how you measured the result", False)], star=ALL_STAR), "missed_point", "how you measured the result"),
    # every point covered: the missing STAR part, result first
    (report([("x", True)], star={**ALL_STAR, "result": False, "task": False}), "star_result",
     "the result and what you learned"),
    (report([("x", True)], star={**ALL_STAR, "situation": False}), "star_situation",
     "the situation and what was at stake"),
    # complete STAR, result without numbers
    (report([("x", True)], star=ALL_STAR, quantified=False), "quantify", "the result in numbers"),
    # situational, no steps laid out
    (report([("x", True)], framework=False), "steps", "the steps in order"),
])
def test_the_follow_up_targets_what_was_missed(given, reason, point):
    follow_up = choose(given)
    assert (follow_up.reason, follow_up.point) == (reason, point)


@pytest.mark.parametrize("given", [
    report([("x", True)], star=ALL_STAR, quantified=True),
    report([("x", True)], framework=True),
    report([("x", False)], verdict="empty"),  # nothing said: nothing to follow up
    {},
])
def test_no_follow_up_when_nothing_obvious_is_missing(given):
    assert choose(given) is None


def test_rubric_order_wins_over_report_order():
    given = report([("the risks", False), ("the plan", False)])
    assert choose(given, talking_points=["the plan", "the risks"]).point == "the plan"


@pytest.mark.parametrize(("point", "question_kind", "kind", "prompt"), [
    ("how you measured success", "behavioural", "measure",
     "You didn't say how you measured success — what changed, in numbers?"),
    ("how you would measure success", "situational", "measure",
     "You didn't say how you would measure success — what would you measure, and what number would tell you it "
     "worked?"),
    ("How you communicated with customers", "behavioural", "people",
     "You didn't say how you communicated with customers — who was involved, and how did you bring them along?"),
    ("key trade-offs", "situational", "tradeoff",
     "You didn't mention key trade-offs — what would you weigh, and what would you give up?"),
    ("how you protect people from burnout", None, "people", None),
    ("runbooks and escalation for risky deploys", None, "risk", None),
    ("a phased plan", "situational", "plan", "You didn't mention a phased plan — what would you do first, and what "
                                             "next?"),
    ("OKRs for the platform", "behavioural", "measure", "You didn't mention OKRs for the platform — what changed, "
                                                        "in numbers?"),
    ("your personal motivation", "behavioural", "other",
     "You didn't mention your personal motivation — can you tell me about that?"),
    ("your personal motivation", None, "other", "You didn't mention your personal motivation — how would you cover "
                                                "that?"),
    # a point that already asks for something is read by what it asks, not by every word in it
    ("what you did during the incident to support the responders", "behavioural", "other",
     "You didn't say what you did during the incident to support the responders — can you tell me about that?"),
    ("psychological safety so people raise real problems", None, "other",
     "You didn't mention psychological safety so people raise real problems — how would you cover that?"),
    # an instruction is something done: "You didn't mention recount and check recent entries" read as nonsense
    ("recount and check recent entries", "situational", "other",
     "You didn't say whether you would recount and check recent entries — how would you cover that?"),
    ("Escalate to the pharmacist in charge", "behavioural", "other",
     "You didn't say whether you escalate to the pharmacist in charge — can you tell me about that?"),
])
def test_the_prompt_is_phrased_from_the_point_by_its_kind(point, question_kind, kind, prompt):
    assert point_kind(point, question_kind)[0] == kind
    if prompt:
        assert phrase_missed_point(point, question_kind) == prompt


def test_the_question_kind_sets_the_tense():
    given = report([("how you measured the impact", False)])
    assert choose(given, question_kind="behavioural").prompt.endswith("what changed, in numbers?")
    assert choose(given, question_kind="situational").prompt.endswith("tell you it worked?")


def test_the_same_report_always_gives_the_same_follow_up():
    given = report([("a hiring plan", True), ("onboarding", False)])
    assert len({choose(given) for _ in range(5)}) == 1
