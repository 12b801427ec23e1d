"""A decision file is checked as the API checks the same decisions: an edit by the accept body's own model, and
every line's id against the database. A file that says something the API would refuse, or two things at once,
is refused whole, naming the file and the line (and, for a suggestion given twice, both lines)."""

from __future__ import annotations

import json

import pytest

from rehearse.community import decisions

from .test_decisions_fuzz import FILE, make_queue, state


@pytest.fixture
def queue(session):
    return make_queue(session)


def refusal(session, editor, lines: list[str]) -> decisions.DecisionFileError:
    before = state(session)
    with pytest.raises(decisions.DecisionFileError) as refused:
        decisions.apply_decisions(session, editor=editor, text="\n".join(lines) + "\n", file=FILE)
    assert state(session) == before  # nothing applied, the good lines before it included
    return refused.value


@pytest.mark.parametrize(("change", "expected"), [
    # a string became a one-item list and replaced every talking point; the API answers 422 to the same edit
    ({"decision": "accept", "edited": {"talking_points": "notalist"}}, "edited talking_points must be a list of text"),
    ({"decision": "accept", "edited": {"competencies": "a, b"}}, "edited competencies must be a list of text"),
    ({"decision": "accept", "edited": {"example_answer": "x" * 20_001}},
     "edited example_answer: String should have at most 20000 characters"),
    ({"decision": "accept", "edited": {"title": "x"}}, "edited has no field 'title'"),
    # an edit on a rejection was dropped without a word
    ({"decision": "reject", "decision_reason": "No.", "edited": {"intent": "x"}}, "edited is for an acceptance"),
    # a skip with an unknown id let the rest of a file made for another installation through
    ({"decision": "skip", "id": 99_999}, "there is no suggestion with id 99999"),
    ({"decision": None, "id": 99_999}, "there is no suggestion with id 99999"),
], ids=["points-text", "competencies-text", "answer-too-long", "unknown-field", "edit-on-reject", "skip-unknown-id",
        "undecided-unknown-id"])
def test_a_line_the_api_would_refuse_is_refused_at_its_line(session, queue, change, expected):
    records, editor = queue
    lines = [json.dumps(records[0]), json.dumps(records[1]), json.dumps({**records[2], **change})]
    refused = refusal(session, editor, lines)
    assert (refused.line, expected in str(refused)) == (3, True), str(refused)


def test_a_suggestion_on_two_lines_is_refused_naming_both_not_as_decided_already(session, queue):
    """It said "line 3: Suggestion #1 was accepted already.", which was untrue: nothing had been applied."""
    records, editor = queue
    lines = [json.dumps(records[0]), json.dumps(records[1]), json.dumps({**records[1], "decision": "reject"})]
    refused = refusal(session, editor, lines)
    assert refused.line == 3
    assert f"suggestion #{records[1]['id']} is on line 2 as well" in str(refused)


def test_a_key_given_twice_on_a_line_is_refused(session, queue):
    """The last one won, so {"decision": "accept", "decision": "reject"} was read as one of two meanings."""
    records, editor = queue
    line = json.dumps(records[1])[:-1] + ', "decision": "reject"}'
    refused = refusal(session, editor, [json.dumps(records[0]), line])
    assert refused.line == 2 and "duplicate key 'decision'" in str(refused)


def test_a_json_error_names_the_column_it_means(session, queue):
    records, editor = queue
    refused = refusal(session, editor, [json.dumps(records[0]), '{"id": 1, "decision_reason": "no'])
    assert "Unterminated string starting at column 30" in str(refused)


def test_a_refusal_from_applying_reads_as_the_files_own(session, queue):
    """"suggestion #3 was accepted already" from the checks and "Suggestion #3 was accepted already." from
    applying: one wording, in the file's style."""
    records, editor = queue
    lines = [json.dumps(records[0]), json.dumps({**records[4], "decision": "accept", "edited": {"kind": "other"}}),
             json.dumps({**records[1], "decision": "accept", "edited": {"kind": "other"}})]
    with pytest.raises(decisions.DecisionFileError) as refused:  # while applying: the caller rolls back
        decisions.apply_decisions(session, editor=editor, text="\n".join(lines) + "\n", file=FILE)
    message = str(refused.value).split(": ", 1)[1]
    assert refused.value.line == 3 and message[0].islower() and not message.endswith("."), message
