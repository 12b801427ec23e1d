"""The few numbers of each attempt the dashboard aggregates, kept beside it so charts need no JSON parsing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey, Index, Integer
from sqlalchemy.orm import Mapped, mapped_column

from rehearse.db.base import Base


class AttemptMetrics(Base):
    """Written with every attempt (practice or mock); read by /progress."""

    __tablename__ = "attempt_metrics"
    __table_args__ = (Index("ix_attempt_metrics_user_id_created_at", "user_id", "created_at"),)

    attempt_id: Mapped[int] = mapped_column(ForeignKey("attempts.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    score: Mapped[int] = mapped_column(Integer)
    points_total: Mapped[int] = mapped_column(Integer, default=0)
    points_covered: Mapped[int] = mapped_column(Integer, default=0)
    words: Mapped[int] = mapped_column(Integer, default=0)
    fillers: Mapped[int] = mapped_column(Integer, default=0)
    hedges: Mapped[int] = mapped_column(Integer, default=0)
    words_per_minute: Mapped[float | None] = mapped_column(Float)  # spoken answers only: measured pace
