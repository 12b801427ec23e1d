"""The queue as a worker (or an ops endpoint) sees it: one Database, one short transaction per call.

Web requests enqueue and read jobs in their own request session through service.py; this
class is for code that has no session of its own: worker threads, /metrics and /readyz.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from rehearse.db.database import Database

from . import handlers, notify, policy, service
from .models import Job
from .service import Claimed

# Finished jobs (and their results, e.g. a transcript) are kept this long for polling, then deleted.
KEEP_FINISHED = timedelta(days=1)


class JobQueue:
    """Claim, renew and finish jobs in a database shared by every app and worker process."""

    def __init__(self, database: Database, *, clock: Callable[[], datetime] = service.utcnow) -> None:
        self.database = database
        self.clock = clock

    def enqueue(self, *, kind: str, payload: dict[str, Any], data: bytes | None = None,
                max_attempts: int = 3, expires_in: timedelta | None = None) -> str:
        with self.database.transaction(writes=True) as session:
            return service.enqueue(session, kind=kind, payload=payload, data=data, max_attempts=max_attempts,
                                   expires_in=expires_in, now=self.clock()).id

    def get(self, job_id: str) -> Job | None:
        with self.database.transaction() as session:
            return service.get(session, job_id)

    def claim(self, *, worker: str, lease: timedelta) -> Claimed | None:
        now = self.clock()
        with self.database.transaction() as session:  # a read first: idle polls take no write lock
            if not service.has_claimable(session, now=now):
                return None
        with self.database.transaction(writes=True) as session:
            return service.claim(session, worker=worker, lease=lease, now=now, urgent=handlers.URGENT,
                                 leases=handlers.LEASES)

    def due_in(self) -> float | None:
        """Seconds until the first pending job becomes claimable (0 or less: one is); None: none will."""
        now = self.clock()
        with self.database.transaction() as session:
            due = service.next_due(session, now=now)
        return None if due is None else (due - now).total_seconds()

    def subscribe(self, on_job: Callable[[], None]) -> notify.Listener | None:
        """Call `on_job()` whenever a job is queued, from any process (PostgreSQL); None where it cannot."""
        return notify.listen(self.database, on_job)

    def data(self, job_id: str) -> bytes | None:
        with self.database.transaction() as session:
            return service.data(session, job_id)

    def heartbeat(self, *, job_id: str, attempt: int, lease: timedelta, progress: float | None = None) -> bool:
        with self.database.transaction(writes=True) as session:
            return service.heartbeat(session, job_id=job_id, attempt=attempt, lease=lease, now=self.clock(),
                                     progress=progress)

    def complete(self, *, job_id: str, attempt: int, result: dict[str, Any] | None) -> bool:
        with self.database.transaction(writes=True) as session:
            return service.complete(session, job_id=job_id, attempt=attempt, result=result, now=self.clock())

    def fail(self, *, job_id: str, attempt: int, error: str, retry_in: timedelta | None = None) -> bool:
        with self.database.transaction(writes=True) as session:
            return service.fail(session, job_id=job_id, attempt=attempt, error=error, now=self.clock(),
                                retry_in=retry_in)

    def take(self, job_id: str) -> tuple[str, dict[str, Any] | None, str | None] | None:
        """Delete the job, returning (state, result, error) as it was; None when it is gone already."""
        with self.database.transaction(writes=True) as session:
            return service.take(session, job_id)

    def maintain(self) -> tuple[int, int]:
        """Fail jobs whose workers kept dying, delete old finished ones and expired ones: (failed, deleted)."""
        now = self.clock()
        with self.database.transaction(writes=True) as session:
            failed = service.reap(session, now=now)
            deleted = service.prune(session, older_than=now - KEEP_FINISHED)
            return failed, deleted + service.drop_expired(session, before=now - policy.EXPIRED_KEPT)

    def counts(self) -> dict[tuple[str, str], int]:
        with self.database.transaction() as session:
            return service.counts(session)

    def unattended(self, *, waited: timedelta) -> bool:
        """A job claimable for `waited` and no worker holding any: nothing is taking jobs."""
        with self.database.transaction() as session:
            return service.unattended(session, now=self.clock(), waited=waited)

    def pending(self, *, kind: str | None = None) -> int:
        with self.database.transaction() as session:
            return service.pending(session, kind=kind)
