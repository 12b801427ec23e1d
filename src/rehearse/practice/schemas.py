"""What the practice API takes and returns."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from rehearse.web.params import MAX_ID
from rehearse.web.text_guard import lf_newlines

from .models import Attempt
from .service import AttemptRow


class FeedbackRequest(BaseModel):
    """An answer to score. Nothing is stored."""

    model_config = ConfigDict(extra="forbid")

    # Strict: "1" is not a question id (a client that sends one has a bug to hear about), as in the mock API.
    question_id: int = Field(ge=1, le=MAX_ID, strict=True,
                             description="The question's id (GET /api/questions lists them).")
    answer: str = Field(
        description="The answer text; at most Settings.max_answer_chars characters "
        "(REHEARSE_MAX_ANSWER_CHARS, 20,000 by default); a line break (CRLF, CR or LF) counts as one."
    )

    @field_validator("answer")
    @classmethod
    def _one_character_per_line_break(cls, answer: str) -> str:
        return lf_newlines(answer)


class AttemptCreate(FeedbackRequest):
    """An answer to score and keep in the signed-in user's history."""

    mode: Literal["typed", "spoken"] = Field(default="typed", description="Spoken: the answer is the transcript of "
                                             "a recording, whose `transcription_id` comes with it.")
    duration_s: float | None = Field(default=None, ge=0, le=86_400, strict=True, description="Seconds spent answering.")
    transcription_id: str | None = Field(
        default=None,
        max_length=64,
        description="Spoken answers: the id from POST /api/transcriptions; adds pace and pauses.",
    )
    previous_attempt_id: int | None = Field(
        default=None, ge=1, le=MAX_ID, strict=True, description="The attempt this one tries again."
    )

    @model_validator(mode="after")
    def _spoken_from_a_recording(self) -> AttemptCreate:
        """A spoken attempt is made from its transcription (as the practice page makes one), which gives its pace
        and pauses: without one it would be a typed answer stored as spoken."""
        if self.mode == "spoken" and not self.transcription_id:
            raise PydanticCustomError("value_error", "A spoken answer comes from its recording: send the "
                                      "transcription_id from POST /api/transcriptions, or mode typed")
        return self


class AttemptSummary(BaseModel):
    id: int
    question_id: int
    question: str
    role: str
    score: int
    grade: str
    mode: str
    duration_s: float | None
    created_at: datetime
    previous_attempt_id: int | None

    @classmethod
    def of_row(cls, row: AttemptRow) -> AttemptSummary:
        return cls(id=row.id, question_id=row.question_id, question=row.question_text, role=row.role_name,
                   score=row.score, grade=row.grade, mode=row.mode, duration_s=row.duration_s,
                   created_at=row.created_at, previous_attempt_id=row.previous_attempt_id)

    @classmethod
    def of(cls, attempt: Attempt) -> AttemptSummary:
        return cls(
            id=attempt.id,
            question_id=attempt.question_id,
            question=attempt.question.text,
            role=attempt.question.role.name,
            score=attempt.score,
            grade=attempt.grade,
            mode=attempt.mode,
            duration_s=attempt.duration_s,
            created_at=attempt.created_at,
            previous_attempt_id=attempt.previous_attempt_id,
        )


class AttemptRead(AttemptSummary):
    answer: str
    report: dict[str, Any]
    speech: dict[str, Any] | None
    comparison: dict[str, Any] | None = None
    example_revision: int | None = Field(
        None, description="The question's revision (example answer, talking points) the report was scored against."
    )

    @classmethod
    def full(cls, attempt: Attempt, comparison: dict[str, Any] | None = None) -> AttemptRead:
        return cls(
            **AttemptSummary.of(attempt).model_dump(),
            answer=attempt.answer,
            report=attempt.report,
            speech=attempt.speech,
            comparison=comparison,
            example_revision=attempt.example_revision,
        )


class TranscriptionStatus(BaseModel):
    id: str
    state: Literal["queued", "running", "done", "failed"]
    progress: float
    transcript: dict[str, Any] | None = None
    error: str | None = None


class SpeechStatus(BaseModel):
    available: bool
    reason: str | None
