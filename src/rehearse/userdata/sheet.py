"""A printable prep sheet for a role: your best answer to each question you practised, the talking
points you tend to miss, and your stories. HTML for the screen, PDF through WeasyPrint."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rehearse.accounts.models import User
from rehearse.bank.models import Question, Role
from rehearse.mock import service as mocks
from rehearse.mock.summary import missed_with_follow_up
from rehearse.practice.models import Attempt
from rehearse.stories.models import Story

MOST_MISSED = 10  # talking points listed under "you tend to miss"


def sheet(session: Session, *, user: User, role: Role) -> dict[str, Any]:
    questions = session.scalars(select(Question).where(Question.role_id == role.id)
                                .order_by(Question.position, Question.id)).all()
    by_id = {q.id: q for q in questions}
    attempts = session.scalars(select(Attempt).where(Attempt.user_id == user.id,
                                                     Attempt.question_id.in_(list(by_id)))
                               .order_by(Attempt.id)).all()
    # An answer given in a mock is judged with its follow-up, as the mock's report judges it: a point the
    # follow-up covered was given once asked, not missed.
    asked = mocks.follow_up_reports(session, attempt_ids=[a.id for a in attempts])
    best: dict[int, Attempt] = {}
    missed: Counter[tuple[int, str]] = Counter()
    tries: Counter[int] = Counter()
    for attempt in attempts:
        tries[attempt.question_id] += 1
        if attempt.question_id not in best or attempt.score > best[attempt.question_id].score:
            best[attempt.question_id] = attempt
        for point in missed_with_follow_up(attempt.report, asked.get(attempt.id)):
            missed[(attempt.question_id, point)] += 1
    competencies = {name for q in questions for name in q.competency_names}
    stories = session.scalars(select(Story).where(Story.user_id == user.id).order_by(Story.title)).all()
    stories = sorted(stories, key=lambda s: (not set(s.competencies) & competencies, s.title.lower()))
    return {
        "role": role,
        "answers": [{"question": q, "attempt": best[q.id], "tries": tries[q.id],
                     **_points_of(best[q.id], asked.get(best[q.id].id))}
                    for q in questions if q.id in best],
        "unpractised": [q for q in questions if q.id not in best],
        "missed": [{"question": by_id[qid], "point": point, "times": times, "tries": tries[qid]}
                   for (qid, point), times in missed.most_common(MOST_MISSED)],
        "stories": stories,
    }


class PdfUnavailable(RuntimeError):
    """WeasyPrint (the `pdf` extra) or its system libraries are missing here."""


def _points_of(attempt: Attempt, follow_up: dict[str, Any] | None = None) -> dict[str, list[str]]:
    """The talking points the best answer covered, those its mock follow-up covered once asked, and those it
    missed, by their reports: listed all together as "points:", a missed one read as covered."""
    points = attempt.report.get("talking_points") or ()
    missed = missed_with_follow_up(attempt.report, follow_up)
    return {"covered": [p.get("point", "") for p in points if p.get("covered")],
            "when_asked": [p.get("point", "") for p in points if not p.get("covered") and p.get("point", "")
                           not in missed],
            "missed": missed}


def to_pdf(html: str, *, stylesheet: str) -> bytes:
    """The prep sheet as PDF (offline: WeasyPrint fetches nothing; the page has no external resource).

    Tagged as PDF/UA-1, so that a screen reader reads it as the page reads: headings, lists and
    paragraphs in order, in the page's language, under its title (an untagged PDF is one run of text)."""
    try:
        from weasyprint import CSS, HTML
    except (ImportError, OSError) as error:  # OSError: Pango is missing
        raise PdfUnavailable(f"PDF needs WeasyPrint (pip install 'rehearse[pdf]'): {error}") from None
    return HTML(string=html).write_pdf(stylesheets=[CSS(string=stylesheet)], pdf_variant="pdf/ua-1")
