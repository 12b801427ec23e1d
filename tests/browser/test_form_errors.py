"""A refused form, in the browser: the focus lands on the first bad field, which is described by its message,
and every problem is listed beside the form (templates/_form_errors.html)."""

import pytest

from .helpers import sign_up

pytestmark = pytest.mark.browser

FOCUSED_FIELD = "document.activeElement.dataset.field"
DESCRIBED_BY = """() => (document.activeElement.getAttribute("aria-describedby") || "").split(" ")
  .map(id => document.getElementById(id)).filter(Boolean).map(el => el.textContent.trim())"""


def test_a_refused_story_focuses_its_title_and_says_why(page):
    sign_up(page)
    page.goto("/stories")
    page.fill("[data-story-form] [data-field=title]", "   ")  # passes the browser's `required`, not the server
    page.click("[data-story-form] [data-submit]")
    page.wait_for_selector("[data-form-error]")
    assert page.evaluate(FOCUSED_FIELD) == "title"
    assert page.evaluate(DESCRIBED_BY)[0] == "Give the story a title."
    assert page.locator("[data-form-error] li").count() == 2  # and no part was written: both told at once


def test_a_refused_mock_focuses_the_first_bad_number_and_keeps_what_was_typed(page):
    sign_up(page)
    page.goto("/mock")
    page.evaluate("document.querySelector('[data-mock-form]').noValidate = true")  # reach the server's checks
    page.fill("[data-field=questions]", "40")
    page.fill("[data-field=minutes]", "")
    page.click("[data-mock-form] [data-submit]")
    page.wait_for_selector("[data-form-error]")
    assert page.evaluate(FOCUSED_FIELD) == "questions"
    assert "not 40" in page.evaluate(DESCRIBED_BY)[0]
    assert page.input_value("[data-field=minutes]") == ""  # not a default the user never chose
    assert page.get_attribute("[data-field=minutes]", "aria-invalid") == "true"
    assert page.script_errors == []
