"""Run transcriptions off the request thread: submit now, poll for the result.

Deliberately simple and in-process: one worker thread (the model is CPU-bound and
already uses every core), a bounded queue, and results kept in memory for a while.
A job lives in the process that accepted it, so when several app processes run behind
a load balancer the page must poll the same process (sticky sessions), or call
`transcribe()` directly inside a request instead.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from rehearse import metrics
from rehearse.speech.audio import TranscriptionError, check_size
from rehearse.speech.model import SpeechUnavailableError
from rehearse.speech.transcribe import Transcript, transcribe

# At two cores a 2-minute answer takes ~10 s; eight waiting jobs is over a minute of
# queue, past which asking the user to type is kinder than making them wait.
MAX_PENDING = 8
KEEP_FINISHED = 200  # finished jobs remembered for polling; the oldest are forgotten first
KEEP_FINISHED_S = 3600  # and none longer than an hour


class JobQueueFull(RuntimeError):
    """Too many transcriptions are waiting; try again shortly or type the answer."""


@dataclass
class _Job:
    language: str
    state: str = "queued"
    progress: float = 0.0
    transcript: Transcript | None = None
    error: str | None = None
    finished_at: float | None = None


class TranscriptionJobs:
    """A single-worker, in-process queue of transcriptions, polled by job id."""

    def __init__(self, *, max_pending: int = MAX_PENDING, keep_finished: int = KEEP_FINISHED):
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rehearse-speech")
        self._jobs: OrderedDict[str, _Job] = OrderedDict()
        self._lock = threading.Lock()
        self._max_pending = max_pending
        self._keep_finished = keep_finished

    def submit(self, audio: bytes, *, language: str = "en") -> str:
        """Queue a recording and return its job id at once.

        Raises TranscriptionError for an empty or oversized upload and JobQueueFull when
        too many jobs are waiting.
        """
        check_size(audio)
        job_id = secrets.token_urlsafe(12)
        with self._lock:
            self._forget_old()
            pending = sum(j.state in ("queued", "running") for j in self._jobs.values())
            if pending >= self._max_pending:
                raise JobQueueFull("Too many recordings are being transcribed; try again shortly.")
            self._jobs[job_id] = _Job(language=language)
        self._executor.submit(self._run, job_id, audio)
        return job_id

    def status(self, job_id: str) -> dict[str, Any]:
        """JSON-ready state of a job; raises KeyError for an unknown or forgotten id.

        {"state": "queued"|"running"|"done"|"failed", "progress": 0..1} plus
        "transcript" (Transcript.to_dict()) when done, or "error" (a message for the
        user) when failed.
        """
        with self._lock:
            job = self._jobs[job_id]
            result: dict[str, Any] = {"state": job.state, "progress": round(job.progress, 3)}
            if job.transcript is not None:
                result["transcript"] = job.transcript.to_dict()
            if job.error is not None:
                result["error"] = job.error
            return result

    def result(self, job_id: str) -> Transcript | None:
        """The Transcript of a finished job, or None while it is queued, running or failed."""
        with self._lock:
            return self._jobs[job_id].transcript

    def wait(self, job_id: str, timeout: float | None = None) -> dict[str, Any]:
        """Block until the job finishes (or `timeout` seconds pass); return its status."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while True:
            status = self.status(job_id)
            if status["state"] in ("done", "failed"):
                return status
            if deadline is not None and time.monotonic() >= deadline:
                return status
            time.sleep(0.05)

    def pending(self) -> int:
        """Jobs queued or running."""
        with self._lock:
            return sum(j.state in ("queued", "running") for j in self._jobs.values())

    def accepting(self) -> bool:
        """Whether submit() would queue a job now (fewer than max_pending waiting or running)."""
        return self.pending() < self._max_pending

    def shutdown(self, *, wait: bool = True) -> None:
        """Stop the worker; queued jobs that have not started are dropped."""
        self._executor.shutdown(wait=wait, cancel_futures=True)

    def _run(self, job_id: str, audio: bytes) -> None:
        with self._lock:
            job = self._jobs.get(job_id)
            if job is None:
                return
            job.state = "running"
        try:
            with metrics.TRANSCRIPTION.time():
                transcript = transcribe(
                    audio, language=job.language, on_progress=lambda p: self._progress(job, p)
                )
        except (TranscriptionError, SpeechUnavailableError) as exc:
            self._finish(job, error=str(exc))
        except Exception as exc:  # a bug or a broken install: report it, keep the worker alive
            self._finish(job, error=f"Transcription failed unexpectedly: {exc}")
        else:
            self._finish(job, transcript=transcript)

    def _progress(self, job: _Job, progress: float) -> None:
        with self._lock:
            job.progress = max(job.progress, min(progress, 0.99))

    def _finish(self, job: _Job, *, transcript: Transcript | None = None, error: str | None = None):
        with self._lock:
            job.transcript, job.error = transcript, error
            job.state = "done" if transcript is not None else "failed"
            job.progress = 1.0
            job.finished_at = time.monotonic()

    def _forget_old(self) -> None:
        """Drop finished jobs past the count or age limit (caller holds the lock)."""
        now = time.monotonic()
        finished = [k for k, j in self._jobs.items() if j.finished_at is not None]
        excess = len(finished) - self._keep_finished
        for index, key in enumerate(finished):
            if index < excess or now - self._jobs[key].finished_at > KEEP_FINISHED_S:
                del self._jobs[key]
