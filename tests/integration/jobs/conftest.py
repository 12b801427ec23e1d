"""A database of each kind for the job tests, committed for real: workers race over it from
several threads and processes, so nothing here can run inside a rolled-back transaction."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import delete

from rehearse.db.database import Database
from rehearse.jobs.models import Job
from rehearse.jobs.queue import JobQueue


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request, tmp_path_factory) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('jobs') / 'jobs.db'}"
        return
    shared = request.getfixturevalue("postgres_schema")
    own = type(shared)(shared.base_url)  # a schema of this module's own
    yield own.url
    own.drop()


@pytest.fixture(scope="module")
def jobs_database(database_url) -> Iterator[Database]:
    database = Database(database_url)
    database.upgrade()
    yield database
    database.dispose()


@pytest.fixture
def database(jobs_database) -> Database:
    """The module's database with an empty jobs table."""
    with jobs_database.transaction(writes=True) as session:
        session.execute(delete(Job))
    return jobs_database


class Clock:
    """A clock the test moves by hand, so lease expiry needs no sleeping."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def queue(database, clock) -> JobQueue:
    return JobQueue(database, clock=clock)
