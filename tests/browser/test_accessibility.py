"""A basic accessibility check of every main page: labels, landmarks, headings and text contrast."""

import re
from pathlib import Path

import pytest

from .helpers import STRONG, platform_question, sign_up, submit_answer

pytestmark = pytest.mark.browser

AUDIT = (Path(__file__).parent / "audit.js").read_text()


def audit(page, path):
    page.goto(path)
    audit_here(page, path)


def audit_here(page, where):
    problems = page.evaluate(AUDIT)
    assert problems == [], f"{where}: {problems}"


PUBLIC_PAGES = [
    "/",
    "/roles/head-of-software-engineering",
    "/signin",
    "/signup",
    "/search?q=incident",
    "/no-such-page",
]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_pass_a_basic_accessibility_audit(page, path):
    audit(page, path)


def test_question_practice_and_report_pages_pass_the_audit(page):
    question = platform_question(page)
    audit(page, f"/questions/{question['id']}")
    audit(page, f"/practice/{question['id']}")
    sign_up(page)
    page.goto(f"/practice/{question['id']}")
    submit_answer(page, STRONG)
    audit(page, page.url)
    audit(page, "/history")
    audit(page, "/settings")


def test_the_skip_link_moves_focus_to_the_main_content(page):
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.classList.contains('skip-link')")
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


# The dark colour scheme (rehearse.css's prefers-color-scheme: dark block): the same audit, and the page
# really is dark, so these tests fail if the block goes. Luminance is WCAG's: 0 black, 1 white.
DARK = 0.05  # the dark --bg is about 0.01, the light one about 0.92
SCORING_MS = 60_000  # the first answer may wait for the model to load
# The colour of a chart's top-left pixel, its own background: an <img> SVG follows the page's colour scheme.
CHART_PIXEL = """img => { const canvas = document.createElement("canvas");
  canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
  const context = canvas.getContext("2d"); context.drawImage(img, 0, 0);
  const [r, g, b] = context.getImageData(2, 2, 1, 1).data; return `rgb(${r}, ${g}, ${b})`; }"""


def luminance(colour: str) -> float:
    r, g, b = (float(v) / 255 for v in re.findall(r"[\d.]+", colour)[:3])  # "rgb(19, 22, 29)"
    f = lambda v: v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4  # noqa: E731
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b)


def audit_dark(page, path=None):
    """Audit the page at `path` (or the one shown) in the dark scheme, and check that it is dark."""
    if path:
        page.goto(path)
    where = path or page.url
    audit_here(page, where)
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert luminance(background) < DARK, f"{where}: the page's background {background} is not dark"


def assert_dark_chart(page, selector):
    """The chart image's own background is dark where the reader sees it. Chromium paints an SVG image for the
    page's dark scheme only once it is on screen: read off-screen (a mock report whose off-topic notes pushed
    the chart below the fold), it still holds the light colours of its first decoding."""
    image = page.locator(selector)
    image.scroll_into_view_if_needed()
    assert image.evaluate("img => img.complete && img.naturalWidth > 0"), selector
    for _ in range(20):
        page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
        pixel = image.evaluate(CHART_PIXEL)
        if luminance(pixel) < DARK:
            break
        page.wait_for_timeout(100)
    assert luminance(pixel) < DARK, f"{selector}: the chart's background {pixel} is not dark"


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_pages_pass_the_audit_in_the_dark_scheme(page, path):
    page.emulate_media(color_scheme="dark")
    audit_dark(page, path)


