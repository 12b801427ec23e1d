"""Accounts through the pages: CSRF on every form, sign-in limit, sessions across processes."""

import re

import pytest
from fastapi.testclient import TestClient

from rehearse.accounts.service import SIGN_IN_ACCOUNT_ADDRESS
from rehearse.web.app import create_app
from rehearse.web.security import SESSION_COOKIE

from .conftest import PASSWORD, Browser

FORMS = [
    "/signup",
    "/signin",
    "/signout",
    "/practice/1",
    "/practice/1/recording",
    "/settings/tokens",
    "/settings/tokens/1/revoke",
    "/settings/name",
    "/settings/password",
]


@pytest.mark.parametrize("path", FORMS)
@pytest.mark.parametrize("token", [None, "forged", "valid-for-another-browser"])
def test_every_form_refuses_a_missing_or_forged_csrf_token(browser, make_browser, path, token):
    browser.sign_up()
    if token == "valid-for-another-browser":
        token = make_browser().csrf("/signin")
    data = {"answer": "an answer", "email": "x@example.com", "password": PASSWORD, "name": "t"}
    if token:
        data["csrf_token"] = token
    response = browser.post(path, data=data, follow_redirects=False)
    assert response.status_code == 403 and "did not come from this site" in response.text


def test_sign_up_errors_are_shown_on_the_form(browser):
    response = browser.post(
        "/signup", data={"csrf_token": browser.csrf("/signup"), "email": "bad", "password": "short"}
    )
    assert response.status_code == 422 and "valid e-mail address" in response.text
    assert 'value="bad"' in response.text
    assert "at least 10 characters" in response.text  # every problem at once, not one per try


def test_a_password_of_only_spaces_is_refused_on_the_sign_up_page(browser):
    response = browser.post("/signup", data={"csrf_token": browser.csrf("/signup"), "email": "spaces@example.com",
                                             "password": " " * 12})
    assert response.status_code == 422 and "more than spaces" in response.text


def test_sign_in_sign_out_and_wrong_password(browser, make_browser):
    email = make_browser().sign_up()
    wrong = browser.sign_in(email, "not the password")
    assert wrong.status_code == 401 and "not right" in wrong.text
    assert "rehearse users set-password" in wrong.text  # no e-mail reset: the page says who can help
    right = browser.sign_in(email)
    assert right.status_code == 303 and "/history" in browser.get("/").text
    cookie = right.cookies.get(SESSION_COOKIE) or browser.cookies.get(SESSION_COOKIE)
    assert (
        cookie
        and "HttpOnly" in right.headers["set-cookie"]
        and "SameSite=lax" in right.headers["set-cookie"]
    )
    html = browser.get("/").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    assert (
        browser.post("/signout", data={"csrf_token": token}, follow_redirects=False).status_code
        == 303
    )
    # The old cookie no longer works, even if a copy was kept.
    stale = Browser(browser.app, cookies={SESSION_COOKIE: cookie})
    assert stale.get("/history", follow_redirects=False).status_code == 303


def test_the_sign_in_page_says_who_is_signed_in_already_with_a_way_out(browser, make_browser):
    email = browser.sign_up()
    page = browser.get("/signin?next=/history").text
    assert "You are signed in as" in page and email in page and 'href="/history">Carry on' in page
    assert 'action="/signout"' in page.split("data-signed-in-already", 1)[1].split("</div>", 1)[0]
    assert "data-signed-in-already" not in make_browser().get("/signin").text


def test_sign_in_goes_back_where_it_was_sent_from_but_never_off_site(browser, make_browser):
    email = make_browser().sign_up()
    ok = browser.post(
        "/signin",
        data={
            "csrf_token": browser.csrf(),
            "email": email,
            "password": PASSWORD,
            "next": "/history",
        },
        follow_redirects=False,
    )
    assert ok.headers["location"] == "/history"
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        other = make_browser()
        response = other.post(
            "/signin",
            data={"csrf_token": other.csrf(), "email": email, "password": PASSWORD, "next": target},
            follow_redirects=False,
        )
        assert response.headers["location"] == "/"


def test_sign_in_limit_holds_across_two_app_processes(settings, make_browser):
    email = make_browser().sign_up()
    # Two app instances on one database stand for two server processes behind a load balancer.
    first, second = Browser(create_app(settings)), Browser(create_app(settings))
    try:
        for attempt in range(SIGN_IN_ACCOUNT_ADDRESS.free):
            client = first if attempt % 2 else second
            assert client.sign_in(email, "wrong password!!").status_code == 401
        limited = first.sign_in(email)  # even the right password waits its turn now
        assert limited.status_code == 429 and "Too many failed sign-ins" in limited.text
        assert int(limited.headers["retry-after"]) > 0
        assert second.sign_in(email).status_code == 429
    finally:
        for client in (first, second):
            client.app.state.database.dispose()
            client.close()


