"""Importing banks into a real database (SQLite and PostgreSQL): idempotent, revisioned, searchable."""

from dataclasses import replace

import pytest
from sqlalchemy import func, select

from rehearse.bank import service
from rehearse.bank.models import ExampleAnswer, Question
from rehearse.formats import BankDoc, QuestionDoc, RoleDoc, read_path, read_text

BANK = BankDoc(
    name="Test leadership bank",
    licence="CC-BY-4.0",
    roles=(RoleDoc(name="Engineering Manager", questions=(
        QuestionDoc(text="How do you raise the hiring bar without slowing hiring?", kind="situational",
                    competencies=("hiring",),
                    intent="Interviewers ask this to see judgement. In your answer, describe the interview loop, "
                           "the rubric you use, and how you keep the process fast.",
                    example_answer="I run a four-stage loop with a written rubric and a one-week SLA."),
        QuestionDoc(text="Tell me about a time you handled a production incident.", kind="behavioural",
                    competencies=("incidents",), talking_points=("What broke", "What you changed afterwards"),
                    example_answer="Our payments queue stalled; I led the response and we added alerts."),
        QuestionDoc(text="How do you plan an engineering budget?", competencies=("budget",)),
    )),),
)


def snapshot(session):
    rows = session.execute(select(Question.slug, Question.text, Question.talking_points, Question.kind)
                           .order_by(Question.slug)).all()
    revisions = session.scalar(select(func.count()).select_from(ExampleAnswer))
    return [tuple(row) for row in rows], revisions


def test_import_creates_questions_with_points_from_the_guidance(session):
    summary = service.import_bank(session, BANK)
    assert (summary.created, summary.updated, summary.unchanged) == (3, 0, 0)
    question = service.get_question(session, "hiring bar")
    assert question.talking_points == ["the interview loop", "the rubric you use", "how you keep the process fast"]
    assert question.talking_points_source == "intent"
    assert question.competency_names == ["hiring"]
    assert service.current_example_answer(session, question.id).startswith("I run a four-stage loop")


def test_a_reimport_says_which_questions_changed_and_which_only_moved(session):
    """"1 updated" named nothing, and a file whose questions only changed order counted them all as updated."""
    service.import_bank(session, BANK)
    first, second, third = BANK.roles[0].questions
    edited = replace(second, example_answer="A different answer, with a two-week plan.")
    summary = service.import_bank(session, _with_questions(BANK, edited, first, third))
    assert (summary.created, summary.updated, summary.moved, summary.unchanged) == (0, 1, 1, 1)
    [(slug, fields)] = summary.updates
    assert slug == service.get_question(session, second.text).slug and fields == ("example answer",)


def test_points_listed_in_the_file_win_over_the_guidance(session):
    service.import_bank(session, BANK)
    question = service.get_question(session, "production incident")
    assert (question.talking_points, question.talking_points_source) == (
        ["What broke", "What you changed afterwards"], "file")


def test_reimporting_the_same_bank_changes_nothing(session):
    service.import_bank(session, BANK)
    before = snapshot(session)
    summary = service.import_bank(session, BANK)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 3)
    assert snapshot(session) == before


def test_an_edited_example_answer_becomes_a_new_revision_and_the_old_one_is_kept(session):
    service.import_bank(session, BANK)
    role = BANK.roles[0]
    edited = replace(role.questions[0], example_answer="A better answer with a two-week hiring SLA.")
    summary = service.import_bank(session, replace(BANK, roles=(replace(role, questions=(edited, *role.questions[1:])),)))
    assert summary.updated == 1
    question = service.get_question(session, "hiring bar")
    texts = session.scalars(select(ExampleAnswer.text).where(ExampleAnswer.question_id == question.id)
                            .order_by(ExampleAnswer.revision)).all()
    assert texts == ["I run a four-stage loop with a written rubric and a one-week SLA.",
                     "A better answer with a two-week hiring SLA."]


def test_an_editors_talking_points_survive_a_reimport(session):
    service.import_bank(session, BANK)
    question = service.get_question(session, "hiring bar")
    question.talking_points, question.talking_points_source = ["Editor's point"], "editor"
    session.flush()
    service.import_bank(session, BANK)
    session.expire_all()
    assert service.get_question(session, "hiring bar").talking_points == ["Editor's point"]


def test_search_ranks_the_hiring_question_first(session):
    service.import_bank(session, BANK)
    results = service.search(session, "hiring bar")
    assert results[0].text.startswith("How do you raise the hiring bar")


def test_search_finds_words_by_their_stem_and_ignores_punctuation(session):
    service.import_bank(session, BANK)
    assert [q.slug for q in service.search(session, "incidents!")][:1] == [
        "tell-me-about-a-time-you-handled-a-production-incident"]
    assert service.search(session, "   ") == []
    assert [q.slug for q in service.search(session, 'hiring" AND OR (')][:1] == [
        "how-do-you-raise-the-hiring-bar-without-slowing-hiring"]


