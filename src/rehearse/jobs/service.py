"""The jobs table's operations, each within the caller's transaction.

Claiming is the only delicate part: two workers must never take the same job. Rather than
locks of our own, each database's own mechanism does it:

* PostgreSQL: `SELECT ... FOR UPDATE SKIP LOCKED` picks the oldest claimable row that no
  other transaction has locked, then an UPDATE marks it running, in one transaction.
* SQLite: one `UPDATE ... WHERE id = (SELECT ...) AND <still claimable> RETURNING` statement
  (SQLite 3.35+), in a transaction that began with the write lock (BEGIN IMMEDIATE), so the
  pick and the mark cannot interleave with another claim.

A claim is a lease: the worker renews it while it works (`heartbeat`). A job whose lease
ran out (its worker died) is claimable again and is tried again, up to `max_attempts`
claims; `attempts` doubles as a fencing token, so a worker that lost its lease cannot
record an outcome over the newer try's.

A job may carry an expiry (`expires_at`): whoever waits for it has given up by then (a scored
answer's request answers 503 at REHEARSE_SCORING_TIMEOUT), so it is not claimed after it, and
`drop_expired` deletes it, input and result alike, even when its waiter died without doing so.

On PostgreSQL, `enqueue` also sends NOTIFY in the enqueuing transaction, so idle workers that
LISTEN (notify.py) are woken when the job commits instead of finding it at their next poll.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, case, delete, func, or_, select, update
from sqlalchemy.orm import Session

from . import policy
from .models import DONE, FAILED, QUEUED, RUNNING, Job
from .notify import CHANNEL

PENDING = (QUEUED, RUNNING)


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Claimed:
    """What a worker needs to run a job it has just claimed (the input bytes are fetched apart)."""

    id: str
    kind: str
    payload: dict[str, Any]
    attempt: int
    max_attempts: int


def enqueue(session: Session, *, kind: str, payload: dict[str, Any], data: bytes | None = None,
            max_attempts: int = policy.DEFAULT_MAX_ATTEMPTS, expires_in: timedelta | None = None,
            now: datetime) -> Job:
    """Add a job; it is claimable once the caller's transaction commits (and not after `expires_in`)."""
    job = Job(id=secrets.token_urlsafe(18), kind=kind, payload=payload, data=data, state=QUEUED, attempts=0,
              max_attempts=max_attempts, progress=0.0, run_after=now, created_at=now,
              expires_at=None if expires_in is None else now + expires_in)
    session.add(job)
    session.flush()
    if session.get_bind().dialect.name == "postgresql":
        # Delivered when this transaction commits, and dropped if it rolls back.
        session.execute(select(func.pg_notify(CHANNEL, kind)))
    return job


def get(session: Session, job_id: str) -> Job | None:
    """The job (without its input bytes), or None."""
    return session.get(Job, job_id[:32])


def data(session: Session, job_id: str) -> bytes | None:
    """The job's input bytes (None when it had none, or once it is over)."""
    return session.scalar(select(Job.data).where(Job.id == job_id))


def counts(session: Session) -> dict[tuple[str, str], int]:
    """How many jobs are queued or running, by (kind, state)."""
    rows = session.execute(
        select(Job.kind, Job.state, func.count()).where(Job.state.in_(PENDING)).group_by(Job.kind, Job.state)
    )
    return {(kind, state): count for kind, state, count in rows}


def pending(session: Session, *, kind: str | None = None) -> int:
    """Jobs queued or running (of one kind, or all)."""
    query = select(func.count()).select_from(Job).where(Job.state.in_(PENDING))
    if kind is not None:
        query = query.where(Job.kind == kind)
    return session.scalar(query) or 0


def _wanted(now: datetime):
    """Someone may still want the job's outcome: it has no expiry, or has not reached it."""
    return or_(Job.expires_at.is_(None), Job.expires_at > now)


def _claimable(now: datetime):
    return and_(
        Job.attempts < Job.max_attempts,
        or_(and_(Job.state == QUEUED, Job.run_after <= now), and_(Job.state == RUNNING, Job.lease_expires_at < now)),
        _wanted(now),
    )


def has_claimable(session: Session, *, now: datetime) -> bool:
    """Whether a claim would find a job: a plain read, so idle workers do not take the write lock."""
    return session.scalar(select(Job.id).where(_claimable(now)).limit(1)) is not None


def unattended(session: Session, *, now: datetime, waited: timedelta) -> bool:
    """Whether a job has been claimable for `waited` while no worker holds any: no worker is taking jobs (a
    backlog behind busy workers has a job held). Used by /readyz; each query reads at most one row."""
    since = now - waited
    claimable_since = or_(and_(Job.state == QUEUED, Job.run_after <= since),
                          and_(Job.state == RUNNING, Job.lease_expires_at < since))
    waiting = select(Job.id).where(Job.attempts < Job.max_attempts, _wanted(now), claimable_since).limit(1)
    held = select(Job.id).where(Job.state == RUNNING, Job.lease_expires_at >= now).limit(1)
    return session.scalar(waiting) is not None and session.scalar(held) is None


def next_due(session: Session, *, now: datetime) -> datetime | None:
    """When the first pending job becomes claimable (a retry's back-off, a held lease's end); None: none will.

    A time at or before `now` means one is claimable already. Jobs that expire before they come due
    are counted too: the answer is a time to look again, never too late, sometimes early.
    """
    due = case((Job.state == QUEUED, Job.run_after), else_=Job.lease_expires_at)
    return session.scalar(select(func.min(due)).where(Job.state.in_(PENDING), Job.attempts < Job.max_attempts,
                                                      _wanted(now)))