def test_signed_in_pages_pass_the_audit_in_the_dark_scheme(page):
    page.emulate_media(color_scheme="dark")
    question = platform_question(page)
    audit_dark(page, f"/questions/{question['id']}")
    audit_dark(page, f"/practice/{question['id']}")
    sign_up(page)
    page.goto(f"/practice/{question['id']}")
    submit_answer(page, STRONG)
    audit_dark(page)  # the feedback report: highlights, chips, a good score
    page.goto(f"/practice/{question['id']}")
    submit_answer(page, "I worked on it with the team and it went well.")
    audit_dark(page)  # a poor score, every point missed
    for path in ("/history", "/settings", "/progress"):
        audit_dark(page, path)
    # The prep sheet stays dark on white (it is what gets printed), its table of missed points included.
    page.goto(f"/prep-sheets/{question['role_slug']}")
    assert page.locator("[data-sheet-missed]").count() == 1
    audit_dark(page)
    page.goto("/progress")
    assert_dark_chart(page, "img[data-chart=score]")

    # A one-question mock interview (and its follow-up, if any): its report has a bar chart.
    page.goto(f"/roles/{question['role_slug']}")
    page.click("[data-action=mock-role]")
    page.fill("[data-field=questions]", "1")
    page.click("[data-mock-form] [data-submit]")
    page.wait_for_selector("[data-mock-question]")
    audit_dark(page)
    for _ in range(3):
        page.wait_for_selector("[data-mock-question], [data-mock-report]", timeout=SCORING_MS)
        if page.locator("[data-mock-report]").count():
            break
        page.fill("[data-answer]", STRONG)
        page.click("[data-mock-answer-form] [data-submit]", no_wait_after=True)
        page.wait_for_load_state("load", timeout=SCORING_MS)
    page.wait_for_selector("[data-mock-report]", timeout=SCORING_MS)
    audit_dark(page)
    assert_dark_chart(page, "img[data-chart=competencies]")

    # A suggested edit's preview: the diff's inserted and deleted words (nothing is sent).
    page.goto(f"/questions/{question['id']}")
    page.click("[data-action=improve]")
    page.wait_for_selector("[data-suggest-form]")
    original = page.input_value("[data-field=example_answer]")
    page.fill("[data-field=example_answer]", original.replace("First", "At first", 1) + "\n\nEvery Monday too.")
    page.fill("[data-field=reason]", "Adds a review cadence.")
    page.check("[data-field=accept_licence]")
    page.click("[data-action=preview]")
    page.wait_for_selector("[data-preview]")
    assert page.locator("[data-diff-field=example_answer] ins").count() > 0
    assert page.locator("[data-diff-field=example_answer] del").count() > 0
    audit_dark(page)
    assert page.script_errors == []


# WCAG 2.4.7 / 1.4.11: whatever control has the keyboard's focus shows it with an indicator of at least
# 3:1 against the page around it. Fields, selects, checkboxes and radios included: a pale halo is not one.
FOCUS_CONTRAST = 3.0
FOCUSED_INDICATOR = """el => { const s = getComputedStyle(el);
  let around = "rgba(0, 0, 0, 0)";
  for (let e = el.parentElement; e; e = e.parentElement) {
    const c = getComputedStyle(e).backgroundColor;
    if (!c.startsWith("rgba") || !c.endsWith(", 0)")) { around = c; break; } }
  return {style: s.outlineStyle, width: parseFloat(s.outlineWidth), colour: s.outlineColor, around}; }"""


def contrast(first: str, second: str) -> float:
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def focus_by_keyboard(page, selector):
    """Focus the control as a keyboard user does (Tab from the control before it), so :focus-visible holds."""
    page.focus(selector)
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")
    assert page.evaluate(f"document.activeElement === document.querySelector({selector!r})"), selector


def assert_focus_is_seen(page, selector):
    focus_by_keyboard(page, selector)
    seen = page.locator(selector).evaluate(FOCUSED_INDICATOR)
    assert seen["style"] == "solid" and seen["width"] >= 2, f"{selector}: no solid focus outline ({seen})"
    assert "rgba" not in seen["colour"], f"{selector}: a see-through focus outline ({seen['colour']})"
    ratio = contrast(seen["colour"], seen["around"])
    assert ratio >= FOCUS_CONTRAST, f"{selector}: focus outline {seen['colour']} on {seen['around']} is {ratio:.1f}:1"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_kind_of_form_control_shows_a_strong_focus_outline(page, scheme):
    page.emulate_media(color_scheme=scheme)
    sign_up(page)
    page.goto("/mock")
    for control in ("[data-field=role]", "[data-field=questions]", "[data-field=mode-typed]",
                    "[data-field=follow-ups]", "[data-mock-form] [data-submit]"):
        assert_focus_is_seen(page, control)
    page.goto("/stories")
    assert_focus_is_seen(page, "[name=title]")
    assert_focus_is_seen(page, "textarea[name=situation]")
