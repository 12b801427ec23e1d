"""Spoken answers: recordings become `transcribe` jobs in the database, and stay their uploader's.

The job (its recording, progress and transcript) lives in the jobs table, so whichever app
process a poll reaches can answer it, and whichever worker is free does the work (see
rehearse.jobs). A transcript is private to whoever uploaded it: a signed-in user, or an
anonymous browser (known by its CSRF cookie); anyone else is told it does not exist.
Each uploader (an account, or an address without one) has only a few places in the queue,
so one of them cannot fill it for everyone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rehearse.db.database import begin_writing
from rehearse.jobs import service as jobs
from rehearse.jobs.models import Job
from rehearse.jobs.worker import JobContext, JobFailed

KIND = "transcribe"
# Recordings one uploader may have waiting or being transcribed at once: the answer being transcribed,
# the next one recorded meanwhile, and one sent again. Well under the global limit (8 by default), so
# one account (or one address without an account) leaves room for everyone else.
PER_UPLOADER = 3
RETRY_AFTER_S = 10  # a two-minute answer is transcribed in about 10 s on two cores


class TranscriptionNotFound(LookupError):
    pass


class QueueFull(RuntimeError):
    """Too many recordings are waiting; try again shortly or type the answer."""


class TooManyOfYours(RuntimeError):
    """This uploader already has its share of the queue; wait for one of them to finish."""


class Transcriptions:
    """The app's door to the transcription queue: submit, read back, and how full it is."""

    def __init__(self, *, limit: int = 8, per_uploader: int = PER_UPLOADER,
                 wake: Callable[[], None] | None = None) -> None:
        self.limit = limit
        self.per_uploader = per_uploader
        self._wake = wake or (lambda: None)  # the in-process worker, to look now rather than at its next poll
        self._reason: tuple[str | None] | None = None

    def available(self) -> bool:
        return self.unavailable_reason() is None

    def unavailable_reason(self) -> str | None:
        """Why spoken answers cannot be transcribed here (checked once: installs do not change)."""
        reason = self._reason  # set once, as a whole tuple, so a reader never sees half of it
        if reason is None:
            from rehearse import speech

            reason = self._reason = (speech.unavailable_reason(),)
        return reason[0]

    def submit(self, session: Session, audio: bytes, *, owner: str | None, uploader: str | None = None,
               language: str = "en") -> str:
        """Queue a recording and commit it, so any worker can start; returns the job id.

        Raises speech.TranscriptionError for an empty, oversized or plainly-not-audio upload;
        TooManyOfYours when `uploader` (default: the owner) has `per_uploader` recordings waiting
        or running; QueueFull when `limit` recordings are. Both limits are counted in the same
        writing transaction (exact on SQLite; on PostgreSQL two uploads at the same instant
        may both see room, so they can be passed by a few).
        """
        from rehearse.speech.audio import check_format, check_size

        check_size(audio)
        check_format(audio)
        uploader = uploader or owner
        begin_writing(session)
        if uploader is not None and self.pending_for(session, uploader) >= self.per_uploader:
            raise TooManyOfYours(
                f"You already have {self.per_uploader} recordings waiting to be transcribed; "
                "wait until one is done, or type your answer."
            )
        if jobs.pending(session, kind=KIND) >= self.limit:
            raise QueueFull("Too many recordings are being transcribed; try again shortly.")
        job = jobs.enqueue(session, kind=KIND, payload={"owner": owner, "uploader": uploader, "language": language},
                           data=audio, now=jobs.utcnow())
        session.commit()
        self._wake()
        return job.id

    def status(self, session: Session, job_id: str, *, owner: str | None) -> dict[str, Any]:
        """The job's state for its owner; anyone else (or an unknown id) gets TranscriptionNotFound."""
        job = jobs.get(session, job_id[:64])
        if job is None or job.kind != KIND:
            raise TranscriptionNotFound(job_id)
        job_owner = (job.payload or {}).get("owner")
        if job_owner is not None and job_owner != owner:
            raise TranscriptionNotFound(job_id)
        return status_of(job)

    def pending(self, session: Session) -> int:
        """Recordings waiting or being transcribed, in every process."""
        return jobs.pending(session, kind=KIND)

    def pending_for(self, session: Session, uploader: str) -> int:
        """Recordings of this uploader's waiting or being transcribed (read from the few pending jobs' payloads,
        which the global limit keeps few, rather than from JSON in SQL that SQLite and PostgreSQL spell apart)."""
        payloads = session.scalars(select(Job.payload).where(Job.kind == KIND, Job.state.in_(jobs.PENDING)))
        return sum(1 for payload in payloads if (payload or {}).get("uploader") == uploader)


def status_of(job: Job) -> dict[str, Any]:
    """{"state", "progress"} plus "transcript" when done or "error" (for the user) when failed."""
    status: dict[str, Any] = {"state": job.state, "progress": round(job.progress or 0.0, 3)}
    if job.state == "done" and job.result is not None:
        status["transcript"] = job.result
    if job.state == "failed":
        status["error"] = job.error or "Transcription failed."
    return status


def transcribe_audio(audio: bytes, *, language: str, on_progress: Callable[[float], None]) -> dict[str, Any]:
    """The speech library's transcript as JSON (a seam: tests put a fake transcriber here)."""
    from rehearse import metrics, speech

    with metrics.TRANSCRIPTION.time():
        return speech.transcribe(audio, language=language, on_progress=on_progress).to_dict()


def run_job(job: JobContext) -> dict[str, Any]:
    """The worker's handler for `transcribe` jobs: every failure is final and told to the user.

    A bad recording fails the same way every time, so nothing is retried here; a worker that
    dies mid-way is another matter (the queue tries the job again after its lease).
    """
    from rehearse import speech

    audio = job.data()
    if not audio:
        raise JobFailed("The recording is no longer available; record it again.")
    try:
        return transcribe_audio(audio, language=job.payload.get("language") or "en", on_progress=job.progress)
    except (speech.TranscriptionError, speech.SpeechUnavailableError) as error:
        raise JobFailed(str(error)) from None
    except Exception as error:  # noqa: BLE001 - a bug or a broken install: say so, keep the worker alive
        raise JobFailed(f"Transcription failed unexpectedly: {error}") from None


def owner_key(user_id: int | None, browser: str | None) -> str | None:
    """Who owns an upload: account, else the browser's cookie, else none (the id is the key)."""
    if user_id is not None:
        return f"user:{user_id}"
    return f"browser:{browser}" if browser else None


def uploader_key(user_id: int | None, address: str) -> str:
    """Whose share of the queue an upload takes: the account, else the network address (a browser's
    cookie, which owns an anonymous upload, is thrown away and made anew for free)."""
    return f"user:{user_id}" if user_id is not None else f"address:{address}"
