"""Prep plans on a real database: the role that fits, relevant questions first, weak spots lifted,
feeding the review queue and a mock; bad postings refused."""

import pytest

from rehearse.bank.models import Role
from rehearse.plans import service as plans
from rehearse.practice import service as practice
from rehearse.review.models import ReviewCard

from .conftest import fake_report

POSTING = """Engineering Manager, Reliability

You will lead our production incident response: coordinate the response to major outages, communicate with
customers during incidents, and drive the changes afterwards so they do not happen again.
You will also set up on-call rotations with runbooks and protect the team from burnout.
"""


@pytest.mark.parametrize("backend", ["lexical", "auto"])
def test_the_plan_puts_the_matching_questions_first_with_what_matched(session, bank, users, backend):
    ann = users[0]
    plan = plans.make(session, user=ann, posting=POSTING, backend=backend)
    items = plans.plan_view(session, plan)
    top = {items[0]["question_id"], items[1]["question_id"]}
    incident_questions = {bank["questions"][0].id, bank["questions"][5].id}  # the incident and on-call questions
    assert top == incident_questions
    assert items[0]["phrase"] and items[0]["terms"]
    assert plan.role_id == bank["role"].id and plan.title.startswith("Engineering Manager, Reliability")
    assert session.get(Role, plan.role_id) is not None


def test_weak_competencies_come_earlier(session, bank, users):
    ann = users[0]
    posting = ("We want a leader to grow the team: hiring plans, interview loops, onboarding, and to handle "
               "production incidents and on-call with runbooks.")
    before = [i["question_id"] for i in plans.make(session, user=ann, posting=posting, backend="lexical").items]
    # Ann covers every point on incidents and none on hiring: hiring questions move up.
    for question, covered in ((bank["questions"][0], (True, True, True)), (bank["questions"][1], (False,) * 3)):
        practice.record(session, user=ann, question=question, answer="x", report=fake_report(50, covered=covered))
    after = [i["question_id"] for i in plans.make(session, user=ann, posting=posting, backend="lexical").items]
    hiring, incident = bank["questions"][1].id, bank["questions"][0].id
    assert after.index(hiring) <= before.index(hiring) and after.index(incident) >= before.index(incident)
    assert set(after[:2]) == {hiring, bank["questions"][6].id}  # both hiring questions before any incident one


def test_a_saved_plan_reorders_by_the_practice_done_since(session, bank, users):
    """The order "the most urgent first" is the user's data when the plan is shown, as the weak spot is: a plan
    made before any practice must not keep every question at the not-practised weakness for weeks."""
    ann = users[0]
    posting = ("We want a leader to grow the team: hiring plans, interview loops, onboarding, and to handle "
               "production incidents and on-call with runbooks.")
    plan = plans.make(session, user=ann, posting=posting, backend="lexical")
    assert {i["weakness"] for i in plans.plan_view(session, plan)} == {plans.UNKNOWN_WEAKNESS}
    # Ann covers every point on hiring and none on incidents since: incident questions move up, hiring down.
    for question, covered in ((bank["questions"][1], (True, True, True)), (bank["questions"][0], (False,) * 3)):
        practice.record(session, user=ann, question=question, answer="x", report=fake_report(50, covered=covered))
    shown = plans.plan_view(session, plan)
    weakness = {i["question_id"]: i["weakness"] for i in shown}
    hiring, incident = bank["questions"][1].id, bank["questions"][0].id
    assert (weakness[hiring], weakness[incident]) == (0.0, 1.0)
    fresh = plans.make(session, user=ann, posting=posting, backend="lexical")
    assert [i["question_id"] for i in shown] == [i["question_id"] for i in fresh.items]  # as if made today
    assert [i["question_id"] for i in shown] != [i["question_id"] for i in plan.items]  # not as stored
    urgency = [i["relevance"] * (0.5 + i["weakness"]) for i in shown]
    assert urgency == sorted(urgency, reverse=True)
    mock = plans.start_mock(session, user=ann, plan_id=plan.id)  # the first five as now shown
    assert [i.question_id for i in mock.items] == [i["question_id"] for i in shown[:5]]


def test_the_plan_feeds_the_review_queue_and_a_mock(session, bank, users):
    ann = users[0]
    plan = plans.make(session, user=ann, posting=POSTING, backend="lexical")
    assert plans.to_review(session, user=ann, plan_id=plan.id) == len(plan.items)
    assert plans.to_review(session, user=ann, plan_id=plan.id) == 0  # already there: schedules kept
    assert session.query(ReviewCard).filter_by(user_id=ann.id).count() == len(plan.items)
    mock = plans.start_mock(session, user=ann, plan_id=plan.id)
    assert [i.question_id for i in mock.items] == [i["question_id"] for i in plan.items[:5]]


def test_the_latest_score_and_weak_spot_are_the_latest_answers_when_the_plan_is_shown(session, bank, users):
    """A plan is used for weeks: "a weak spot for you: 3 last time" must not outlive the next, better answer."""
    ann = users[0]
    incident = bank["questions"][0]
    practice.record(session, user=ann, question=incident, answer="x", report=fake_report(3))
    plan = plans.make(session, user=ann, posting=POSTING, backend="lexical")
    shown = {i["question_id"]: i for i in plans.plan_view(session, plan)}
    assert (shown[incident.id]["last_score"], shown[incident.id]["weak_spot"]) == (3, True)
    practice.record(session, user=ann, question=incident, answer="y", report=fake_report(76))
    shown = {i["question_id"]: i for i in plans.plan_view(session, plan)}
    assert (shown[incident.id]["last_score"], shown[incident.id]["weak_spot"]) == (76, False)
    on_call = bank["questions"][5]  # not answered when the plan was made: a weak spot once answered weakly
    assert shown[on_call.id]["last_score"] is None
    practice.record(session, user=ann, question=on_call, answer="z", report=fake_report(40))
    shown = {i["question_id"]: i for i in plans.plan_view(session, plan)}
    assert (shown[on_call.id]["last_score"], shown[on_call.id]["weak_spot"]) == (40, True)


@pytest.mark.parametrize(("posting", "status", "message"), [
    ("", 422, "Paste the job posting"),
    ("   \n  ", 422, "at least 80 characters"),
    ("Engineer wanted. " * 2, 422, "at least 80"),
    ("x" * 1_000_000, 413, "1,000,000 characters long; the limit is 30,000"),
    ("nul \x00 " * 30, 400, "NUL"),
])
def test_bad_postings_are_refused_and_nothing_is_saved(session, bank, users, posting, status, message):
    with pytest.raises(plans.PlanRejected, match=message) as rejected:
        plans.make(session, user=users[0], posting=posting)
    assert rejected.value.status == status
    assert plans.list_plans(session, user=users[0]) == []


def test_plans_are_their_owners_alone(session, bank, users):
    ann, bob = users
    plan = plans.make(session, user=ann, posting=POSTING, backend="lexical")
    assert plans.get(session, user=bob, plan_id=plan.id) is None and plans.list_plans(session, user=bob) == []
    for call in (plans.to_review, plans.start_mock, plans.get_or_404):
        with pytest.raises(plans.PlanRejected) as rejected:
            call(session, user=bob, plan_id=plan.id)
        assert rejected.value.status == 404
