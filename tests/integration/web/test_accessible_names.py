"""What a screen reader names things: a link's count is told apart from its word, a row's controls say whose
row they act on, a ✓ or ✗ is read as a word, and a form has a heading naming it."""

import re

from .conftest import Browser
from .test_community import make_editor
from .test_nav_due_count import _make_due


def spoken(html: str) -> str:
    """The text of some markup as it is read: tags gone, nothing added between them."""
    return re.sub(r"<[^>]+>", "", html)


def test_the_review_link_reads_review_comma_count_due_now(app):
    ann = Browser(app)
    _make_due(app, ann.sign_up(), 2)
    link = re.search(r'<a href="/review" data-nav="review"[^>]*>(.*?)</a>', ann.get("/stories").text).group(1)
    assert spoken(link) == "Review, 2 due now"


def test_an_admin_row_names_whose_account_each_control_suspends(app, make_browser):
    admin, member = make_browser(), make_browser()
    make_editor(app, admin.sign_up(), role="admin")
    email = member.sign_up()
    row = re.search(r"<tr data-user-row=.*?</tr>", admin.get("/community/editors", params={"q": email}).text, re.S)
    reason = re.search(r'<input type="text" name="reason" aria-label="([^"]+)"', row.group(0)).group(1)
    suspend = re.search(r'<button[^>]*data-action="ban"[^>]*aria-label="([^"]+)"', row.group(0)).group(1)
    assert email in reason and reason.startswith("Reason for suspending")
    assert email in suspend and suspend.startswith("Suspend")  # the visible word stays first in its name


def test_a_suggested_question_form_has_its_own_heading_and_reads_its_marks_as_words(browser, question):
    browser.sign_up()
    path = re.search(r'href="(/roles/\d+/suggest)"', browser.get(f"/questions/{question['id']}/improve").text).group(1)
    assert re.search(r"<h2[^>]*>Suggest a question</h2>", browser.get(path).text)
    preview = browser.post(path, data={
        "csrf_token": browser.csrf(path), "text": "How do you keep a roadmap honest?", "action": "preview",
        "talking_points": "how you rank the requests\nhow you say no",
        "example_answer": "I rank the requests with product every month, and I say no in writing with the reason."}).text
    marks = re.findall(r'<ul class="points">(.*?)</ul>', preview, re.S)[-1]
    assert "✓" in marks or "✗" in marks
    for item in re.findall(r"<li>(.*?)</li>", marks, re.S):
        assert re.match(r'<span aria-hidden="true">[✓✗]</span><span class="visually-hidden">(Covered|Missed):</span>',
                        item), item
