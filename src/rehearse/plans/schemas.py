"""What the prep plan API takes and returns."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class PlanCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    posting: str = Field(description="The job posting as text: 80 to 30,000 characters.")


class PlanItemRead(BaseModel):
    question_id: int
    question: str
    role: str
    relevance: float = Field(description="The share of the banks' other questions that are less close to this one than "
                             "the posting is (0.5 at least); without sentence vectors, distinctive job terms "
                             "found in one line of the posting, a quarter each.")
    meaning: float
    phrase: str | None = Field(description="The posting's line or sentence closest in meaning.")
    terms: list[str] = Field(description="Distinctive job terms the question shares with the line it matched.")
    weakness: float = Field(description="1 − your coverage in the question's weakest competency (0.5 if unknown).")
    last_score: int | None = Field(None, description="Your latest score on this question, if you answered it.")
    weak_spot: bool = Field(False, description="Your latest score on it is under 60.")
    competencies: list[str]
    measure: str


class PlanRead(BaseModel):
    id: int
    title: str
    role_id: int | None
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
