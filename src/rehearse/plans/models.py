"""Storage of prep plans: the posting, the role chosen, and the ordered questions with why each is there."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from rehearse.bank.models import utcnow
from rehearse.db.base import Base


class PrepPlan(Base):
    __tablename__ = "prep_plans"
    __table_args__ = (Index("ix_prep_plans_user_id_created_at", "user_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    posting: Mapped[str] = mapped_column(Text)
    role_id: Mapped[int | None] = mapped_column(ForeignKey("roles.id", ondelete="SET NULL"), index=True)
    # [{"question_id", "relevance", "meaning", "terms", "phrase", "weakness", "priority"}], most urgent first
    items: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class QuestionVector(Base):
    """A question's sentence vector, kept so that a plan never waits for the model to read every bank.

    Keyed by the model's version and a hash of the exact text encoded: an edited question, or a new
    model, gets a vector of its own, and a stale one is simply never read (warming prunes them).
    """

    __tablename__ = "question_vectors"

    model: Mapped[str] = mapped_column(String(200), primary_key=True)
    text_hash: Mapped[str] = mapped_column(String(32), primary_key=True)  # blake2b, 16 bytes, hex
    vector: Mapped[bytes] = mapped_column(LargeBinary)  # float32, little-endian: 384 dimensions = 1,536 bytes
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
