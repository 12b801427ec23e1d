"""Production mode sets Secure cookies, so a browser on plain http:// never sends them back.

Nobody could sign in, and the 403 said only that the form had expired: the page and the log now say
that the server needs HTTPS, and the server says so once as it starts.
"""

from __future__ import annotations

import logging
import re

import pytest
from fastapi.testclient import TestClient

from rehearse.settings import Settings
from rehearse.web.app import create_app

NEEDS_HTTPS = "This server runs in production mode and needs HTTPS"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _settings(tmp_path, environment: str) -> Settings:
    return Settings(data_dir=tmp_path, database_url=f"sqlite:///{tmp_path / 'app.db'}", secret_key="k" * 48,
                    environment=environment, load_builtin_bank=False, feedback_backend="lexical",
                    worker_in_process=False)


@pytest.fixture
def production_app(tmp_path):
    app = create_app(_settings(tmp_path, "production"))
    yield app
    app.state.database.dispose()


def _sign_in(client: TestClient):
    """What a browser does: open the sign-in page, then send its form with the token it carried."""
    page = client.get("/signin")
    token = _CSRF.search(page.text).group(1)
    return page, client.post("/signin", data={"csrf_token": token, "email": "a@example.com", "password": "x" * 12},
                             follow_redirects=False)


def test_production_cookies_are_secure_so_a_browser_on_http_sends_none_back(production_app):
    with TestClient(production_app, base_url="http://rehearse.lan:8000") as client:
        page, _ = _sign_in(client)
    assert "secure" in page.headers["set-cookie"].lower()
    assert not client.cookies.jar or all(cookie.secure for cookie in client.cookies.jar)


def test_a_form_sent_over_http_in_production_says_the_server_needs_https(production_app, caplog):
    with TestClient(production_app, base_url="http://rehearse.lan:8000") as client, \
            caplog.at_level(logging.WARNING, logger="rehearse.web"):
        _, sent = _sign_in(client)
    assert sent.status_code == 403
    assert NEEDS_HTTPS in sent.text and "REHEARSE_TRUSTED_PROXIES" in sent.text
    assert any(NEEDS_HTTPS in record.getMessage() for record in caplog.records)


def test_the_same_form_over_https_gets_past_the_csrf_check(production_app):
    with TestClient(production_app, base_url="https://rehearse.lan") as client:
        _, sent = _sign_in(client)
    assert sent.status_code != 403 and NEEDS_HTTPS not in sent.text


def test_a_stale_form_over_http_in_development_keeps_the_usual_sentence(tmp_path):
    app = create_app(_settings(tmp_path, "development"))
    with TestClient(app) as client:
        sent = client.post("/signin", data={"csrf_token": "stale", "email": "a@example.com", "password": "x" * 12})
    app.state.database.dispose()
    assert sent.status_code == 403
    assert "This form has expired" in sent.text and NEEDS_HTTPS not in sent.text


def test_a_production_app_warns_once_as_it_starts_that_it_needs_https(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="rehearse.web"):
        app = create_app(_settings(tmp_path, "production"))
    app.state.database.dispose()
    warnings = [record.getMessage() for record in caplog.records if "HTTPS" in record.getMessage()]
    assert len(warnings) == 1 and "Secure" in warnings[0]


def test_a_development_app_starts_without_that_warning(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="rehearse.web"):
        app = create_app(_settings(tmp_path, "development"))
    app.state.database.dispose()
    assert not [record for record in caplog.records if "HTTPS" in record.getMessage()]


def test_a_development_app_with_a_short_secret_key_warns_that_production_would_refuse_it(tmp_path, caplog):
    settings = _settings(tmp_path, "development").model_copy(update={"secret_key": "abc"})
    with caplog.at_level(logging.WARNING, logger="rehearse.web"):
        app = create_app(settings)
    app.state.database.dispose()
    assert any("REHEARSE_SECRET_KEY is shorter than 32" in record.getMessage() for record in caplog.records)
