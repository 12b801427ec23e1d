"""An import says what it changed above the questions: a bank's source, licence or description, a role's name or
description, a new role; a new licence over accepted suggestions is a warning (SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import replace

from rehearse.accounts import service as accounts
from rehearse.bank import service as bank
from rehearse.community import service as community
from rehearse.formats import BankDoc, QuestionDoc, RoleDoc

QUESTION = QuestionDoc(text="Explain a p-value to a product manager.", slug="ds-p-value",
                       talking_points=("what it measures", "what it does not"), example_answer="It is a chance.")
BANK = BankDoc(name="Coach DS Bank", source="Lena", licence="CC-BY-NC-4.0", description="Data questions.",
               roles=(RoleDoc(name="Data Scientist", slug="data-scientist", questions=(QUESTION,)),))


def test_a_new_bank_lists_no_changes(session):
    assert bank.import_bank(session, BANK).changes == []


def test_a_changed_licence_source_and_description_are_listed(session):
    bank.import_bank(session, BANK)
    summary = bank.import_bank(session, replace(BANK, licence="CC-BY-SA-4.0", source="Lena Ortiz",
                                                description="Data science questions."))
    assert summary.changes == ["bank coach-ds-bank: source 'Lena' -> 'Lena Ortiz'",
                               "bank coach-ds-bank: licence 'CC-BY-NC-4.0' -> 'CC-BY-SA-4.0'",
                               "bank coach-ds-bank: description changed"]
    assert summary.warnings == []  # no one contributed under the old licence


def test_a_new_licence_over_accepted_suggestions_is_a_warning(session):
    bank.import_bank(session, BANK)
    question = bank.get_question(session, "ds-p-value")
    author = accounts.create_user(session, email="a@example.com", password="a long enough password")
    editor = accounts.create_user(session, email="e@example.com", password="a long enough password", role="editor")
    suggestion = community.suggest_edit(session, user=author, question_id=question.id, reason="clearer",
                                        accept_licence=True, example_answer="It is the chance of data this odd.")
    community.accept(session, editor=editor, suggestion_id=suggestion.id)
    [warning] = bank.import_bank(session, replace(BANK, licence="CC-BY-SA-4.0"), file="ds.md").warnings
    assert warning.file == "ds.md"
    assert "changed from CC-BY-NC-4.0 to CC-BY-SA-4.0, but 1 contributor(s) gave their accepted suggestions " \
           "under CC-BY-NC-4.0" in warning.message


def test_a_role_heading_typo_that_renames_a_role_or_makes_a_new_one_is_listed(session):
    bank.import_bank(session, BANK)
    typo = replace(BANK, roles=(replace(BANK.roles[0], name="Role Data Scientist"),))
    assert bank.import_bank(session, typo).changes == [
        "role data-scientist: name 'Data Scientist' -> 'Role Data Scientist'"]
    no_slug = replace(BANK, roles=(replace(BANK.roles[0], name="Role Analyst", slug=None),))
    assert bank.import_bank(session, no_slug).changes == ["bank coach-ds-bank: new role 'Role Analyst' (role-analyst)"]


def test_a_file_that_drops_its_example_answer_is_told_the_answer_is_kept(session):
    bank.import_bank(session, BANK)
    dropped = replace(BANK, roles=(replace(BANK.roles[0], questions=(replace(QUESTION, example_answer=None),)),))
    summary = bank.import_bank(session, dropped)
    assert (summary.unchanged, summary.kept_answers) == (1, ["ds-p-value"])
    assert bank.current_example_answer(session, bank.get_question(session, "ds-p-value").id) == "It is a chance."
    assert bank.import_bank(session, dropped).kept_answers == []  # said once, when the file drops it
