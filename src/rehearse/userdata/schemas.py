"""What the user-data API returns (the document itself is described in the README)."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ImportResult(BaseModel):
    attempts: int
    cards: int
    reviews: int
    stories: int
    mocks: int
    plans: int = 0
    suggestions: int = 0
    comments: int = 0
    votes: int = 0
    notifications: int = 0
    comment_reports: int = 0
    community_left_out: int = Field(0, description="Votes, comments, notifications and reports of comments on "
                                                   "someone else's suggestion that is not on this server, so not "
                                                   "imported.")
