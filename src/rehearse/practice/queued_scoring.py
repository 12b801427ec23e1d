"""Where an answer is scored: in this process, or as a `score` job that any worker runs.

Every web request that scores (feedback, a saved attempt, a mock item, a story) asks the app's
Scorer. With dedicated workers (REHEARSE_WORKER_IN_PROCESS=false) long answers go on the job
queue, so their CPU is spent by a worker process (on another machine, perhaps), and the request
waits for the job's result: the report scoring here would have made, so every response keeps
its shape. The wait is bounded (REHEARSE_SCORING_TIMEOUT: then ScoringUnavailable, a 503) and
holds no database connection: each look at the job is a short read of its own, and a worker in
this process says the moment it is done.

The job carries the engine's question as the request read it (text, talking points and the
example answer current then), so the report matches the revision an attempt records; the worker
reads only the bank's lexicon again. The answer travels in the job's data (cleared when the job
ends) and the waiter deletes the job once it has the report (which quotes the answer), so nothing
of an answer stays in the jobs table.

A request that gives up deletes its job too, so no worker spends CPU on a report nobody will
read; deleting is atomic against a claim (a job already claimed runs to its end, and its outcome
is dropped). The job also expires at the request's deadline: should the waiter die instead (its
process killed mid-wait), workers still never start it, and their maintenance deletes it.
"""

from __future__ import annotations

import logging
import math
import os
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from datetime import timedelta
from typing import Any

from rehearse import feedback, metrics
from rehearse.jobs.models import DONE, FAILED
from rehearse.jobs.worker import JobContext, JobFailed

from .scoring import PreparedQuestion, analyze_prepared

log = logging.getLogger("rehearse.scoring")

KIND = "score"
MODES = ("auto", "always", "never")
# `auto` scores shorter answers in the request even with dedicated workers. Measured on the 2-core
# development machine (SQLite, e5): a trip through the queue to a `rehearse worker` process adds
# ~0.1 s (its 0.1 s poll, then the waiter's next look), while 1,000 characters take ~0.24 s of
# CPU to score; much below that, the queue would add more delay than it moves work.
AUTO_MIN_CHARS = 1_000
FIRST_LOOK_S, MAX_LOOK_S = 0.01, 0.05  # looks at the job's row (a read by key): 10 ms, doubling to every 50 ms
RETRY_AFTER_S = 10

# Scoring is CPU-bound (the sentence model). Past one scoring per core, more at once only
# makes them all slower and their order unfair, so the rest wait their turn here.
_cores = threading.BoundedSemaphore(max(1, os.cpu_count() or 1))


class ScoringUnavailable(RuntimeError):
    """No report in time (no worker free, or scoring failed there): answered 503 with Retry-After."""

    retry_after = RETRY_AFTER_S


def score_here(prepared: PreparedQuestion, answer: str, *, backend: str,
               spoken_seconds: float | None = None) -> dict[str, Any]:
    """The report, scored in this process; raises feedback.AnswerTooLong.

    `spoken_seconds`: a spoken answer's measured speaking time (None: typed, the time is estimated)."""
    with metrics.SCORING.time(), _cores:
        return analyze_prepared(prepared, answer, backend=backend, spoken_seconds=spoken_seconds).to_dict()


def job_payload(prepared: PreparedQuestion, *, backend: str, spoken_seconds: float | None = None) -> dict[str, Any]:
    """What a worker needs besides the answer: the engine's question as read now, whose lexicon, which engine,
    and a spoken answer's measured speaking time (`spoken_seconds`, only for a spoken answer: a typed answer's
    payload is as before, and a payload without it is scored as typed)."""
    q = prepared.question
    payload = {
        "question": {"text": q.text, "talking_points": list(q.talking_points), "example_answer": q.example_answer,
                     "intent": q.intent, "kind": q.kind, "competencies": list(q.competencies),
                     "focus": list(q.focus), "asked_part": q.asked_part},
        "bank_id": prepared.bank_id,
        "backend": backend,
    }
    if spoken_seconds is not None:
        payload["spoken_seconds"] = spoken_seconds
    return payload


def run_job(job: JobContext) -> dict[str, Any]:
    """The worker's handler for `score` jobs: the report as JSON, exactly as score_here makes it."""
    from .scoring import bank_lexicon

    payload = job.payload
    asked = payload["question"]
    question = feedback.Question(
        text=asked["text"], talking_points=tuple(asked.get("talking_points") or ()),
        example_answer=asked.get("example_answer"), intent=asked.get("intent"), kind=asked.get("kind"),
        competencies=tuple(asked.get("competencies") or ()), focus=tuple(asked.get("focus") or ()),
        asked_part=asked.get("asked_part"))
    bank_id = payload.get("bank_id")
    lexicon = None
    if bank_id is not None and job.database is not None:
        with job.database.transaction() as session:  # a short read; scoring itself holds no connection
            lexicon = bank_lexicon(session, bank_id)
    answer = (job.data() or b"").decode("utf-8", "surrogatepass")
    spoken = payload.get("spoken_seconds")  # absent: a typed answer, or a job enqueued before it was carried
    if spoken is not None and (isinstance(spoken, bool) or not isinstance(spoken, (int, float))
                               or not math.isfinite(spoken) or spoken <= 0):
        raise JobFailed(f"spoken_seconds must be a number of seconds above zero, not {spoken!r}")
    try:
        return score_here(PreparedQuestion(question, lexicon, bank_id), answer,
                          backend=payload.get("backend") or "auto", spoken_seconds=spoken)
    except feedback.AnswerTooLong as error:  # checked before enqueueing; the same every time
        raise JobFailed(str(error)) from None


