"""The main path in a real browser: sign up, open a role, practise, see the evidence, history."""

import re

import pytest

from rehearse.feedback.text import words

from .helpers import STRONG, platform_question, sign_in, sign_out, sign_up, submit_answer

pytestmark = pytest.mark.browser


def test_sign_up_open_a_role_practise_and_see_evidence_highlighted(page, screenshots):
    sign_up(page)
    question = platform_question(page)
    page.goto("/")
    page.click(f"[data-role={question['role_slug']}] [data-role-link]")
    page.wait_for_selector("[data-competency]")
    page.click(f"[data-question='{question['id']}'] [data-action=practise-row]")
    page.wait_for_selector("[data-answer-form]")
    assert page.text_content("[data-question-text]") == question["text"]
    submit_answer(page, STRONG)
    assert re.search(r"/attempts/\d+$", page.url)
    covered = page.locator("[data-checklist] [data-point-covered=true]")
    assert covered.count() >= 2
    marks = page.locator("[data-answer-text] mark[data-evidence]")
    assert marks.count() >= 2
    # Each highlighted passage is the user's own words, and the checklist quotes it.
    first_mark = marks.first.text_content()
    assert first_mark.strip() and first_mark.strip()[:20] in STRONG
    evidence = page.locator("[data-point-evidence]").all_text_contents()
    assert any(e.strip()[:20] in STRONG for e in evidence)
    assert page.locator("[data-example-answer]").count() == 1
    page.screenshot(path=screenshots / "report.png", full_page=True)
    assert page.script_errors == []


def test_history_keeps_the_attempt_after_signing_out_and_in(page):
    email = sign_up(page)
    question = platform_question(page)
    page.goto(f"/practice/{question['id']}")
    submit_answer(page, STRONG)
    attempt_url = page.url
    score = page.get_attribute("[data-report]", "data-score")
    sign_out(page)
    page.goto("/history")
    assert "/signin" in page.url  # history needs an account
    sign_in(page, email)
    page.goto("/history")
    rows = page.locator("[data-history] [data-attempt]")
    assert rows.count() == 1
    assert rows.first.locator("[data-attempt-score]").text_content().strip() == score
    rows.first.locator("[data-attempt-link]").click()
    page.wait_for_selector("[data-report]")
    assert page.url == attempt_url


def test_try_again_shows_the_earlier_attempt_and_the_change(page):
    sign_up(page)
    question = platform_question(page)
    page.goto(f"/practice/{question['id']}")
    submit_answer(page, "I would ask the teams to wait their turn.")
    page.click("[data-action=try-again]")
    page.wait_for_selector("[data-earlier-attempt]")
    submit_answer(page, STRONG)
    assert int(page.get_attribute("[data-comparison]", "data-score-change")) > 0
    assert page.locator("[data-earlier-attempt]").count() == 1


def test_a_hostile_answer_is_shown_as_text_and_runs_nothing(page, screenshots):
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    question = platform_question(page)
    hostile = (
        STRONG + '\n<script>window.__pwned = "script"; alert("script")</script>\n'
        "<img src=\"x\" onerror=\"window.__pwned = 'img'; alert('img')\">\n"
        '<a href="javascript:alert(1)">link</a> "quotes" & ampersands'
    )
    page.goto(f"/practice/{question['id']}")
    submit_answer(page, hostile)
    page.wait_for_timeout(500)  # give any injected handler the chance to fire
    assert page.evaluate("window.__pwned") is None
    assert dialogs == []
    shown = page.text_content("[data-answer-text]")
    assert '<script>window.__pwned = "script"' in shown and '<img src="x" onerror=' in shown
    assert (
        page.locator(
            "[data-answer-text] script, [data-answer-text] img, [data-answer-text] a"
        ).count()
        == 0
    )
    page.screenshot(path=screenshots / "report-hostile-answer.png", full_page=True)


def test_keyboard_only_practice(page):
    question = platform_question(page)
    page.goto(f"/questions/{question['id']}")
    # Tab from the top of the page to the "Practise this question" link, then follow it.
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.dataset.action") == "practise":
            break
    else:
        pytest.fail("the Practise link cannot be reached with Tab")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-answer-form]")
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('[data-answer-form] [data-answer]')"):
            break
    else:
        pytest.fail("the answer box cannot be reached with Tab")
    page.keyboard.type(STRONG[:300])
    assert int(page.text_content("[data-word-count]")) > 40
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('[data-answer-form] [data-submit]')")
    page.keyboard.press("Enter")
    page.wait_for_selector("[data-report]", timeout=60_000)
    assert page.locator("[data-checklist] [data-point]").count() >= 3


