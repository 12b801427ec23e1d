"""What the progress API returns: the same figures as the /progress page.

`ran_out` counts the questions whose time ran out in a mock before anything was written: each is a try that
scored 0 and covered none of its talking points (as in the mock's report and the review queue), so it is in
the mean scores, the coverage and "needs work"; it is not an answer (`attempts`, lengths, fillers, streak).
"""

from __future__ import annotations

from pydantic import BaseModel, Field

RAN_OUT = "Questions whose time ran out in a mock before anything was written (each a try scored 0)."


class Totals(BaseModel):
    attempts: int
    attempts_this_year: int
    questions_practised: int
    mean_score_30_days: float | None
    streak_days: int
    due_now: int
    ran_out: int = Field(description=RAN_OUT)


class Week(BaseModel):
    week: str
    attempts: int
    ran_out: int = Field(description=RAN_OUT)
    mean_score: float | None = Field(description="Over the answers and the questions that ran out (at 0).")
    mean_words: int | None
    fillers_per_100_words: float | None
    words_per_minute: int | None


class CompetencyCoverage(BaseModel):
    competency: str
    attempts: int
    ran_out: int = Field(description=RAN_OUT)
    coverage: float | None = Field(description="The share of talking points covered, over the answers and the "
                                   "questions that ran out (none of their points covered).")
    mean_score: float = Field(description="Over the answers and the questions that ran out (at 0).")


class DueDay(BaseModel):
    date: str
    due: int


class NeedsWork(BaseModel):
    question_id: int
    question: str
    last_score: int
    attempts: int
    points_missed: int
    last_attempt_id: int | None = Field(description="The latest answer; null when the latest try ran out in a "
                                        "mock before anything was written (`ran_out`).")
    ran_out: bool = Field(description="Whether the latest try ran out in a mock before anything was written "
                          "(last_score 0, every point missed).")
    due: str | None


class Progress(BaseModel):
    generated_at: str
    totals: Totals
    weeks: list[Week]
    coverage_by_competency: list[CompetencyCoverage]
    due_by_day: list[DueDay]
    needs_work: list[NeedsWork]
