"""Follow-up questions come from what the answer missed, phrased from the point by its kind."""

import pytest

from rehearse.mock.followup import DEFAULT_CLOSES, POINT_KINDS, _as_clause, choose, phrase_missed_point, point_kind


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
    # protecting people is not involving them, and runbooks-and-escalation names two things: the neutral close
    ("how you protect people from burnout", None, "other", "You didn't say how you protect people from burnout — how "
                                                           "would you cover that?"),
    ("runbooks and escalation for risky deploys", None, "other", None),
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


# Points of the built-in bank, each with the follow-up that asks for what it names. A point is classed by its
# head (the thing it names first), not by a word anywhere in it: "evidence linking the debt to outcomes the PM
# cares about" was a measuring point because of "outcomes", and its follow-up asked for a success number,
# which the answer was then scored against the evidence point for.
@pytest.mark.parametrize(("point", "question_kind", "prompt"), [
    ("evidence linking the debt to outcomes the PM cares about", "situational",
     "You didn't mention evidence linking the debt to outcomes the PM cares about — how would you cover that?"),
    # measuring points: a measure is the head, or the head is measured
    ("flow metrics such as cycle time and deployment frequency", "situational",
     "You didn't mention flow metrics such as cycle time and deployment frequency — what would you measure, and what "
     "number would tell you it worked?"),
    ("how you would measure whether the fix worked", "situational",
     "You didn't say how you would measure whether the fix worked — what would you measure, and what number would "
     "tell you it worked?"),
    ("the measured improvement after the change", "behavioural",
     "You didn't mention the measured improvement after the change — what changed, in numbers?"),
    ("measurable signs the organisation was healthier afterwards", "behavioural",
     "You didn't mention measurable signs the organisation was healthier afterwards — what changed, in numbers?"),
    # a measuring word after the head, or in a quantity of other things, makes no measuring point
    ("the data that revealed the problem", "behavioural",
     "You didn't mention the data that revealed the problem — can you tell me about that?"),
    ("a small number of owned action items", None,
     "You didn't mention a small number of owned action items — how would you cover that?"),
    ("the result compared with what you promised", "behavioural",
     "You didn't mention the result compared with what you promised — can you tell me about that?"),
    ("the baseline measurement you established first", "behavioural",  # a starting number, not a change
     "You didn't mention the baseline measurement you established first — can you tell me about that?"),
    # an act is classed by its verb, not by its object
    ("mapping key-person risk and succession for each critical role", "situational",
     "You didn't mention mapping key-person risk and succession for each critical role — how would you cover that?"),
    ("retaining key people during the first months", "situational",
     "You didn't mention retaining key people during the first months — how would you cover that?"),
    ("jointly prioritising with the head of product", "situational",
     "You didn't mention jointly prioritising with the head of product — what would you weigh, and what would you "
     "give up?"),
    # a modifier is not the head: people signals are signals, a hiring plan broken down by team is a breakdown
    ("people signals such as engagement and retention", "situational",
     "You didn't mention people signals such as engagement and retention — how would you cover that?"),
    ("the business framing you used with leadership", "behavioural",
     "You didn't mention the business framing you used with leadership — can you tell me about that?"),
    ("a hiring plan broken down by team and seniority", "situational",
     "You didn't mention a hiring plan broken down by team and seniority — how would you cover that?"),
    ("a staged plan with checkpoints to stop", "situational",
     "You didn't mention a staged plan with checkpoints to stop — what would you do first, and what next?"),
    ("the options for fixing or mitigating before launch", "situational",
     "You didn't mention the options for fixing or mitigating before launch — what would you weigh, and what would "
     "you give up?"),
    # two things named: a close about one of them would leave the other out
    ("the measurable outcome and what you learned", "behavioural",
     "You didn't mention the measurable outcome and what you learned — can you tell me about that?"),
    ("the delivery metrics you introduced and why", "behavioural",
     "You didn't mention the delivery metrics you introduced and why — can you tell me about that?"),
    ("the incident and its immediate mitigation", "behavioural",
     "You didn't mention the incident and its immediate mitigation — can you tell me about that?"),
])
def test_the_follow_up_asks_for_what_the_point_names(point, question_kind, prompt):
    assert phrase_missed_point(point, question_kind) == prompt


def test_the_question_kind_sets_the_tense():
    given = report([("how you measured the impact", False)])
    assert choose(given, question_kind="behavioural").prompt.endswith("what changed, in numbers?")
    assert choose(given, question_kind="situational").prompt.endswith("tell you it worked?")


def test_the_same_report_always_gives_the_same_follow_up():
    given = report([("a hiring plan", True), ("onboarding", False)])
    assert len({choose(given) for _ in range(5)}) == 1


def test_every_follow_up_of_the_built_in_bank_names_its_point():
    """The follow-up is scored against the point it was made from, so it names that point in the point's own
    words, and asks at most what one close asks."""
    from rehearse.bank.builtin import builtin_docs
    from rehearse.formats import parse_talking_points

    closes = {close for _, _, *pair in POINT_KINDS for close in pair} | set(DEFAULT_CLOSES)
    asked = 0
    for bank in builtin_docs():
        for role in bank.roles:
            for question in role.questions:
                for point in question.talking_points or parse_talking_points(question.intent):
                    prompt = phrase_missed_point(point, question.kind)
                    said, close = prompt.split(" — ")
                    assert said.endswith(_as_clause(point)) and close in closes, prompt
                    asked += 1
    assert asked > 300  # the whole bank, not an empty read