class Scorer:
    """Scores answers for the web app: here, or through the job queue, as `mode` says.

    `auto` (the default) queues answers of AUTO_MIN_CHARS or more when `dedicated_workers`
    (`rehearse worker` processes do the work) and scores everything else here; `always` queues
    every answer; `never` scores every answer here.
    """

    def __init__(self, queue, *, backend: str = "auto", mode: str = "auto", timeout_s: float = 30.0,
                 dedicated_workers: bool = False, wake: Callable[[], None] | None = None,
                 min_chars: int = AUTO_MIN_CHARS) -> None:
        if mode not in MODES:
            raise ValueError(f"scoring mode must be one of {', '.join(MODES)}, not {mode!r}")
        self.queue, self.backend, self.mode, self.timeout_s = queue, backend, mode, timeout_s
        self.dedicated_workers, self.min_chars = dedicated_workers, min_chars
        self._wake = wake or (lambda: None)  # the in-process worker, to look now rather than at its next poll
        self._waiting: dict[str, threading.Event] = {}
        self._lock = threading.Lock()

    def on_queue(self, answer: str) -> bool:
        """Whether this answer is scored by a worker through the queue."""
        if self.mode == "never":
            return False
        return self.mode == "always" or (self.dedicated_workers and len(answer) >= self.min_chars)

    def score(self, prepared: PreparedQuestion, answer: str, *, spoken_seconds: float | None = None) -> dict[str, Any]:
        """The report as JSON; raises feedback.AnswerTooLong, or ScoringUnavailable when queued and not done in time.

        `spoken_seconds`: a spoken answer's measured speaking time, for the report's delivery (None: typed).
        Call it with no database connection held: a queued answer waits up to the timeout.
        """
        if len(answer) > feedback.MAX_ANSWER_CHARS:  # decided here, never by a worker
            raise feedback.AnswerTooLong(len(answer))
        started = time.perf_counter()
        try:
            if not self.on_queue(answer):
                return score_here(prepared, answer, backend=self.backend, spoken_seconds=spoken_seconds)
            return self._through_queue(prepared, answer, spoken_seconds)
        finally:
            spent = metrics.REQUEST_SCORING.get()
            if spent is not None:
                spent.append(time.perf_counter() - started)

    def finished(self, job_id: str) -> None:
        """A worker in this process stored a job's outcome (Worker.listen): wake whoever waits on it."""
        with self._lock:
            event = self._waiting.get(job_id)
        if event is not None:
            event.set()

    def _through_queue(self, prepared: PreparedQuestion, answer: str, spoken_seconds: float | None) -> dict[str, Any]:
        started = time.monotonic()
        job_id = self.queue.enqueue(kind=KIND, payload=job_payload(prepared, backend=self.backend,
                                                                   spoken_seconds=spoken_seconds),
                                    data=answer.encode("utf-8", "surrogatepass"),
                                    expires_in=timedelta(seconds=self.timeout_s))  # when this request gives up
        done = threading.Event()
        with self._lock:
            self._waiting[job_id] = done
        self._wake()
        try:
            self._wait(job_id, done, deadline=started + self.timeout_s)
            # Read and delete in one step: the report quotes the answer, and a job still queued is not run.
            outcome = self.queue.take(job_id)
        except Exception:
            with suppress(Exception):
                self.queue.take(job_id)  # the database is away: try not to leave the answer behind
            raise
        finally:
            with self._lock:
                self._waiting.pop(job_id, None)
        state, result, error = outcome if outcome is not None else ("gone", None, None)
        waited = time.monotonic() - started
        metrics.SCORING_WAIT.labels(state if state in (DONE, FAILED) else "timeout").observe(waited)
        if state == DONE and result is not None:
            return result
        if state == FAILED:
            log.error("score job %s failed: %s", job_id, error)
            raise ScoringUnavailable("Scoring this answer failed on the worker; please send it again.")
        log.warning("score job %s not done after %.1f s (%s); given up", job_id, waited, state)
        raise ScoringUnavailable(
            f"No worker scored this answer within {self.timeout_s:g} seconds (the scoring queue is busy, "
            "or no worker is running); please send it again shortly.")

    def _wait(self, job_id: str, done: threading.Event, *, deadline: float) -> None:
        """Until the job is over or the deadline passes; each look is a short read, no connection held between."""
        pause = FIRST_LOOK_S
        while True:
            left = deadline - time.monotonic()
            done.wait(max(0.0, min(pause, left)))
            job = self.queue.get(job_id)
            if job is None or job.state in (DONE, FAILED) or time.monotonic() >= deadline:
                return
            pause = min(pause * 2, MAX_LOOK_S)
