"""Spoken answers: hand recordings to the speech library's job runner, and remember whose they are.

A job's transcript is private to whoever uploaded it: a signed-in user, or an anonymous
browser (known by its CSRF cookie). Jobs live in the process that accepted them (see
rehearse.speech.jobs), so this registry is in memory too and bounded like the runner.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

MAX_OWNERS = 1000  # more than the runner keeps (200 finished + 8 pending)


class TranscriptionNotFound(LookupError):
    pass


class Transcriptions:
    """The app's one job runner, created on first use so the speech model loads only when needed."""

    def __init__(self) -> None:
        self._jobs = None
        self._reason: tuple[str | None] | None = None
        self._owners: OrderedDict[str, str | None] = OrderedDict()
        self._lock = threading.Lock()

    def available(self) -> bool:
        return self.unavailable_reason() is None

    def unavailable_reason(self) -> str | None:
        """Why spoken answers cannot be transcribed here (checked once: installs do not change)."""
        reason = self._reason  # set once, as a whole tuple, so a reader never sees half of it
        if reason is None:
            from rehearse import speech

            reason = self._reason = (speech.unavailable_reason(),)
        return reason[0]

    def _runner(self):
        from rehearse.speech import TranscriptionJobs

        with self._lock:
            if self._jobs is None:
                self._jobs = TranscriptionJobs()
            return self._jobs

    def submit(self, audio: bytes, *, owner: str | None) -> str:
        """Queue a recording; raises speech.TranscriptionError or speech.JobQueueFull."""
        job_id = self._runner().submit(audio)
        with self._lock:
            self._owners[job_id] = owner
            while len(self._owners) > MAX_OWNERS:
                self._owners.popitem(last=False)
        return job_id

    def status(self, job_id: str, *, owner: str | None) -> dict[str, Any]:
        """The job's state for its owner; anyone else gets TranscriptionNotFound."""
        with self._lock:
            known = job_id in self._owners
            job_owner = self._owners.get(job_id)
            jobs = self._jobs  # one reference: shutdown() may clear the attribute meanwhile
        if not known or (job_owner is not None and job_owner != owner) or jobs is None:
            raise TranscriptionNotFound(job_id)
        try:
            return jobs.status(job_id)
        except KeyError:
            raise TranscriptionNotFound(job_id) from None

    def pending(self) -> int:
        """Recordings waiting or being transcribed in this process."""
        with self._lock:
            jobs = self._jobs
        return 0 if jobs is None else jobs.pending()

    def accepting(self) -> bool:
        """Whether a submitted job would be taken: no runner yet (made on demand), or one not full."""
        with self._lock:
            jobs = self._jobs
        return jobs is None or jobs.accepting()

    def shutdown(self) -> None:
        """Stop the worker; a later submit starts a new one."""
        with self._lock:
            jobs, self._jobs = self._jobs, None
            self._owners.clear()
        if jobs is not None:
            jobs.shutdown(wait=False)


def owner_key(user_id: int | None, browser: str | None) -> str | None:
    """Who owns an upload: account, else the browser's cookie, else none (the id is the key)."""
    if user_id is not None:
        return f"user:{user_id}"
    return f"browser:{browser}" if browser else None
