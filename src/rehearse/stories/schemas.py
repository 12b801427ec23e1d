"""What the story API takes and returns."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from .models import Story


class StoryWrite(BaseModel):
    """A STAR story. Field lengths are checked by the service, which says which field is too long."""

    model_config = ConfigDict(extra="forbid")

    title: str = Field(description="At most 200 characters.")
    situation: str = ""
    task: str = ""
    action: str = ""
    result: str = Field(default="", description="Each of situation, task, action, result: at most 5,000 characters.")
    competencies: list[str] = Field(default_factory=list, description="Up to 20, e.g. hiring, incidents; "
                                    "none with a comma.")
    tags: list[str] = Field(default_factory=list, description="Up to 20 free tags, none with a comma (the story form "
                            "separates them with commas).")


class StoryRead(StoryWrite):
    id: int
    created_at: datetime
    updated_at: datetime

    @classmethod
    def of(cls, story: Story) -> StoryRead:
        return cls(id=story.id, title=story.title, situation=story.situation, task=story.task, action=story.action,
                   result=story.result, competencies=story.competencies, tags=story.tags,
                   created_at=story.created_at, updated_at=story.updated_at)


class Suggestion(BaseModel):
    story_id: int
    title: str
    similarity: float = Field(description="Closeness in meaning to the question (cosine of sentence vectors).")
    measure: str = Field(description="The backend that measured it, or `word overlap` when none was available.")
    shared_competencies: list[str]
    covers: list[str] = Field(description="Talking points the story covers, told as the answer.")
    score: int | None


class StoryScore(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question_id: int = Field(ge=1, le=2**31 - 1, strict=True)


class StoryReport(BaseModel):
    story_id: int
    question_id: int
    report: dict[str, Any]
