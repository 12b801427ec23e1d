"""Matching a job posting to questions: phrases, job terms, relevance and the order to practise in."""

import numpy as np
import pytest

from rehearse.plans.match import match, order, phrases, terms

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


def test_relevance_mixes_meaning_and_shared_terms_and_names_the_phrase():
    cut = ["incident response and postmortems", "hiring engineers"]
    vectors = np.array([[1.0, 0.0], [0.0, 1.0]], dtype=np.float32)
    questions = ["Tell me about an incident you led.", "How do you hire?", "What is your favourite colour?"]
    q_vectors = np.array([[0.9, 0.1], [0.2, 0.8], [0.0, 0.0]], dtype=np.float32)
    found = match(cut, vectors, questions, q_vectors, terms(" ".join(cut)), [terms(q) for q in questions])
    # "How do you hire?" shares its one term and is close in meaning: first; the incident question next.
    assert [m.index for m in found] == [1, 0, 2]
    by_index = {m.index: m for m in found}
    assert by_index[0].phrase == "incident response and postmortems" and by_index[1].phrase == "hiring engineers"
    assert by_index[0].relevance == pytest.approx(0.7 * 0.9 / np.hypot(0.9, 0.1) + 0.3 / 3, abs=1e-3)
    assert "incid" in by_index[0].shared_terms and by_index[2].relevance == 0.0 and by_index[2].phrase is None


def test_without_vectors_shared_terms_alone_rank():
    questions = ["How do you run postmortems?", "How do you plan a budget?"]
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