def test_questions_filter_by_role_competency_and_text(session):
    service.import_bank(session, BANK)
    assert [q.competency_names for q in service.list_questions(session, competency="incidents")] == [["incidents"]]
    assert len(service.list_questions(session, role="engineering-manager")) == 3
    assert [q.slug for q in service.list_questions(session, query="budget")] == [
        "how-do-you-plan-an-engineering-budget"]


def test_question_references_resolve_by_id_slug_or_unique_text(session):
    service.import_bank(session, BANK)
    question = service.get_question(session, "budget")
    assert service.get_question(session, str(question.id)).id == question.id
    assert service.get_question(session, question.slug).id == question.id
    with pytest.raises(service.QuestionNotFound, match="several"):
        service.get_question(session, "How do you")
    with pytest.raises(service.QuestionNotFound, match="no question matches"):
        service.get_question(session, "quantum knitting")
    # a number is an id, never a fragment of a question's text
    with pytest.raises(service.QuestionNotFound, match="no question with id 0"):
        service.get_question(session, "0")


def test_export_then_import_into_an_empty_database_gives_the_same_bank(session):
    service.import_bank(session, BANK)
    [exported] = service.export_bank(session)
    assert exported.roles[0].questions[0].talking_points == (
        "the interview loop", "the rubric you use", "how you keep the process fast")
    assert exported.question_count == 3


def test_the_external_question_tree_imports_117_questions_with_key_points(session):
    from tests.conftest import require_shared

    result = read_path(require_shared("external", "chitamoor-interview-prep"))
    summary = service.import_bank(session, result.bank)
    assert summary.created == 117
    questions = service.list_questions(session, bank="chitamoor-interview-prep")
    assert all(len(q.talking_points) >= 2 for q in questions)
    assert "hiring-and-team-building" in {c for q in questions for c in q.competency_names}


def test_a_csv_without_the_talking_points_column_keeps_the_points_already_stored(session):
    """A missing column gives no value; an empty cell in a present column means "derive from the intent"."""
    full = ("bank,role,slug,text,intent,talking_points,example_answer\n"
            "B,R,rota,How do you build a rota?,\"Fairness. In your answer, cover it.\","
            "fairness | coverage | budget,I publish it early.\n")
    service.import_bank(session, read_text(full, file="b.csv", format="csv").bank)
    without = 'bank,role,slug,text,intent\nB,R,rota,How do you build a rota?,"Fairness. In your answer, cover it."\n'
    result = read_text(without, file="b.csv", format="csv")
    summary = service.import_bank(session, result.bank)
    question = service.get_question(session, "rota")
    assert (summary.updated, summary.unchanged) == (0, 1)
    assert question.talking_points == ["fairness", "coverage", "budget"]
    assert service.current_example_answer(session, question.id) == "I publish it early."
    assert "talking_points" in str(result.warnings[0])
    empty_cell = without.replace("intent\n", "intent,talking_points\n").rstrip("\n") + ",\n"
    service.import_bank(session, read_text(empty_cell, file="b.csv", format="csv").bank)
    assert service.get_question(session, "rota").talking_points == ["it"]


def _with_questions(bank, *questions):
    return replace(bank, roles=(replace(bank.roles[0], questions=questions),))


def test_a_question_whose_slug_the_file_changed_is_matched_by_its_text_not_duplicated(session):
    named = _with_questions(BANK, *(replace(q, slug=f"q{n}") for n, q in enumerate(BANK.roles[0].questions)))
    service.import_bank(session, named)
    first, *rest = named.roles[0].questions
    reslugged = replace(first, slug="q0-renamed", text="  how do you RAISE the hiring bar without slowing hiring? ",
                        line=7)
    summary = service.import_bank(session, _with_questions(named, reslugged, *rest))
    assert (summary.created, summary.updated, summary.unchanged) == (0, 1, 2)
    assert summary.renamed == [(7, "q0", "q0-renamed")]
    slugs = session.scalars(select(Question.slug).where(Question.text.ilike("%hiring bar%"))).all()
    assert slugs == ["q0-renamed"]


def test_a_new_slug_is_a_new_question_when_the_old_slug_is_still_in_the_file(session):
    # The same text under two slugs the file gives is two questions (imported with a warning by the reader).
    named = _with_questions(BANK, replace(BANK.roles[0].questions[0], slug="q0"))
    service.import_bank(session, named)
    twin = replace(named.roles[0].questions[0], slug="q0-twin")
    summary = service.import_bank(session, _with_questions(named, named.roles[0].questions[0], twin))
    assert (summary.created, summary.renamed) == (1, [])


def test_a_role_given_without_a_slug_is_the_stored_role_of_that_name(session):
    """A page (or a CSV without role_slug) names a role but gives no slug: it is the bank's role of that
    name, whatever slug it was stored under, not a second role holding copies of its questions."""
    sre = replace(BANK, roles=(replace(BANK.roles[0], name="Site Reliability Engineer", slug="sre"),))
    service.import_bank(session, sre)
    without_slug = replace(sre, roles=(replace(sre.roles[0], name="site reliability  engineer", slug=None),))
    summary = service.import_bank(session, without_slug)
    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 3)
    assert {q.role.slug for q in service.list_questions(session, bank="test-leadership-bank")} == {"sre"}
