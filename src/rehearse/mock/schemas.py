"""What the mock interview API takes and returns."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from . import service
from .models import MockInterview, MockItem


class MockCreate(BaseModel):
    """A new mock interview: a role (or a bank) and how it runs."""

    model_config = ConfigDict(extra="forbid")

    role: str | None = Field(default=None, max_length=200, description="A role's slug or id (or give `bank`).")
    bank: str | None = Field(default=None, max_length=200, description="A bank's slug: alone, to draw from all its "
                             "roles; with `role`, to say which bank's role of that slug (422 if it has none).")
    # Strict: `true` is not one question, nor "5" five (a client that sends them has a bug to hear about).
    questions: int = Field(default=service.DEFAULT_QUESTIONS, strict=True,
                           description=f"{service.MIN_QUESTIONS}-{service.MAX_QUESTIONS} questions.")
    seconds_per_answer: int = Field(default=service.DEFAULT_SECONDS, strict=True,
                                    description=f"{service.MIN_SECONDS}-{service.MAX_SECONDS} seconds.")
    mode: Literal["typed", "spoken"] = Field(default="typed", description="Spoken: each answer is recorded and "
                                             "transcribed on the server (when it can; GET /api/speech says).")
    follow_ups: StrictBool = Field(default=True, description="Ask one follow-up after an answer that missed "
                                   "something (JSON true or false).")
    seed: int | None = Field(default=None, strict=True, description="Replays the draw of your mock that used this "
                             "seed on the same role or bank (the recent questions it set aside are set aside again); "
                             "a seed none of your mocks used sets nothing aside: the same set for anyone with the "
                             "same bank. Without it a random seed is chosen, and kept.")


class MockAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    item_id: int = Field(ge=1, le=2**31 - 1, strict=True,
                         description="The current item's id (GET the mock to see it).")
    answer: str = Field(default="", description="The answer as it stands; it may be empty only when the time "
                        "has run out (422 while time is left).")
    # Strict, like the numbers: "yes" or 1 is a client's bug to hear about, not a claim that time ran out.
    timed_out: StrictBool = Field(default=False, description="True when the countdown reached zero. The server "
                                  f"judges by its own clock: an answer more than {service.GRACE_S} s past zero is kept "
                                  "as timed out whatever this says (POST .../resume first to answer again with fresh "
                                  "time), and one sent with time left is not.")
    transcription_id: str | None = Field(default=None, max_length=64,
                                         description="Spoken answers: the id from POST /api/transcriptions.")


class ItemRead(BaseModel):
    id: int
    number: int
    follow_up: bool
    question_id: int
    question: str
    answered: bool
    seconds_left: int | None = None
    answer: str | None = Field(default=None, description="Your answer as it was kept, once this item is answered "
                               "(during the mock too: it is your own text, to read back or resume from); \"\" when "
                               "the time ran out before anything was written; null while not answered.")
    # Only once the mock is finished: no feedback during the interview, as in a real one.
    score: int | None = Field(default=None, description="The answer's score, once the mock is finished "
                              "(null until then: no feedback during the interview).")
    missed: list[str] | None = Field(default=None, description="The talking points the answer missed, once the "
                                     "mock is finished (null until then).")
    timed_out: bool | None = Field(default=None, description="Whether the answer was sent when the time had run "
                                   "out (true or false once answered, finished or not); null while not answered.")

    @classmethod
    def of(cls, mock: MockInterview, item: MockItem, *, current: bool) -> ItemRead:
        finished = mock.status == "finished"
        report = item.report or {}
        return cls(
            id=item.id, number=item.number, follow_up=item.follow_up, question_id=item.question_id,
            question=item.prompt or item.question.text, answered=item.answered_at is not None,
            seconds_left=service.remaining_seconds(mock, item) if current else None,
            answer=item.answer if item.answered_at is not None else None, score=item.score if finished else None,
            missed=[p["point"] for p in report.get("talking_points", ()) if not p.get("covered")] if finished
            else None,
            timed_out=bool(item.timed_out) if item.answered_at is not None else None,
        )


class MockRead(BaseModel):
    id: int
    title: str
    status: Literal["in_progress", "finished"]
    seed: int
    question_count: int
    seconds_per_answer: int
    mode: str
    follow_ups: bool
    created_at: datetime
    finished_at: datetime | None
    current_item_id: int | None
    items: list[ItemRead]
    summary: dict[str, Any] | None = Field(description=(
        "The end report, once finished (null until then). Its counts: `asked`, the questions asked (answered, or "
        "their time ran out); `answered`, those answered with something written; `unanswered`, those whose time "
        "ran out before anything was written, which score 0 in `score` and in `competencies` (as they do in "
        "review and on /api/progress); `follow_ups`, the follow-up questions asked; `timed_out`, the answers to "
        "questions or follow-ups sent when the time had run out, written or empty. Each entry of `questions` says "
        "`timed_out` and `empty` of its own answer."))
    share_url: str | None

    @classmethod
    def of(cls, mock: MockInterview, *, share_url: str | None = None, visible_items: bool = True) -> MockRead:
        """The mock as the API shows it; `share_url` is the shared report's full address, when it has one."""
        current = service.current_item(mock)
        shown = [i for i in mock.items if i.answered_at is not None or i is current]
        return cls(
            id=mock.id, title=mock.title, status=mock.status, seed=mock.seed, question_count=mock.question_count,
            seconds_per_answer=mock.seconds_per_answer, mode=mock.mode, follow_ups=mock.follow_ups,
            created_at=mock.created_at, finished_at=mock.finished_at,
            current_item_id=current.id if current else None,
            items=[ItemRead.of(mock, i, current=i is current) for i in shown] if visible_items else [],
            summary=service.report_of(mock), share_url=share_url if mock.share_token else None,
        )


class MockSummaryRead(BaseModel):
    id: int
    title: str
    status: str
    question_count: int
    score: int | None
    created_at: datetime
