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
