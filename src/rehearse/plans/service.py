"""Prep plan use cases: from a pasted job posting to the role that fits and the questions to practise,
ordered by relevance and by the user's weakest competencies; the plan feeds the review queue and a mock.

Every read takes the user and filters by it: a plan is its owner's alone.
"""

from __future__ import annotations

import logging
import threading
from collections import defaultdict
from statistics import mean
from typing import Any

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from rehearse.accounts.models import User
from rehearse.bank.models import Question, Role, utcnow

from . import match, vectors
from .models import PrepPlan

log = logging.getLogger("rehearse.plans")
MIN_POSTING, MAX_POSTING = 80, 30_000  # characters: a few lines at least; a long posting is about 10,000
PLAN_SIZE = 25  # questions kept in a plan
ROLE_TOP = 5  # a role fits by the mean relevance of its five most relevant questions
UNKNOWN_WEAKNESS = 0.5  # a competency the user has not practised counts as half weak


class PlanRejected(ValueError):
    def __init__(self, message: str, status: int = 422):
        self.status = status
        super().__init__(message)


def check_posting(posting: str) -> str:
    text = posting.strip()
    if len(posting) > MAX_POSTING:
        raise PlanRejected(f"The posting is {len(posting):,} characters long; the limit is {MAX_POSTING:,}. "
                           "Paste the description and the responsibilities, not the whole page.", 413)
    if "\x00" in text:
        raise PlanRejected("The posting contains a NUL character; paste plain text.", 400)
    if len(text) < MIN_POSTING or not match.phrases(text):
        raise PlanRejected(f"Paste the job posting: at least {MIN_POSTING} characters, with its responsibilities.")
    return text


def _encoder(backend: str):
    """The feedback engine's sentence encoder, or None when it cannot be loaded."""
    try:
        from rehearse import feedback

        return feedback.load_backend(backend)
    except Exception:  # noqa: BLE001 - without vectors the plan is made from shared job terms alone
        log.exception("prep plan: sentence vectors unavailable, matching job terms only")
        return None


def _vectors(session: Session, phrases: list[str], questions: list[str], backend: str
             ) -> tuple[np.ndarray | None, np.ndarray | None, str]:
    """Vectors of the posting's phrases and of the questions (stored ones read back), and what made them."""
    encoder = _encoder(backend)
    if encoder is None:
        return None, None, "job terms only"
    try:
        phrase_vectors = np.asarray(encoder.encode_cached(phrases), dtype=np.float32)
        return phrase_vectors, vectors.for_texts(session, encoder, questions), str(encoder.info().get("backend"))
    except Exception:  # noqa: BLE001 - as above: the plan is still made, from job terms
        log.exception("prep plan: sentence vectors unavailable, matching job terms only")
        return None, None, "job terms only"


def _documents(questions) -> list[str]:
    """What a question's job terms are taken from: its text, intent and talking points."""
    return [" ".join(filter(None, [q.text, q.intent or "", "; ".join(q.talking_points)])) for q in questions]


def warm(database, *, backend: str) -> int:
    """Get a process ready to plan: store the vectors of questions that have none yet, and read every
    question's job terms once so that their stems are cached. Returns how many questions were encoded."""
    encoder = _encoder(backend)
    encoded = vectors.warm(database, encoder) if encoder is not None else 0
    with database.transaction() as session:
        for document in _documents(session.scalars(select(Question))):
            match.terms(document)
    return encoded


_warming = threading.Lock()
_running: set[tuple[str, str]] = set()


def warm_in_background(database, *, backend: str) -> threading.Thread | None:
    """Run `warm` in a daemon thread, unless one is already running for this database and backend.

    Called at start, when the plan page opens and after a plan is made: pasting a posting takes longer
    than encoding a few hundred questions, and once stored a vector serves every process.
    """
    key = (database.url, backend)
    with _warming:
        if key in _running:
            return None
        _running.add(key)

    def run() -> None:
        try:
            encoded = warm(database, backend=backend)
            if encoded:
                log.info("prep plan: %d question vectors encoded and stored", encoded)
        except Exception:  # noqa: BLE001 - warming is an optimisation; a plan still works without it
            log.exception("prep plan: could not get the questions ready ahead of time")
        finally:
            with _warming:
                _running.discard(key)

    thread = threading.Thread(target=run, daemon=True, name="rehearse-plan-warm")
    thread.start()
    return thread


def weakness_by_competency(session: Session, *, user: User) -> dict[str, float]:
    """1 − the share of talking points the user covered, per competency they have practised."""
    from rehearse.progress.service import coverage_by_competency

    return {c["competency"]: 1.0 - c["coverage"] for c in coverage_by_competency(session, user=user)
            if c["coverage"] is not None}


def make(session: Session, *, user: User, posting: str, backend: str = "auto") -> PrepPlan:
    """Match the posting against every question of every bank, pick the role, order the plan, keep it."""
    return store(session, user=user, planned=compute(session, user=user, posting=posting, backend=backend))


