"""What the prep plan API takes and returns."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class PlanCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    posting: str = Field(description="The job posting as text: 80 to 30,000 characters.")
    role: str | None = Field(None, max_length=120, description="The role to plan for, by id or slug (GET /api/roles), "
                             "instead of the one Rehearse picks; an unknown role, or one without questions, is a 422.")


class PlanItemRead(BaseModel):
    question_id: int
    question: str
    role: str
    relevance: float = Field(description="How strongly one line of the posting matches this question, by meaning and "
                             "shared words, against the bar a question must clear to be in a plan: 0.5 is the "
                             "bar, 1 twice it or more.")
    meaning: float = Field(description="The cosine of the sentence vectors of that line and the question (0 without "
                           "sentence vectors).")
    phrase: str | None = Field(description="The posting's line, sentence or clause that matches the question best.")
    terms: list[str] = Field(description="Distinctive job terms the question shares with the line it matched.")
    weakness: float = Field(description="1 − your coverage in the question's weakest competency (0.5 if unknown).")
    last_score: int | None = Field(None, description="Your latest score on this question, if you answered it.")
    weak_spot: bool = Field(False, description="Your latest score on it is under 60.")
    other_role: bool = Field(False, description="The question is from another role than the one the plan is for: "
                             "such questions come after all of the role's own, in a group of their own.")
    competencies: list[str]
    measure: str


class PlanRead(BaseModel):
    id: int
    title: str
    role_id: int | None
    role: str | None = Field(None, description="The name of the role the plan is for.")
    role_reason: str | None = Field(None, description="Why the plan is for that role: the posting's title names it "
                                    "or suggests it, and how many of its lines match the role's questions.")
    created_at: datetime
    items: list[PlanItemRead]


class PlanSummary(BaseModel):
    id: int
    title: str
    created_at: datetime
    questions: int


class ReviewAdded(BaseModel):
    added: int = Field(description="Questions put in the review queue (those already there keep their schedule).")


class MockStarted(BaseModel):
    mock_id: int
    url: str
