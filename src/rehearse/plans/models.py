"""Storage of prep plans: the posting, the role chosen, and the ordered questions with why each is there."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, Text
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
