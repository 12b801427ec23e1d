"""Scoring pending suggestions again when their question gets a new revision.

A suggestion's engine report is measured against the talking points of the revision it was scored on
(its `revision` key; reports from before it was kept say nothing and were scored on the suggestion's base
revision). Once an editor accepts another edit or reverts, the question's points may differ, so each
pending suggestion of the question is scored again against the current revision (what accepting it would
store: its change merged onto that revision), by a `community-rescore` job: the engine takes ~0.3 s an
answer, which no page of the queue can wait for. Until the job has run, the queue and the suggestion say
which revision their figures refer to. A suggestion whose change conflicts with the current revision
keeps its report: there is no merged text to score until an editor edits it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from rehearse.bank.models import utcnow

from .models import Suggestion
from .revisions import current, merge_onto, question_or_404
from .rules import Conflict, NotFound
from .suggestions import compact_report, engine_input, proposed_values, scored_revision

KIND = "community-rescore"


def _behind(session: Session, question_id: int, revision: int) -> list[Suggestion]:
    """The question's pending edits whose report was scored against another revision than `revision`."""
    pending = session.scalars(select(Suggestion).where(
        Suggestion.kind == "edit", Suggestion.question_id == question_id, Suggestion.status == "pending",
        Suggestion.report.is_not(None)).order_by(Suggestion.id))
    return [s for s in pending if scored_revision(s.report, s.base_revision) != revision]


def rescore_later(session: Session, *, question_id: int, now: datetime | None = None) -> None:
    """Queue a re-score of the question's pending suggestions (in the caller's transaction), when any is
    behind the current revision."""
    from rehearse.jobs import service as jobs

    if _behind(session, question_id, current(session, question_id).revision):
        jobs.enqueue(session, kind=KIND, payload={"question_id": question_id}, now=now or utcnow())


def rescore_imported_later(session: Session, question_ids: Iterable[int], now: datetime | None = None) -> None:
    """Queue re-scores for the questions a bank import wrote (in its transaction): a file that changed the
    talking points leaves pending suggestions scored against the points before it."""
    for question_id in sorted(set(question_ids)):
        rescore_later(session, question_id=question_id, now=now)


@dataclass(frozen=True)
class Rescore:
    """One suggestion to score again: against which revision, the engine's input, and with which backend."""

    suggestion_id: int
    revision: int
    prepared: Any  # practice.scoring.PreparedQuestion
    answer: str
    backend: str


def plan(session: Session, question_id: int) -> list[Rescore]:
    """What to score: each pending suggestion behind the current revision, merged onto it."""
    try:
        question = question_or_404(session, question_id)
    except NotFound:  # deleted since the job was queued: its suggestions went with it
        return []
    now = current(session, question_id)
    work = []
    for suggestion in _behind(session, question_id, now.revision):
        base, proposed = proposed_values(session, suggestion)
        try:
            values = merge_onto(base, proposed, now) if base.revision != now.revision else proposed
        except Conflict:
            continue  # an editor edits it first; its report stays, labelled with its revision
        if not values.get("example_answer"):
            continue
        prepared, answer = engine_input(session, question, values)
        # The backend that scored it first, so the figures compare (a lexical score is not an e5 one).
        backend = (suggestion.report.get("engine") or {}).get("backend") or "auto"
        work.append(Rescore(suggestion.id, now.revision, prepared, answer, backend))
    return work


def score(work: list[Rescore]) -> list[tuple[Rescore, dict[str, Any]]]:
    """The reports (no database: call it with no transaction open)."""
    from rehearse.practice.queued_scoring import score_here

    return [(item, {**compact_report(score_here(item.prepared, item.answer, backend=item.backend)),
                    "revision": item.revision}) for item in work]


def store(session: Session, question_id: int, scored: list[tuple[Rescore, dict[str, Any]]]) -> int:
    """Keep each report whose suggestion is still pending and whose revision is still the current one (a
    newer revision has a job of its own); returns how many were kept."""
    if not scored:
        return 0
    revision = current(session, question_id).revision
    kept = 0
    for item, report in scored:
        suggestion = session.get(Suggestion, item.suggestion_id, with_for_update=True)
        if suggestion is not None and suggestion.status == "pending" and item.revision == revision:
            suggestion.report = report
            kept += 1
    session.flush()
    return kept


def rescore_now(session: Session, *, question_id: int, backend: str | None = None) -> int:
    """Score the question's suggestions again in this session (the CLI, tests); `backend` overrides each
    suggestion's own. Returns how many reports were replaced."""
    work = plan(session, question_id)
    if backend is not None:
        work = [Rescore(w.suggestion_id, w.revision, w.prepared, w.answer, backend) for w in work]
    return store(session, question_id, score(work))


def run_job(job) -> dict[str, Any]:
    """The worker's handler for `community-rescore` jobs: read, then score with no transaction open, then
    store what is still current."""
    question_id = int(job.payload["question_id"])
    with job.database.transaction() as session:
        work = plan(session, question_id)
    scored = score(work)
    with job.database.transaction(writes=True) as session:
        kept = store(session, question_id, scored)
    return {"question_id": question_id, "scored": len(scored), "kept": kept}
