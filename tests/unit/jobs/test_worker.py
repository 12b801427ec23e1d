"""The worker loop against an in-memory queue: outcomes, retries, progress, lost leases, stopping.

No database here: FakeQueue implements the same small interface as JobQueue, so these tests
check the worker's own decisions. tests/integration/jobs/ runs it against real databases.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from datetime import timedelta

import pytest

from rehearse.jobs import handlers, policy, worker
from rehearse.jobs.service import Claimed
from rehearse.jobs.worker import JobFailed, Worker


class FakeSubscription:
    """Notices of new jobs as a test drives them: `listening` says whether they arrive."""

    def __init__(self, on_job) -> None:
        self.on_job, self.listening, self.stopped = on_job, True, False

    def stop(self, *, wait: bool = True, timeout: float | None = None) -> None:
        self.stopped = True


class FakeQueue:
    """Jobs in a deque; every call recorded. `held=False` makes heartbeats report a lost lease;
    `notices=True` makes it tell the worker of new jobs (as PostgreSQL does), `due` is due_in()'s answer."""

    def __init__(self, *jobs: tuple[str, str], max_attempts: int = 3, attempt: int = 1) -> None:
        self.lock = threading.Lock()
        self.waiting = deque(Claimed(id=job_id, kind=kind, payload={"n": i}, attempt=attempt,
                                     max_attempts=max_attempts) for i, (job_id, kind) in enumerate(jobs))
        self.claims: list[str] = []
        self.outcomes: dict[str, tuple] = {}
        self.heartbeats: list[tuple[str, float | None]] = []
        self.leases: list[timedelta] = []
        self.held = True
        self.claim_errors = 0
        self.complete_errors = 0
        self.looks = 0  # claims tried, found or not
        self.notices = False
        self.subscription: FakeSubscription | None = None
        self.due: float | None = None

    def add(self, job_id: str, kind: str) -> None:
        with self.lock:
            self.waiting.append(Claimed(id=job_id, kind=kind, payload={}, attempt=1, max_attempts=3))

    def subscribe(self, on_job) -> FakeSubscription | None:
        if self.notices:
            self.subscription = FakeSubscription(on_job)
        return self.subscription

    def due_in(self) -> float | None:
        return self.due

    def claim(self, *, worker: str, lease: timedelta) -> Claimed | None:
        with self.lock:
            self.looks += 1
            if self.claim_errors:
                self.claim_errors -= 1
                raise ConnectionError("database away")
            if not self.waiting:
                return None
            job = self.waiting.popleft()
            self.claims.append(job.id)
            return job

    def data(self, job_id: str) -> bytes | None:
        return f"bytes of {job_id}".encode()

    def heartbeat(self, *, job_id, attempt, lease, progress=None) -> bool:
        with self.lock:
            self.heartbeats.append((job_id, progress))
            self.leases.append(lease)
        return self.held

    def complete(self, *, job_id, attempt, result) -> bool:
        with self.lock:
            if self.complete_errors:
                self.complete_errors -= 1
                raise ConnectionError("database away")
            self.outcomes[job_id] = ("done", result)
        return True

    def fail(self, *, job_id, attempt, error, retry_in=None) -> bool:
        with self.lock:
            self.outcomes[job_id] = ("failed", error, retry_in)
        return True

    def maintain(self) -> tuple[int, int]:
        return 0, 0


def make(queue: FakeQueue, table: dict, **options) -> Worker:
    def resolve(kind: str):
        if kind not in table:
            raise handlers.UnknownKind(f"No worker here knows jobs of kind {kind!r}.")
        return table[kind]

    options = {"poll_s": 0.01, "tick_s": 0.01, "lease": timedelta(seconds=3), **options}
    return Worker(queue, resolve=resolve, name="test", **options)


