"""The terminal report says what the web report says."""

from __future__ import annotations

import re

import pytest
from rich.console import Console

from rehearse.feedback import Question, analyze, load_backend
from rehearse.practice.report_view import breakdown_note, render_report

QUESTION = Question(
    text="Tell me about a time you turned around an underperforming engineer.",
    talking_points=("how you confirmed the problem with evidence", "the improvement plan"),
    example_answer="I read two months of his reviews. We agreed a six-week plan with pairing.",
)
STORY = ("Last year an engineer on my team had three pull requests reverted in a month. I read two "
         "months of his reviews in Jira, then we agreed a six-week plan with pairing twice a week.")


def rendered(answer: str) -> str:
    console = Console(width=200, record=True, color_system=None)
    report = analyze(QUESTION, answer, backend=load_backend("lexical")).to_dict()
    render_report(console, QUESTION.text, report)
    return console.export_text()


def test_the_specifics_found_are_listed_named_practices_first():
    text = rendered(STORY)
    specifics = next(line for line in text.splitlines() if line.startswith("Specifics:"))
    assert specifics.index("Jira") < specifics.index("six")  # as written


def test_a_task_implied_by_the_scene_and_the_action_is_shown_as_implied_not_missing():
    text = rendered(STORY)
    assert "– task (implied)" in text and "✗ task" not in text


def test_an_empty_answer_is_not_called_off_topic():
    assert "does not seem to address" not in rendered("   ")


def test_specifics_are_listed_once_and_a_number_inside_a_time_frame_is_not_repeated():
    from rehearse.practice.report_view import specifics_shown

    spec = {"named_practices": ["postmortem"], "time_frames": ["in 24 hours"], "numbers": ["24 hours", "Three", "three"],
            "job_terms": ["Postmortem", "rollback"]}
    assert specifics_shown(spec) == ["postmortem", "in 24 hours", "Three", "rollback"]


def test_a_specific_inside_a_longer_one_is_not_listed_again():
    from rehearse.practice.report_view import specifics_shown

    spec = {"named_practices": ["error budget", "sprint"], "numbers": ["20%"],
            "job_terms": ["budget", "sprints", "pull requests", "requests", "change failure rate", "failure rate"]}
    assert specifics_shown(spec) == ["error budget", "sprint", "20%", "pull requests", "change failure rate"]


def test_the_header_counts_covered_points_as_the_web_report_does():
    text = rendered(STORY)
    header = next(line for line in text.splitlines() if line.startswith("Score"))
    assert "of 2 talking points covered" in header and "%" not in header


def test_the_candidates_words_are_printed_as_written_never_read_as_markup():
    console = Console(width=200, record=True, color_system=None)
    report = analyze(QUESTION, STORY, backend=load_backend("lexical")).to_dict()
    report["talking_points"][0].update(covered=True, evidence="We cut [bold red]reverts[/] to zero.")
    render_report(console, "Why [link=http://x]this[/link]?", report)
    text = console.export_text()
    assert "We cut [bold red]reverts[/] to zero." in text and "Why [link=http://x]this[/link]?" in text


def test_a_missed_point_quotes_its_near_miss_as_one():
    console = Console(width=200, record=True, color_system=None)
    report = analyze(QUESTION, STORY, backend=load_backend("lexical")).to_dict()
    report["talking_points"][1].update(covered=False, evidence="we agreed a plan")
    render_report(console, QUESTION.text, report)
    row = next(line for line in console.export_text().splitlines() if "the improvement plan" in line)
    assert "✗" in row and "near miss: we agreed a plan" in row


def test_a_cap_on_the_score_reads_as_a_cap_not_as_points_out_of_nothing():
    """Parts of the score read "coverage 36/40"; a cap has no weight and read "off_topic -2/0"."""
    console = Console(width=200, record=True, color_system=None)
    report = analyze(QUESTION, STORY, backend=load_backend("lexical")).to_dict()
    report["breakdown"].append({"part": "off_topic", "weight": 0.0, "value": 0.0, "points": -23.4,
                                "note": "answer judged off-topic: score capped"})
    report["breakdown"].append({"part": "coverage_cap", "weight": 0.0, "value": 0.0, "points": -7.0, "note": ""})
    render_report(console, QUESTION.text, report)
    text = console.export_text()
    assert "off topic cap −23" in text and "coverage cap −7" in text and "/0" not in text


