"""Evidence sentences are marked inside the user's own answer, and everything else stays text."""

import pytest

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
