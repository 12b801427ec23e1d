"""Export a stored bank, import the file again: the same bank, and nothing changes."""

import pytest
from hypothesis import HealthCheck, given, settings
from tests.strategies import banks

from rehearse.bank import service
from rehearse.formats import read_text, write


@pytest.mark.parametrize("format", ["json", "yaml", "markdown", "csv"])
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bank=banks())
def test_export_then_import_gives_the_same_bank(session, format, bank):
    nested = session.begin_nested()
    try:
        service.import_bank(session, bank)
        [exported] = [doc for doc in service.export_bank(session) if doc.name == bank.name]
        file_text = write(exported, format).decode("utf-8")
        summary = service.import_bank(session, read_text(file_text, file=f"x.{format}", format=format).bank)
        assert (summary.created, summary.updated) == (0, 0)
        [again] = [doc for doc in service.export_bank(session) if doc.name == bank.name]
        assert again == exported
        assert [q.text for r in again.roles for q in r.questions] == [q.text for r in bank.roles for q in r.questions]
    finally:
        nested.rollback()


def test_a_page_export_imported_again_updates_the_same_bank_and_questions(session):
    """The page format has no slugs, kinds or competencies: its bank header names the bank, and each
    question is the stored one of the same text in its role."""
    from rehearse.bank.builtin import read_builtin

    nested = session.begin_nested()
    try:
        [builtin] = [result.bank for result in read_builtin()][:1]
        service.import_bank(session, builtin)
        [exported] = [doc for doc in service.export_bank(session) if doc.name == builtin.name]
        file_text = write(exported, "page").decode("utf-8")
        summary = service.import_bank(session, read_text(file_text, file="/tmp/export.txt", format="page").bank)
        assert (summary.banks, summary.created, summary.updated) == ([builtin.name], 0, 0)
        [again] = [doc for doc in service.export_bank(session) if doc.name == builtin.name]
        assert again == exported
    finally:
        nested.rollback()


def test_a_page_export_imported_again_changes_nothing_when_a_role_slug_is_not_its_names(session):
    """A role stored as 'sre' came back from its page as a second role, 'site-reliability-engineer', with a copy
    of each question; a hard-wrapped intent came back on one line (a new revision), and the intro the export
    writes for a role without a description became its description."""
    from rehearse.formats import BankDoc, QuestionDoc, RoleDoc

    nested = session.begin_nested()
    try:
        review = QuestionDoc(text="How do you run an incident review?", slug="incident-review", kind="other",
                             competencies=("incidents",), example_answer="I write the timeline first.",
                             intent="Employers ask this to see how you learn\nfrom failure. In your answer, cover "
                                    "the timeline, the causes, and the follow-ups.")
        backfill = QuestionDoc(text="How would you backfill a table?", slug="backfill", kind="other",
                               competencies=("data",), intent="Interviewers want to know how you plan\n"
                               "destructive changes.", talking_points=("batches", "idempotence"),
                               example_answer="In batches.")
        service.import_bank(session, BankDoc(name="Ops bank", roles=(
            RoleDoc(name="Site Reliability Engineer", slug="sre", description="Keeps it up.", questions=(review,)),
            RoleDoc(name="Data Engineer", questions=(backfill,)))))
        [exported] = [doc for doc in service.export_bank(session) if doc.name == "Ops bank"]
        file_text = write(exported, "page").decode("utf-8")
        summary = service.import_bank(session, read_text(file_text, file="p.txt", format="page").bank)
        assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 2)
        [again] = [doc for doc in service.export_bank(session) if doc.name == "Ops bank"]
        assert again == exported
        assert [(role.slug, role.description) for role in again.roles] == [("sre", "Keeps it up."),
                                                                           ("data-engineer", None)]
    finally:
        nested.rollback()


@pytest.mark.parametrize("format", ["json", "yaml", "markdown", "csv", "page"])
def test_a_bank_that_holds_a_question_twice_exports_files_that_import_unchanged(session, format):
    """An older database may hold one question twice in a role (two identical suggested questions were both
    accepted, as '…-postmortem' and '…-postmortem-2'); its exports import again, into it, unchanged."""
    from rehearse.bank.models import Question, QuestionCompetency
    from rehearse.community import service as community
    from rehearse.formats import BankDoc, QuestionDoc, RoleDoc

    nested = session.begin_nested()
    try:
        question = QuestionDoc(text="How do you run a blameless postmortem?", slug="postmortem",
                               intent="Employers ask this to see learning.", talking_points=("the timeline",),
                               example_answer="I write it up within two days.")
        service.import_bank(session, BankDoc(name="Twins bank", source="twins.json", roles=(
            RoleDoc(name="R", description="Runs postmortems.", questions=(question,)),)))
        first = service.get_question(session, "postmortem")
        twin = Question(bank_id=first.bank_id, role_id=first.role_id, slug="postmortem-2", text=first.text,
                        kind=first.kind, position=1, intent=first.intent, talking_points=["the timeline"],
                        talking_points_source="editor", search_document="")
        session.add(twin)
        session.flush()
        session.add_all(QuestionCompetency(question_id=twin.id, name=name, position=index)
                        for index, name in enumerate(first.competency_names))
        community.write_revision(session, twin, community.Snapshot(0, None, None, ()), {
            "example_answer": "Another answer.", "intent": first.intent, "talking_points": ["the timeline"]},
            author_id=None, source="suggestion", note="Accepted before repeats were refused.")
        [exported] = [doc for doc in service.export_bank(session) if doc.name == "Twins bank"]
        result = read_text(write(exported, format).decode("utf-8"), file=f"x.{format}", format=format)
        summary = service.import_bank(session, result.bank)
        assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 2)
        [again] = [doc for doc in service.export_bank(session) if doc.name == "Twins bank"]
        assert again == exported
    finally:
        nested.rollback()
