"""On SQLite and PostgreSQL: a job its waiter gave up on is not run (deleted, or past its expiry),
even when the give-up and a claim come at the same moment; and on PostgreSQL an idle worker is
told of a new job (LISTEN/NOTIFY) instead of finding it at its next poll."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import timedelta

import psycopg
import pytest
from sqlalchemy import text

from rehearse.db.database import Database
from rehearse.db.engine import application_name
from rehearse.jobs import notify, policy, service
from rehearse.jobs.queue import JobQueue
from rehearse.jobs.worker import Worker

LEASE = timedelta(seconds=60)
WAIT = timedelta(seconds=30)  # a scored answer's request gives up after this


def test_a_job_past_its_expiry_is_never_claimed_and_is_deleted_a_minute_later(queue, clock):
    abandoned = queue.enqueue(kind="score", payload={}, data=b"an answer", expires_in=WAIT)
    clock.advance(1)
    kept = queue.enqueue(kind="transcribe", payload={})  # no expiry: wanted whenever it runs
    clock.advance(28.5)
    assert queue.due_in() == -29.5  # the abandoned one is still claimable, and the oldest
    assert queue.claim(worker="w", lease=LEASE).id == abandoned
    assert queue.complete(job_id=abandoned, attempt=1, result={"report": "quotes the answer"})
    again = queue.enqueue(kind="score", payload={}, data=b"another answer", expires_in=WAIT)
    clock.advance(30)  # its request has given up (and, here, died before it could delete it)
    assert queue.due_in() <= 0
    assert queue.claim(worker="w", lease=LEASE).id == kept  # the expired job is passed over
    assert queue.claim(worker="w", lease=LEASE) is None
    assert queue.due_in() == 60  # only the kept job's lease is pending; the expired job is not
    assert queue.maintain() == (0, 0)  # kept a minute, for a waiter reading it at the deadline
    clock.advance(policy.EXPIRED_KEPT.total_seconds() + 1)
    assert queue.maintain() == (0, 2)  # both answers' jobs, done or never run: no answer stays behind
    assert queue.get(abandoned) is None and queue.get(again) is None and queue.get(kept).state == "running"


def test_a_score_job_whose_worker_died_is_not_tried_again_once_its_waiter_gave_up(queue, clock):
    job_id = queue.enqueue(kind="score", payload={}, expires_in=WAIT)
    queue.claim(worker="dies", lease=timedelta(seconds=15))
    clock.advance(16)
    assert queue.due_in() <= 0 and queue.claim(worker="other", lease=LEASE).id == job_id  # within the wait
    clock.advance(16)
    assert queue.due_in() is None and queue.claim(worker="third", lease=LEASE) is None  # past it


def test_giving_up_and_claiming_at_the_same_moment_exactly_one_wins(database, database_url):
    """The waiter's give-up (take: one DELETE) against a worker's claim, 30 times, each from its own pool."""
    rounds = 30
    seed = JobQueue(database)
    results: list[tuple[str, str | None, object]] = []
    errors: list[BaseException] = []
    together = threading.Barrier(3, timeout=30)  # the waiter, the worker, and this thread queueing each job
    job_ids: list[str] = []
    outcome: dict[str, object] = {}
    taken = threading.Event()  # the round's give-up is done: a worker that claimed may now record its outcome

    def waiter() -> None:
        own = Database(database_url, pool_size=1, max_overflow=0)
        try:
            for n in range(rounds):
                together.wait()  # the round's job is queued
                together.wait()  # go
                was = JobQueue(own).take(job_ids[n])
                outcome["taken"] = None if was is None else was[0]
                taken.set()
                together.wait()  # round over
        except BaseException as error:  # noqa: BLE001 - collected and asserted on
            errors.append(error)
            together.abort()
        finally:
            own.dispose()

    def worker() -> None:
        own = Database(database_url, pool_size=1, max_overflow=0)
        mine = JobQueue(own)
        try:
            for _ in range(rounds):
                together.wait()
                together.wait()
                claimed = mine.claim(worker="w", lease=LEASE)
                outcome["claimed"] = claimed
                if claimed is not None:  # it runs to its end; its outcome has nowhere to go
                    assert taken.wait(30)
                    outcome["recorded"] = mine.complete(job_id=claimed.id, attempt=claimed.attempt, result={})
                together.wait()
        except BaseException as error:  # noqa: BLE001 - collected and asserted on
            errors.append(error)
            together.abort()
        finally:
            own.dispose()

    threads = [threading.Thread(target=waiter), threading.Thread(target=worker)]
    for thread in threads:
        thread.start()
    try:
        for _ in range(rounds):
            outcome.clear()
            taken.clear()
            job_ids.append(seed.enqueue(kind="score", payload={}, data=b"an answer", expires_in=WAIT))
            together.wait()
            together.wait()
            together.wait()
            claimed = outcome["claimed"]
            results.append((job_ids[-1], outcome["taken"], claimed))
            if claimed is None:  # the give-up won: the job was still queued, and no worker got it
                assert outcome["taken"] == "queued"
            else:  # the claim won: the waiter found it running and deleted it; the result was dropped
                assert claimed.id == job_ids[-1] and outcome["taken"] == "running"
                assert outcome["recorded"] is False
    except threading.BrokenBarrierError:
        pass
    for thread in threads:
        thread.join(60)
    assert errors == [] and len(results) == rounds
    assert seed.pending() == 0 and all(seed.get(job_id) is None for job_id in job_ids)


def test_an_idle_worker_is_told_of_a_job_queued_by_another_process(database, database_url):
    ran = threading.Event()
    kind = f"probe-{uuid.uuid4().hex[:8]}"
    # Polls a minute apart: only a notice can make it look within the 20 s waited below.
    runner = Worker(JobQueue(database), poll_s=60, notified_poll_s=60, maintain_every_s=3600, name="told",
                    resolve=lambda _kind: lambda job: ran.set() or {})
    runner.start()
    try:
        if database.dialect != "postgresql":
            assert JobQueue(database).subscribe(lambda: None) is None and not runner.notified
            return  # SQLite has no notices: workers poll, or are woken by their own process (unit tests)
        deadline = time.monotonic() + 20
        while not runner.notified:  # its listener connects in the background
            assert time.monotonic() < deadline, "never listening"
            time.sleep(0.01)
        other = Database(database_url, pool_size=1, max_overflow=0)  # another app process
        try:
            JobQueue(other).enqueue(kind=kind, payload={})
        finally:
            other.dispose()
        assert ran.wait(20)
    finally:
        assert runner.stop(timeout=10)
    assert not runner.notified


@pytest.fixture
def postgresql_only(database):
    if database.dialect != "postgresql":
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's")
    return database


def test_the_notice_goes_out_when_the_job_commits_and_never_for_one_rolled_back(postgresql_only):
    database = postgresql_only
    dropped, kept = (f"k-{uuid.uuid4().hex[:8]}" for _ in range(2))
    args, options = database.engine.dialect.create_connect_args(database.engine.url)
    with psycopg.connect(*args, autocommit=True, **options) as listening:
        listening.execute(f"LISTEN {notify.CHANNEL}")
        with pytest.raises(RuntimeError), database.transaction(writes=True) as session:
            service.enqueue(session, kind=dropped, payload={}, now=service.utcnow())
            raise RuntimeError("the request failed after queueing")
        with database.transaction(writes=True) as session:
            service.enqueue(session, kind=kept, payload={}, now=service.utcnow())
            early = list(listening.notifies(timeout=0.3))  # nothing before the commit
        heard = []
        for notice in listening.notifies(timeout=20):  # other test runs may share the server: wait for ours
            heard.append(notice.payload)
            if notice.payload == kept:
                break
    assert kept not in [notice.payload for notice in early] and heard[-1] == kept and dropped not in heard


def test_a_listener_whose_connection_is_cut_listens_again(postgresql_only):
    database = postgresql_only
    heard = threading.Semaphore(0)
    listener = notify.listen(database, heard.release)
    try:
        assert listener.wait_listening(20)
        first = listener.backend_pid
        with database.transaction() as session:  # named as the app's own connections are, for `rehearse restore`
            named = session.scalar(text("SELECT application_name FROM pg_stat_activity WHERE pid = :pid"),
                                   {"pid": first})
        assert named == application_name(database.url)
        with database.transaction() as session:  # as a restarted server or a dropped network would
            session.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": first})
        while listener.backend_pid in (None, first):  # noticed, then reconnected after a pause
            assert heard.acquire(timeout=20), "the listener never came back"
        assert listener.wait_listening(20)
        while heard.acquire(blocking=False):  # forget the notices of the reconnection itself
            pass
        JobQueue(database).enqueue(kind="after-reconnect", payload={})
        assert heard.acquire(timeout=20)
    finally:
        listener.stop(timeout=10)
    assert not listener.listening
