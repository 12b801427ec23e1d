"""The practice page's live counts agree with the server: words with the report, characters with the limit."""

from __future__ import annotations

import pytest

from .helpers import platform_question

ANSWERS = {
    "a numbered list": "1. Measure the sprints.\n2. Talk to the team.\n3. Fix the system.",
    "a Markdown list with headings and emphasis": (
        "## Situation\nOur team missed **three** sprints in a row.\n\n## Action\n- Cut work in progress to 2 items.\n"
        "* Paired `juniors` with seniors.\n+ Reviewed [the board](https://example.com/board) weekly.\n\n"
        "Result:\n12) Velocity rose by 30% within six weeks."
    ),
    "prose with hyphens, apostrophes and a wrapped line": (
        "We didn't ship the follow-up\nuntil the on-call rota's 24/7 cover was in place — 3 weeks later."
    ),
    "pasted HTML": "<p>We <b>cut</b> costs&nbsp;by 30%.</p><ul><li>Task: own the budget</li></ul>",
}


@pytest.mark.parametrize("answer", ANSWERS.values(), ids=ANSWERS.keys())
def test_the_live_word_count_is_the_reports(page, answer):
    """List markers ("1.", "-") and Markdown were counted as words: 13 live against 10 in the report."""
    question = platform_question(page)
    page.goto(f"/practice/{question['id']}")
    page.fill("[data-answer-form] [data-answer]", answer)
    live = int(page.text_content("[data-word-count]"))
    report = page.request.post("/api/feedback", data={"question_id": question["id"], "answer": answer}).json()
    assert live == report["delivery"]["words"]


def test_the_live_character_count_near_the_limit_is_the_servers(page):
    """Shown from 80% of the limit, each line break one character (the form sends it as CRLF)."""
    question = platform_question(page)
    page.goto(f"/practice/{question['id']}")
    counter = page.locator("[data-char-count]")
    page.fill("[data-answer-form] [data-answer]", "We shipped it.\n" * 10)
    assert counter.is_hidden()
    answer = "We shipped it 🚀.\n" * 300  # 5,100 code points: over the 5,000 an anonymous answer may have
    page.fill("[data-answer-form] [data-answer]", answer)
    assert counter.text_content() == "5,100 of 5,000 characters: too long to send."
    page.fill("[data-answer-form] [data-answer]", answer[: -17 * 10])
    assert counter.text_content() == "4,930 of 5,000 characters."
    page.click("[data-answer-form] [data-submit]", no_wait_after=True)
    page.wait_for_selector("[data-report]", timeout=60_000)  # sent with CRLF breaks, 5,220 characters: kept
