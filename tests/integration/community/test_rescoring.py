"""A pending suggestion is scored again against the current revision's talking points once another edit
is accepted (or an editor reverts), by a background job; until it has run, its figures say which revision
they measure."""

from __future__ import annotations

from types import SimpleNamespace

from sqlalchemy import select

from rehearse.bank import service as bank
from rehearse.community import rescoring
from rehearse.community import service as community
from rehearse.community.schemas import QueueItemRead
from rehearse.db.database import Database
from rehearse.jobs.handlers import resolve
from rehearse.jobs.models import Job

from .conftest import ANSWER, POINTS, bank_doc

DIVERSITY = "how you keep diversity in the pipeline"
SHORTER = "I map the company's goals to three engineering bets and review them every quarter."


def scored_suggestion(session, author, question, **change):
    """A suggestion with its engine report, as the API and the pages store it (scored at the preview)."""
    preview = community.preview_edit(session, question_id=question.id, backend="lexical", **change)
    return community.suggest_edit(session, user=author, question_id=question.id, reason="Better.",
                                  accept_licence=True, report=preview.report, **change)


def queued(session, suggestion_id):
    items, _ = community.queue(session, limit=200)
    return QueueItemRead.of(next(item for item in items if item.id == suggestion_id))


def rescore_jobs(session, question_id):
    return [job for job in session.scalars(select(Job).where(Job.kind == rescoring.KIND))
            if job.payload == {"question_id": question_id}]


def accept_new_point_and_keep_a_shorter_answer_pending(session, question, author, voter, editor):
    """The tester's case: #1 adds a talking point and is accepted (revision 2); #2, a shorter answer, waits."""
    new_point = scored_suggestion(session, author, question, talking_points=[*POINTS, DIVERSITY])
    shorter = scored_suggestion(session, voter, question, example_answer=SHORTER)
    community.accept(session, editor=editor, suggestion_id=new_point.id)
    return shorter


def test_a_new_suggestions_report_says_the_revision_it_was_scored_against(session, question, author):
    suggestion = scored_suggestion(session, author, question, example_answer=SHORTER)
    item = queued(session, suggestion.id)
    assert item.scored_revision == item.current_revision == 1 and item.score is not None


def test_until_it_is_scored_again_a_stale_suggestions_score_names_the_older_revision(
        session, question, author, voter, editor):
    shorter = accept_new_point_and_keep_a_shorter_answer_pending(session, question, author, voter, editor)
    item = queued(session, shorter.id)
    assert item.stale and item.current_revision == 2
    assert item.scored_revision == 1 and DIVERSITY not in item.missed_points
    assert len(rescore_jobs(session, question.id)) == 1  # queued with the acceptance


def test_scored_again_it_is_measured_against_the_current_points(session, question, author, voter, editor):
    shorter = accept_new_point_and_keep_a_shorter_answer_pending(session, question, author, voter, editor)
    assert rescoring.rescore_now(session, question_id=question.id) == 1
    item = queued(session, shorter.id)
    assert item.scored_revision == 2 and DIVERSITY in item.missed_points
    view = community.view_suggestion(session, shorter.id)
    assert view.scored_revision == 2
    assert [p["point"] for p in view.suggestion.report["talking_points"]] == [*POINTS, DIVERSITY]
    assert view.suggestion.report["engine"]["backend"] == "lexical"  # scored as it was first
    assert rescoring.rescore_now(session, question_id=question.id) == 0  # up to date: nothing to do


def test_a_revert_queues_a_rescore_back_to_the_restored_points(session, question, author, voter, editor):
    shorter = accept_new_point_and_keep_a_shorter_answer_pending(session, question, author, voter, editor)
    rescoring.rescore_now(session, question_id=question.id)
    community.revert(session, editor=editor, question_id=question.id, to_revision=1, reason="Not a point.")
    assert len(rescore_jobs(session, question.id)) == 2
    rescoring.rescore_now(session, question_id=question.id)
    item = queued(session, shorter.id)
    assert item.scored_revision == 3 and DIVERSITY not in item.missed_points


def test_a_conflicting_stale_suggestion_keeps_its_report_labelled_with_its_revision(session, question, author,
                                                                                    voter, editor):
    first = scored_suggestion(session, author, question, example_answer=ANSWER.replace("three", "two"))
    rival = scored_suggestion(session, voter, question, example_answer=ANSWER.replace("three", "four"))
    community.accept(session, editor=editor, suggestion_id=first.id)
    assert rescoring.rescore_now(session, question_id=question.id) == 0
    assert queued(session, rival.id).scored_revision == 1


def test_nothing_is_queued_when_no_pending_suggestion_is_behind(session, question, author, editor):
    community.accept(session, editor=editor, suggestion_id=scored_suggestion(
        session, author, question, example_answer=SHORTER).id)
    assert rescore_jobs(session, question.id) == []


def test_a_report_scored_while_another_revision_was_accepted_is_not_kept(session, question, author, voter,
                                                                          editor):
    shorter = accept_new_point_and_keep_a_shorter_answer_pending(session, question, author, voter, editor)
    scored = rescoring.score(rescoring.plan(session, question.id))  # the job scores with no transaction open
    community.revert(session, editor=editor, question_id=question.id, to_revision=1, reason="Not a point.")
    assert rescoring.store(session, question.id, scored) == 0  # revision 3 has a job of its own
    assert queued(session, shorter.id).scored_revision == 1


def test_the_worker_runs_the_job_through_its_handler(own_database):
    """On a database of its own: the handler reads, scores with no transaction open, then writes."""
    from rehearse.accounts import service as accounts

    database = Database(own_database.url)
    database.upgrade()
    try:
        with database.transaction(writes=True) as session:
            bank.import_bank(session, bank_doc())
            question = bank.get_question(session, "strategy")
            people = [accounts.create_user(session, email=f"{name}@example.com", password="a long enough password",
                                           display_name=name, role=role)
                      for name, role in (("author", "candidate"), ("voter", "candidate"), ("editor", "editor"))]
            shorter = accept_new_point_and_keep_a_shorter_answer_pending(session, question, *people)
            question_id, shorter_id = question.id, shorter.id
        job = SimpleNamespace(payload={"question_id": question_id}, database=database)
        assert resolve(rescoring.KIND)(job) == {"question_id": question_id, "scored": 1, "kept": 1}
        with database.transaction() as session:
            assert queued(session, shorter_id).scored_revision == 2
    finally:
        database.dispose()


def test_an_import_that_changes_the_points_queues_a_rescore_of_pending_suggestions(session, question, author):
    """A bank file is the other way a question's points change: its pending suggestions are scored again."""
    suggestion = scored_suggestion(session, author, question, example_answer=SHORTER)
    summary = bank.ImportSummary()
    bank.import_bank(session, bank_doc(points=(*POINTS, DIVERSITY)), summary=summary)
    session.flush()
    assert question.id in summary.held and not rescore_jobs(session, question.id)
    rescoring.rescore_imported_later(session, summary.held)
    assert len(rescore_jobs(session, question.id)) == 1
    assert rescoring.rescore_now(session, question_id=question.id) == 1
    assert DIVERSITY in queued(session, suggestion.id).missed_points


def test_an_import_that_changes_nothing_queues_nothing(session, question, author):
    scored_suggestion(session, author, question, example_answer=SHORTER)
    summary = bank.ImportSummary()
    bank.import_bank(session, bank_doc(), summary=summary)
    rescoring.rescore_imported_later(session, summary.held)
    assert not rescore_jobs(session, question.id)
