"""The prep sheet's content: the best attempt per question, the points missed most often, stories."""

from rehearse.practice import service as practice
from rehearse.stories import service as stories
from rehearse.userdata.sheet import sheet

from .conftest import fake_report


def test_best_answers_most_missed_points_and_matching_stories_first(session, bank, users):
    ann, bob = users
    q0, q1 = bank["questions"][0], bank["questions"][1]
    for question, score, covered, answer in [(q0, 40, (False, False, True), "first try"),
                                             (q0, 80, (True, False, True), "better"),
                                             (q1, 30, (False, True, True), "hiring try")]:
        practice.record(session, user=ann, question=question, answer=answer,
                        report=fake_report(score, points=tuple(question.talking_points), covered=covered))
    practice.record(session, user=bob, question=q1, answer="bob", report=fake_report(10))
    stories.create(session, user=ann, data=stories.StoryInput(title="Zebra", action="x", competencies=("hiring",)))
    stories.create(session, user=ann, data=stories.StoryInput(title="Apple", action="y", competencies=("other",)))
    made = sheet(session, user=ann, role=bank["role"])
    assert [(a["question"].id, a["attempt"].answer, a["tries"]) for a in made["answers"]] == [
        (q0.id, "better", 2), (q1.id, "hiring try", 1)]
    assert made["missed"][0] == {"question": q0, "point": q0.talking_points[1], "times": 2, "tries": 2}
    assert {(m["point"], m["times"]) for m in made["missed"][1:]} == {(q0.talking_points[0], 1),
                                                                       (q1.talking_points[0], 1)}
    assert [s.title for s in made["stories"]] == ["Zebra", "Apple"]  # a story in the role's competencies first
    assert len(made["unpractised"]) == len(bank["questions"]) - 2


def test_a_point_the_mocks_follow_up_covered_is_not_one_you_tend_to_miss(session, bank, users):
    """The mock's report says the point was covered when asked; the prep sheet counts it covered too, by the
    same rule (mock.summary.missed_with_follow_up)."""
    from rehearse.mock import service as mocks

    ann = users[0]
    mock = mocks.create(session, user=ann, role=str(bank["role"].id), count=1, seed=3)
    item = mocks.current_item(mock)
    points = tuple(item.question.talking_points)
    follow = mocks.record_answer(session, user=ann, mock=mock, item=item, answer="An answer.",
                                 report=fake_report(40, points=points, covered=(False, True, True)))
    assert follow.follow_up_point == points[0]
    mocks.record_answer(session, user=ann, mock=mock, item=follow, answer="I did that.",
                        report=fake_report(80, points=(points[0],), covered=(True,)))
    [entry] = mock.summary["questions"]
    assert entry["missed"] == [points[0]] and entry["follow_up"]["covered"] == [points[0]]  # covered when asked

    made = sheet(session, user=ann, role=bank["role"])
    assert made["missed"] == []
    [answer] = made["answers"]
    assert (answer["missed"], answer["when_asked"], answer["covered"]) == ([], [points[0]], list(points[1:]))
