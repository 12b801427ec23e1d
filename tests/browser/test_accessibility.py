"""A basic accessibility check of every main page: labels, landmarks, headings and text contrast."""

from pathlib import Path

import pytest

from .helpers import STRONG, platform_question, sign_up, submit_answer

pytestmark = pytest.mark.browser

AUDIT = (Path(__file__).parent / "audit.js").read_text()


def audit(page, path):
    page.goto(path)
    problems = page.evaluate(AUDIT)
    assert problems == [], f"{path}: {problems}"


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/roles/head-of-software-engineering",
        "/signin",
        "/signup",
        "/search?q=incident",
        "/no-such-page",
    ],
)
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
