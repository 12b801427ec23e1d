"""Suggesting a new question, in a real browser: the author sees the question as its page would show it and
the feedback engine's report of its example answer against its own talking points before it can be sent;
a change after the preview is previewed again, not sent unseen. Typed scripts stay text."""

from __future__ import annotations

import pytest

from .helpers import platform_question, sign_up

pytestmark = pytest.mark.browser

SCRIPT = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2">'
QUESTION = "How would you roll out a new on-call rotation to a team that has never had one?"
POINTS = ["how you agree the rotation with the team", "the runbooks you write first",
          "how you negotiate the vendor's licence renewal"]  # the example answer never mentions licences
EXAMPLE = ("First I would agree the rotation with the team: who is on call, for how long, and how we hand over. "
           "Then I would write the runbooks for our five most frequent alerts before anyone takes a shift, "
           "and we would rehearse one incident together.")


def test_a_new_question_is_previewed_as_it_will_appear_before_it_is_sent(page):
    sign_up(page)
    question = platform_question(page)
    page.goto(f"/questions/{question['id']}/improve")
    page.click("[data-action=suggest-question]")
    page.wait_for_selector("[data-new-question-form]")
    assert page.locator("[data-action=send]").count() == 0  # nothing to send before a preview

    page.fill("[data-field=text]", f"{QUESTION} {SCRIPT}")
    page.fill("[data-field=intent]", "Whether you can start on-call without burning people out.")
    page.fill("[data-field=talking_points]", "\n".join(POINTS))
    page.fill("[data-field=example_answer]", EXAMPLE)
    page.fill("[data-field=reason]", "The bank has no question on starting on-call.")
    page.click("[data-action=preview]")
    page.wait_for_selector("[data-question-preview]", timeout=60_000)  # the first preview may load the model

    assert page.text_content("[data-preview-text]") == f"{QUESTION} {SCRIPT}"  # shown as text, not run
    assert page.text_content("[data-preview-intent]").startswith("Whether you can start on-call")
    assert page.locator("[data-preview-points] li").all_text_contents() == POINTS
    assert "runbooks for our five most frequent alerts" in page.text_content("[data-preview-example]")
    assert page.locator("[data-engine-report] [data-report-score]").count() == 1
    assert "vendor's licence renewal" in page.text_content("[data-report-missed]")
    assert page.locator("[data-engine-report] .points li").count() == len(POINTS)
    assert page.request.get("/api/suggestions/mine").json() == []  # a preview stores nothing

    # Changed after the preview, then sent: the new version is previewed, not sent unseen.
    page.fill("[data-field=example_answer]", EXAMPLE + " Licence renewals I would leave to procurement.")
    page.check("[data-field=accept_licence]")
    page.click("[data-action=send]")
    page.wait_for_selector("[data-preview-notice]")
    assert "leave to procurement" in page.text_content("[data-preview-example]")
    assert page.request.get("/api/suggestions/mine").json() == []

    page.click("[data-action=send]")  # the licence box stays ticked
    page.wait_for_selector("[data-suggestion]")
    assert page.text_content("[data-suggestion-status]") == "pending"
    (mine,) = page.request.get("/api/suggestions/mine").json()
    assert page.url.endswith(f"/suggestions/{mine['id']}")
    assert page.evaluate("window.pwned") is None and page.script_errors == []
