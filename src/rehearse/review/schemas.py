"""What the review API takes and returns."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class RatingUpdate(BaseModel):
    """Your own rating for the review an attempt made; it replaces the one its score suggested."""

    model_config = ConfigDict(extra="forbid")

    rating: str = Field(max_length=10, description="again, hard, good or easy (or 1-4).",
                        examples=["good"])


class ReviewRead(BaseModel):
    attempt_id: int | None
    question_id: int
    score: int | None
    suggested_rating: str | None
    rating: str
    source: str
    reviewed_at: datetime
    card_due: datetime


class CardRead(BaseModel):
    id: int
    question_id: int
    question: str
    role: str
    due: datetime
    overdue_days: int
    state: int
    reviews: int
    stability: float | None
    difficulty: float | None


class DueQueue(BaseModel):
    count: int = Field(description="Cards due now (all of them, not only this page).")
    cards: list[CardRead]


class UpcomingDay(BaseModel):
    date: str
    due: int


class OptimiseResult(BaseModel):
    optimised: bool
    reason: str
    review_count: int
    min_reviews: int = Field(description="Reviews made a day or more after the previous review of the same question "
                                         "that the optimiser needs (it learns from those alone).")
    parameters: list[float] | None
