"""Screenshots of the main pages, desktop and phone, under test-artifacts/screenshots/."""

import pytest

from .helpers import STRONG, platform_question, sign_up, submit_answer

pytestmark = pytest.mark.browser


def shoot(page, screenshots, name):
    page.wait_for_load_state("networkidle")
    page.screenshot(path=screenshots / f"{name}.png", full_page=True)
    assert page.script_errors == [], page.script_errors
    assert page.missing_resources == [], page.missing_resources


def test_screenshots_of_the_main_pages(page, screenshots):
    question = platform_question(page)
    for name, path in [
        ("home", "/"),
        ("role", f"/roles/{question['role_slug']}"),
        ("question", f"/questions/{question['id']}"),
        ("practice", f"/practice/{question['id']}"),
        ("search", "/search?q=incident"),
        ("similar", f"/search?like={question['id']}"),
        ("signup", "/signup"),
        ("not-found", "/questions/999999"),
    ]:
        page.goto(path)
        shoot(page, screenshots, name)
    sign_up(page)
    page.goto(f"/practice/{question['id']}")
    page.type(
        "[data-answer-form] [data-answer]", "First, I would get every request into one list. "
    )
    shoot(page, screenshots, "practice-typing")
    submit_answer(page, STRONG)
    page.goto("/history")
    shoot(page, screenshots, "history")
    page.goto("/settings")
    page.fill("[data-field=token-name]", "my laptop")
    page.click("[data-token-form] [data-submit]")
    page.wait_for_selector("[data-issued-token]")
    shoot(page, screenshots, "settings-token")


def test_screenshots_on_a_phone(chromium, server, screenshots):
    context = chromium.new_context(
        base_url=server,
        viewport={"width": 390, "height": 844},
        device_scale_factor=1,
        is_mobile=True,
        has_touch=True,
    )
    try:
        page = context.new_page()
        page.script_errors, page.missing_resources = [], []
        page.on("pageerror", lambda error: page.script_errors.append(str(error)))
        question = platform_question(page)
        page.goto("/")
        shoot(page, screenshots, "phone-home")
        page.goto(f"/practice/{question['id']}")
        shoot(page, screenshots, "phone-practice")
        submit_answer(page, STRONG)
        shoot(page, screenshots, "phone-report")
        # the phone's own width: an emulated phone widens its layout viewport to fit what overflows
        overflow = page.evaluate("document.documentElement.scrollWidth > screen.width + 1")
        assert not overflow, "the report scrolls sideways on a phone"
        sign_up(page)
        page.goto(f"/practice/{question['id']}")
        submit_answer(page, STRONG)  # something to show on the signed-in pages
        page.click("[data-rate=again]")  # due again soon: /progress draws its reviews-due chart
        page.wait_for_selector("[data-review-rating=again]")
        page.goto("/settings")
        page.fill("[data-field=token-name]", "my phone's script with a long name")
        page.click("[data-token-form] [data-submit]")
        page.wait_for_selector("[data-issued-token]")
        for path in ("/progress", "/review", "/mock", "/stories", "/plans", "/history", "/settings"):
            page.goto(path)
            shoot(page, screenshots, f"phone-{path.strip('/')}")
            overflow = page.evaluate("document.documentElement.scrollWidth > screen.width + 1")
            assert not overflow, f"{path} scrolls sideways on a phone"
        # The wide parts scroll in regions of their own, inside the screen: /progress's due chart ...
        page.goto("/progress")
        page.wait_for_selector("[data-chart=due]")
        due_chart = page.evaluate("(() => { const r = document.querySelector('[data-chart-scroll=due]');"
                                  " return [r.getBoundingClientRect().right, r.scrollWidth > r.clientWidth]; })()")
        assert due_chart[0] <= 391 and due_chart[1], f"the due chart's region {due_chart} should scroll within the screen"
        # the weekly charts open at their latest week, not at the empty weeks before the first answer
        hidden_right = page.evaluate("(() => { const r = document.querySelector('[data-chart-scroll=score]');"
                                     " return r.scrollWidth - r.clientWidth - r.scrollLeft; })()")
        assert hidden_right <= 1, f"the score chart's region hides {hidden_right} px of its latest weeks"
        assert page.locator("[data-chart-title=score]").evaluate("t => t.getBoundingClientRect().right") <= 391
        # ... and the settings page's token table, a keyboard-reachable region.
        page.goto("/settings")
        region = page.locator("[data-tokens-scroll]")
        assert region.get_attribute("role") == "region" and region.get_attribute("tabindex") == "0"
        assert region.evaluate("r => r.getBoundingClientRect().right") <= 391
    finally:
        context.close()


def test_a_mock_report_with_its_share_link_fits_a_phone(chromium, server, screenshots):
    context = chromium.new_context(base_url=server, viewport={"width": 390, "height": 844}, device_scale_factor=1,
                                   is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.script_errors, page.missing_resources = [], []
        page.on("pageerror", lambda error: page.script_errors.append(str(error)))
        question = platform_question(page)
        sign_up(page)
        # The share link's address is long and unbroken: it wraps, and the page does not widen.
        page.goto(f"/roles/{question['role_slug']}")
        page.click("[data-action=mock-role]")
        page.fill("[data-field=questions]", "1")
        page.uncheck("[data-field=follow-ups]")
        page.click("[data-mock-form] [data-submit]")
        page.fill("[data-answer]", STRONG)
        page.click("[data-mock-answer-form] [data-submit]", no_wait_after=True)
        page.wait_for_selector("[data-mock-report]", timeout=60_000)
        page.click("[data-action=share]")
        page.wait_for_selector("[data-share-url]")
        assert page.text_content("[data-share-url]").startswith(f"{server}/shared/mocks/")  # whole, to paste
        assert page.is_visible("[data-action=copy-share]")
        shoot(page, screenshots, "phone-mock-share")
        overflow = page.evaluate("document.documentElement.scrollWidth > screen.width + 1")
        assert not overflow, "the mock report with its share link scrolls sideways on a phone"
    finally:
        context.close()
