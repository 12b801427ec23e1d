"""The end report of a mock: per question with follow-ups beside, delivery, top suggestions, by competency."""

import pytest

from rehearse.mock.summary import ACROSS_ANSWERS, Item, missed_with_follow_up, summarise, where


def report(score, missed=(), covered=(), suggestions=(), lost=None, words=100, fillers=None):
    points = [{"point": p, "covered": False} for p in missed] + [{"point": p, "covered": True} for p in covered]
    breakdown = [{"part": part, "weight": weight, "value": value} for part, (weight, value) in (lost or {}).items()]
    return {"score": score, "talking_points": points, "suggestions": [{"kind": k, "message": m} for k, m in suggestions],
            "breakdown": breakdown, "delivery": {"words": words, "fillers": fillers or {}, "hedges": {}}}


def test_questions_follow_ups_and_competencies():
    items = [
        Item(1, False, "Q1", ("hiring",), 40, report(40, missed=["a plan"], covered=["b"])),
        Item(1, True, "Q1", ("hiring",), 70, report(70), prompt="You didn't mention a plan — ..."),
        Item(2, False, "Q2", ("strategy", "hiring"), 80, report(80), timed_out=True),
    ]
    summary = summarise(items)
    assert summary["score"] == 60 and summary["answered"] == 2 and summary["follow_ups"] == 1
    assert summary["timed_out"] == 1
    first = summary["questions"][0]
    assert (first["score"], first["missed"], first["follow_up"]["score"]) == (40, ["a plan"], 70)
    assert first["follow_up"]["question"].startswith("You didn't mention a plan")
    assert summary["competencies"] == [{"competency": "hiring", "score": 60, "questions": 2},
                                       {"competency": "strategy", "score": 80, "questions": 1}]


def test_the_top_three_suggestions_are_those_with_most_points_at_stake():
    items = [
        Item(1, False, "Q1", (), 50, report(50, suggestions=[("length", "Too short"), ("structure", "Use STAR")],
                                           lost={"delivery": (15, 0.9), "structure": (15, 0.2)})),
        Item(2, False, "Q2", (), 50, report(50, suggestions=[("specificity", "Add numbers"), ("structure", "Use STAR"),
                                                             ("we", "Say I")],
                                           lost={"specificity": (15, 0.5), "structure": (15, 0.6),
                                                 "delivery": (15, 0.9)})),
    ]
    top = summarise(items)["suggestions"]
    assert [s["kind"] for s in top] == ["structure", "specificity", "length"]
    assert top[0]["questions"] == [1, 2] and top[0]["points_at_stake"] == 18.0


def test_delivery_totals():
    items = [Item(1, False, "Q", (), 50, report(50, words=100, fillers={"um": 3}), words_per_minute=140.0),
             Item(2, False, "Q", (), 50, report(50, words=300, fillers={"like": 1}))]
    delivery = summarise(items)["delivery"]
    assert delivery == {"mean_words": 200, "fillers": 4, "fillers_per_100_words": 1.0, "hedges": 0,
                        "words_per_minute": 140}


def test_the_length_is_the_questions_answers_not_the_follow_ups_nor_an_empty_one():
    items = [Item(1, False, "Q1", (), 60, report(60, words=120)),
             Item(1, True, "Q1", (), 40, report(40, words=20), prompt="You didn't say how you measured it — ..."),
             Item(2, False, "Q2", (), 0, report(0, words=0), timed_out=True, empty=True)]
    summary = summarise(items)
    assert summary["delivery"]["mean_words"] == 120
    assert summary["delivery"]["fillers_per_100_words"] == 0.0  # fillers still count over every answer
    # the empty one is a question asked and lost to the clock: it counts, at 0, and says why
    assert (summary["asked"], summary["answered"], summary["unanswered"]) == (2, 1, 1)
    assert (summary["score"], summary["timed_out"]) == (30, 1)
    assert summary["questions"][1] | {"missed": None} == {
        "number": 2, "question": "Q2", "score": 0, "missed": None, "covered": [], "points": 0, "timed_out": True,
        "empty": True, "off_topic": None, "competencies": []}


