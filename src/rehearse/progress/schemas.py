"""What the progress API returns: the same figures as the /progress page."""

from __future__ import annotations

from pydantic import BaseModel


class Totals(BaseModel):
    attempts: int
    attempts_this_year: int
    questions_practised: int
    mean_score_30_days: float | None
    streak_days: int
    due_now: int


class Week(BaseModel):
    week: str
    attempts: int
    mean_score: float | None
    mean_words: int | None
    fillers_per_100_words: float | None
    words_per_minute: int | None


class CompetencyCoverage(BaseModel):
    competency: str
    attempts: int
    coverage: float | None
    mean_score: float


class DueDay(BaseModel):
    date: str
    due: int


class NeedsWork(BaseModel):
    question_id: int
    question: str
    last_score: int
    attempts: int
    points_missed: int
    last_attempt_id: int
    due: str | None


class Progress(BaseModel):
    generated_at: str
    totals: Totals
    weeks: list[Week]
    coverage_by_competency: list[CompetencyCoverage]
    due_by_day: list[DueDay]
    needs_work: list[NeedsWork]
