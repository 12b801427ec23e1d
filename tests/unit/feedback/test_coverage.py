"""What a report must say about particular answers: coverage, relevance, score, suggestions."""

from __future__ import annotations

import pytest

from rehearse.feedback import Question, analyze

from .conftest import INCIDENTS, STRATEGY, UNDERPERFORMER, needs_model

STRONG = ("In my first month I'd interview the leads and the CEO. Then I'd break the year into "
          "three stages with a checkpoint each: fix reliability in Q1, rebuild the platform in "
          "Q2 and Q3, and speed up delivery in Q4. I'd accept slower feature delivery for two "
          "quarters in exchange for halving incidents, and say so openly. We agreed quarterly "
          "goals with the CEO and mapped every engineering milestone to one of them.")
WEAK = ("Um, I think strategy is really important, you know. At the end of the day I'm a "
        "people person and I would basically talk to everyone and make a plan.")
KEYWORDS_ONLY = ("OKRs are important, I always think about OKRs. Trade-offs matter too. "
                 "Milestones are key.")
INCIDENT_ANSWER = ("I'd set up an on-call rotation with three severity levels so it is clear "
                   "who responds. After every serious incident we run a blameless postmortem "
                   "and track each action item in Jira until it is closed. I'd report mean time "
                   "to recovery monthly; at my last company it fell from four hours to forty "
                   "minutes in two quarters.")


@pytest.mark.parametrize(("answer", "covered", "needs_semantics"), [
    (STRONG, {0, 2}, False),
    ("I would plan the year in three phases: stabilise the platform by March, grow the team "
     "over the summer, then speed up delivery, each phase ending with a milestone we review "
     "with the leadership team.", {0}, True),
])
def test_an_answer_covers_the_points_it_makes(backend, lexicon, answer, covered,
                                              needs_semantics):
    if needs_semantics and not backend.semantic:
        pytest.skip("a paraphrase: the lexical fallback is not expected to see it")
    r = analyze(STRATEGY, answer, backend=backend, lexicon=lexicon)
    got = {i for i, t in enumerate(r.talking_points) if t.covered}
    assert covered <= got
    for i in covered:
        assert r.talking_points[i].evidence  # each covered point names its sentence


@pytest.mark.parametrize("answer", [KEYWORDS_ONLY, WEAK])
def test_keywords_or_vagueness_without_substance_cover_nothing(backend, lexicon, answer):
    r = analyze(STRATEGY, answer, backend=backend, lexicon=lexicon)
    assert not any(t.covered for t in r.talking_points)
    assert r.coverage < 0.3


def test_a_strong_answer_beats_a_weak_one(backend, lexicon):
    strong = analyze(STRATEGY, STRONG, backend=backend, lexicon=lexicon)
    weak = analyze(STRATEGY, WEAK, backend=backend, lexicon=lexicon)
    assert strong.score > weak.score + 20
    assert strong.coverage > weak.coverage


def test_missed_points_come_with_the_example_sentence_that_shows_them(backend, lexicon):
    r = analyze(STRATEGY, WEAK, backend=backend, lexicon=lexicon)
    missed = [s for s in r.suggestions if s.kind == "missed_point"]
    assert len(missed) == 3
    assert all(s.example and s.example in STRATEGY.example_answer for s in missed)
    assert "trade-offs" in missed[1].message


@pytest.mark.parametrize(("asked", "answer"), [
    (STRATEGY, INCIDENT_ANSWER),
    (UNDERPERFORMER, INCIDENT_ANSWER),
])
def test_a_strong_answer_to_another_question_is_off_topic(backend, lexicon, asked, answer):
    r = analyze(asked, answer, backend=backend, lexicon=lexicon)
    assert r.on_topic is False and r.grade == "off-topic"
    assert r.score <= 25
    assert r.suggestions[0].kind == "off_topic"
    assert INCIDENTS.text in r.suggestions[0].message


def test_the_same_answer_to_its_own_question_is_on_topic(backend, lexicon):
    r = analyze(INCIDENTS, INCIDENT_ANSWER, backend=backend, lexicon=lexicon)
    assert r.on_topic and r.score >= 60
    assert r.coverage >= 0.6


@pytest.mark.parametrize("answer", [
    "I would talk to the team and the CEO and write a plan for the year.",
    "I think I'd probably look at what the company wants and set some goals.",
])
def test_a_weak_but_on_topic_answer_stays_on_topic(backend, lexicon, answer):
    assert analyze(STRATEGY, answer, backend=backend, lexicon=lexicon).on_topic


@needs_model
def test_paraphrase_counts_with_the_model(onnx_backend, lexicon):
    answer = ("We agreed quarterly goals with the CEO and mapped every engineering milestone to "
              "one of them, so each team could see which company objective its work served.")
    r = analyze(STRATEGY, answer, backend=onnx_backend, lexicon=lexicon)
    assert r.talking_points[2].covered
    assert "quarterly goals" in r.talking_points[2].evidence


