"""Progress figures on a real database, from attempts made at known times."""

from datetime import UTC, date, datetime, timedelta

import pytest

from rehearse.practice import service as practice
from rehearse.practice.models import Attempt
from rehearse.progress import service as progress
from rehearse.progress.dashboard import charts_for

from .conftest import fake_report

NOW = datetime(2026, 6, 10, 12, 0, tzinfo=UTC)  # a Wednesday


def practise(session, user, question, score, when, covered=(True, False, False)):
    attempt = practice.record(session, user=user, question=question, answer="An answer.",
                              report=fake_report(score, covered=covered))
    return attempt, when


def at(session, attempt, when):
    """Move an attempt (and its figures) to a moment in the past."""
    from rehearse.progress.models import AttemptMetrics

    session.get(Attempt, attempt.id).created_at = when
    session.get(AttemptMetrics, attempt.id).created_at = when
    session.flush()


@pytest.mark.parametrize(("days", "today", "expected"), [
    (set(), date(2026, 6, 10), 0),
    ({date(2026, 6, 10)}, date(2026, 6, 10), 1),
    ({date(2026, 6, 8), date(2026, 6, 9)}, date(2026, 6, 10), 2),  # nothing today yet: the streak is alive
    ({date(2026, 6, 8), date(2026, 6, 10)}, date(2026, 6, 10), 1),  # a gap ends it
    ({date(2026, 6, 7), date(2026, 6, 8)}, date(2026, 6, 10), 0),
])
def test_streak(days, today, expected):
    assert progress.streak(days, today) == expected


def test_a_new_user_has_empty_figures_and_no_charts(session, users):
    figures = progress.figures(session, user=users[0], now=NOW)
    assert figures["totals"]["attempts"] == 0 and figures["needs_work"] == []
    assert len(figures["weeks"]) == progress.WEEKS and all(w["attempts"] == 0 for w in figures["weeks"])
    assert set(charts_for(figures).values()) == {None}


def test_figures_by_week_competency_and_weakest_question(session, bank, users):
    ann, bob = users
    qs = bank["questions"]
    plan = [(qs[0], 40, NOW - timedelta(days=1), (False, False, False)),  # Tuesday this week
            (qs[1], 80, NOW - timedelta(days=2), (True, True, False)),   # Monday this week
            (qs[1], 90, NOW - timedelta(days=9), (True, True, True)),    # last week
            (qs[2], 60, NOW - timedelta(days=400), (True, False, False))]  # over a year ago: totals only
    for question, score, when, covered in plan:
        attempt, _ = practise(session, ann, question, score, when, covered)
        at(session, attempt, when)
    practise(session, bob, qs[3], 10, NOW)  # Bob's attempt counts nowhere in Ann's figures
    figures = progress.figures(session, user=ann, now=NOW)
    totals = figures["totals"]
    assert (totals["attempts"], totals["attempts_this_year"], totals["questions_practised"]) == (4, 3, 3)
    assert totals["mean_score_30_days"] == 70.0 and totals["streak_days"] == 2
    this_week, last_week = figures["weeks"][-1], figures["weeks"][-2]
    assert this_week["week"] == "2026-06-08" and (this_week["attempts"], this_week["mean_score"]) == (2, 60.0)
    assert (last_week["attempts"], last_week["mean_score"]) == (1, 90.0)
    assert this_week["fillers_per_100_words"] == pytest.approx(100 * 4 / 240, abs=0.01)
    by_name = {c["competency"]: c for c in figures["coverage_by_competency"]}
    assert by_name["incidents"]["coverage"] == 0.0
    assert by_name["hiring"]["coverage"] == round(5 / 6, 3) and by_name["hiring"]["attempts"] == 2
    # only latest scores under 60 need work: 40 does, 60 and 80 do not
    assert [w["question_id"] for w in figures["needs_work"]] == [qs[0].id]
    assert figures["needs_work"][0]["points_missed"] == 3
    charts = charts_for(figures)
    assert charts["score"].startswith("data:image/svg+xml;base64,") and charts["coverage"]


def test_questions_practised_counts_questions_answered_not_review_cards(session, bank, users):
    from rehearse.review import service as review

    ann = users[0]
    for question in bank["questions"][:5]:  # a prep plan puts five questions in the queue
        review.ensure_card(session, user_id=ann.id, question_id=question.id)
    practise(session, ann, bank["questions"][0], 70, NOW)
    practise(session, ann, bank["questions"][0], 75, NOW)  # the same question again
    practise(session, ann, bank["questions"][6], 50, NOW)  # and one not in the queue
    assert progress.figures(session, user=ann, now=NOW)["totals"]["questions_practised"] == 2


def test_a_retired_question_is_not_offered_as_needing_work(session, bank, users):
    ann = users[0]
    weak, retired = bank["questions"][:2]
    for question in (weak, retired):
        attempt, _ = practise(session, ann, question, 30, NOW - timedelta(days=1))
        at(session, attempt, NOW - timedelta(days=1))
    retired.retired_at = NOW
    session.flush()
    figures = progress.figures(session, user=ann, now=NOW)
    assert [w["question_id"] for w in figures["needs_work"]] == [weak.id]
    assert figures["totals"]["attempts"] == 2  # its attempts still count in the history


def test_a_question_whose_time_ran_out_in_a_mock_counts_0_as_in_the_mock_report_and_review(session, bank, users):
    """Nothing written when the time ran out: no answer is kept, but the mock's report scores the question 0 and
    review brings it back; progress counts it the same, a try at 0 with every point missed (`ran_out`), until
    it is answered again."""
    from rehearse.mock import service as mocks

    ann = users[0]
    mock = mocks.create(session, user=ann, role=str(bank["role"].id), count=1, seconds=60, follow_ups=False, seed=3)
    item = mocks.current_item(mock)
    mocks.start_clock(session, item, now=NOW - timedelta(days=1, minutes=1))
    points = tuple(item.question.talking_points)
    mocks.record_answer(session, user=ann, mock=mock, item=item, answer="", timed_out=True,
                        report=fake_report(0, points=points, covered=(False,) * len(points)),
                        now=NOW - timedelta(days=1))
    [competency] = item.question.competency_names
    assert mock.summary["competencies"] == [{"competency": competency, "score": 0, "questions": 1}]

    figures = progress.figures(session, user=ann, now=NOW)
    assert figures["coverage_by_competency"] == [
        {"competency": competency, "attempts": 0, "ran_out": 1, "coverage": 0.0, "mean_score": 0.0}]
    [row] = figures["needs_work"]
    assert (row["question_id"], row["last_score"], row["points_missed"]) == (item.question_id, 0, len(points))
    assert (row["ran_out"], row["last_attempt_id"], row["attempts"]) == (True, None, 0)
    assert row["due"] is not None  # review has it due, as /review shows
    assert (figures["weeks"][-1]["attempts"], figures["weeks"][-1]["ran_out"], figures["weeks"][-1]["mean_score"]) \
        == (0, 1, 0.0)
    assert (figures["totals"]["attempts"], figures["totals"]["ran_out"]) == (0, 1)
    assert figures["totals"]["mean_score_30_days"] == 0.0
    assert charts_for(figures)["coverage"] is not None and charts_for(figures)["score"] is not None

    attempt, when = practise(session, ann, item.question, 80, NOW)  # answered since: its latest try is that
    at(session, attempt, when)
    figures = progress.figures(session, user=ann, now=NOW)
    assert figures["needs_work"] == []
    assert figures["coverage_by_competency"] == [
        {"competency": competency, "attempts": 1, "ran_out": 1, "coverage": round(1 / 6, 3), "mean_score": 40.0}]