def test_timer_word_count_and_speaking_time_update_as_you_type(page):
    question = platform_question(page)
    page.goto(f"/practice/{question['id']}")
    assert page.text_content("[data-timer]") == "0:00"
    page.type(
        "[data-answer-form] [data-answer]", "one two three four five six seven eight nine ten " * 15
    )
    assert page.text_content("[data-word-count]") == "150"
    assert page.text_content("[data-speaking-time]") == "1:00"  # 150 words at 150 words a minute
    page.wait_for_function(
        "document.querySelector('[data-timer]').textContent !== '0:00'", timeout=5000
    )


def test_an_empty_answer_is_refused_on_the_page(page):
    question = platform_question(page)
    page.goto(f"/practice/{question['id']}")
    page.click("[data-answer-form] [data-submit]")
    assert "empty" in page.text_content("[data-form-error]")
    assert page.evaluate("document.activeElement.matches('[data-answer]')")
    # a screen reader back in the box hears why it was refused
    error_id = page.get_attribute("[data-form-error]", "id")
    assert page.get_attribute("[data-answer]", "aria-invalid") == "true"
    assert error_id in page.get_attribute("[data-answer]", "aria-describedby").split()
    page.click("[data-answer-form] [data-submit]")  # refused again: still one reference to the one error
    assert page.get_attribute("[data-answer]", "aria-describedby").split().count(error_id) == 1


def test_the_word_counter_is_not_read_out_while_typing(page):
    question = platform_question(page)
    page.goto(f"/practice/{question['id']}")
    page.type("[data-answer-form] [data-answer]", "Three short words")
    assert page.text_content("[data-word-count]") == "3"
    live = page.evaluate("""() => [...document.querySelectorAll('[aria-live]')]
        .filter(e => e.getAttribute('aria-live') !== 'off' && e.closest('.toolbar'))
        .map(e => e.outerHTML)""")
    assert live == []


def test_times_are_shown_in_the_readers_own_time_zone(chromium, server):
    context = chromium.new_context(base_url=server, timezone_id="Asia/Tokyo", locale="en-GB")
    try:
        page = context.new_page()
        question = platform_question(page)
        sign_up(page)
        page.goto(f"/practice/{question['id']}")
        submit_answer(page, STRONG)
        page.goto("/history")
        moment = page.locator("time[data-local]").first
        written_utc = moment.get_attribute("title")  # the server's text, kept as the tooltip
        assert written_utc.endswith("UTC")
        hour = int(moment.get_attribute("datetime")[11:13])
        shown = moment.inner_text()
        assert "UTC" not in shown and f"{(hour + 9) % 24:02d}:" in shown, (shown, written_utc)
    finally:
        context.close()


def test_the_report_fits_a_320_px_screen_with_the_score_breakdown_open(chromium, server):
    """The breakdown's table is wider than a small phone: it scrolls in a region of its own, the page does not."""
    context = chromium.new_context(base_url=server, viewport={"width": 320, "height": 640})
    try:
        page = context.new_page()
        question = platform_question(page)
        page.goto(f"/practice/{question['id']}")
        submit_answer(page, STRONG)
        page.click("details.breakdown summary")
        assert page.locator("[data-breakdown-scroll] table").is_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"the report is {width} px wide on a 320 px screen"
    finally:
        context.close()


def test_a_reload_gives_back_the_typed_answer_and_sending_it_drops_the_draft(page):
    question = platform_question(page)
    page.goto(f"/practice/{question['id']}")
    answer = "- Weekly, 30 min, their agenda first\n- Skip-levels quarterly"
    page.type("[data-answer-form] [data-answer]", answer)
    # counted as the report counts them: the list markers are no words
    assert page.text_content("[data-word-count]") == str(len(words(answer))) == "8"
    page.reload()
    assert page.input_value("[data-answer-form] [data-answer]") == answer
    assert page.text_content("[data-word-count]") == "8"
    page.click("[data-answer-form] [data-submit]")
    page.wait_for_selector("[data-report]", timeout=60_000)
    page.goto(f"/practice/{question['id']}")
    assert page.input_value("[data-answer-form] [data-answer]") == ""  # sent: no draft comes back


def test_a_draft_is_given_back_only_to_whoever_wrote_it(page):
    """On a shared computer, signing out (or in as someone else) in the same tab brings back no one's draft."""
    question = platform_question(page)
    sign_up(page)
    page.goto(f"/practice/{question['id']}")
    page.type("[data-answer-form] [data-answer]", "My private half-written answer")
    page.reload()
    assert page.input_value("[data-answer-form] [data-answer]") == "My private half-written answer"
    sign_out(page)
    page.goto(f"/practice/{question['id']}")
    assert page.input_value("[data-answer-form] [data-answer]") == ""
    sign_up(page)
    page.goto(f"/practice/{question['id']}")
    assert page.input_value("[data-answer-form] [data-answer]") == ""
