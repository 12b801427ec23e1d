"""Storage of mock interviews: the interview, and one item per question or follow-up asked."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rehearse.bank.models import Bank, Question, Role, utcnow
from rehearse.db.base import Base

STATUSES = ("in_progress", "finished")


class MockInterview(Base):
    __tablename__ = "mock_interviews"
    __table_args__ = (Index("ix_mock_interviews_user_id_created_at", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    role_id: Mapped[int | None] = mapped_column(ForeignKey("roles.id", ondelete="SET NULL"), index=True)
    bank_id: Mapped[int | None] = mapped_column(ForeignKey("banks.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(300))
    seed: Mapped[int] = mapped_column(Integer)  # the draw's seed: the same seed and bank draw the same set
    # The question ids the draw set aside as recently answered (None: none, or a mock from before 0015);
    # starting a mock with this seed again sets the same ones aside, so that it replays this set.
    avoided: Mapped[list[int] | None] = mapped_column(JSON)
    question_count: Mapped[int] = mapped_column(Integer)
    seconds_per_answer: Mapped[int] = mapped_column(Integer)
    mode: Mapped[str] = mapped_column(String(10), default="typed")
    follow_ups: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[str] = mapped_column(String(20), default="in_progress")
    share_token: Mapped[str | None] = mapped_column(String(64), unique=True)  # read-only link; None: not shared
    summary: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # the end report, kept when finished
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    role: Mapped[Role | None] = relationship()
    bank: Mapped[Bank | None] = relationship()
    items: Mapped[list[MockItem]] = relationship(
        back_populates="mock", cascade="all, delete-orphan", order_by=lambda: (MockItem.number, MockItem.follow_up)
    )


class MockItem(Base):
    """A question asked in a mock: a drawn question (follow_up False) or the follow-up after it."""

    __tablename__ = "mock_items"
    __table_args__ = (UniqueConstraint("mock_id", "number", "follow_up"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mock_id: Mapped[int] = mapped_column(ForeignKey("mock_interviews.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)  # 1..N, the drawn question this item belongs to
    follow_up: Mapped[bool] = mapped_column(Boolean, default=False)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    prompt: Mapped[str | None] = mapped_column(Text)  # a follow-up's own wording
    follow_up_reason: Mapped[str | None] = mapped_column(String(40))  # missed_point | star_<part> | ...
    follow_up_point: Mapped[str | None] = mapped_column(Text)  # what the follow-up asks for
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # countdown start
    answer: Mapped[str | None] = mapped_column(Text)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    duration_s: Mapped[float | None] = mapped_column(Float)
    timed_out: Mapped[bool] = mapped_column(Boolean, default=False)
    score: Mapped[int | None] = mapped_column(Integer)
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    attempt_id: Mapped[int | None] = mapped_column(ForeignKey("attempts.id", ondelete="SET NULL"))

    mock: Mapped[MockInterview] = relationship(back_populates="items")
    question: Mapped[Question] = relationship()
