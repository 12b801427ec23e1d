"""What the user-data API returns (the document itself is described in the README)."""

from __future__ import annotations

from pydantic import BaseModel


class ImportResult(BaseModel):
    attempts: int
    cards: int
    reviews: int
    stories: int
    mocks: int
    plans: int = 0
