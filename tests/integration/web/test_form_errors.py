"""A refused sign-up, sign-in or settings change names the fields at fault for screen readers: each is marked invalid and tied
to the message, and the first of them takes the focus, as the answer forms do."""

import re

from .conftest import Browser


def field(html: str, name: str) -> str:
    return re.search(rf'<input id="{name}"[^>]*>', html).group(0)


def test_a_wrong_password_marks_both_fields_and_focuses_the_password(browser, make_browser):
    email = make_browser().sign_up()
    html = browser.sign_in(email, "not the password").text
    assert 'id="form-error"' in html
    for name in ("email", "password"):
        assert 'aria-invalid="true"' in field(html, name) and 'aria-describedby="form-error"' in field(html, name)
    assert "autofocus" in field(html, "password") and "autofocus" not in field(html, "email")
    fresh = browser.get("/signin").text  # nothing is marked before anything was sent
    assert "aria-invalid" not in fresh and "autofocus" not in fresh


def test_a_short_password_marks_the_password_and_keeps_its_help(app):
    browser = Browser(app)
    html = browser.post("/signup", data={"csrf_token": browser.csrf("/signup"), "email": "short@example.com",
                                          "password": "short", "display_name": "Short"}).text
    assert "at least 10 characters" in html
    password = field(html, "password")
    assert 'aria-invalid="true"' in password and 'aria-describedby="form-error pw-help"' in password
    assert "autofocus" in password
    assert "aria-invalid" not in field(html, "email") and "aria-invalid" not in field(html, "display_name")


def test_a_taken_address_marks_the_address(browser, make_browser):
    email = make_browser().sign_up()
    html = browser.post("/signup", data={"csrf_token": browser.csrf("/signup"), "email": email,
                                          "password": "a long enough password", "display_name": "Again"}).text
    assert "already exists" in html
    assert 'aria-invalid="true"' in field(html, "email") and "autofocus" in field(html, "email")
    assert "aria-invalid" not in field(html, "password") and 'aria-describedby="pw-help"' in field(html, "password")


def test_a_bad_address_and_a_short_password_mark_both_and_focus_the_address(app):
    browser = Browser(app)
    html = browser.post("/signup", data={"csrf_token": browser.csrf("/signup"), "email": "nobody at example",
                                          "password": "short", "display_name": "Two wrongs"}).text
    for name in ("email", "password"):
        assert 'aria-invalid="true"' in field(html, name)
    assert "autofocus" in field(html, "email") and "autofocus" not in field(html, "password")
    assert "aria-invalid" not in field(html, "display_name")


def test_settings_mark_the_field_each_refusal_is_about(browser):
    browser.sign_up()
    html = browser.post("/settings/name", data={"csrf_token": browser.csrf("/settings"), "display_name": "  "}).text
    assert 'aria-invalid="true"' in field(html, "display-name") and 'aria-describedby="name-error"' in html
    assert 'id="name-error"' in html and "aria-invalid" not in field(html, "new-password")

    wrong_current = browser.post("/settings/password", data={
        "csrf_token": browser.csrf("/settings"), "current_password": "not my password", "new_password": "a new long password"})
    assert wrong_current.status_code == 403
    assert 'aria-invalid="true"' in field(wrong_current.text, "current-password")
    assert "aria-invalid" not in field(wrong_current.text, "new-password")

    too_short = browser.post("/settings/password", data={
        "csrf_token": browser.csrf("/settings"), "current_password": "a long enough password", "new_password": "short"})
    assert too_short.status_code == 422
    new = field(too_short.text, "new-password")
    assert 'aria-invalid="true"' in new and 'aria-describedby="password-error"' in new and "autofocus" in new
    assert "aria-invalid" not in field(too_short.text, "current-password")


# Every other form shows its errors the same way (templates/_form_errors.html): one summary with an id beside the
# form listing every problem, each bad field aria-invalid and described by its own message, the first one focused.

def control(html: str, name: str) -> str:
    """The opening tag of the form control named `name` (the first, when several share it)."""
    return re.search(rf'<(?:input|textarea|select)\b[^>]*\bname="{name}"[^>]*>', html).group(0)


def message(html: str, tag: str) -> str:
    """The text of the message a field's aria-describedby names first."""
    first = re.search(r'aria-describedby="([^" ]+)', tag).group(1)
    return re.search(rf'id="{first}"[^>]*>([^<]*)<', html).group(1)


