"""The figures of a user's progress: score over time, coverage by competency, delivery trends,
reviews due in the coming days, the streak, and the questions that most need work.

The database sums the user's attempt figures by day (an index range scan, at most a year of rows
back), two more grouped queries find coverage by competency and the weakest questions, and the
review schedule adds what is due; the page and the API show the same figures. "Last 30 days"
counts whole UTC days.

A question whose time ran out in a mock before anything was written is a try that scored 0 and
covered none of its talking points, here as in the mock's report and the review queue (which rates
it Again): it counts in the mean scores, the coverage by competency and "needs work", each as
`ran_out` beside the answers. It is no answer: the answer counts, lengths, fillers and the streak
are of answers written.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
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


@dataclass(frozen=True)
class RanOut:
    """A question whose time ran out in a mock before anything was written: a try that scored 0."""

    question_id: int
    at: datetime
    points: int  # its talking points, every one missed


def ran_out(session: Session, *, user: User) -> list[RanOut]:
    """The user's questions left empty when a mock's time ran out (kept with no attempt: no answer to keep)."""
    from rehearse.mock.models import MockInterview, MockItem
    from rehearse.practice.service import has_words

    rows = session.execute(
        select(MockItem.question_id, MockItem.answered_at, MockItem.answer, MockItem.report)
        .join(MockInterview, MockInterview.id == MockItem.mock_id)
        .where(MockInterview.user_id == user.id, MockItem.follow_up.is_(False), MockItem.timed_out.is_(True),
               MockItem.answered_at.is_not(None), MockItem.attempt_id.is_(None))
    ).all()
    return [RanOut(question_id, utc(at), len((report or {}).get("talking_points") or ()))
            for question_id, at, answer, report in rows if not has_words(answer)]


def coverage_by_competency(session: Session, *, user: User,
                           missed: list[RanOut] | None = None) -> list[dict[str, Any]]:
    """Per competency: answers and questions that ran out empty, the share of talking points covered, the mean
    score (a question that ran out counts 0, and none of its points covered). `missed`: `ran_out`, read already."""
    missed = ran_out(session, user=user) if missed is None else missed
    rows: dict[str, list[float]] = {
        name: [attempts, 0, covered or 0, points or 0, float(score or 0)]
        for name, attempts, covered, points, score in session.execute(
            select(QuestionCompetency.name, func.count(), func.sum(AttemptMetrics.points_covered),
                   func.sum(AttemptMetrics.points_total), func.sum(AttemptMetrics.score))
            .join(QuestionCompetency, QuestionCompetency.question_id == AttemptMetrics.question_id)
            .where(AttemptMetrics.user_id == user.id)
            .group_by(QuestionCompetency.name)
        ).all()
    }
    if missed:
        names = defaultdict(list)
        for question_id, name in session.execute(select(QuestionCompetency.question_id, QuestionCompetency.name)
                                                 .where(QuestionCompetency.question_id
                                                        .in_({m.question_id for m in missed}))):
            names[question_id].append(name)
        for miss in missed:
            for name in names[miss.question_id]:
                row = rows.setdefault(name, [0, 0, 0, 0, 0.0])
                row[1] += 1
                row[3] += miss.points
    return [
        {"competency": name, "attempts": attempts, "ran_out": ran,
         "coverage": round(covered / points, 3) if points else None,
         "mean_score": round(score / (attempts + ran), 1)}
        for name, (attempts, ran, covered, points, score) in sorted(rows.items())
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

    missed = ran_out(session, user=user)
    weekly: dict[date, list[float]] = defaultdict(lambda: [0, 0, 0, 0, 0.0, 0, 0])
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
    for miss in missed:  # a try at 0: in the mean score, not in the answers' length or fillers
        if miss.at >= since:
            weekly[_week(miss.at.date())][6] += 1
        if miss.at.date() > month_ago:
            recent_count += 1
    weeks = [first_week + timedelta(weeks=i) for i in range(WEEKS)]
    timeline = []
    for week in weeks:
        count, score, words, fillers, pace_sum, pace_count, ran = weekly.get(week, (0, 0, 0, 0, 0.0, 0, 0))
        timeline.append({
            "week": week.isoformat(), "attempts": count, "ran_out": ran,
            "mean_score": round(score / (count + ran), 1) if count + ran else None,
            "mean_words": round(words / count) if count else None,
            "fillers_per_100_words": round(100 * fillers / words, 2) if words else None,
            "words_per_minute": round(pace_sum / pace_count) if pace_count else None,
        })

    coverage = coverage_by_competency(session, user=user, missed=missed)

    latest = (select(AttemptMetrics.question_id, func.max(AttemptMetrics.attempt_id).label("attempt_id"),
                     func.count().label("attempts"))
              .where(AttemptMetrics.user_id == user.id).group_by(AttemptMetrics.question_id).subquery())
    weakest = session.execute(
        select(Question.id, Question.text, AttemptMetrics.score, AttemptMetrics.points_total,
               AttemptMetrics.points_covered, latest.c.attempts, latest.c.attempt_id, ReviewCard.due,
               AttemptMetrics.created_at)
        .join(latest, latest.c.attempt_id == AttemptMetrics.attempt_id)
        .join(Question, Question.id == AttemptMetrics.question_id)
        .outerjoin(ReviewCard, (ReviewCard.user_id == user.id) & (ReviewCard.question_id == Question.id))
        .where(AttemptMetrics.score < NEEDS_WORK_BELOW, Question.retired_at.is_(None))  # retired: not practised
        .order_by(AttemptMetrics.score, AttemptMetrics.attempt_id.desc())
        .limit(NEEDS_WORK + len({m.question_id for m in missed}))  # room for those a later run-out replaces
    ).all()
    needs_work = [{"question_id": qid, "question": text, "last_score": score, "attempts": attempts,
                   "points_missed": (total_points or 0) - (covered or 0), "last_attempt_id": attempt_id,
                   "ran_out": False, "due": utc(due).isoformat() if due else None, "at": utc(at)}
                  for qid, text, score, total_points, covered, attempts, attempt_id, due, at in weakest]
    needs_work = _with_ran_out(session, user=user, needs_work=needs_work, missed=missed)

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
            "ran_out": len(missed),
        },
        "weeks": timeline,
        "coverage_by_competency": coverage,
        "due_by_day": [{"date": d, "due": n} for d, n in review.upcoming(session, user_id=user.id, now=now,
                                                                         days=DUE_DAYS)],
        "needs_work": needs_work,
    }


def _with_ran_out(session: Session, *, user: User, needs_work: list[dict[str, Any]],
                  missed: list[RanOut]) -> list[dict[str, Any]]:
    """"Needs work" with the questions whose latest try ran out empty in a mock (last score 0, every point
    missed) in place of their earlier answer, the lowest first, then the most recent."""
    latest: dict[int, RanOut] = {}
    for miss in missed:
        if miss.question_id not in latest or miss.at > latest[miss.question_id].at:
            latest[miss.question_id] = miss
    answered = dict(session.execute(
        select(AttemptMetrics.question_id, func.max(AttemptMetrics.created_at))
        .where(AttemptMetrics.user_id == user.id, AttemptMetrics.question_id.in_(list(latest)))
        .group_by(AttemptMetrics.question_id)).all()) if latest else {}
    latest = {qid: miss for qid, miss in latest.items() if qid not in answered or miss.at >= utc(answered[qid])}
    if latest:
        counts = dict(session.execute(
            select(AttemptMetrics.question_id, func.count())
            .where(AttemptMetrics.user_id == user.id, AttemptMetrics.question_id.in_(list(latest)))
            .group_by(AttemptMetrics.question_id)).all())
        rows = session.execute(
            select(Question.id, Question.text, ReviewCard.due)
            .outerjoin(ReviewCard, (ReviewCard.user_id == user.id) & (ReviewCard.question_id == Question.id))
            .where(Question.id.in_(list(latest)), Question.retired_at.is_(None))).all()
        needs_work = [row for row in needs_work if row["question_id"] not in latest] + [
            {"question_id": qid, "question": text, "last_score": 0, "attempts": counts.get(qid, 0),
             "points_missed": latest[qid].points, "last_attempt_id": None, "ran_out": True,
             "due": utc(due).isoformat() if due else None, "at": latest[qid].at}
            for qid, text, due in rows]
    needs_work.sort(key=lambda row: (row["last_score"], -row["at"].timestamp()))
    return [{key: value for key, value in row.items() if key != "at"} for row in needs_work[:NEEDS_WORK]]
