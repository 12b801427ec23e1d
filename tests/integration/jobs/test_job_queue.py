"""The queue on SQLite and PostgreSQL: claims are exclusive, leases expire, retries happen, old jobs go."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

from rehearse.db.database import Database
from rehearse.jobs import service
from rehearse.jobs.queue import JobQueue

LEASE = timedelta(seconds=60)


def test_racing_workers_claim_every_job_exactly_once(database, database_url):
    seed = JobQueue(database)
    ids = {seed.enqueue(kind="k", payload={"n": n}) for n in range(60)}
    claimed: list[str] = []
    errors: list[BaseException] = []
    start = threading.Barrier(8)

    def work(number: int) -> None:
        # Each thread has its own engine and pool, as separate worker processes would.
        own = Database(database_url, pool_size=1, max_overflow=0)
        mine = JobQueue(own)
        try:
            start.wait()
            while (job := mine.claim(worker=f"w{number}", lease=LEASE)) is not None:
                claimed.append(job.id)
                assert mine.complete(job_id=job.id, attempt=job.attempt, result={"by": number})
        except BaseException as error:  # noqa: BLE001 - collected and asserted on
            errors.append(error)
        finally:
            own.dispose()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    assert Counter(claimed).most_common(1)[0][1] == 1  # nobody claimed a job twice
    assert set(claimed) == ids  # and every job was claimed
    assert seed.pending() == 0


def test_the_oldest_job_is_claimed_first_and_its_input_read_apart(queue, clock):
    first = queue.enqueue(kind="k", payload={"n": 1}, data=b"\x00\x01 audio")
    clock.advance(1)
    queue.enqueue(kind="k", payload={"n": 2})
    job = queue.claim(worker="w", lease=LEASE)
    assert (job.id, job.kind, job.payload, job.attempt) == (first, "k", {"n": 1}, 1)
    assert queue.data(first) == b"\x00\x01 audio"
    assert queue.complete(job_id=first, attempt=1, result={"ok": True})
    stored = queue.get(first)
    assert (stored.state, stored.result, stored.progress, stored.lease_expires_at) == ("done", {"ok": True}, 1.0, None)
    assert queue.data(first) is None  # the recording is not kept once the job is over


def test_a_dead_workers_job_is_claimed_again_after_its_lease_and_the_late_outcome_is_dropped(queue, clock):
    job_id = queue.enqueue(kind="k", payload={})
    first = queue.claim(worker="dies", lease=LEASE)
    clock.advance(59)
    assert queue.claim(worker="other", lease=LEASE) is None  # still held
    clock.advance(2)
    second = queue.claim(worker="other", lease=LEASE)
    assert (second.id, second.attempt) == (job_id, 2)
    # The first worker wakes up late: its heartbeat and its outcome are refused.
    assert not queue.heartbeat(job_id=job_id, attempt=first.attempt, lease=LEASE)
    assert not queue.complete(job_id=job_id, attempt=first.attempt, result={"by": "dies"})
    assert queue.complete(job_id=job_id, attempt=second.attempt, result={"by": "other"})
    stored = queue.get(job_id)
    assert (stored.state, stored.result, stored.attempts, stored.worker) == ("done", {"by": "other"}, 2, "other")


def test_heartbeats_keep_the_lease_and_carry_progress(queue, clock):
    job_id = queue.enqueue(kind="k", payload={})
    job = queue.claim(worker="w", lease=LEASE)
    clock.advance(50)
    assert queue.heartbeat(job_id=job_id, attempt=job.attempt, lease=LEASE, progress=0.4)
    clock.advance(50)  # 100 s after the claim, 50 s after the renewal
    assert queue.claim(worker="other", lease=LEASE) is None
    assert queue.get(job_id).progress == 0.4
    clock.advance(11)
    assert queue.claim(worker="other", lease=LEASE).attempt == 2


def test_a_job_whose_workers_keep_dying_fails_after_its_last_try(queue, clock):
    job_id = queue.enqueue(kind="k", payload={}, max_attempts=2)
    for attempt in (1, 2):
        assert queue.claim(worker="dies", lease=LEASE).attempt == attempt
        clock.advance(61)
    assert queue.claim(worker="w", lease=LEASE) is None
    assert queue.pending() == 1  # still "running" until someone looks
    assert queue.maintain() == (1, 0)
    stored = queue.get(job_id)
    assert stored.state == "failed" and "stopped 2 times" in stored.error and queue.pending() == 0


def test_a_failed_try_is_queued_again_after_its_delay_then_fails_for_good(queue, clock):
    job_id = queue.enqueue(kind="k", payload={})
    job = queue.claim(worker="w", lease=LEASE)
    assert queue.fail(job_id=job_id, attempt=job.attempt, error="boom", retry_in=timedelta(seconds=4))
    assert queue.get(job_id).state == "queued"
    clock.advance(3)
    assert queue.claim(worker="w", lease=LEASE) is None
    clock.advance(2)
    again = queue.claim(worker="w", lease=LEASE)
    assert again.attempt == 2
    assert queue.fail(job_id=job_id, attempt=again.attempt, error="boom again")
    stored = queue.get(job_id)
    assert (stored.state, stored.error) == ("failed", "boom again")
    assert queue.claim(worker="w", lease=LEASE) is None


def test_finished_jobs_are_deleted_after_a_day_and_unfinished_ones_never(queue, clock):
    old = queue.enqueue(kind="k", payload={})
    clock.advance(1)
    waiting = queue.enqueue(kind="k", payload={})
    job = queue.claim(worker="w", lease=LEASE)
    assert job.id == old and queue.complete(job_id=old, attempt=job.attempt, result=None)
    clock.advance(3600)
    recent = queue.enqueue(kind="k", payload={})
    job = queue.claim(worker="w", lease=timedelta(days=3))
    assert job.id == waiting
    queue.fail(job_id=waiting, attempt=job.attempt, error="no")
    clock.advance(86400 - 3600 + 1)  # a day and a second after "old" finished
    assert queue.maintain() == (0, 1)
    assert queue.get(old) is None and queue.get(waiting).state == "failed" and queue.get(recent).state == "queued"


def test_depth_by_kind_and_state(queue, clock):
    for kind in ("transcribe", "transcribe", "score"):
        queue.enqueue(kind=kind, payload={})
        clock.advance(1)
    queue.claim(worker="w", lease=LEASE)  # the newest, as someone waits on a score job
    assert queue.counts() == {("score", "running"): 1, ("transcribe", "queued"): 2}
    assert queue.pending(kind="transcribe") == 2 and queue.pending() == 3


def test_claiming_on_sqlite_is_one_update_returning_statement(queue, database):
    if database.dialect != "sqlite":
        return  # PostgreSQL's path is SELECT ... FOR UPDATE SKIP LOCKED, checked by the race above
    from sqlalchemy import event

    statements: list[str] = []

    def note(_conn, _cursor, statement, *_args) -> None:
        statements.append(" ".join(statement.split()).upper())

    queue.enqueue(kind="k", payload={})
    event.listen(database.engine, "before_cursor_execute", note)
    try:
        assert queue.claim(worker="w", lease=LEASE) is not None
    finally:
        event.remove(database.engine, "before_cursor_execute", note)
    writes = [s for s in statements if s.startswith(("UPDATE", "INSERT", "DELETE"))]
    assert len(writes) == 1 and "WHERE JOBS.ID = (SELECT" in writes[0] and "RETURNING" in writes[0]


def test_ids_are_unguessable_and_unknown_ids_are_none(queue):
    ids = {queue.enqueue(kind="k", payload={}) for _ in range(20)}
    assert len(ids) == 20 and all(len(job_id) >= 24 for job_id in ids)
    assert queue.get("no-such-job") is None and queue.get("x" * 200) is None
    assert service.utcnow().tzinfo is not None