def test_the_points_of_an_off_topic_answer_say_they_are_not_credited_not_a_bare_dash():
    """"✗ … 0.89 —" beside a strength that high read as a contradiction."""
    console = Console(width=200, record=True, color_system=None)
    report = analyze(QUESTION, STORY, backend=load_backend("lexical")).to_dict()
    report["on_topic"] = False
    for point in report["talking_points"]:
        point.update(covered=False, evidence=None, strength=0.89)
    render_report(console, QUESTION.text, report)
    rows = [line for line in console.export_text().splitlines() if "0.89" in line]
    assert rows and all("not credited: the answer reads as one to another question" in row for row in rows)


def test_the_terminal_describes_steps_in_the_web_reports_words_with_the_engines_count():
    """It said "a clear framework or steps" where the web said "A clear framework: 6 steps laid out"."""
    console = Console(width=200, record=True, color_system=None)
    report = analyze(QUESTION, STORY, backend=load_backend("lexical")).to_dict()
    report["structure"] = {"kind": "situational", "star": None, "framework": True, "steps": 6}
    render_report(console, QUESTION.text, report)
    assert "Structure: A clear framework: 6 steps laid out." in console.export_text()


STRUCTURE = {"part": "structure", "weight": 5.0, "note": ""}


@pytest.mark.parametrize(
    ("star", "quantified", "points", "note"),
    [
        ({"situation": True, "task": False, "action": True, "result": True}, True, 4.0, "Task implied, not said: −1"),
        ({"situation": False, "task": False, "action": True, "result": True}, False, 2.0,
         "Situation missing: −1 · Task missing: −1 · Result not quantified: −1"),
        ({"situation": True, "task": True, "action": True, "result": False}, False, 3.0, "Result missing: −2"),
        ({"situation": True, "task": True, "action": True, "result": True}, True, 5.0, ""),
    ],
    ids=["task implied", "two parts missing and no number", "no result is no number either", "nothing lost"],
)
def test_a_storys_structure_note_says_what_its_lost_points_were_for(star, quantified, points, note):
    structure = {"kind": "behavioural", "star": star, "result_quantified": quantified}
    assert breakdown_note({**STRUCTURE, "points": points}, structure) == note


def test_a_note_the_engine_gave_is_kept():
    structure = {"kind": "behavioural", "star": {"situation": True, "task": False, "action": True, "result": True},
                 "result_quantified": True}
    assert breakdown_note({**STRUCTURE, "points": 4.0, "note": "no answer"}, structure) == "no answer"


def test_the_terminal_tells_the_speaking_time_in_minutes_and_seconds_as_the_engine_does():
    """"about 51 s spoken" beside the engine's "about 0:51 spoken; aim for 1:00–3:00" read as two units."""
    console = Console(width=200, record=True, color_system=None)
    report = analyze(QUESTION, STORY, backend=load_backend("lexical")).to_dict()
    report["delivery"]["speaking_seconds"] = 51.0
    render_report(console, QUESTION.text, report)
    delivery = next(line for line in console.export_text().splitlines() if line.startswith("Delivery"))
    assert "about 0:51 spoken" in delivery and " s spoken" not in delivery


def test_a_long_list_of_specifics_is_cut_as_the_web_report_cuts_it():
    from rehearse.practice.report_view import SPECIFICS_LISTED

    many = " ".join(f"In week {n} we cut the queue to {n * 7} tickets." for n in range(1, 30))
    text = " ".join(rendered(many).split())  # the line wraps in the terminal
    specifics = text[text.index("Specifics: ") + len("Specifics: "):text.index(" Delivery:")]
    shown, more = specifics.rsplit(" and ", 1)
    assert len(shown.split(", ")) == SPECIFICS_LISTED and re.fullmatch(r"\d+ more", more)
