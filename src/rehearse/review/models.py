"""Storage of review: one card per (user, question), its review log, and the user's FSRS parameters."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, Float, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rehearse.bank.models import Question, utcnow
from rehearse.db.base import Base


class ReviewCard(Base):
    """A question the user has practised, and when FSRS wants it back."""

    __tablename__ = "review_cards"
    __table_args__ = (
        UniqueConstraint("user_id", "question_id"),
        Index("ix_review_cards_user_id_due", "user_id", "due"),  # the due queue: one range scan
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    state: Mapped[int] = mapped_column(Integer, default=1)  # fsrs.State: 1 learning, 2 review, 3 relearning
    step: Mapped[int | None] = mapped_column(Integer)
    stability: Mapped[float | None] = mapped_column(Float)
    difficulty: Mapped[float | None] = mapped_column(Float)
    due: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_review: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reviews: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    question: Mapped[Question] = relationship()


class ReviewLogEntry(Base):
    """One review: the rating the score suggested, the rating used (the user's override wins)."""

    __tablename__ = "review_logs"
    __table_args__ = (Index("ix_review_logs_user_id_reviewed_at", "user_id", "reviewed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    card_id: Mapped[int] = mapped_column(ForeignKey("review_cards.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    attempt_id: Mapped[int | None] = mapped_column(ForeignKey("attempts.id", ondelete="SET NULL"), index=True)
    score: Mapped[int | None] = mapped_column(Integer)
    suggested_rating: Mapped[int | None] = mapped_column(Integer)  # from the score, 1-4
    rating: Mapped[int] = mapped_column(Integer)  # used for scheduling, 1-4
    source: Mapped[str] = mapped_column(String(20), default="score")  # score | override
    reviewed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class SchedulerParameters(Base):
    """A user's FSRS parameters once optimised from their own reviews (absent: the library's defaults)."""

    __tablename__ = "scheduler_parameters"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    parameters: Mapped[list[float]] = mapped_column(JSON)
    desired_retention: Mapped[float] = mapped_column(Float, default=0.9)
    review_count: Mapped[int] = mapped_column(Integer)  # reviews the optimiser saw
    optimised_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
