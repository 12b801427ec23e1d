"""Worker threads: claim a job, run its handler while renewing the lease, record the outcome.

A worker is a few threads in some process: `rehearse worker` (a process of its own, on any
machine that reaches the database) or the one `rehearse serve` starts beside the web app.
Stopping is graceful: `stop()` makes every thread finish the job it holds and claim no more.
A worker that dies instead (kill -9, a lost machine) stops renewing its leases; its jobs
become claimable once the lease runs out and are tried again elsewhere.

An idle thread sleeps until it is woken (`wake()`: a job was queued in this process; or a
PostgreSQL notice, see notify.py) or its poll comes round: every `poll_s` where nothing tells it
of new jobs (SQLite, a listener reconnecting), else when the next job comes due, at most every
`notified_poll_s`.

Handlers raise JobFailed for failures a retry cannot fix (its message is for whoever waits
on the job); any other exception is retried with back-off, up to the job's `max_attempts`.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any, Protocol

from rehearse import metrics

from . import handlers, policy
from .service import Claimed

log = logging.getLogger("rehearse.jobs")

RECORD_PAUSES = (0.5, 1.0, 2.0)  # seconds between tries to store an outcome while the database is away


class JobFailed(Exception):
    """A failure that retrying cannot fix (bad input, a missing extra); the message is shown to users."""


class Subscription(Protocol):
    """Notices of new jobs (rehearse.jobs.notify.Listener)."""

    @property
    def listening(self) -> bool: ...
    def stop(self, *, wait: bool = True, timeout: float | None = None) -> None: ...


class Queue(Protocol):
    """What a worker needs from a queue (rehearse.jobs.queue.JobQueue; a fake in unit tests)."""

    def claim(self, *, worker: str, lease: timedelta) -> Claimed | None: ...
    def due_in(self) -> float | None: ...
    def subscribe(self, on_job: Callable[[], None]) -> Subscription | None: ...
    def data(self, job_id: str) -> bytes | None: ...
    def heartbeat(self, *, job_id: str, attempt: int, lease: timedelta, progress: float | None = None) -> bool: ...
    def complete(self, *, job_id: str, attempt: int, result: dict[str, Any] | None) -> bool: ...
    def fail(self, *, job_id: str, attempt: int, error: str, retry_in: timedelta | None = None) -> bool: ...
    def maintain(self) -> tuple[int, int]: ...


class JobContext:
    """What a handler is given: the job's kind, payload and input, and a way to report progress."""

    def __init__(self, claimed: Claimed, queue: Queue) -> None:
        self.id, self.kind, self.payload = claimed.id, claimed.kind, claimed.payload
        self.attempt, self.max_attempts = claimed.attempt, claimed.max_attempts
        self.lost = threading.Event()  # set when another worker took the job: the outcome will be dropped
        # The database the job came from, for handlers that read more than their payload (None with a fake queue).
        self.database = getattr(queue, "database", None)
        self._queue = queue
        self._progress = 0.0

    def data(self) -> bytes | None:
        """The job's input bytes (a recording), read from the database when asked for."""
        return self._queue.data(self.id)

    def progress(self, fraction: float) -> None:
        """Note how far the work is (0..1); written with the next lease renewal. 1.0 waits for the end."""
        self._progress = max(self._progress, min(float(fraction), 0.99))

    @property
    def reported_progress(self) -> float:
        return self._progress


def default_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


