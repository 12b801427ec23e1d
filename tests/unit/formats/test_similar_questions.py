"""Two questions of one import whose texts differ only in case, spacing or punctuation: a warning naming both."""

from __future__ import annotations

from rehearse.formats import read_text
from rehearse.formats.checks import similar_questions

TWO_ROLES = """\
bank: {name: B}
roles:
  - name: Engineer
    questions:
      - slug: hire
        text: How do you hire?
        talking_points: [a loop]
      - slug: hire-again
        text: How do you hire.
        talking_points: [a loop]
  - name: Manager
    questions:
      - slug: manager-hire
        text: how   do you HIRE
        talking_points: [a loop]
      - slug: also-hire
        text: How do you hire?
        talking_points: [a loop]
"""


def _similar(warnings) -> list[str]:
    return [str(warning) for warning in warnings if "only in case, spacing or punctuation" in warning.message]


def test_texts_differing_only_in_case_spacing_or_punctuation_are_named_with_both_lines():
    said = _similar(read_text(TWO_ROLES, file="b.yaml", format="yaml").warnings)
    assert said == [
        "b.yaml:8: question 'How do you hire.' differs from 'How do you hire?' at b.yaml:5 only in case, spacing or "
        "punctuation: probably the same question (both are imported; drop one, or word them apart)",
        "b.yaml:13: question 'how   do you HIRE' differs from 'How do you hire?' at b.yaml:5 only in case, spacing "
        "or punctuation: probably the same question (both are imported; drop one, or word them apart)",
    ]


def test_the_same_words_in_two_roles_are_one_question_asked_of_both_and_not_warned_about():
    text = TWO_ROLES.replace("How do you hire.", "Why this team?").replace("how   do you HIRE", "Why us?")
    assert _similar(read_text(text, file="b.yaml", format="yaml").warnings) == []


def test_json_questions_are_named_by_their_lines_too():
    text = ('{"bank": {"name": "B"}, "roles": [{"name": "R", "questions": [\n'
            ' {"slug": "a", "text": "How do you hire?", "talking_points": ["x"]},\n'
            ' {"slug": "b", "text": "how do you hire!", "talking_points": ["x"]}]}]}\n')
    [said] = _similar(read_text(text, file="b.json", format="json").warnings)
    assert said.startswith("b.json:3: question 'how do you hire!' differs from 'How do you hire?' at b.json:2")


def test_across_files_each_pair_of_files_is_named_with_both_files():
    first = read_text(TWO_ROLES, file="a.yaml", format="yaml").bank
    second = read_text(TWO_ROLES.replace("bank: {name: B}", "bank: {name: C}").replace("How do you hire?",
                                                                                        "How do YOU hire?"),
                       file="c.yaml", format="yaml").bank
    said = [str(warning) for warning in similar_questions([("a.yaml", first), ("c.yaml", second)],
                                                          across_files=True)]
    assert said[0].startswith("c.yaml:5: question 'How do YOU hire?' differs from 'How do you hire?' at a.yaml:5")
    assert all(warning.startswith("c.yaml:") for warning in said)  # a.yaml's own pairs were said when it was read
