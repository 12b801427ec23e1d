"""The figures of a user's progress: score over time, coverage by competency, delivery trends,
reviews due in the coming days, the streak, and the questions that most need work.

One pass over the user's attempt metrics for the year (an index range scan), two grouped queries,
and the review schedule; the page and the API show the same figures.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta
from statistics import mean
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from rehearse.accounts.models import User
from rehearse.bank.models import Question, QuestionCompetency, utcnow
from rehearse.review import service as review
from rehearse.review.models import ReviewCard
from rehearse.scheduling.fsrs_card import utc

from .models import AttemptMetrics

WEEKS = 52  # the charts cover a year, week by week
NEEDS_WORK = 8  # questions listed under "needs work"
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


def figures(session: Session, *, user: User, now: datetime | None = None) -> dict[str, Any]:
    now = utc(now or utcnow())
    today = now.date()
    first_week = _week(today) - timedelta(weeks=WEEKS - 1)
    since = datetime.combine(first_week, datetime.min.time(), tzinfo=now.tzinfo)
    rows = session.execute(
        select(AttemptMetrics.created_at, AttemptMetrics.score, AttemptMetrics.words, AttemptMetrics.fillers,
               AttemptMetrics.words_per_minute)
        .where(AttemptMetrics.user_id == user.id, AttemptMetrics.created_at >= since)
    ).all()
    total = session.scalar(select(func.count()).select_from(AttemptMetrics)
                           .where(AttemptMetrics.user_id == user.id)) or 0

    weekly: dict[date, list] = defaultdict(list)
    days: set[date] = set()
    for created, score, words, fillers, pace in rows:
        day = utc(created).date()
        days.add(day)
        weekly[_week(day)].append((score, words, fillers, pace))
    weeks = [first_week + timedelta(weeks=i) for i in range(WEEKS)]
    timeline = []
    for week in weeks:
        entries = weekly.get(week, [])
        words = sum(e[1] for e in entries)
        paces = [e[3] for e in entries if e[3]]
        timeline.append({
            "week": week.isoformat(), "attempts": len(entries),
            "mean_score": round(mean(e[0] for e in entries), 1) if entries else None,
            "mean_words": round(words / len(entries)) if entries else None,
            "fillers_per_100_words": round(100 * sum(e[2] for e in entries) / words, 2) if words else None,
            "words_per_minute": round(mean(paces)) if paces else None,
        })

    coverage = [
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

    latest = (select(AttemptMetrics.question_id, func.max(AttemptMetrics.attempt_id).label("attempt_id"),
                     func.count().label("attempts"))
              .where(AttemptMetrics.user_id == user.id).group_by(AttemptMetrics.question_id).subquery())
    weakest = session.execute(
        select(Question.id, Question.text, AttemptMetrics.score, AttemptMetrics.points_total,
               AttemptMetrics.points_covered, latest.c.attempts, latest.c.attempt_id, ReviewCard.due)
        .join(latest, latest.c.attempt_id == AttemptMetrics.attempt_id)
        .join(Question, Question.id == AttemptMetrics.question_id)
        .outerjoin(ReviewCard, (ReviewCard.user_id == user.id) & (ReviewCard.question_id == Question.id))
        .order_by(AttemptMetrics.score, AttemptMetrics.attempt_id.desc()).limit(NEEDS_WORK)
    ).all()
    needs_work = [{"question_id": qid, "question": text, "last_score": score, "attempts": attempts,
                   "points_missed": (total_points or 0) - (covered or 0), "last_attempt_id": attempt_id,
                   "due": utc(due).isoformat() if due else None}
                  for qid, text, score, total_points, covered, attempts, attempt_id, due in weakest]

    recent = [r for r in rows if utc(r[0]) >= now - timedelta(days=30)]
    return {
        "generated_at": now.isoformat(),
        "totals": {
            "attempts": total,
            "attempts_this_year": len(rows),
            "questions_practised": review.card_count(session, user=user),
            "mean_score_30_days": round(mean(r[1] for r in recent), 1) if recent else None,
            "streak_days": streak(days, today),
            "due_now": review.due_count(session, user_id=user.id, now=now),
        },
        "weeks": timeline,
        "coverage_by_competency": coverage,
        "due_by_day": [{"date": d, "due": n} for d, n in review.upcoming(session, user_id=user.id, now=now,
                                                                         days=DUE_DAYS)],
        "needs_work": needs_work,
    }
