"""Storage of background jobs: one row per job, from queued to done or failed."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Float, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, deferred, mapped_column

from rehearse.db.base import Base

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
STATES = (QUEUED, RUNNING, DONE, FAILED)


class Job(Base):
    """A unit of CPU-heavy work, its lease while a worker holds it, and its outcome.

    `attempts` counts claims: it is the fencing token too, so a worker whose lease lapsed
    (and whose job another worker took) cannot overwrite the newer attempt's outcome.
    """

    __tablename__ = "jobs"
    __table_args__ = (Index("ix_jobs_state_run_after", "state", "run_after"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True)  # unguessable: it is shown in URLs
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Input too large for JSON (a recording); cleared once the job is over. Deferred: claiming
    # and status reads never load it.
    data: Mapped[bytes | None] = deferred(mapped_column(LargeBinary, nullable=True))
    state: Mapped[str] = mapped_column(String(10), default=QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    max_attempts: Mapped[int] = mapped_column(Integer, default=3)
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    run_after: Mapped[datetime] = mapped_column(DateTime(timezone=True))  # not claimed before this
    lease_expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    worker: Mapped[str | None] = mapped_column(String(100))  # who holds (or last held) it
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))  # None: SQL NULL
    error: Mapped[str | None] = mapped_column(Text)
    # Not claimed after this: whoever waits for the result has given up by then (a scored answer's
    # request). None: wanted whenever it runs (a transcription is read back later).
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), index=True)