def test_nothing_answered():
    summary = summarise([Item(1, False, "Q", (), None, None)])
    assert summary["score"] is None and summary["questions"] == [] and summary["suggestions"] == []


def test_one_suggestion_for_several_answers_says_what_holds_for_all_of_them():
    items = [
        Item(1, False, "Q1", (), 40, report(40, suggestions=[("length", "Too short: about 7 s spoken.")])),
        Item(2, False, "Q2", (), 42, report(42, suggestions=[("length", "Too short: about 40 s spoken.")])),
        Item(3, False, "Q3", (), 70, report(70, suggestions=[("structure", "Tell it as STAR.")])),
    ]
    by_kind = {s["kind"]: s for s in summarise(items)["suggestions"]}
    # neither answer's time is given for both: the report says it once, for both
    assert by_kind["length"]["message"] == ACROSS_ANSWERS["length"] and by_kind["length"]["questions"] == [1, 2]
    assert by_kind["structure"]["message"] == "Tell it as STAR."  # one answer: its own words


OFF = "This answer does not seem to address the question asked. It reads more like an answer to: “{}”"


def test_each_off_topic_answer_names_the_question_it_reads_like_alone():
    """"This answer … reads more like an answer to X" is said of one answer: the closest question is that answer's
    own, so the report never hangs one answer's X on another question (nor 'this answer' on three)."""
    items = [
        Item(1, False, "Q1", (), 10, report(10, suggestions=[("off_topic", OFF.format("Q7"))])),
        Item(2, False, "Q2", (), 12, report(12, suggestions=[("off_topic", OFF.format("Q9"))])),
        Item(3, False, "Q3", (), 11, report(11, suggestions=[("off_topic", OFF.format("Q7"))])),
        Item(3, True, "Q3", (), 9, report(9, suggestions=[("off_topic", OFF.format("Q7"))]), prompt="And then?"),
    ]
    off = [s for s in summarise(items)["suggestions"] if s["kind"] == "off_topic"]
    assert len(off) == 3 and all(len(s["questions"]) == 1 for s in off)
    named = {s["where"]: s["message"] for s in off}
    assert set(named) <= {"question 1", "question 2", "question 3", "the follow-up to question 3"}
    for answer, message in named.items():
        assert message == OFF.format("Q9" if answer == "question 2" else "Q7")


@pytest.mark.parametrize(("answers", "expected"), [
    ([(1, False)], "question 1"),  # one question: singular
    ([(1, False), (3, False)], "questions 1 and 3"),
    ([(1, True)], "the follow-up to question 1"),  # the follow-up's problem is not pinned on question 1
    ([(1, True), (2, True), (3, True)], "the follow-ups to questions 1, 2 and 3"),
    ([(2, False), (2, True)], "question 2 and its follow-up"),
    ([(1, False), (2, True)], "question 1; the follow-up to question 2"),
])
def test_a_suggestion_says_which_answers_it_is_about(answers, expected):
    assert where(answers) == expected


def test_off_topic_follow_ups_are_named_as_follow_ups():
    off = report(70, suggestions=[("off_topic", "This answer does not seem to address the question asked.")])
    items = [Item(n, False, f"Q{n}", (), 70, report(70)) for n in (1, 2)] + [
        Item(n, True, f"Follow-up {n}", (), 20, off) for n in (1, 2)]
    assert sorted(s["where"] for s in summarise(items)["suggestions"] if s["kind"] == "off_topic") == [
        "the follow-up to question 1", "the follow-up to question 2"]


def test_a_point_the_follow_up_covered_is_said_to_be_covered_when_asked():
    """The question's answer missed it (it stays "missed" there); its follow-up covered it, and says so."""
    items = [Item(1, False, "Q1", (), 40, report(40, missed=["a plan"], covered=["b"])),
             Item(1, True, "Q1", (), 70, report(70, covered=["a plan"]), prompt="You didn't mention a plan")]
    first = summarise(items)["questions"][0]
    assert first["missed"] == ["a plan"] and first["follow_up"]["covered"] == ["a plan"]
    assert first["follow_up"]["missed"] == []