def wait_for(condition, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def test_a_handlers_result_is_recorded_and_its_input_read_on_demand():
    queue = FakeQueue(("a", "echo"))
    ran = make(queue, {"echo": lambda job: {"got": job.data().decode(), "n": job.payload["n"]}}).drain()
    assert ran == 1 and queue.outcomes == {"a": ("done", {"got": "bytes of a", "n": 0})}


@pytest.mark.parametrize(("handler", "attempt", "outcome"), [
    # JobFailed: final, whatever try it was, with the handler's words.
    (lambda job: (_ for _ in ()).throw(JobFailed("The recording is empty.")), 1,
     ("failed", "The recording is empty.", None)),
    # Anything else: tried again after a back-off while tries remain ...
    (lambda job: 1 / 0, 1, ("failed", "ZeroDivisionError: division by zero", timedelta(seconds=2))),
    (lambda job: 1 / 0, 2, ("failed", "ZeroDivisionError: division by zero", timedelta(seconds=4))),
    # ... and failed for good on the last one.
    (lambda job: 1 / 0, 3, ("failed", "ZeroDivisionError: division by zero", None)),
])
def test_failures_are_final_or_retried_by_kind_and_try(handler, attempt, outcome):
    queue = FakeQueue(("a", "k"), attempt=attempt, max_attempts=3)
    make(queue, {"k": handler}).drain()
    assert queue.outcomes["a"] == outcome


def test_a_kind_no_handler_knows_fails_at_once_with_a_reason():
    queue = FakeQueue(("a", "mystery"))
    make(queue, {}).drain()
    state, error, retry_in = queue.outcomes["a"]
    assert state == "failed" and "mystery" in error and retry_in is None


def test_progress_goes_out_with_the_heartbeats_and_never_reads_done_early():
    queue = FakeQueue(("a", "k"))

    def handler(job):
        for fraction in (0.25, 0.5, 1.0):
            job.progress(fraction)
            wait_for(lambda f=fraction: (("a", min(f, 0.99)) in queue.heartbeats))
        job.progress(0.1)  # progress never goes back
        time.sleep(0.05)
        return {}

    make(queue, {"k": handler}).drain()
    sent = [progress for _, progress in queue.heartbeats]
    assert 0.25 in sent and 0.5 in sent and max(sent) == 0.99 and 0.1 not in sent


def test_the_lease_is_renewed_while_a_long_job_runs_even_without_progress():
    queue = FakeQueue(("a", "k"))
    make(queue, {"k": lambda job: time.sleep(0.5) or {}}, lease=timedelta(seconds=0.15)).drain()
    assert len(queue.heartbeats) >= 4  # every 0.05 s (a third of the lease) for 0.5 s


def test_a_kind_with_a_shorter_lease_is_renewed_by_its_own(monkeypatch):
    monkeypatch.setitem(handlers.LEASES, "quick", timedelta(seconds=0.3))
    queue = FakeQueue(("a", "quick"), ("b", "slow"))
    make(queue, {kind: lambda job: time.sleep(0.35) for kind in ("quick", "slow")}).drain()
    # "quick" renewed every 0.1 s with its 0.3 s lease; "slow" kept the worker's 3 s (no renewal due).
    assert queue.leases and set(queue.leases) == {timedelta(seconds=0.3)}


def test_listeners_hear_of_each_job_once_its_outcome_is_stored():
    queue = FakeQueue(("a", "k"), ("b", "k"))
    heard: list[tuple[str, bool]] = []
    runner = make(queue, {"k": lambda job: {}})
    runner.listen(lambda job_id: heard.append((job_id, job_id in queue.outcomes)))
    runner.listen(lambda job_id: 1 / 0)  # a failing listener stops neither the worker nor the others
    assert runner.drain() == 2 and heard == [("a", True), ("b", True)]


def test_a_lost_lease_is_noticed_by_the_handler():
    queue = FakeQueue(("a", "k"))
    queue.held = False
    seen = []

    def handler(job):
        job.progress(0.3)
        seen.append(job.lost.wait(5))
        return {}

    make(queue, {"k": handler}).drain()
    assert seen == [True]


def test_stop_lets_the_running_job_finish_and_claims_no_more():
    queue = FakeQueue(("first", "k"), ("second", "k"))
    release = threading.Event()
    runner = make(queue, {"k": lambda job: release.wait(10) and {"finished": job.id}})
    runner.start()
    wait_for(lambda: runner.busy == 1)
    assert runner.stop(wait=False) is False  # still running its job
    release.set()
    assert runner.join(timeout=10)
    assert queue.outcomes == {"first": ("done", {"finished": "first"})}
    assert queue.claims == ["first"] and [job.id for job in queue.waiting] == ["second"]


def test_threads_run_jobs_side_by_side():
    queue = FakeQueue(*[(f"j{i}", "k") for i in range(4)])
    together = threading.Barrier(4, timeout=10)  # breaks (and the jobs fail) unless all four run at once
    runner = make(queue, {"k": lambda job: {"waited": together.wait() >= 0}}, concurrency=4)
    runner.start()
    wait_for(lambda: len(queue.outcomes) == 4)
    runner.stop(timeout=10)
    assert all(outcome == ("done", {"waited": True}) for outcome in queue.outcomes.values())


def test_the_loop_outlives_a_database_that_is_away_for_a_while(monkeypatch):
    queue = FakeQueue(("a", "k"))
    queue.claim_errors = 2
    pauses = []
    monkeypatch.setattr(policy, "reconnect_delay", lambda failures: pauses.append(failures) or 0.01)
    runner = make(queue, {"k": lambda job: {"ok": True}})
    runner.start()
    wait_for(lambda: "a" in queue.outcomes)
    runner.stop(timeout=5)
    assert queue.outcomes["a"] == ("done", {"ok": True}) and pauses == [1, 2]


def test_an_outcome_is_stored_once_the_database_is_back(monkeypatch):
    monkeypatch.setattr(worker, "RECORD_PAUSES", (0.0, 0.0, 0.0))
    queue = FakeQueue(("a", "k"))
    queue.complete_errors = 2
    make(queue, {"k": lambda job: {"ok": True}}).drain()
    assert queue.outcomes["a"] == ("done", {"ok": True})


def test_concurrency_below_one_is_refused():
    with pytest.raises(ValueError, match="at least 1"):
        Worker(FakeQueue(), concurrency=0)


def test_an_idle_worker_that_is_told_of_new_jobs_stops_polling_and_runs_one_when_told():
    queue = FakeQueue()
    queue.notices = True
    runner = make(queue, {"k": lambda job: {"ok": True}}, poll_s=0.01, notified_poll_s=60)
    runner.start()
    wait_for(lambda: queue.looks >= 1)
    time.sleep(0.3)  # at its 0.01 s poll it would look ~30 times meanwhile
    assert queue.looks <= 2 and runner.notified
    queue.add("new", "k")
    queue.subscription.on_job()  # the notice: nothing else would make it look within 60 s
    wait_for(lambda: "new" in queue.outcomes)
    runner.stop(timeout=5)
    assert queue.subscription.stopped


def test_a_told_worker_still_looks_when_the_next_job_comes_due():
    queue = FakeQueue()
    queue.notices, queue.due = True, 0.02  # a retry's back-off ends in 20 ms: no notice comes for it
    runner = make(queue, {}, poll_s=0.01, notified_poll_s=60)
    runner.start()
    wait_for(lambda: queue.looks >= 5)  # with nothing due it would look once a minute
    runner.stop(timeout=5)


def test_a_worker_whose_notices_stop_polls_again():
    queue = FakeQueue()
    queue.notices = True
    runner = make(queue, {}, poll_s=0.01, notified_poll_s=60)
    runner.start()
    wait_for(lambda: queue.looks >= 1)
    queue.subscription.listening = False  # the listener lost its connection, and says so
    queue.subscription.on_job()
    looked = queue.looks
    wait_for(lambda: queue.looks >= looked + 5)
    assert not runner.notified
    runner.stop(timeout=5)


def test_without_notices_an_idle_worker_polls_and_a_wake_in_its_process_runs_a_job_at_once():
    queue = FakeQueue()  # SQLite: subscribe() gives nothing
    runner = make(queue, {"k": lambda job: {"ok": True}}, poll_s=60)
    runner.start()
    wait_for(lambda: queue.looks >= 1)
    queue.add("new", "k")
    runner.wake()  # as the Scorer does for the worker beside it
    wait_for(lambda: "new" in queue.outcomes)
    assert not runner.notified
    runner.stop(timeout=5)
