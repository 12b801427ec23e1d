"""Storage of banks: bank -> roles -> questions, with talking points and example-answer revisions."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from rehearse.db.base import Base


def utcnow() -> datetime:
    return datetime.now(UTC)


class Bank(Base):
    __tablename__ = "banks"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    source: Mapped[str | None] = mapped_column(Text)
    licence: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # People credited by an imported file (a bank exported elsewhere with accepted suggestions): kept so
    # the next export credits them too, along with those whose suggestions were accepted here.
    contributors: Mapped[list[str] | None] = mapped_column(JSON(none_as_null=True))

    roles: Mapped[list[Role]] = relationship(back_populates="bank", order_by="Role.position",
                                             cascade="all, delete-orphan")


class Role(Base):
    __tablename__ = "roles"
    __table_args__ = (UniqueConstraint("bank_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(120))
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)

    bank: Mapped[Bank] = relationship(back_populates="roles")
    questions: Mapped[list[Question]] = relationship(back_populates="role", order_by="Question.position",
                                                     cascade="all, delete-orphan")


class Question(Base):
    __tablename__ = "questions"
    __table_args__ = (UniqueConstraint("bank_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    bank_id: Mapped[int] = mapped_column(ForeignKey("banks.id", ondelete="CASCADE"), index=True)
    role_id: Mapped[int] = mapped_column(ForeignKey("roles.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(120))
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(20), default="other")
    position: Mapped[int] = mapped_column(Integer, default=0)
    intent: Mapped[str | None] = mapped_column(Text)
    talking_points: Mapped[list[str]] = mapped_column(JSON, default=list)
    # "intent" when parsed from the guidance, "file" when the file listed them, "editor" when overridden.
    talking_points_source: Mapped[str] = mapped_column(String(20), default="intent")
    search_document: Mapped[str] = mapped_column(Text, default="")
    # Set when the question was taken out of the bank (`import --prune`, `questions retire`): it leaves
    # lists, search, practice, mocks and exports, but its attempts, reviews and history stay. A file that
    # holds it again brings it back.
    retired_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    role: Mapped[Role] = relationship(back_populates="questions")
    competencies: Mapped[list[QuestionCompetency]] = relationship(
        cascade="all, delete-orphan", order_by="QuestionCompetency.position", lazy="selectin"
    )
    example_answers: Mapped[list[ExampleAnswer]] = relationship(
        back_populates="question", order_by="ExampleAnswer.revision", cascade="all, delete-orphan"
    )

    @property
    def competency_names(self) -> list[str]:
        return [c.name for c in self.competencies]


class QuestionCompetency(Base):
    __tablename__ = "question_competencies"

    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True)
    name: Mapped[str] = mapped_column(String(80), primary_key=True, index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)


class ExampleAnswer(Base):
    """One revision of a question: its example answer, and (from community edits on) a snapshot of its
    intent and talking points, with who made it and why. The highest revision is current; `text` is
    empty when the question has no example answer at that revision.
    """

    __tablename__ = "example_answers"
    __table_args__ = (UniqueConstraint("question_id", "revision"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(40), default="import")  # import | edit | suggestion | revert
    note: Mapped[str | None] = mapped_column(Text)  # the reason given for the change
    intent: Mapped[str | None] = mapped_column(Text)  # None on rows written before snapshots were kept
    talking_points: Mapped[list[str] | None] = mapped_column(JSON)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    suggestion_id: Mapped[int | None] = mapped_column(Integer)  # the accepted suggestion, if any
    reverted_from: Mapped[int | None] = mapped_column(Integer)  # the revision a revert restored
    # The editor who changed an accepted suggestion before accepting it ("edit, then accept"): the revision
    # credits the suggestion's author, and the history says whose words are not theirs.
    edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # What the imported file said, on import revisions: the base an import's three-way merge compares with.
    file_values: Mapped[dict | None] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    question: Mapped[Question] = relationship(back_populates="example_answers")
