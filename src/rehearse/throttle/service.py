"""Count limited actions per subject and refuse (or slow down) those past their rule.

A bucket is one row per rule and subject. `hit` counts one action and says whether it may
go ahead, in one transaction that holds the bucket's row lock (SQLite: the write lock that
a writing transaction takes up front; PostgreSQL: SELECT ... FOR UPDATE after making sure
the row exists), so concurrent requests are counted one after another and none of them is
checked against a stale count.

Two kinds of rule:

* fixed window (`backoff=None`): `free` actions per `window`, then refused until the window
  ends — for sign-ups and anonymous scoring per address;
* back-off: `free` actions, then each further one makes the subject wait twice as long as
  the one before (1 s, 2 s, 4 s ... up to `max_delay`), forgotten after `window` of quiet —
  for failed sign-ins, so an attacker slows to a crawl while nobody is locked out for long.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from .models import Throttle

MAX_SUBJECT = 360  # characters of a subject that are kept (an e-mail is at most 320)


@dataclass(frozen=True)
class Rule:
    name: str
    free: int  # actions allowed before the rule bites
    window: timedelta  # fixed rules: the counting window; back-off rules: quiet time that forgets
    backoff: timedelta | None = None  # first wait once past `free`; None for a fixed window
    max_delay: timedelta = timedelta(minutes=15)


class Limited(Exception):
    """The subject must wait `retry_after` seconds before trying again."""

    def __init__(self, rule: Rule, retry_after: int):
        self.rule = rule
        self.retry_after = max(1, retry_after)
        super().__init__(f"{rule.name}: retry after {self.retry_after} s")


def _aware(moment: datetime | None) -> datetime | None:
    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=UTC)


def key(rule: Rule, subject: str) -> str:
    return f"{rule.name}:{subject[:MAX_SUBJECT]}"


def _locked(session: Session, bucket: str, now: datetime) -> Throttle:
    """The bucket's row, created if missing, locked until the transaction ends."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(
        insert(Throttle)
        .values(key=bucket, hits=0, window_start=now, last_at=now, blocked_until=None)
        .on_conflict_do_nothing(index_elements=["key"])
    )
    return session.scalars(
        select(Throttle).where(Throttle.key == bucket).with_for_update().execution_options(populate_existing=True)
    ).one()


def hit(session: Session, rule: Rule, subject: str, *, now: datetime) -> None:
    """Count one action by `subject` under `rule`; raises Limited (and counts nothing) if it must wait.

    The caller's transaction must be a writing one (`begin_writing`); commit it promptly, as
    it holds the bucket's lock.
    """
    row = _locked(session, key(rule, subject), now)
    window_start, last_at = _aware(row.window_start), _aware(row.last_at)
    blocked_until = _aware(row.blocked_until)
    quiet_since = window_start if rule.backoff is None else last_at
    if row.hits and now >= quiet_since + rule.window:  # the window is over: start afresh
        row.hits, row.window_start, row.blocked_until = 0, now, None
        window_start, blocked_until = now, None
    if blocked_until is not None and blocked_until > now:
        raise Limited(rule, math.ceil((blocked_until - now).total_seconds()))
    row.hits += 1
    row.last_at = now
    if row.hits >= rule.free:
        if rule.backoff is None:
            row.blocked_until = window_start + rule.window
        else:
            # 2 ** exponent overflows nothing: the exponent stops growing once past the cap.
            exponent = min(row.hits - rule.free, 40)
            row.blocked_until = now + min(rule.max_delay, rule.backoff * (2**exponent))
    session.flush()


def undo(session: Session, rule: Rule, subject: str) -> None:
    """Take back one counted action (it turned out fine), without lifting a wait already set."""
    session.execute(
        update(Throttle).where(Throttle.key == key(rule, subject), Throttle.hits > 0).values(hits=Throttle.hits - 1)
    )


def clear(session: Session, rule: Rule, subject: str) -> None:
    """Forget the subject's bucket under this rule (e.g. after a successful sign-in)."""
    session.execute(delete(Throttle).where(Throttle.key == key(rule, subject)))


def forget(session: Session, *, keys: tuple[str, ...] = (), prefixes: tuple[str, ...] = (),
           suffixes: tuple[str, ...] = ()) -> int:
    """Delete the buckets with these keys, or whose keys start or end so (an account's, as it is deleted:
    its e-mail address and id must not stay behind); returns how many."""
    matches = [Throttle.key.in_(keys)] if keys else []
    matches += [Throttle.key.startswith(prefix, autoescape=True) for prefix in prefixes]
    matches += [Throttle.key.endswith(suffix, autoescape=True) for suffix in suffixes]
    if not matches:
        return 0
    return session.execute(delete(Throttle).where(or_(*matches))).rowcount or 0


def prune(session: Session, *, older_than: datetime) -> int:
    """Delete buckets untouched since `older_than`; returns how many."""
    result = session.execute(
        delete(Throttle).where(
            Throttle.last_at < older_than, (Throttle.blocked_until.is_(None)) | (Throttle.blocked_until < older_than)
        )
    )
    return result.rowcount or 0
