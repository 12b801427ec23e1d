"""How an answer's layout is read: line breaks inside a sentence, lists, headings and STAR labels."""

from __future__ import annotations

import pytest

from rehearse.feedback import Lexicon
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


# ---------------------------------------------------------------- headings and STAR labels

STAR_HEADINGS = """## Situation
Our checkout team was missing every sprint goal two weeks before Black Friday.
## Task
I had to get them shipping again.
## Action
I cut the scope to the payment page and paired with the two newest engineers.
**Result:**
We hit 9 of the next 10 sprint goals.
Result: 40% fewer incidents"""


def test_a_heading_line_is_a_boundary_never_a_sentence_of_the_answer():
    sents = T.sentences(T.clean(STAR_HEADINGS))
    assert sents == ["Our checkout team was missing every sprint goal two weeks before Black Friday.",
                     "I had to get them shipping again.",
                     "I cut the scope to the payment page and paired with the two newest engineers.",
                     "We hit 9 of the next 10 sprint goals.", "Result: 40% fewer incidents"]


@pytest.mark.parametrize(("heading", "kept"), [
    ("# Situation", ""), ("### Action:", ""), ("Task", ""), ("Result:", ""), ("**Outcome**", ""),
    ("## Migrating to Kubernetes", ""),  # a Markdown heading of any words is a title, not what was said
    ("## Result: 40% fewer incidents", "40% fewer incidents"),  # a heading that goes on after its label
    ("#1 priority was uptime.", "#1 priority was uptime."),  # no heading without a space after its marks
    ("Results were mixed.", "Results were mixed."),
])
def test_what_of_a_heading_line_is_kept(heading, kept):
    assert T.clean(f"{heading}\nWe shipped.") == (f"{kept}\nWe shipped." if kept else "We shipped.")


def test_a_star_label_a_named_day_and_a_count_of_goals_are_no_specifics():
    lexicon = Lexicon((), {T.stem("situation"): "situation", T.stem("result"): "result"}, {})
    spec = S.specificity(T.clean(STAR_HEADINGS + "\nSituation: the context was a launch."), lexicon)
    assert spec.job_terms == ()  # "Situation:" and "Result:" are the answer's layout
    assert set(spec.time_frames) == {"every sprint", "two weeks before"}  # not "Friday", nor "next 10 sprint"
    assert set(spec.numbers) == {"two", "9", "10", "40%"}


@pytest.mark.parametrize(("sentence", "frame"), [
    ("I called the client on Friday.", "on Friday"),
    ("Before Friday we had shipped.", "Friday"),
    ("We planned for Cyber Monday.", None),
    ("Easter Sunday was quiet.", None),
    ("We shipped every Friday.", "every Friday"),
])
def test_a_weekday_in_a_days_name_is_no_time_frame(sentence, frame):
    frames = S.specificity(sentence, None).time_frames
    assert frames == ((frame,) if frame else ())


@pytest.mark.parametrize(("sentence", "frame"), [
    ("We hit 9 of the next 10 sprint goals.", None),
    ("We ran a 3 day workshop.", "3 day"),
    ("It took 1 day.", "1 day"),
    ("We planned the next 10 sprints.", "next 10 sprints"),
    ("We agreed a 6-week plan.", "6-week"),
])
def test_a_count_before_a_unit_with_no_plural_names_the_thing_counted_not_a_time(sentence, frame):
    frames = S.specificity(sentence, None).time_frames
    assert frames == ((frame,) if frame else ())
