"""Matching a job posting to questions: phrases, job terms, relevance and the order to practise in."""

import numpy as np
import pytest

from rehearse.plans.match import (
    MIN_RELEVANCE,
    calibrate,
    distinctive,
    match,
    order,
    phrases,
    role_in_title,
    terms,
    written_forms,
)

POSTING = """Head of Platform Engineering

About us
- Lead the incident response process and run blameless postmortems.
- Hire and grow a team of 20 engineers; build the interview loop.
• Own the platform roadmap and its trade-offs with product leaders.
Benefits
"""


def test_phrases_are_the_lines_and_sentences_that_say_something():
    assert phrases(POSTING) == [
        "Head of Platform Engineering",
        "Lead the incident response process and run blameless postmortems.",
        "Hire and grow a team of 20 engineers;",
        "build the interview loop.",
        "Own the platform roadmap and its trade-offs with product leaders.",
    ]


@pytest.mark.parametrize(("text", "expected"), [
    ("Running incident postmortems", {"run", "incid", "postmortem", "run incid", "incid postmortem"}),
    ("the and of you", set()),
    ("Hiring engineers", {"hire", "engin", "hire engin"}),
])
def test_terms_are_stemmed_content_words_and_pairs(text, expected):
    assert terms(text) == expected


def test_relevance_is_the_share_of_other_questions_the_posting_is_closer_than():
    cut = ["incident response and postmortems", "hiring engineers"]
    vectors = np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32)
    questions = ["Tell me about an incident you led.", "How do you hire?", "What is your favourite colour?"]
    q_vectors = np.array([[0.9, 0.1], [0.2, 0.8], [-0.7, -0.7]], dtype=np.float32)
    found = {m.index: m for m in match(cut, vectors, questions, q_vectors, terms(" ".join(cut)),
                                       [terms(q) for q in questions])}
    # each of the first two is closer to its line than to either other question: 100%
    assert found[0].relevance == found[1].relevance == 1.0
    assert found[0].phrase == "incident response and postmortems" and found[1].phrase == "hiring engineers"
    assert found[0].meaning == pytest.approx(0.9 / np.hypot(0.9, 0.1), abs=1e-3)
    # the colour question points away from every line: nothing to show
    assert found[2].relevance == 0.0 and found[2].phrase is None


@pytest.mark.parametrize(("closeness", "expected"), [
    (0.95, 1.0),  # closer to the posting than to any other question
    (0.85, 0.5),  # as close as the middle of the others: the minimum a plan shows
    (0.70, 0.0),  # further than every other question: an unrelated posting, whatever the raw cosine
])
def test_calibration_is_against_the_banks_own_questions(closeness, expected):
    # question 0's cosines to the other four: 0.8, 0.84, 0.86, 0.9
    others = [0.8, 0.84, 0.86, 0.9]
    q = np.array([[1.0, 0.0]] + [[c, np.sqrt(1 - c * c)] for c in others], dtype=np.float32)
    got = calibrate(np.array([closeness] + [0.0] * 4, dtype=np.float32), q)
    assert got[0] == pytest.approx(expected)
    assert MIN_RELEVANCE == 0.5


def test_shared_terms_are_the_distinctive_ones_of_the_line_matched():
    questions = ["How do you run blameless postmortems for engineering teams?"] + [
        f"How do you lead engineering team number {i}?" for i in range(30)]
    posting = ["Run blameless postmortems after outages.", "Lumen Pay engineering, making payments simple."]
    found = match(posting, None, questions, None, terms(" ".join(posting)), [terms(q) for q in questions])
    first = next(m for m in found if m.index == 0)
    # "engineering" is in every question: it explains nothing; "postmortems" and "blameless" do
    assert set(first.shared_terms) == {"run", "blameless", "postmortem"} and first.phrase == posting[0]
    assert first.relevance == 0.75 and all(m.relevance == 0 for m in found if m.index)  # three of TERMS_FOR_FULL


def test_distinctive_terms_are_in_few_questions():
    many = [terms("engineering team hiring")] * 50 + [terms("engineering postmortem")]
    assert distinctive(many) == {"postmortem"}


def test_without_vectors_distinctive_terms_in_one_line_rank():
    questions = ["How do you run blameless postmortems?", "How do you plan a budget?"]
    found = match(["run blameless postmortems"], None, questions, None, terms("run blameless postmortems"),
                  [terms(q) for q in questions])
    assert [m.index for m in found] == [0, 1] and found[0].relevance > 0 == found[1].relevance


@pytest.mark.parametrize(("relevance", "weakness", "expected"), [
    ([0.8, 0.6, 0.4], [0.5, 0.5, 0.5], [0, 1, 2]),  # equal weakness: by relevance
    ([0.8, 0.7], [0.0, 1.0], [1, 0]),  # a weak competency lifts a slightly less relevant question
    ([0.9, 0.3], [0.0, 1.0], [0, 1]),  # but not a much less relevant one
])
def test_order(relevance, weakness, expected):
    assert order(relevance, weakness) == expected


ROLES = {1: "Engineering Manager", 2: "Head of Software Engineering", 3: "Staff Engineer",
         4: "VP of Engineering", 5: "Manager"}


@pytest.mark.parametrize(("title", "expected"), [
    ("Senior Engineering Manager, Payments Platform", 1),  # the longest name that fits: not "Manager"
    ("Head of Software Engineering (remote)", 2),
    ("VP, Engineering", 4),  # "of" and punctuation do not matter
    ("Staff Software Engineer", None),  # the words must come together
    ("Platform lead", None),
])
def test_the_role_a_posting_title_names(title, expected):
    assert role_in_title(title, ROLES) == expected


def test_shared_terms_are_shown_as_the_posting_wrote_them():
    forms = written_forms("Hire and grow engineers; run incident response.")
    assert forms[next(iter(terms("engineering")))] == "engineers" and forms["incid"] == "incident"


def test_a_phrase_close_to_every_question_does_not_take_them_all():
    cut = ["You have led engineers and talked to executives", "run incident response", "own the roadmap"]
    vectors = np.eye(3, dtype=np.float32)
    # every question sits close to the catch-all line; each is a little closer still to one responsibility
    q_vectors = np.array([[0.8, 0.6, 0.0], [0.8, 0.0, 0.6], [0.9, 0.1, 0.1]], dtype=np.float32)
    found = {m.index: m.phrase for m in match(cut, vectors, ["a", "b", "c"], q_vectors, set(), [set()] * 3)}
    assert found == {0: "run incident response", 1: "own the roadmap", 2: cut[0]}


def test_a_sentence_listing_several_duties_is_also_cut_into_them():
    assert phrases("We want someone to set the engineering strategy, grow and hire the team, and run incidents well.") == [
        "We want someone to set the engineering strategy, grow and hire the team, and run incidents well.",
        "We want someone to set the engineering strategy", "grow and hire the team", "run incidents well."]
