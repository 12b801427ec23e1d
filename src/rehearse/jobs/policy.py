"""When a job is tried again, and when its lease is renewed: pure arithmetic, no clock, no I/O.

Kept apart from the worker and the SQL so the rules can be read (and tested) as a table.
"""

from __future__ import annotations

from datetime import datetime, timedelta

FIRST_RETRY = timedelta(seconds=2)
MAX_RETRY = timedelta(minutes=5)
DEFAULT_LEASE = timedelta(seconds=60)
DEFAULT_MAX_ATTEMPTS = 3
# How often an idle worker looks anyway while PostgreSQL tells it of new jobs (notify.py): the
# notices find new jobs, this only catches one missed while the listener reconnected.
NOTIFIED_POLL = 5.0
# Expired jobs (their waiter gave up) are deleted this long after: a waiter reading its result at
# the very deadline must not find it gone.
EXPIRED_KEPT = timedelta(minutes=1)


def retry_delay(attempt: int) -> timedelta:
    """Wait before the next try after try number `attempt` (1-based) failed: 2 s, 4 s, 8 s ... 5 min."""
    exponent = min(max(attempt, 1) - 1, 20)  # 2**20 × 2 s is already far past the cap
    return min(MAX_RETRY, FIRST_RETRY * (2**exponent))


def after_error(attempt: int, max_attempts: int) -> timedelta | None:
    """How long until a job whose try `attempt` raised is tried again; None: give up, it failed."""
    return retry_delay(attempt) if attempt < max_attempts else None


def lease_expiry(now: datetime, lease: timedelta) -> datetime:
    """Until when a claim (or its last renewal) holds; past it, another worker may take the job."""
    return now + lease


def renewal_due(since_renewed: timedelta, lease: timedelta) -> bool:
    """Renew at a third of the lease, so two missed heartbeats in a row still leave time."""
    return since_renewed >= lease / 3


def reconnect_delay(failures: int) -> float:
    """Seconds a worker waits after `failures` failed tries in a row to reach the queue: 1, 2, 4 ... 30."""
    return min(30.0, 0.5 * 2 ** min(max(failures, 1), 6))


def given_up_message(attempts: int) -> str:
    """The error recorded for a job whose workers kept dying (a crash, kill -9, a lost machine)."""
    times = "once" if attempts == 1 else f"{attempts} times"
    return f"The worker running this job stopped {times} before finishing it; not tried again."


def notified_wait(due_in: float | None, *, poll: float, slow_poll: float = NOTIFIED_POLL) -> float:
    """Seconds an idle worker that is told of new jobs sleeps: until the next job comes due (a retry's
    back-off, a lapsed lease), never more than `slow_poll`, never less than `poll`. `due_in` None: none will."""
    if due_in is None:
        return slow_poll
    return min(slow_poll, max(due_in, poll))