def assert_marked(html: str, name: str, says: str, *, focused: bool) -> None:
    tag = control(html, name)
    assert 'aria-invalid="true"' in tag, tag
    assert says in message(html, tag)
    assert ("autofocus" in tag) is focused, tag


def post(client: Browser, path: str, data: dict, page: str | None = None):
    return client.post(path, data={"csrf_token": client.csrf(page or path), **data}, follow_redirects=False)


def test_a_story_with_no_title_and_no_parts_marks_both_and_focuses_the_title(browser):
    browser.sign_up()
    html = post(browser, "/stories", {"title": "   ", "situation": "", "tags": "a,,b"}).text
    assert 'id="form-error"' in html and "2 things to put right" in html
    assert_marked(html, "title", "Give the story a title.", focused=True)
    assert_marked(html, "situation", "Write at least one of", focused=False)
    situation = control(html, "situation")
    assert "story-situation-hint" in situation  # the field's own hint is still read after the message
    assert "aria-invalid" not in control(html, "task") and "aria-invalid" not in control(html, "tags")
    assert "aria-invalid" not in browser.get("/stories").text  # nothing is marked before anything was sent


def test_a_story_edit_marks_the_part_that_is_too_long(browser):
    browser.sign_up()
    created = post(browser, "/stories", {"title": "Turnaround", "situation": "A team missed every sprint."})
    story = created.headers["location"].split("?")[0]
    html = post(browser, story, {"title": "Turnaround", "action": "x" * 5_001}).text
    assert_marked(html, "action", "The action is 5,001 characters long", focused=True)
    assert "aria-invalid" not in control(html, "title")


def test_the_mock_form_reports_both_numbers_and_gives_back_what_was_sent(browser):
    browser.sign_up()
    html = post(browser, "/mock", {"questions": "40", "minutes": ""}).text
    assert "2 things to put right" in html
    assert_marked(html, "questions", "not 40", focused=True)
    assert_marked(html, "minutes", "Give the time per answer", focused=False)
    assert 'value=""' in control(html, "minutes")  # not the default 3: the empty value sent, beside its message
    assert 'value="40"' in control(html, "questions")
    again = post(browser, "/mock", {"questions": "3", "minutes": "20"}, page="/mock").text
    assert_marked(again, "minutes", "not 1200 s", focused=True)
    assert "aria-invalid" not in control(again, "questions")


def test_sending_an_edit_without_reason_or_licence_marks_both(browser, question):
    browser.sign_up()
    path = f"/questions/{question['id']}/improve"
    html = post(browser, path, {"example_answer": "A better answer.", "intent": question["intent"] or "",
                                "talking_points": "\n".join(question["talking_points"]), "reason": "  ",
                                "action": "send"}).text
    assert_marked(html, "reason", "The reason is empty.", focused=True)
    assert_marked(html, "accept_licence", "Agree to publish", focused=False)


def test_a_suggested_question_reports_every_bad_field(browser, question):
    browser.sign_up()
    path = re.search(r'href="(/roles/\d+/suggest)"', browser.get(f"/questions/{question['id']}/improve").text).group(1)
    html = post(browser, path, {"text": " ", "kind": "riddle", "talking_points": "", "reason": ""}).text
    assert_marked(html, "text", "The question is empty.", focused=True)
    assert_marked(html, "kind", "riddle", focused=False)
    assert_marked(html, "talking_points", "There are no talking points", focused=False)


def test_a_posting_that_is_refused_marks_the_posting(browser):
    browser.sign_up()
    html = post(browser, "/plans", {"posting": "Too short."}).text
    assert_marked(html, "posting", "", focused=True)
    assert 'id="form-error"' in html


def test_a_file_that_is_not_json_marks_the_file_and_a_wrong_password_the_password(browser):
    browser.sign_up()
    html = browser.post("/account/data", data={"csrf_token": browser.csrf("/account/data")},
                        files={"document": ("data.json", b"{not json", "application/json")}).text
    assert_marked(html, "document", "Line 1", focused=True)
    assert 'id="import-error"' in html and "aria-invalid" not in control(html, "password")
    wrong = post(browser, "/account/delete", {"password": "not my password"}, page="/account/data").text
    assert_marked(wrong, "password", "That is not your password", focused=True)
    assert 'id="delete-error"' in wrong and "aria-invalid" not in control(wrong, "document")