def store(session: Session, *, user: User, planned: dict[str, Any]) -> PrepPlan:
    plan = PrepPlan(user_id=user.id, created_at=utcnow(), **planned)
    session.add(plan)
    session.flush()
    return plan


def compute(session: Session, *, user: User, posting: str, backend: str = "auto") -> dict[str, Any]:
    """The plan for a posting (reads only; the matching itself needs no database)."""
    posting = check_posting(posting)
    questions = session.scalars(select(Question).options(selectinload(Question.competencies))
                                .order_by(Question.id)).all()
    if not questions:
        raise PlanRejected("There are no questions to plan with; import a bank first.", 409)
    cut = match.phrases(posting)
    texts = _documents(questions)
    question_texts = [q.text for q in questions]
    phrase_vectors, question_vectors, measure = _vectors(session, cut, question_texts, backend)
    matches = match.match(cut, phrase_vectors, question_texts, question_vectors, match.terms(posting),
                          [match.terms(t) for t in texts])
    by_role: dict[int, list[float]] = defaultdict(list)
    for m in matches:
        by_role[questions[m.index].role_id].append(m.relevance)
    first_line = next((line.strip() for line in posting.splitlines() if line.strip()), "Job posting")
    # the role the posting's title names, else the one whose questions fit it best
    role_id = match.role_in_title(first_line, {r.id: r.name for r in session.scalars(
        select(Role).where(Role.id.in_(by_role)))}) or max(
        by_role, key=lambda r: (mean(sorted(by_role[r], reverse=True)[:ROLE_TOP]), -r))
    written = match.written_forms(posting)
    weak = weakness_by_competency(session, user=user)
    kept = matches[:PLAN_SIZE]

    def weakness(question: Question) -> float:
        names = question.competency_names or ["general"]
        return max(weak.get(n, UNKNOWN_WEAKNESS) for n in names)

    weakness_of = [weakness(questions[m.index]) for m in kept]
    items = []
    for position in match.order([m.relevance for m in kept], weakness_of):
        m = kept[position]
        q = questions[m.index]
        items.append({"question_id": q.id, "relevance": m.relevance, "meaning": m.meaning, "phrase": m.phrase,
                      "terms": [written.get(t, t) for t in m.shared_terms], "weakness": round(weakness_of[position], 3),
                      "competencies": q.competency_names, "measure": measure})
    role = session.get(Role, role_id)
    return {"title": f"{first_line[:120]} — {role.name}"[:200], "posting": posting, "role_id": role_id,
            "items": items}


def get(session: Session, *, user: User, plan_id: int) -> PrepPlan | None:
    return session.scalar(select(PrepPlan).where(PrepPlan.id == plan_id, PrepPlan.user_id == user.id))


def get_or_404(session: Session, *, user: User, plan_id: int) -> PrepPlan:
    plan = get(session, user=user, plan_id=plan_id)
    if plan is None:
        raise PlanRejected(f"You have no prep plan with id {plan_id}.", 404)
    return plan


def list_plans(session: Session, *, user: User) -> list[PrepPlan]:
    return list(session.scalars(select(PrepPlan).where(PrepPlan.user_id == user.id)
                                .order_by(PrepPlan.created_at.desc(), PrepPlan.id.desc())))


def questions_of(session: Session, plan: PrepPlan) -> dict[int, Question]:
    ids = [item["question_id"] for item in plan.items]
    return {q.id: q for q in session.scalars(select(Question).where(Question.id.in_(ids))
                                             .options(selectinload(Question.role)))}


def to_review(session: Session, *, user: User, plan_id: int) -> int:
    """Put the plan's questions in the review queue, due now (those already there keep their schedule)."""
    from rehearse.review import service as review

    plan = get_or_404(session, user=user, plan_id=plan_id)
    present = questions_of(session, plan)
    return sum(review.ensure_card(session, user_id=user.id, question_id=item["question_id"])
               for item in plan.items if item["question_id"] in present)


def start_mock(session: Session, *, user: User, plan_id: int, count: int = 5, seconds: int = 180):
    """A mock interview of the plan's first questions, in the plan's order."""
    from rehearse.mock import service as mocks

    plan = get_or_404(session, user=user, plan_id=plan_id)
    present = questions_of(session, plan)
    ids = [item["question_id"] for item in plan.items if item["question_id"] in present]
    if not ids:
        raise PlanRejected("None of the plan's questions exist any more.", 409)
    try:
        return mocks.create(session, user=user, question_ids=ids[:count], count=min(count, len(ids)),
                            seconds=seconds, title=f"Mock interview: {plan.title}"[:300])
    except mocks.MockRejected as error:
        raise PlanRejected(str(error), error.status) from None


def plan_view(session: Session, plan: PrepPlan) -> list[dict[str, Any]]:
    present = questions_of(session, plan)
    return [{**item, "question": present[item["question_id"]].text, "role": present[item["question_id"]].role.name}
            for item in plan.items if item["question_id"] in present]