@needs_model
def test_the_model_backend_caches_rubric_vectors(onnx_backend):
    from rehearse.feedback.backends import _VectorCache

    cache: _VectorCache = onnx_backend._cache
    analyze(UNDERPERFORMER, STRONG, backend=onnx_backend)
    before = cache.misses
    analyze(UNDERPERFORMER, WEAK, backend=onnx_backend)
    assert cache.misses == before  # talking points and example were not encoded again


TURNAROUND = Question(
    text="Tell me about a time you turned around an underperforming engineer. What did you do?",
    talking_points=(
        "how you noticed the problem and confirmed it with evidence",
        "the conversation where you raised it directly",
        "the concrete improvement plan and support you offered",
        "the measurable outcome and what you learned",
    ),
    example_answer=(
        "On my last team a mid-level backend engineer, Tom, had three pull requests in a row reverted "
        "and kept missing his sprint commitments. Before saying anything I checked it was not just my "
        "perception: I looked at two months of his work, read the review comments, and asked his tech "
        "lead what she had seen. In our next one-on-one I raised it directly, with the specific examples, "
        "and asked what was going on. He admitted he was unsure about our new event-driven architecture "
        "and embarrassed to ask for help. We agreed a six-week plan: pairing twice a week with a senior "
        "engineer, smaller tickets with clear acceptance criteria, and a 15-minute weekly check-in. By "
        "week five he had shipped a full feature with no reverts, and six months later he was reviewing "
        "other people's code on that service. My lesson was to raise concerns after two weeks rather "
        "than two months."
    ),
)


def test_the_example_shown_for_the_last_point_comes_from_the_end_of_the_model_answer(backend):
    """Rubrics list points in the order an answer makes them: the outcome is not the opening."""
    report = analyze(TURNAROUND, "I talked to him.", backend=backend)
    outcome = report.talking_points[3]
    assert outcome.example in ("By week five he had shipped a full feature with no reverts, and six months "
                               "later he was reviewing other people's code on that service.",
                               "My lesson was to raise concerns after two weeks rather than two months.")
    assert "one-on-one" in report.talking_points[1].example


def test_a_hypothetical_answer_to_a_behavioural_question_is_held_below_strong(backend, lexicon):
    answer = ("I would first look at the data to confirm there is really a performance problem. "
              "Then I would have a direct conversation in a one-on-one. I would agree a clear "
              "improvement plan with pairing twice a week over six weeks. Finally I would measure "
              "the outcome.")
    r = analyze(UNDERPERFORMER, answer, backend=backend, lexicon=lexicon)
    assert r.score <= 55 and r.grade in ("fair", "weak", "poor")
    assert [b.part for b in r.breakdown if b.points < 0] in ([], ["hypothetical"])
    assert r.structure.star["result"] is False  # "I would measure the outcome" is not a result
    kinds = [s.kind for s in r.suggestions]
    assert "real_example" in kinds and "structure" not in kinds and "quantify_result" not in kinds


def test_an_off_topic_answer_is_not_told_it_touches_on_points(backend, lexicon):
    r = analyze(UNDERPERFORMER, INCIDENT_ANSWER, backend=backend, lexicon=lexicon)
    assert not r.on_topic
    assert not any("you touch on it" in s.message for s in r.suggestions)
    assert not any(t.covered or t.evidence for t in r.talking_points)  # nothing credited to another story


def test_a_sentence_close_to_several_points_is_shown_for_one_and_the_others_get_their_own():
    import numpy as np

    from rehearse.feedback.prepare import _shown_examples

    # sentence 0 shares a word with every point ("my team ran sprints" / "ran it as a trial");
    # each point's own sentence is a little less close to it than sentence 0 is to point 0
    closeness = np.array([[0.90, 0.50, 0.40],
                          [0.85, 0.80, 0.40],
                          [0.84, 0.45, 0.78]])
    assert _shown_examples(closeness) == [0, 1, 2]
    # more points than sentences: once every sentence is shown, the rest take their closest
    assert _shown_examples(closeness[:, :2]) == [0, 1, 0]


def test_the_example_shown_for_a_missed_point_drops_a_star_heading():
    from rehearse.feedback.text import without_label

    assert without_label("Task: ship the payments migration by March.") == "Ship the payments migration by March."
    assert without_label("Results mattered more than anything.") == "Results mattered more than anything."


@pytest.mark.parametrize(("sentence", "introduces"), [
    ("First I'd ask what problem we are really solving.", True),
    ("Within four months the signals were bad.", True),
    ("Here is what I changed:", True),
    ("We cut the p95 latency from 800 ms to 200 ms.", False),  # short, but it shows something
    ("I proposed a modular monolith with clear seams and decision checkpoints tied to scaling signals.", False),
])
def test_a_short_example_sentence_with_nothing_concrete_introduces_the_next(sentence, introduces):
    from rehearse.feedback.prepare import _introduces

    assert _introduces(sentence) is introduces


