"""A real app (create_app) on a fresh database of each kind, and clients that sign in."""

from __future__ import annotations

import re
import uuid

import pytest
from fastapi.testclient import TestClient

from rehearse.settings import Settings
from rehearse.web.app import create_app

PASSWORD = "a long enough password"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def route_paths(routes) -> set[str]:
    """Every path the app serves, through included routers (FastAPI nests them)."""
    paths = set()
    for route in routes:
        nested = getattr(route, "original_router", None) or (
            getattr(route, "routes", None) if not hasattr(route, "path") else None
        )
        if nested is not None:
            paths |= route_paths(nested.routes if hasattr(nested, "routes") else nested)
        elif getattr(route, "path", None) is not None:
            paths.add(route.path)
    return paths


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def database_url(request, tmp_path_factory):
    """A database of its own for this module: the app writes users and attempts for real."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('web') / 'web.db'}"
        return
    shared = request.getfixturevalue("postgres_schema")
    own = type(shared)(shared.base_url)  # a second schema, so the shared one stays empty
    yield own.url
    own.drop()


@pytest.fixture(scope="module")
def settings(database_url, tmp_path_factory) -> Settings:
    return Settings(
        data_dir=tmp_path_factory.mktemp("data"),
        database_url=database_url,
        secret_key="k" * 48,
        # Every test client comes from one address; the per-address limits have tests of their own.
        signups_per_address_per_hour=10_000,
        anonymous_scorings_per_minute=10_000,
    )


@pytest.fixture(scope="module")
def app(settings):
    app = create_app(settings)
    yield app
    app.state.database.dispose()


class Browser(TestClient):
    """A TestClient with its own cookie jar, plus the few steps a person takes in the pages."""

    def csrf(self, path: str = "/signin") -> str:
        return _CSRF.search(self.get(path).text).group(1)

    def sign_up(self, email: str | None = None, password: str = PASSWORD) -> str:
        email = email or f"user-{uuid.uuid4().hex[:10]}@example.com"
        response = self.post(
            "/signup",
            data={
                "csrf_token": self.csrf("/signup"),
                "email": email,
                "password": password,
                "display_name": email.split("@")[0],
            },
            follow_redirects=False,
        )
        assert response.status_code == 303, response.text
        return email

    def sign_in(self, email: str, password: str = PASSWORD, **kwargs):
        return self.post(
            "/signin",
            data={"csrf_token": self.csrf("/signin"), "email": email, "password": password},
            follow_redirects=False,
            **kwargs,
        )

    def answer(self, question_id: int, answer: str, **fields):
        token = self.csrf(f"/practice/{question_id}")
        return self.post(
            f"/practice/{question_id}",
            data={"csrf_token": token, "answer": answer, **fields},
            follow_redirects=False,
        )

    def page_csrf_header(self) -> dict[str, str]:
        """What the page's scripts send with fetch(): the token from <meta name="csrf-token">."""
        token = re.search(r'<meta name="csrf-token" content="([^"]+)"', self.get("/").text).group(1)
        return {"X-CSRF-Token": token}


@pytest.fixture
def browser(app):
    # Not `with Browser(app)`: that runs the app's shutdown, and the app is shared by the module.
    client = Browser(app)
    yield client
    client.close()


@pytest.fixture
def make_browser(app):
    made = []

    def make() -> Browser:
        client = Browser(app)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()


@pytest.fixture(scope="module")
def question(app) -> dict:
    """A question of the built-in bank with talking points and an example answer."""
    client = TestClient(app)
    summary = client.get("/api/questions", params={"q": "platform team requests"}).json()[0]
    return client.get(f"/api/questions/{summary['id']}").json()
