"""How an answer's layout is read: line breaks inside a sentence, lists, headings and STAR labels."""

from __future__ import annotations

import pytest

from rehearse.feedback import signals as S
from rehearse.feedback import text as T

# ---------------------------------------------------------------- line breaks


def test_a_line_broken_inside_a_sentence_reads_as_one_sentence():
    """A transcript or a hand-wrapped mail breaks lines mid-sentence: its sentences are quoted whole."""
    transcript = ("so first I would sit down with the last six sprints of data and look at what we\n"
                  "planned versus what we shipped and then\n"
                  "we would cut scope for two\nsprints")
    assert T.sentences(T.clean(transcript)) == [
        "so first I would sit down with the last six sprints of data and look at what we planned versus what we "
        "shipped and then we would cut scope for two sprints"]


@pytest.mark.parametrize(("written", "lines"), [
    ("What I changed:\n- pairing twice a week\n- smaller tickets", ["What I changed:", "pairing twice a week",
                                                                    "smaller tickets"]),
    ("Steps\n1. listen first\n2. write the plan", ["Steps", "listen first", "write the plan"]),
    ("We paused feature work\nThe incident rate halved", ["We paused feature work", "The incident rate halved"]),
    ("It ended well.\nand then we left", ["It ended well.", "and then we left"]),
])
def test_a_list_a_capitalised_line_and_a_finished_sentence_keep_their_breaks(written, lines):
    assert T.clean(written).split("\n") == lines


def test_no_specific_is_shown_across_a_line_break():
    spec = S.specificity("We cut scope for two\nsprints, then 3\nweeks of pairing with\ncode reviews.", None)
    chips = spec.numbers + spec.time_frames + spec.named_practices + spec.job_terms
    assert "for two sprints" in spec.time_frames
    assert chips and not any("\n" in chip or "  " in chip for chip in chips)
