"""Storage of practice: one row per answered question, with its feedback report."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rehearse.bank.models import Question, utcnow
from rehearse.db.base import Base

MODES = ("typed", "spoken")


class Attempt(Base):
    """An answer a signed-in user gave to a question, and the report it got."""

    __tablename__ = "attempts"
    __table_args__ = (
        Index("ix_attempts_user_id_created_at", "user_id", "created_at"),
        Index("ix_attempts_user_id_question_id", "user_id", "question_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), index=True
    )
    # "Try again": the attempt this one improves on, shown side by side with it.
    previous_attempt_id: Mapped[int | None] = mapped_column(
        ForeignKey("attempts.id", ondelete="SET NULL")
    )
    answer: Mapped[str] = mapped_column(Text)
    mode: Mapped[str] = mapped_column(String(10), default="typed")
    duration_s: Mapped[float | None] = mapped_column(
        Float
    )  # time spent answering, from the page's timer
    score: Mapped[int] = mapped_column(Integer)
    # The question's revision (example answer and talking points) the answer was scored against.
    example_revision: Mapped[int | None] = mapped_column(Integer)
    grade: Mapped[str] = mapped_column(String(40))
    report: Mapped[dict[str, Any]] = mapped_column(JSON)
    # Spoken answers: pace and long pauses measured from the recording.
    speech: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    question: Mapped[Question] = relationship()
