"""Word diffs, three-way merges and safe Markdown: pure functions, no database."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from rehearse.community.diff import MergeConflict, merge_list, merge_text, tokens, word_diff
from rehearse.community.markdown import render

BASE = "We ship weekly. We measure lead time. We hire slowly."


@pytest.mark.parametrize(("mine", "theirs", "merged"), [
    ("We ship daily. We measure lead time. We hire slowly.",
     "We ship weekly. We measure lead time. We hire carefully.",
     "We ship daily. We measure lead time. We hire carefully."),
    (BASE, "We ship weekly. We measure cycle time. We hire slowly.",
     "We ship weekly. We measure cycle time. We hire slowly."),
    ("We ship daily. We measure lead time. We hire slowly.",
     "We ship daily. We measure lead time. We hire slowly.",
     "We ship daily. We measure lead time. We hire slowly."),
    ("Always. " + BASE, BASE + " Then review.", "Always. " + BASE + " Then review."),
])
def test_changes_in_different_places_merge(mine, theirs, merged):
    assert merge_text(BASE, mine, theirs) == merged


@pytest.mark.parametrize(("mine", "theirs"), [
    ("We ship daily. We measure lead time. We hire slowly.", "We ship monthly. We measure lead time. We hire slowly."),
    (BASE + " A.", BASE + " B."),  # both add at the same place: which goes first is a decision
    ("We ship weekly. We measure lead time.", "We ship weekly. We measure lead time. We hire carefully."),
])
def test_changes_to_the_same_words_conflict(mine, theirs):
    with pytest.raises(MergeConflict):
        merge_text(BASE, mine, theirs)


def test_lists_merge_item_by_item():
    assert merge_list(["a", "b", "c"], ["a", "b", "c", "d"], ["x", "b", "c"]) == ["x", "b", "c", "d"]
    with pytest.raises(MergeConflict):
        merge_list(["a", "b"], ["a", "y"], ["a", "z"])


text = st.text(alphabet="ab cd,.\n’é", max_size=60)


@given(text)
def test_tokens_join_back_into_the_text(value):
    assert "".join(tokens(value)) == value


@given(text, text)
def test_a_word_diff_holds_both_texts(old, new):
    chunks = word_diff(old, new)
    assert "".join(c.text for c in chunks if c.op != "insert") == old
    assert "".join(c.text for c in chunks if c.op != "delete") == new


@given(text, text)
def test_a_one_sided_change_always_merges_to_that_change(base, changed):
    assert merge_text(base, changed, base) == changed
    assert merge_text(base, base, changed) == changed


@pytest.mark.parametrize(("markdown", "present", "absent"), [
    ("<script>alert(1)</script>", "&lt;script&gt;", "<script>"),
    ('<img src=x onerror="alert(1)">', "&lt;img", "<img"),
    ("[x](javascript:alert(1))", "[x](javascript:alert(1))", "href"),
    ("[guide](https://example.com)", '<a href="https://example.com" rel="nofollow ugc">guide</a>', "<script"),
    ("![pic](https://example.com/a.png)", 'rel="nofollow ugc"', "<img"),
    ("**bold** and `code`", "<strong>bold</strong>", "<script"),
])
def test_comments_render_safely(markdown, present, absent):
    html = str(render(markdown))
    assert present in html and absent not in html


LINK = "[guide](https://example.com)"
SAFE_LINK = '<a href="https://example.com" rel="nofollow ugc">guide</a>'


@pytest.mark.parametrize(("markdown", "html"), [
    # Thousands of brackets cost markdown-it a scan each (seconds a page): past 64, they are text, links too.
    ("[" * 5000, "<p>" + "[" * 5000 + "</p>\n"),
    ("[" * 2400 + "]" * 2400, "<p>" + "[" * 2400 + "]" * 2400 + "</p>\n"),
    ("![" * 2500, "<p>" + "![" * 2500 + "</p>\n"),
    ("[" * 65 + LINK, "<p>" + "[" * 65 + LINK + "</p>\n"),
    ("[" * 65 + "<script>x</script>", "<p>" + "[" * 65 + "&lt;script&gt;x&lt;/script&gt;</p>\n"),
    ("[" * 63 + LINK, "<p>" + "[" * 63 + SAFE_LINK + "</p>\n"),  # a few dozen: links work
    ("```\n" + "x = [1]\n" * 80 + "```", "<pre><code>" + "x = [1]\n" * 80 + "</code></pre>\n"),  # code as typed
])
def test_comments_with_many_brackets_render_as_text_and_stay_safe(markdown, html):
    assert str(render(markdown)) == html
