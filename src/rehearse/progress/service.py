"""The figures of a user's progress: score over time, coverage by competency, delivery trends,
reviews due in the coming days, the streak, and the questions that most need work.

The database sums the user's attempt figures by day (an index range scan, at most a year of rows
back), two more grouped queries find coverage by competency and the weakest questions, and the
review schedule adds what is due; the page and the API show the same figures. "Last 30 days"
counts whole UTC days.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Date, cast, func, select
from sqlalchemy.orm import Session

from rehearse.accounts.models import User
from rehearse.bank.models import Question, QuestionCompetency, utcnow
from rehearse.review import service as review
from rehearse.review.models import ReviewCard
from rehearse.scheduling.fsrs_card import utc

from .models import AttemptMetrics

WEEKS = 52  # the charts cover a year, week by week
NEEDS_WORK = 8  # questions listed under "needs work"
NEEDS_WORK_BELOW = 60  # ... those whose latest score is under 60: a review rating of Again or Hard
DUE_DAYS = 14


def _week(day: date) -> date:
    return day - timedelta(days=day.weekday())  # the Monday of its week


def streak(days: set[date], today: date) -> int:
    """Days in a row with practice, ending today (or yesterday, when today has none yet)."""
    day = today if today in days else today - timedelta(days=1)
    count = 0
    while day in days:
        count += 1
        day -= timedelta(days=1)
    return count


def _day(session: Session):
    """The UTC calendar day of an attempt, as the database computes it."""
    if session.get_bind().dialect.name == "postgresql":
        return cast(func.timezone("UTC", AttemptMetrics.created_at), Date)
    return func.substr(AttemptMetrics.created_at, 1, 10)  # SQLite keeps UTC times as 'YYYY-MM-DD HH:MM:SS'


def coverage_by_competency(session: Session, *, user: User) -> list[dict[str, Any]]:
    """Per competency: answers, the share of talking points covered, the mean score."""
    return [
        {"competency": name, "attempts": attempts,
         "coverage": round(covered / points, 3) if points else None,
         "mean_score": round(float(score), 1)}
        for name, attempts, covered, points, score in session.execute(
            select(QuestionCompetency.name, func.count(), func.sum(AttemptMetrics.points_covered),
                   func.sum(AttemptMetrics.points_total), func.avg(AttemptMetrics.score))
            .join(QuestionCompetency, QuestionCompetency.question_id == AttemptMetrics.question_id)
            .where(AttemptMetrics.user_id == user.id)
            .group_by(QuestionCompetency.name).order_by(QuestionCompetency.name)
        ).all()
    ]


def figures(session: Session, *, user: User, now: datetime | None = None) -> dict[str, Any]:
    now = utc(now or utcnow())
    today = now.date()
    first_week = _week(today) - timedelta(weeks=WEEKS - 1)
    since = datetime.combine(first_week, datetime.min.time(), tzinfo=now.tzinfo)
    # One row per day practised (at most a year's worth), summed by the database.
    day = _day(session).label("day")
    by_day = session.execute(
        select(day, func.count(), func.sum(AttemptMetrics.score), func.sum(AttemptMetrics.words),
               func.sum(AttemptMetrics.fillers), func.sum(AttemptMetrics.words_per_minute),
               func.count(AttemptMetrics.words_per_minute))
        .where(AttemptMetrics.user_id == user.id, AttemptMetrics.created_at >= since)
        .group_by(day)
    ).all()
    total = session.scalar(select(func.count()).select_from(AttemptMetrics)
                           .where(AttemptMetrics.user_id == user.id)) or 0

    weekly: dict[date, list[float]] = defaultdict(lambda: [0, 0, 0, 0, 0.0, 0])
    days: set[date] = set()
    recent_count = recent_score = 0
    month_ago = today - timedelta(days=30)
    for when, count, score, words, fillers, pace_sum, pace_count in by_day:
        day_date = when if isinstance(when, date) else date.fromisoformat(str(when))
        days.add(day_date)
        sums = weekly[_week(day_date)]
        for index, value in enumerate((count, score, words, fillers, pace_sum or 0.0, pace_count)):
            sums[index] += value or 0
        if day_date > month_ago:
            recent_count, recent_score = recent_count + count, recent_score + (score or 0)
    weeks = [first_week + timedelta(weeks=i) for i in range(WEEKS)]
    timeline = []
    for week in weeks:
        count, score, words, fillers, pace_sum, pace_count = weekly.get(week, (0, 0, 0, 0, 0.0, 0))
        timeline.append({
            "week": week.isoformat(), "attempts": count,
            "mean_score": round(score / count, 1) if count else None,
            "mean_words": round(words / count) if count else None,
            "fillers_per_100_words": round(100 * fillers / words, 2) if words else None,
            "words_per_minute": round(pace_sum / pace_count) if pace_count else None,
        })

    coverage = coverage_by_competency(session, user=user)

    latest = (select(AttemptMetrics.question_id, func.max(AttemptMetrics.attempt_id).label("attempt_id"),
                     func.count().label("attempts"))
              .where(AttemptMetrics.user_id == user.id).group_by(AttemptMetrics.question_id).subquery())
    weakest = session.execute(
        select(Question.id, Question.text, AttemptMetrics.score, AttemptMetrics.points_total,
               AttemptMetrics.points_covered, latest.c.attempts, latest.c.attempt_id, ReviewCard.due)
        .join(latest, latest.c.attempt_id == AttemptMetrics.attempt_id)
        .join(Question, Question.id == AttemptMetrics.question_id)
        .outerjoin(ReviewCard, (ReviewCard.user_id == user.id) & (ReviewCard.question_id == Question.id))
        .where(AttemptMetrics.score < NEEDS_WORK_BELOW, Question.retired_at.is_(None))  # retired: not practised
        .order_by(AttemptMetrics.score, AttemptMetrics.attempt_id.desc()).limit(NEEDS_WORK)
    ).all()
    needs_work = [{"question_id": qid, "question": text, "last_score": score, "attempts": attempts,
                   "points_missed": (total_points or 0) - (covered or 0), "last_attempt_id": attempt_id,
                   "due": utc(due).isoformat() if due else None}
                  for qid, text, score, total_points, covered, attempts, attempt_id, due in weakest]

    return {
        "generated_at": now.isoformat(),
        "totals": {
            "attempts": total,
            "attempts_this_year": sum(w["attempts"] for w in timeline),
            "questions_practised": session.scalar(  # answered, not merely put in the review queue
                select(func.count(func.distinct(AttemptMetrics.question_id))).where(AttemptMetrics.user_id == user.id)
            ) or 0,
            "mean_score_30_days": round(recent_score / recent_count, 1) if recent_count else None,
            "streak_days": streak(days, today),
            "due_now": review.due_count(session, user_id=user.id, now=now),
        },
        "weeks": timeline,
        "coverage_by_competency": coverage,
        "due_by_day": [{"date": d, "due": n} for d, n in review.upcoming(session, user_id=user.id, now=now,
                                                                         days=DUE_DAYS)],
        "needs_work": needs_work,
    }
