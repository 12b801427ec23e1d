"""Storage of the community workflow: suggestions, their votes and comments, and notifications.

Revisions themselves are rows of `example_answers` (bank.models.ExampleAnswer): each holds a
full snapshot of a question's example answer, intent and talking points, with its author and
reason, so imports and community edits share one history.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Index, Integer, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rehearse.accounts.models import User
from rehearse.bank.models import Question, Role, utcnow
from rehearse.db.base import Base

KINDS = ("edit", "new_question")
STATUSES = ("pending", "accepted", "rejected", "withdrawn")


class Suggestion(Base):
    """A proposed change to a question (fields left None are unchanged), or a proposed new question."""

    __tablename__ = "suggestions"
    __table_args__ = (
        # The moderation queue: pending first, most votes first, oldest first.
        Index("ix_suggestions_status_votes_created_at", "status", "votes", "created_at"),
        Index("ix_suggestions_question_id_status", "question_id", "status"),
        Index("ix_suggestions_author_id_created_at", "author_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), default="edit")
    question_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    role_id: Mapped[int | None] = mapped_column(ForeignKey("roles.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    base_revision: Mapped[int | None] = mapped_column(Integer)  # the revision the author saw
    # What the author saw ({example_answer, intent, talking_points}) when it is no revision of this server:
    # a suggestion imported from another Rehearse, whose base_revision is then None.
    imported_base: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    question_text: Mapped[str | None] = mapped_column(Text)  # new questions only
    # New questions only: its kind (behavioural | situational | other) and competencies, when the author gave
    # them; None: worked out from the question's text on acceptance, as an import does.
    question_kind: Mapped[str | None] = mapped_column(String(20))
    competencies: Mapped[list[str] | None] = mapped_column(JSON(none_as_null=True))
    example_answer: Mapped[str | None] = mapped_column(Text)
    intent: Mapped[str | None] = mapped_column(Text)
    # None (no change to the points) is SQL NULL, so "changes the points" is `IS NOT NULL`; a plain JSON
    # column would store it as the JSON value null, which is not NULL.
    talking_points: Mapped[list[str] | None] = mapped_column(JSON(none_as_null=True))
    reason: Mapped[str] = mapped_column(Text)
    licence: Mapped[str | None] = mapped_column(String(200))  # what the author agreed to publish under
    report: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # the engine's report of the suggested answer
    status: Mapped[str] = mapped_column(String(20), default="pending")
    votes: Mapped[int] = mapped_column(Integer, default=0)  # up minus down, kept with each vote
    up: Mapped[int] = mapped_column(Integer, default=0)
    down: Mapped[int] = mapped_column(Integer, default=0)
    comment_count: Mapped[int] = mapped_column(Integer, default=0)
    decision_reason: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    revision: Mapped[int | None] = mapped_column(Integer)  # the revision an acceptance made
    # What an acceptance on another Rehearse made ({example_answer, intent, talking_points}) when no revision
    # here says it: an imported accepted suggestion, whose revision is then None.
    accepted_text: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    question: Mapped[Question | None] = relationship()
    role: Mapped[Role | None] = relationship()


class Vote(Base):
    __tablename__ = "suggestion_votes"

    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestions.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    value: Mapped[int] = mapped_column(SmallInteger)  # +1 or -1
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Comment(Base):
    """A Markdown comment on a suggestion; stored as written, rendered safely."""

    __tablename__ = "suggestion_comments"
    __table_args__ = (Index("ix_suggestion_comments_author_id_created_at", "author_id", "created_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestions.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    reply_to_id: Mapped[int | None] = mapped_column(ForeignKey("suggestion_comments.id", ondelete="SET NULL"))
    body: Mapped[str] = mapped_column(Text)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    hidden_reason: Mapped[str | None] = mapped_column(Text)
    reports: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    author: Mapped[User] = relationship(foreign_keys=[author_id])


class CommentReport(Base):
    __tablename__ = "comment_reports"

    comment_id: Mapped[int] = mapped_column(ForeignKey("suggestion_comments.id", ondelete="CASCADE"),
                                            primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Notification(Base):
    """An in-app message: your suggestion was accepted, rejected or commented on, or your accepted change reverted."""

    __tablename__ = "notifications"
    __table_args__ = (Index("ix_notifications_user_id_read_at", "user_id", "read_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(30))  # accepted | rejected | commented | withdrawn | reverted
    suggestion_id: Mapped[int | None] = mapped_column(ForeignKey("suggestions.id", ondelete="CASCADE"))
    message: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
