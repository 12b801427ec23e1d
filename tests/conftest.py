"""Fixtures shared by every test: databases (SQLite always, PostgreSQL when reachable) and sessions."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from rehearse.db.database import Database

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
POSTGRES_URL_VARIABLE = "REHEARSE_TEST_POSTGRES_URL"


def require_shared(*parts: str) -> Path:
    """A path under ../shared, or a skip that says why."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (the shared fixtures folder is not checked out next to the repo)")
    return path


def postgres_url_or_skip() -> str:
    """The PostgreSQL test server's URL; missing or unreachable skips, or fails when CI=true."""
    url = os.environ.get(POSTGRES_URL_VARIABLE)
    in_ci = os.environ.get("CI", "").lower() in ("1", "true", "yes")
    if not url:
        reason = f"{POSTGRES_URL_VARIABLE} is not set (make test sets it)"
        if in_ci:
            pytest.fail(f"PostgreSQL tests required in CI: {reason}")
        pytest.skip(reason)
    try:
        engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as error:  # noqa: BLE001
        reason = f"PostgreSQL at {url} is unreachable: {error.__class__.__name__}: {str(error).splitlines()[0]}"
        if in_ci:
            pytest.fail(f"PostgreSQL tests required in CI: {reason}")
        pytest.skip(reason)
    return url


def postgres_schema_url(base_url: str, schema: str) -> str:
    """The same server with search_path set to a schema of this test run's own."""
    separator = "&" if "?" in base_url else "?"
    return f"{base_url}{separator}options=-csearch_path%3D{schema}"


class PostgresSchema:
    """A schema created for one test run and dropped after it, so parallel runs never collide."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.name = f"rehearse_test_{uuid.uuid4().hex[:12]}"
        self.admin = create_engine(base_url.replace("postgresql://", "postgresql+psycopg://", 1))
        with self.admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{self.name}"'))
        self.url = postgres_schema_url(base_url, self.name)

    def drop(self) -> None:
        with self.admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{self.name}" CASCADE'))
        self.admin.dispose()


@pytest.fixture(scope="session")
def postgres_schema() -> Iterator[PostgresSchema]:
    schema = PostgresSchema(postgres_url_or_skip())
    yield schema
    schema.drop()


@dataclass(frozen=True)
class OwnDatabase:
    kind: str  # "sqlite" or "postgresql"
    url: str


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def own_database(request, tmp_path) -> Iterator[OwnDatabase]:
    """An empty, unmigrated database of each kind for this test alone (a file, or a schema of its own,
    dropped afterwards): for tests that migrate, start processes or kill them."""
    if request.param == "sqlite":
        yield OwnDatabase("sqlite", f"sqlite:///{tmp_path / 'own.db'}")
        return
    shared = request.getfixturevalue("postgres_schema")
    own = type(shared)(shared.base_url)
    try:
        yield OwnDatabase("postgresql", own.url)
    finally:
        own.drop()


@pytest.fixture(scope="session", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request, tmp_path_factory) -> Iterator[Database]:
    """A migrated, empty database of each kind, shared by the session; tests roll back their changes."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'rehearse.db'}"
    else:
        url = request.getfixturevalue("postgres_schema").url
    db = Database(url)
    db.upgrade()
    yield db
    db.dispose()


@pytest.fixture
def session(database: Database) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test, whatever it committed."""
    with database.engine.connect() as connection:
        outer = connection.begin()
        session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)
        try:
            yield session
        finally:
            session.close()
            outer.rollback()


@pytest.fixture
def cli_env(tmp_path) -> dict[str, str]:
    """Environment for running `rehearse` in a subprocess against a fresh SQLite file."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("REHEARSE_")}
    env["REHEARSE_DATA_DIR"] = str(tmp_path / "data")
    env["REHEARSE_DATABASE_URL"] = f"sqlite:///{tmp_path / 'cli.db'}"
    return env