def claim(session: Session, *, worker: str, lease: timedelta, now: datetime,
          urgent: tuple[str, ...] = (), leases: dict[str, timedelta] | None = None) -> Claimed | None:
    """Take the oldest claimable job for `worker` until `now + lease`; None when there is none.

    Jobs of the `urgent` kinds (someone is waiting on them) go before older ones of other kinds;
    `leases` gives some kinds a shorter claim than `lease`. The caller's transaction must be a
    writing one (SQLite: begun with the write lock); commit it at once, as on PostgreSQL it
    holds the claimed row's lock.
    """
    order = [Job.created_at, Job.id]
    if urgent:
        order.insert(0, case((Job.kind.in_(urgent), 0), else_=1))
    oldest = select(Job.id).where(_claimable(now)).order_by(*order).limit(1)
    expiry = policy.lease_expiry(now, lease)
    shorter = {kind: own for kind, own in (leases or {}).items() if own < lease}
    if shorter:
        expiry = case(*((Job.kind == kind, policy.lease_expiry(now, own)) for kind, own in shorter.items()),
                      else_=expiry)
    mark = (
        update(Job)
        .values(state=RUNNING, attempts=Job.attempts + 1, lease_expires_at=expiry,
                worker=worker[:100], started_at=now, progress=0.0)
        .returning(Job.id, Job.kind, Job.payload, Job.attempts, Job.max_attempts)
        .execution_options(synchronize_session=False)
    )
    if session.get_bind().dialect.name == "postgresql":
        job_id = session.scalar(oldest.with_for_update(skip_locked=True))
        if job_id is None:
            return None
        row = session.execute(mark.where(Job.id == job_id)).one()
    else:
        # The subquery picks, the outer condition re-checks, both inside one statement.
        row = session.execute(mark.where(Job.id == oldest.scalar_subquery(), _claimable(now))).first()
        if row is None:
            return None
    return Claimed(id=row.id, kind=row.kind, payload=row.payload, attempt=row.attempts,
                   max_attempts=row.max_attempts)


def _held(job_id: str, attempt: int):
    """The job is still this try's: running, and not claimed again since."""
    return and_(Job.id == job_id, Job.attempts == attempt, Job.state == RUNNING)


def _update(session: Session, condition, **values) -> bool:
    result = session.execute(update(Job).where(condition).values(**values)
                             .execution_options(synchronize_session=False))
    return result.rowcount == 1


def heartbeat(session: Session, *, job_id: str, attempt: int, lease: timedelta, now: datetime,
              progress: float | None = None) -> bool:
    """Extend the lease (and note progress); False when the job is no longer this try's."""
    values: dict[str, Any] = {"lease_expires_at": policy.lease_expiry(now, lease)}
    if progress is not None:
        values["progress"] = progress
    return _update(session, _held(job_id, attempt), **values)


def complete(session: Session, *, job_id: str, attempt: int, result: dict[str, Any] | None,
             now: datetime) -> bool:
    """Record success; False (nothing recorded) when the lease was lost to another try."""
    return _update(session, _held(job_id, attempt), state=DONE, result=result, error=None, progress=1.0,
                   finished_at=now, lease_expires_at=None, data=None)


def fail(session: Session, *, job_id: str, attempt: int, error: str, now: datetime,
         retry_in: timedelta | None = None) -> bool:
    """Record a failed try: queued again after `retry_in`, or failed for good when it is None."""
    if retry_in is not None:
        return _update(session, _held(job_id, attempt), state=QUEUED, error=error, lease_expires_at=None,
                       run_after=now + retry_in)
    return _update(session, _held(job_id, attempt), state=FAILED, error=error, progress=1.0, finished_at=now,
                   lease_expires_at=None, data=None)


def reap(session: Session, *, now: datetime) -> int:
    """Fail the jobs whose lease ran out on their last allowed try; returns how many."""
    expired = and_(Job.state == RUNNING, Job.lease_expires_at < now, Job.attempts >= Job.max_attempts)
    failed = 0
    for job_id, attempts in session.execute(select(Job.id, Job.attempts).where(expired)).all():
        # Re-checked in the UPDATE: a claim or heartbeat may have come in between.
        failed += _update(session, and_(Job.id == job_id, expired), state=FAILED,
                          error=policy.given_up_message(attempts), progress=1.0, finished_at=now,
                          lease_expires_at=None, data=None)
    return failed


def take(session: Session, job_id: str) -> tuple[str, dict[str, Any] | None, str | None] | None:
    """Delete a job whatever its state, returning its (state, result, error) as it was; None when gone.

    For work whose result is handed to one waiter and kept no longer (a scored answer's report
    quotes the answer). A worker still running it finds its lease lost and its outcome dropped.
    """
    row = session.execute(delete(Job).where(Job.id == job_id).returning(Job.state, Job.result, Job.error)
                          .execution_options(synchronize_session=False)).first()
    return None if row is None else (row.state, row.result, row.error)


def drop_expired(session: Session, *, before: datetime) -> int:
    """Delete the jobs that expired before `before`, whatever their state; returns how many.

    Their waiter deletes them when it gives up; these are the ones whose waiter could not (its
    process died, the database was away then), so no answer is left in the table.
    """
    result = session.execute(delete(Job).where(Job.expires_at < before).execution_options(synchronize_session=False))
    return result.rowcount or 0


def prune(session: Session, *, older_than: datetime) -> int:
    """Delete jobs that finished before `older_than`; returns how many."""
    result = session.execute(delete(Job).where(Job.state.in_((DONE, FAILED)), Job.finished_at < older_than)
                             .execution_options(synchronize_session=False))
    return result.rowcount or 0
