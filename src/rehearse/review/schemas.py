"""What the review API takes and returns."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, Strict, WithJsonSchema, field_validator
from pydantic_core import PydanticCustomError

# A JSON number 1-4 (not true, nor 4.0, nor "4": the API takes JSON numbers, never numbers in strings) or a name.
RatingNumber = Annotated[int, Strict(), WithJsonSchema({"type": "integer", "minimum": 1, "maximum": 4})]
RatingName = Literal["again", "hard", "good", "easy"]
_NAMES = get_args(RatingName)


class RatingUpdate(BaseModel):
    """Your own rating for the review an attempt made; it replaces the one its score suggested."""

    model_config = ConfigDict(extra="forbid")

    rating: RatingNumber | RatingName = Field(description="again, hard, good or easy, or its number 1-4 "
                                              "(a JSON number, not a string).", examples=["good", 3])

    @field_validator("rating", mode="before")
    @classmethod
    def _one_sentence(cls, value: Any) -> Any:
        """Anything but a name or a number 1-4 gets one 422 sentence (in the usual detail + errors shape), not an
        error per member of the union, nor a different shape from the service for 5."""
        if isinstance(value, str) and value.strip().lower() in _NAMES:
            return value.strip().lower()
        if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 4:
            return value
        raise PydanticCustomError("rating", "{given} is not a rating; use one of again, hard, good, easy (or 1-4)",
                                  {"given": json.dumps(value)[:40]})


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