def test_an_off_topic_answer_is_not_also_counted_for_each_point_it_missed():
    """Its off-topic suggestion stands for the points at stake; "cover X" beside it would count them twice."""
    off = report(8, missed=["a plan"], suggestions=[("off_topic", OFF.format("Q7")), ("missed_point", "Cover a plan")],
                 lost={"coverage": (50, 0.0)})
    off["on_topic"] = False
    kinds = [s["kind"] for s in summarise([Item(1, False, "Q1", (), 8, off)])["suggestions"]]
    assert kinds == ["off_topic"]


def test_a_point_given_when_asked_is_not_advised_again():
    """The follow-up covered it ("Covered when asked"), yet the advice still said "Cover the point …"."""
    main = report(40, missed=["a plan", "the outcome"], suggestions=[
        ("missed_point", "Cover the point “a plan”: you touch on it (“we planned”) but give it no substance."),
        ("missed_point", "Cover the point “the outcome”.")], lost={"coverage": (50, 0.5)})
    items = [Item(1, False, "Q1", (), 40, main),
             Item(1, True, "Q1", (), 70, report(70, covered=["a plan"]), prompt="You didn't mention a plan")]
    messages = [s["message"] for s in summarise(items)["suggestions"]]
    assert messages == ["Cover the point “the outcome”."]


def test_a_question_lost_to_the_clock_is_advised_as_over_not_as_still_to_score():
    """"Write or say an answer: there is nothing to score yet." on a finished mock's report."""
    empty = report(0, words=0, suggestions=[("empty", "Write or say an answer: there is nothing to score yet.")])
    top = summarise([Item(1, False, "Q1", (), 0, empty, timed_out=True, empty=True)])["suggestions"]
    assert [s["message"] for s in top] == ["Time ran out before you wrote anything: answer within the time, "
                                           "even briefly."]


def engine_report(score, breakdown, suggestions, missed=(), on_topic=True):
    """A report as the engine writes it: each part's weight, value and the points it gave; a cap's points (below
    zero) are what it took."""
    parts = [{"part": part, "weight": weight, "value": value, "points": points}
             for part, weight, value, points in breakdown]
    return {**report(score, missed=missed, suggestions=suggestions), "breakdown": parts, "on_topic": on_topic,
            "grade": "off-topic" if not on_topic else "weak"}


# Three answers of one mock as the engine (e5) reported them: two weak answers missing points, and an answer to
# "Why do you want to be an engineering manager?" about turning round an underperformer.
READS_LIKE = OFF.format("Tell me about a time you turned around an underperforming engineer. What did you do?")
WEAK_ONE = engine_report(
    31, [("coverage", 50.0, 0.3208, 16.04), ("structure", 5.0, 0.3, 1.5), ("specificity", 40.0, 0.3, 12.0),
         ("delivery", 5.0, 0.2, 1.0)],
    [("missed_point", f"Cover the point “{p}”.") for p in "abcd"] + [
        ("structure", "Lay out your approach as steps."), ("specificity", "Add specifics."), ("length", "Too short.")],
    missed="abcd")
WEAK_TWO = engine_report(
    37, [("coverage", 50.0, 0.4442, 22.21), ("structure", 5.0, 0.4, 2.0), ("specificity", 40.0, 0.3, 12.0),
         ("delivery", 5.0, 0.2, 1.0)],
    [("missed_point", f"Cover the point “{p}”.") for p in "efg"] + [
        ("structure", "Use STAR."), ("quantify_result", "Quantify the result."), ("specificity", "Add specifics."),
        ("length", "Too short.")],
    missed="efg")