def test_a_session_survives_a_restart_and_works_in_another_process(settings, browser):
    browser.sign_up()
    cookies = dict(browser.cookies)
    restarted = create_app(settings)  # same database and secret key: a restart, or a second process
    try:
        again = TestClient(restarted, cookies=cookies)
        response = again.get("/history", follow_redirects=False)
        assert response.status_code == 200 and "Your answers" in response.text
        # The CSRF token of a page from the first process is valid in the second.
        token = re.search(
            r'name="csrf_token" value="([^"]+)"', browser.get("/settings").text
        ).group(1)
        created = again.post(
            "/settings/tokens", data={"csrf_token": token, "name": "from-process-2"}
        )
        assert created.status_code == 200 and "data-token-secret" in created.text
    finally:
        restarted.state.database.dispose()


def test_tokens_are_created_shown_once_and_revoked_on_the_settings_page(browser):
    browser.sign_up()
    created = browser.post(
        "/settings/tokens", data={"csrf_token": browser.csrf("/settings"), "name": "laptop"}
    )
    secret = re.search(r"data-token-secret>([^<]+)<", created.text).group(1)
    assert browser.get("/api/me", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    listing = browser.get("/settings").text
    assert secret not in listing and 'data-token-state="active"' in listing
    token_id = re.search(r'data-token="(\d+)"', listing).group(1)
    revoked = browser.post(
        f"/settings/tokens/{token_id}/revoke",
        data={"csrf_token": browser.csrf("/settings")},
        follow_redirects=False,
    )
    assert revoked.status_code == 303
    assert 'data-token-state="revoked"' in browser.get("/settings").text
    clicked_twice = browser.post(f"/settings/tokens/{token_id}/revoke", data={"csrf_token": browser.csrf("/settings")},
                                 follow_redirects=False)
    assert clicked_twice.status_code == 303  # revoked, as asked: no error page for a second click
    assert (
        TestClient(browser.app)
        .get("/api/me", headers={"Authorization": f"Bearer {secret}"})
        .status_code
        == 401
    )


def test_malformed_forms_get_4xx_pages_not_500(browser, question):
    token = browser.csrf(f"/practice/{question['id']}")
    garbage = browser.post(
        f"/practice/{question['id']}",
        content=b"--x\r\nnot a form",
        headers={"content-type": "multipart/form-data; boundary=x"},
    )
    assert 400 <= garbage.status_code < 500
    assert (
        browser.post(
            f"/practice/{question['id']}", data={"csrf_token": token, "answer": ["a", "b"]}
        ).status_code
        < 500
    )
    huge = browser.post(
        f"/practice/{question['id']}", data={"csrf_token": token, "answer": "x" * 2_000_000}
    )
    assert huge.status_code == 413 and "text/html" in huge.headers["content-type"]
    no_file = browser.post(f"/practice/{question['id']}/recording", data={"csrf_token": token})
    assert no_file.status_code in (422, 503)


def test_security_headers_on_pages(browser):
    headers = browser.get("/").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-frame-options"] == "DENY" and headers["x-content-type-options"] == "nosniff"


def settings_form(browser, path: str, **fields):
    return browser.post(path, data={"csrf_token": browser.csrf("/settings"), **fields}, follow_redirects=False)


def test_changing_the_password_signs_out_every_other_browser(browser, make_browser):
    email = browser.sign_up()
    elsewhere = make_browser()
    assert elsewhere.sign_in(email).status_code == 303
    wrong = settings_form(browser, "/settings/password", current_password="not it at all", new_password="a new one 1234")
    assert wrong.status_code == 403 and "current password is not right" in wrong.text
    short = settings_form(browser, "/settings/password", current_password=PASSWORD, new_password="short")
    assert short.status_code == 422 and "at least 10 characters" in short.text
    spaces = settings_form(browser, "/settings/password", current_password=PASSWORD, new_password=" " * 12)
    assert spaces.status_code == 422 and "more than spaces" in spaces.text
    assert elsewhere.get("/history", follow_redirects=False).status_code == 200  # nothing changed yet

    changed = settings_form(browser, "/settings/password", current_password=PASSWORD, new_password="a new one 1234")
    assert changed.status_code == 303 and changed.headers["location"] == "/settings?saved=password"
    assert "every other sign-in has ended" in browser.get(changed.headers["location"]).text
    assert browser.get("/history", follow_redirects=False).status_code == 200  # this browser stays in
    assert elsewhere.get("/history", follow_redirects=False).status_code == 303  # the other is out
    assert make_browser().sign_in(email).status_code == 401  # the old password is gone
    assert make_browser().sign_in(email, "a new one 1234").status_code == 303


def test_guessing_the_current_password_is_limited_like_signing_in(browser):
    browser.sign_up()
    answers = [settings_form(browser, "/settings/password", current_password=f"guess number {i}",
                             new_password="a new one 1234").status_code
               for i in range(SIGN_IN_ACCOUNT_ADDRESS.free + 1)]
    assert answers[:-1] == [403] * SIGN_IN_ACCOUNT_ADDRESS.free and answers[-1] == 429


def test_the_display_name_is_changed_on_the_settings_page(browser):
    browser.sign_up()
    saved = settings_form(browser, "/settings/name", display_name="  Ada L.  ")
    # redirected to a plain GET with the notice, so reloading the page does not send the form again
    assert saved.status_code == 303 and saved.headers["location"] == "/settings?saved=name"
    shown = browser.get(saved.headers["location"]).text
    assert 'value="Ada L."' in shown and "data-name-saved" in shown
    assert "data-name-saved" not in browser.get("/settings").text
    assert "data-name-saved" not in browser.get("/settings?saved=anything-else").text
    assert browser.get("/api/me").json()["display_name"] == "Ada L."
    empty = settings_form(browser, "/settings/name", display_name="   ")
    assert empty.status_code == 422 and "Enter a display name" in empty.text


def _token_form(browser) -> dict[str, str]:
    page = browser.get("/settings").text
    form_key = re.search(r'name="form_key" value="([^"]+)"', page).group(1)
    return {"csrf_token": browser.csrf("/settings"), "form_key": form_key, "name": "laptop"}


def test_reloading_the_page_that_shows_a_new_token_creates_no_second_token(browser):
    browser.sign_up()
    form = _token_form(browser)
    first = browser.post("/settings/tokens", data=form)
    resent = browser.post("/settings/tokens", data=form)  # what a reload of the POST's page sends
    assert "data-token-secret" in first.text
    assert resent.status_code == 200 and "data-token-secret" not in resent.text
    assert "No second token was made" in resent.text and "“laptop”" in resent.text
    assert browser.get("/settings").text.count('data-token-state="active"') == 1
    assert "data-token-secret" in browser.post("/settings/tokens", data=_token_form(browser)).text  # a new form


def test_a_token_form_refused_for_the_limit_can_be_sent_again_after_a_revoke(browser, monkeypatch):
    monkeypatch.setattr("rehearse.accounts.tokens.MAX_TOKENS", 1)
    browser.sign_up()
    browser.post("/settings/tokens", data=_token_form(browser))
    form = _token_form(browser)
    refused = browser.post("/settings/tokens", data=form)
    assert refused.status_code == 409 and "revoke one first" in refused.text
    token_id = re.search(r'data-token="(\d+)"', browser.get("/settings").text).group(1)
    browser.post(f"/settings/tokens/{token_id}/revoke", data={"csrf_token": browser.csrf("/settings")})
    assert "data-token-secret" in browser.post("/settings/tokens", data=form).text


def test_the_address_shown_after_creating_a_token_leads_to_the_settings_page(browser):
    """/settings/tokens is where the creating form posts; opened again (a new tab, a restored session)
    it is the settings page, not a 405."""
    browser.sign_up()
    opened = browser.get("/settings/tokens", follow_redirects=False)
    assert opened.status_code == 303 and opened.headers["location"] == "/settings"
    followed = browser.get("/settings/tokens")
    assert followed.status_code == 200 and followed.url.path == "/settings" and "data-token-form" in followed.text
    signed_out = Browser(browser.app).get("/settings/tokens")
    assert signed_out.url.path == "/signin"


def test_an_error_page_met_before_any_view_still_shows_who_is_signed_in(browser, monkeypatch):
    """A 405 or 404 comes from the routing, before a view looked up the user: the error page finds the
    user from the sign-in cookie itself, and a failing lookup leaves it signed out, never broken."""
    from rehearse.web import errors, identity

    name = browser.sign_up().split("@")[0]
    for path in ("/settings/name", "/no/such/page"):
        identity.of(browser.app).forget_all()  # nothing remembered: the page reads the database
        page = browser.get(path)
        assert page.status_code in (404, 405) and "data-error=" in page.text, path
        assert f"data-user>{name}<" in page.text and 'data-nav="signin"' not in page.text, path
        assert f"data-user>{name}<" in browser.get(path).text  # remembered this time

    def broken(request, session):
        raise RuntimeError("the lookup failed")

    monkeypatch.setattr(errors, "resolve_user", broken)
    identity.of(browser.app).forget_all()
    page = browser.get("/settings/name")
    assert page.status_code == 405 and "GET is not supported at this address." in page.text
    assert 'data-nav="signin"' in page.text and "data-user" not in page.text
    anonymous = Browser(browser.app).get("/settings/name")
    assert anonymous.status_code == 405 and 'data-nav="signin"' in anonymous.text