class Worker:
    """`concurrency` threads that take jobs from `queue` until stopped."""

    def __init__(self, queue: Queue, *, concurrency: int = 1, lease: timedelta = policy.DEFAULT_LEASE,
                 poll_s: float = 1.0, notified_poll_s: float = policy.NOTIFIED_POLL, notices: bool = True,
                 tick_s: float = 1.0, maintain_every_s: float = 60.0, name: str | None = None,
                 resolve: Callable[[str], handlers.Handler] = handlers.resolve) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.queue, self.concurrency, self.lease = queue, concurrency, lease
        self.poll_s, self.notified_poll_s, self.notices = poll_s, max(poll_s, notified_poll_s), notices
        self.tick_s, self.maintain_every_s = tick_s, maintain_every_s
        self.name = name or default_name()
        self.resolve = resolve
        self._stopping = threading.Event()
        # Wakes are counted, not flagged: a thread sleeps only while none came since it last looked,
        # so a wake that arrives while it is claiming is never lost to another thread's reset.
        self._wakeup = threading.Condition()
        self._wakes = 0
        self._subscription: Subscription | None = None
        self._lock = threading.Lock()
        self._threads: list[threading.Thread] = []
        self._busy = 0
        self._maintained_at: float | None = None
        self._listeners: list[Callable[[str], None]] = []

    # -- running in the background -------------------------------------------------------------

    def start(self) -> None:
        """Start the threads (once); they run until stop()."""
        with self._lock:
            if self._threads:
                return
            self._stopping.clear()
            self._threads = [threading.Thread(target=self._loop, name=f"rehearse-worker-{i}", daemon=True)
                             for i in range(self.concurrency)]
            if self.notices:
                self._subscription = self.queue.subscribe(self.wake)
        for thread in self._threads:
            thread.start()

    def stop(self, *, wait: bool = True, timeout: float | None = None) -> bool:
        """Claim nothing more; with `wait`, let running jobs finish. True when every thread has ended."""
        self._stopping.set()
        self.wake()
        if self._subscription is not None:
            self._subscription.stop(wait=False)
        return self.join(timeout) if wait else not self.alive

    def join(self, timeout: float | None = None) -> bool:
        """Wait for the threads to end (at most `timeout` seconds in all); True when they have."""
        deadline = None if timeout is None else time.monotonic() + timeout
        for thread in list(self._threads):
            thread.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
        if self._subscription is not None and self.stopping and not self.alive:  # close its connection too
            self._subscription.stop(timeout=None if deadline is None else max(0.0, deadline - time.monotonic()))
        return not self.alive

    @property
    def alive(self) -> bool:
        return any(thread.is_alive() for thread in self._threads)

    @property
    def stopping(self) -> bool:
        return self._stopping.is_set()

    @property
    def busy(self) -> int:
        """Jobs being run right now."""
        return self._busy

    @property
    def notified(self) -> bool:
        """Whether this worker is being told of jobs queued by other processes now (PostgreSQL notices)."""
        return self._subscription is not None and self._subscription.listening

    def wake(self) -> None:
        """A job was just queued: look now instead of at the next poll."""
        with self._wakeup:
            self._wakes += 1
            self._wakeup.notify_all()

    def listen(self, listener: Callable[[str], None]) -> None:
        """Call `listener(job_id)` once each job run here has its outcome stored (so a waiter in this
        process need not poll for it)."""
        self._listeners.append(listener)

    def _loop(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            seen = self._wakes  # wakes from here on end the sleep below
            try:
                ran = self.run_once()
                if not ran:
                    self._maintain_now_and_then()
                    idle = self._idle_wait()
                failures = 0
            except Exception:  # noqa: BLE001 - the database is away: wait, then try again
                failures += 1
                log.warning("worker %s cannot reach the job queue (%d in a row)", self.name, failures, exc_info=True)
                self._stopping.wait(policy.reconnect_delay(failures))
                continue
            if not ran:
                self._sleep(seen, idle)

    def _sleep(self, seen: int, timeout: float) -> None:
        """Up to `timeout` seconds, unless a wake came since the count was `seen` (or stop() was called)."""
        with self._wakeup:
            self._wakeup.wait_for(lambda: self._wakes != seen or self._stopping.is_set(), timeout)

    def _idle_wait(self) -> float:
        """Seconds to sleep with nothing to claim, unless woken first."""
        if not self.notified:
            return self.poll_s
        return policy.notified_wait(self.queue.due_in(), poll=self.poll_s, slow_poll=self.notified_poll_s)

    def _maintain_now_and_then(self) -> None:
        with self._lock:
            now = time.monotonic()
            if self._maintained_at is not None and now - self._maintained_at < self.maintain_every_s:
                return
            self._maintained_at = now
        failed, deleted = self.queue.maintain()
        if failed or deleted:
            log.info("worker %s: %d abandoned jobs failed, %d old jobs deleted", self.name, failed, deleted)

    # -- running in the caller's thread --------------------------------------------------------

    def run_once(self) -> bool:
        """Claim one job and run it here; False when there was none to claim."""
        claimed = self.queue.claim(worker=self.name, lease=self.lease)
        if claimed is None:
            return False
        self._execute(claimed)
        return True

    def drain(self, *, limit: int = 1000) -> int:
        """Run claimable jobs here until there are none (or `limit` ran); returns how many ran."""
        ran = 0
        while ran < limit and self.run_once():
            ran += 1
        return ran

    # -- one job ----------------------------------------------------------------------------------

    def _execute(self, claimed: Claimed) -> None:
        context = JobContext(claimed, self.queue)
        finished = threading.Event()
        beat = threading.Thread(target=self._keep_alive, args=(context, finished), daemon=True,
                                name=f"rehearse-lease-{claimed.id[:8]}")
        with self._lock:
            self._busy += 1
        started = time.monotonic()
        beat.start()
        try:
            outcome = self._run_handler(claimed, context)
        finally:
            finished.set()
            beat.join()
            with self._lock:
                self._busy -= 1
        metrics.JOB_SECONDS.labels(claimed.kind, outcome[0]).observe(time.monotonic() - started)
        self._record(context, outcome)

    def _run_handler(self, claimed: Claimed, context: JobContext) -> tuple[str, Any, timedelta | None]:
        """("done", result, None) or ("failed", message, retry_in or None)."""
        try:
            try:
                handler = self.resolve(claimed.kind)
            except handlers.UnknownKind as unknown:
                raise JobFailed(str(unknown)) from None
            return "done", handler(context), None
        except JobFailed as failure:
            return "failed", str(failure), None
        except Exception as error:  # noqa: BLE001 - a bug or a passing fault: retry, then give up
            log.exception("job %s (%s) raised on try %d", claimed.id, claimed.kind, claimed.attempt)
            retry_in = policy.after_error(claimed.attempt, claimed.max_attempts)
            return "failed", f"{error.__class__.__name__}: {error}", retry_in

    def _record(self, context: JobContext, outcome: tuple[str, Any, timedelta | None]) -> None:
        state, value, retry_in = outcome
        for pause in (*RECORD_PAUSES, None):
            try:
                if state == "done":
                    kept = self.queue.complete(job_id=context.id, attempt=context.attempt, result=value)
                else:
                    kept = self.queue.fail(job_id=context.id, attempt=context.attempt, error=value, retry_in=retry_in)
                break
            except Exception:
                if pause is None:
                    raise  # the lease will run out and the job will be tried again
                log.warning("could not record the outcome of job %s; trying again", context.id, exc_info=True)
                time.sleep(pause)
        if not kept:
            log.warning("job %s: lost before it finished (its lease lapsed and another try owns it, or whoever "
                        "waited gave up and deleted it); outcome dropped", context.id)
        for listener in self._listeners:
            try:
                listener(context.id)
            except Exception:  # noqa: BLE001 - a waiter's bookkeeping must not stop the worker
                log.exception("a listener failed on job %s", context.id)

    def _keep_alive(self, context: JobContext, finished: threading.Event) -> None:
        """Renew the lease (and write progress) until the handler returns or the lease is lost."""
        renewed_at, sent = time.monotonic(), context.reported_progress
        lease = handlers.lease_for(context.kind, self.lease)  # as the claim set it
        while not finished.wait(self.tick_s):
            progress = context.reported_progress
            since = timedelta(seconds=time.monotonic() - renewed_at)
            if progress == sent and not policy.renewal_due(since, lease):
                continue
            try:
                held = self.queue.heartbeat(job_id=context.id, attempt=context.attempt, lease=lease,
                                            progress=progress)
            except Exception:  # noqa: BLE001 - try again at the next tick; the lease has slack
                log.warning("could not renew the lease of job %s", context.id, exc_info=True)
                continue
            if not held:
                context.lost.set()
                log.warning("job %s: lease lost (another worker took it)", context.id)
                return
            renewed_at, sent = time.monotonic(), progress
