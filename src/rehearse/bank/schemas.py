"""What the API and `--json` output show of banks, roles and questions."""

from __future__ import annotations

from pydantic import BaseModel

from .models import Question, Role


class RoleRead(BaseModel):
    id: int
    slug: str
    name: str
    description: str | None
    bank: str
    bank_slug: str  # two banks may have a role of one slug: GET /api/questions?bank= picks the bank
    question_count: int

    @classmethod
    def of(cls, role: Role, question_count: int) -> RoleRead:
        return cls(id=role.id, slug=role.slug, name=role.name, description=role.description,
                   bank=role.bank.name, bank_slug=role.bank.slug, question_count=question_count)


class QuestionSummary(BaseModel):
    id: int
    slug: str
    text: str
    kind: str
    competencies: list[str]
    role: str
    role_slug: str
    bank: str
    bank_slug: str


class QuestionRead(QuestionSummary):
    intent: str | None
    talking_points: list[str]
    example_answer: str | None

    @classmethod
    def of(cls, question: Question, example_answer: str | None) -> QuestionRead:
        return cls(**summary_fields(question), intent=question.intent, talking_points=list(question.talking_points),
                   example_answer=example_answer)


def summary_fields(question: Question) -> dict:
    return {"id": question.id, "slug": question.slug, "text": question.text, "kind": question.kind,
            "competencies": question.competency_names, "role": question.role.name,
            "role_slug": question.role.slug, "bank": question.role.bank.name, "bank_slug": question.role.bank.slug}


def summarize(question: Question) -> QuestionSummary:
    return QuestionSummary(**summary_fields(question))
