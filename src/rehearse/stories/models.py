"""Storage of stories: private to their owner."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from rehearse.bank.models import utcnow
from rehearse.db.base import Base


class Story(Base):
    __tablename__ = "stories"
    __table_args__ = (Index("ix_stories_user_id_updated_at", "user_id", "updated_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    situation: Mapped[str] = mapped_column(Text, default="")
    task: Mapped[str] = mapped_column(Text, default="")
    action: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[str] = mapped_column(Text, default="")
    competencies: Mapped[list[str]] = mapped_column(JSON, default=list)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @property
    def text(self) -> str:
        """The story told as one answer, in STAR order."""
        return "\n\n".join(part for part in (self.situation, self.task, self.action, self.result) if part.strip())

    @property
    def told_in_parts(self) -> str:
        """The story as an answer written under STAR headings ("Situation: …"), as it is scored: the form
        says which part is which, so a scene told in a fragment ("Checkout team of eight, 2022.") is
        still read as the Situation, where the wording alone would not show it."""
        parts = (("Situation", self.situation), ("Task", self.task), ("Action", self.action),
                 ("Result", self.result))
        return "\n\n".join(f"{name}: {part.strip()}" for name, part in parts if part.strip())