ANOTHER_QUESTIONS = engine_report(
    16, [("coverage", 50.0, 0.3605, 0.0), ("structure", 5.0, 0.6, 3.0), ("specificity", 40.0, 1.0, 40.0),
         ("delivery", 5.0, 0.347, 1.73), ("off_topic", 0.0, 0.0, -29.07)],
    [("off_topic", READS_LIKE)] + [("missed_point", f"Cover the point “{p}”.") for p in "hijk"] + [
        ("length", "Too short.")],
    missed="hijk", on_topic=False)


def test_suggestions_are_ranked_by_the_points_their_answers_lost():
    """The off-topic answer lost all 50 coverage points (credited none, whatever the closeness said: 0.36) and
    29 more to the off-topic cap: 79 points, the most of any suggestion. Weighed as 50 × (1 − 0.36) it was 32,
    under each of the first answer's four missed points (each weighed as the whole coverage lost, 34), and
    was left out of the three."""
    items = [Item(1, False, "Q1", (), 31, WEAK_ONE), Item(2, False, "Q2", (), 37, WEAK_TWO),
             Item(3, False, "Q3", (), 16, ANOTHER_QUESTIONS)]
    top = summarise(items)["suggestions"]
    assert [(s["kind"], s["where"], s["points_at_stake"]) for s in top] == [
        ("off_topic", "question 3", 79.1),
        ("specificity", "questions 1 and 2", 56.0),
        ("length", "questions 1, 2 and 3", 11.3),  # the delivery points each answer lost: 4 + 4 + 3.3
    ]
    assert top[0]["message"] == READS_LIKE


def test_missed_points_share_the_coverage_their_answer_lost():
    """Four points missed in one answer lost its coverage points once, not four times."""
    top = summarise([Item(1, False, "Q1", (), 31, WEAK_ONE)])["suggestions"]
    assert [(s["kind"], s["points_at_stake"]) for s in top] == [
        ("specificity", 28.0), ("missed_point", 8.5), ("missed_point", 8.5)]


def test_an_off_topic_answer_says_so_beside_its_score():
    """As its own report does: the grade is "off-topic", and which question it reads like."""
    items = [Item(1, False, "Q1", (), 31, WEAK_ONE), Item(3, False, "Q3", (), 16, ANOTHER_QUESTIONS),
             Item(3, True, "Q3", (), 0, report(0, words=0), timed_out=True, empty=True)]
    questions = summarise(items)["questions"]
    assert [q["off_topic"] for q in questions] == [None, READS_LIKE]
    assert questions[1]["follow_up"]["off_topic"] is None  # time ran out: nothing said, nothing off topic


def test_the_counts_tell_questions_answered_from_those_left_empty_when_time_ran_out():
    """Question 3's time ran out before anything was written: it was asked (and scores 0), not answered."""
    items = [Item(1, False, "Q1", (), 60, report(60)),
             Item(2, False, "Q2", (), 50, report(50), timed_out=True),
             Item(3, False, "Q3", (), 0, report(0, words=0), timed_out=True, empty=True)]
    summary = summarise(items)
    assert {key: summary[key] for key in ("asked", "answered", "unanswered", "follow_ups", "timed_out")} == {
        "asked": 3, "answered": 2, "unanswered": 1, "follow_ups": 0, "timed_out": 2}
    assert summary["score"] == 37  # (60 + 50 + 0) / 3: the empty one counts 0


@pytest.mark.parametrize(("main", "follow_up", "missed"), [
    (report(40, missed=["a plan", "b"]), None, ["a plan", "b"]),  # no follow-up: as the answer's report says
    (report(40, missed=["a plan", "b"]), report(70, covered=["a plan"]), ["b"]),  # given once asked
    (report(40, missed=["a plan"]), report(20, missed=["a plan"]), ["a plan"]),  # asked, still missing
    (report(40, covered=["a plan"]), report(70, covered=["the result"]), []),
])
def test_a_point_the_follow_up_covered_is_not_missed(main, follow_up, missed):
    assert missed_with_follow_up(main, follow_up) == missed