@needs_model
def test_the_example_for_a_missed_point_brings_the_sentence_its_short_lead_in_introduces(onnx_backend):
    """"Within four months the signals were bad." alone shows no signal: the sentence after it does
    (the word-matching fallback shows the next sentence for another point, and so shows the lead-in alone)."""
    question = Question(
        text="Tell me about a time you split a team that had grown too large.",
        talking_points=["the signals that the team was too large", "how you chose where to split",
                        "the outcome of the split"],
        example_answer=("I led a platform team that grew from six to fourteen engineers in a year. "
                        "Within four months the signals were bad. Planning took two hours, and nobody "
                        "knew who owned the failing nightly export job. I split along the code that "
                        "changed together: billing integrations in one team and the data pipeline in "
                        "the other, each with its own on-call. Afterwards both teams released twice as "
                        "often, and planning went back to forty minutes."))
    report = analyze(question, "I talked to my manager about it.", backend=onnx_backend)
    signals = report.talking_points[0].example
    assert signals.startswith("Within four months the signals were bad. Planning took two hours")


def test_a_story_that_ends_on_what_was_done_tells_no_outcome(backend):
    """The outcome point is a near miss, not covered, when the story tells no result: the report then
    asks for one rather than quoting an action as "the measurable outcome"."""
    answer = ("Last spring a backend engineer on my team had three pull requests reverted in a month. "
              "I read two months of his reviews and asked his tech lead before raising it with him. "
              "We agreed a six-week plan with pairing twice a week and smaller tickets, and I moved his "
              "on-call week so he could focus.")
    r = analyze(UNDERPERFORMER, answer, backend=backend)
    outcome = r.talking_points[2]
    assert not outcome.covered and outcome.strength <= 0.45
    assert r.structure.star["result"] is False
    assert any(s.kind == "structure" and "result" in s.message for s in r.suggestions)
    assert not any(s.kind == "quantify_result" for s in r.suggestions)  # no result to put numbers on
    told = analyze(UNDERPERFORMER, answer + " By week five he shipped a feature with no reverts.", backend=backend)
    assert told.structure.star["result"] is True


def test_an_answer_whose_words_point_to_another_question_is_told_so_without_losing_points(backend):
    """The relevance judge let it through; its words match another question of the bank far better
    (BM25 ratio): the report says to check it answers the question asked, and names the other."""
    from rehearse.feedback.advice import advice_for

    r = analyze(UNDERPERFORMER, "We agreed a six-week plan with pairing.", backend=backend)
    args = (r.talking_points, r.structure, r.specificity, r.delivery, True)
    near = {"bm25_ratio": -1.2, "closest_other_question": "Tell me about a hiring decision you got wrong."}
    [told] = [s for s in advice_for(*args, near, r.coverage_basis) if s.kind == "other_question"]
    assert "hiring decision you got wrong" in told.message
    for detail in ({**near, "bm25_ratio": -0.2}, {"bm25_ratio": -1.2}):
        assert not any(s.kind == "other_question" for s in advice_for(*args, detail, r.coverage_basis))


def test_the_other_question_is_named_only_where_both_word_measures_point_to_it(backend):
    """The closest question by shared words and the one the BM25 ratio compares with may differ (an
    answer about hiring "matched" an incident question): the report then says its words point elsewhere
    without naming a question the answer has nothing to do with."""
    from rehearse.feedback.advice import advice_for

    r = analyze(UNDERPERFORMER, "We agreed a six-week plan with pairing.", backend=backend)
    args = (r.talking_points, r.structure, r.specificity, r.delivery, True)
    hiring = "Tell me about a hiring decision you got wrong."
    agreed = {"bm25_ratio": -1.2, "closest_other_question": hiring, "words_closest_question": hiring}
    differ = {**agreed, "words_closest_question": "Describe an incident your team caused."}
    [named] = [s for s in advice_for(*args, agreed, r.coverage_basis) if s.kind == "other_question"]
    [unnamed] = [s for s in advice_for(*args, differ, r.coverage_basis) if s.kind == "other_question"]
    assert hiring in named.message
    assert "“" not in unnamed.message and "other questions of the bank" in unnamed.message


def test_specifics_of_something_else_earn_no_specificity(backend, lexicon):
    """A detailed answer about another subject names numbers and time frames, but they are not
    specifics of this answer: the score counts specifics as far as the answer covers the points."""
    recipe = ("Last Sunday I made carbonara for 6 friends. I cooked 500 grams of spaghetti for exactly "
              "9 minutes, then mixed 4 egg yolks with 100 grams of pecorino and stirred it in off the heat "
              "within 30 seconds.")
    report = analyze(STRATEGY, recipe, backend=backend, lexicon=lexicon)
    assert report.specificity.score > 0.5  # the specifics are found and listed...
    item = next(b for b in report.breakdown if b.part == "specificity")
    assert item.value < report.specificity.score and item.note  # ...but not credited in full, and said so
    assert report.score < 30
    on_topic = analyze(STRATEGY, "I would plan three phases over 12 months, each with a milestone, and tie every "
                       "engineering goal to a company OKR reviewed each quarter.", backend=backend, lexicon=lexicon)
    item = next(b for b in on_topic.breakdown if b.part == "specificity")
    assert item.value == round(on_topic.specificity.score, 4) and not item.note
