"""Evidence sentences are marked inside the user's own answer, and everything else stays text."""

import re
from pathlib import Path

import pytest

import rehearse.web
from rehearse.web.highlight import covered_evidence, find, highlight


@pytest.mark.parametrize(
    ("answer", "evidence", "marked"),
    [
        ("We cut costs by 30%! Then we grew.", "We cut costs by 30%.", "We cut costs by 30%!"),
        ("We <b>cut</b> costs.", "We cut costs.", "We &lt;b&gt;cut&lt;/b&gt; costs."),
        ("First we hired.  Then   we trained.", "Then we trained.", "Then   we trained."),
        ("WE SHIPPED IT in May.", "we shipped it in May", "WE SHIPPED IT in May."),
        ("We got p99 to < 200 ms at > 2x traffic.", "We got p99 to < 200 ms at > 2x traffic.",
         "We got p99 to &lt; 200 ms at &gt; 2x traffic."),
    ],
    ids=["closing punctuation kept", "markup the engine stripped", "spacing differs", "case differs",
         "comparison signs are text"],
)
def test_evidence_is_marked_where_it_stands(answer, evidence, marked):
    html = str(highlight(answer, [evidence]))
    assert f'data-evidence-for="1">{marked}</mark>' in html


def test_evidence_split_over_two_sentences_is_found_sentence_by_sentence():
    answer = "We measured it. Later, unrelated. Then we fixed it."
    assert len(find(answer, "We measured it. Then we fixed it.")) == 2


def test_script_in_an_answer_is_escaped_text():
    html = str(highlight('<script>alert(1)</script><img src=x onerror="alert(2)"> We grew.', ["We grew."]))
    assert "<script>" not in html and "<img" not in html
    assert "&lt;script&gt;" in html


def test_crafted_punctuation_does_not_make_the_search_explode():
    """An answer of thousands of separators around a missing word is searched in linear time
    (a regular expression with optional separators between words backtracked for minutes)."""
    answer = "alpha " + "<<>>-" * 3000 + " beta gamma"
    assert find(answer, "alpha beta delta") == []
    assert find(("alpha " + "<a> " * 50 + "! ") * 100, "alpha b alpha c alpha d alpha e") == []


def test_only_covered_points_lend_their_evidence_to_the_highlight():
    points = [{"covered": True, "evidence": "We grew."}, {"covered": False, "evidence": "We tried."}]
    assert covered_evidence(points) == ["We grew.", None]


STORY = ("Situation: my team missed three sprints. Task: as manager I had to turn around one engineer, Sam. "
         "Action: I met him one to one and checked in weekly. Result: his review count went from one to seven.")
ACTION, RESULT = "Action: I met him one to one and checked in weekly.", "Result: his review count went from one to seven."


def marked_texts(html: str) -> list[tuple[str, str]]:
    return re.findall(r'data-evidence-for="([\d ]+)">(.*?)</mark>', html, re.S)


def test_the_space_between_two_highlighted_sentences_is_never_marked():
    """Point 1 covers both sentences, points 3 and 4 one each: the space between them belonged to
    point 1 alone and was marked as a highlight of its own, with a stray "1" after it."""
    html = str(highlight(STORY, [f"{ACTION} {RESULT}", None, ACTION, RESULT]))
    assert marked_texts(html) == [("1 3", ACTION), ("1 4", RESULT)]


@pytest.mark.parametrize(
    ("answer", "evidence", "pieces"),
    [
        ("We measured it.\n\nThen we fixed it.", "We measured it. Then we fixed it.",
         [("1", "We measured it."), ("1", "Then we fixed it.")]),
        ("1. Measure the sprints.\n2. Talk to the team.", "Measure the sprints. / Talk to the team.",
         [("1", "Measure the sprints."), ("1", "Talk to the team.")]),
        ("  We grew.  \r\n", "We grew.", [("1", "We grew.")]),
    ],
    ids=["across a paragraph break", "across list items, not their markers", "blank space around it"],
)
def test_a_highlight_is_cut_at_line_breaks_and_each_piece_numbered(answer, evidence, pieces):
    assert marked_texts(str(highlight(answer, [evidence]))) == pieces


@pytest.mark.parametrize(
    ("evidence", "marked"),
    [("We paired for a quarter…", "We paired for a quarter"), ("…then we shipped twice a week.", "then we shipped twice a week.")],
    ids=["cut at the end", "cut at the start"],
)
def test_evidence_cut_from_a_sentence_is_found_without_its_ellipsis(evidence, marked):
    """The engine quotes a piece of a sentence with "…" at the cut; the piece is marked, not the
    comma after it."""
    html = str(highlight("We paired for a quarter, then we shipped twice a week.", [evidence]))
    assert [text for _, text in marked_texts(html)] == [marked]


@pytest.mark.parametrize(
    ("evidence", "said"),
    [(["We grew."], "(covers point 1)"), (["We grew.", None, "We grew."], "(covers points 1 and 3)"),
     (["We grew.", "We grew.", "We grew."], "(covers points 1, 2 and 3)")],
)
def test_screen_readers_hear_which_points_a_highlight_covers_in_words(evidence, said):
    html = str(highlight("We grew.", evidence))
    assert f'</mark><span class="visually-hidden"> {said}</span>' in html


def test_the_numbers_drawn_beside_a_highlight_are_hidden_from_screen_readers():
    """They would be read as bare digits ("one three") after the sentence; the hidden words say it."""
    css = (Path(rehearse.web.__file__).parent / "static" / "rehearse.css").read_text()
    rule = re.search(r"mark\.evidence::after \{([^}]*)\}", css).group(1)
    assert 'attr(data-evidence-for) / ""' in rule
