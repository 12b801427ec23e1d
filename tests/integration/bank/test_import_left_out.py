"""Questions a file no longer holds: listed by the import and kept, or retired with prune (attempts and history
kept); a bank whose name changed is the bank its question slugs are (SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import func, select

from rehearse.accounts import service as accounts
from rehearse.bank import service as bank
from rehearse.bank.models import Bank, ExampleAnswer
from rehearse.formats import BankDoc, FormatError, QuestionDoc, RoleDoc
from rehearse.mock import service as mocks
from rehearse.practice import service as practice

WHY = QuestionDoc(text="Why do you want to be a product manager?", slug="pm-why-product", competencies=("motivation",),
                  talking_points=("what draws you to the role",), example_answer="I like deciding what to build.")
PRICING = QuestionDoc(text="How would you price a new feature?", slug="pm-pricing", competencies=("pricing",),
                      talking_points=("value to the customer", "what competitors charge"))
ROADMAP = QuestionDoc(text="How do you decide what goes on the roadmap?", slug="pm-roadmap",
                      competencies=("prioritisation",), talking_points=("a named framework",))
TEAM = QuestionDoc(text="How do you run a design review?", slug="design-review", talking_points=("critique",))


def pm_bank(*questions: QuestionDoc, name: str = "Coach PM Bank") -> BankDoc:
    return BankDoc(name=name, licence="CC-BY-SA-4.0", roles=(
        RoleDoc(name="Product Manager", slug="product-manager", questions=questions),))


def import_all(session, *docs: BankDoc, prune: bool = False) -> bank.ImportSummary:
    summary = bank.ImportSummary()
    for doc in docs:
        bank.import_bank(session, doc, summary=summary)
    bank.settle_left_out(session, summary, prune=prune)
    return summary


def live_slugs(session) -> list[str]:
    return sorted(q.slug for q in bank.list_questions(session))


def test_a_question_the_file_no_longer_holds_is_listed_and_kept(session):
    import_all(session, pm_bank(WHY, PRICING, ROADMAP))
    summary = import_all(session, pm_bank(PRICING, ROADMAP))
    assert summary.left_out == [("Coach PM Bank", "Product Manager", "pm-why-product")]
    assert live_slugs(session) == ["pm-pricing", "pm-roadmap", "pm-why-product"]


def test_roles_the_files_do_not_give_are_not_reported(session):
    design = BankDoc(name="Coach PM Bank", roles=(RoleDoc(name="Designer", slug="designer", questions=(TEAM,)),))
    import_all(session, pm_bank(WHY, PRICING), design)
    assert import_all(session, pm_bank(WHY, PRICING)).left_out == []


def test_a_question_another_file_of_the_same_import_holds_is_not_left_out(session):
    import_all(session, pm_bank(WHY, PRICING))
    summary = import_all(session, pm_bank(WHY), pm_bank(PRICING), prune=True)
    assert summary.left_out == [] and summary.retired == 0


def test_prune_retires_it_out_of_lists_search_random_draws_mocks_and_exports_keeping_attempts(session):
    import_all(session, pm_bank(WHY, PRICING))
    why = bank.get_question(session, "pm-why-product")
    user = accounts.create_user(session, email="c@example.com", password="a long enough password")
    practice.record(session, user=user, question=why, answer="Because.", report={"score": 40, "grade": "C"})
    revisions = session.scalar(select(func.count()).select_from(ExampleAnswer))

    summary = import_all(session, pm_bank(PRICING), prune=True)

    assert summary.retired == 1 and summary.left_out == [("Coach PM Bank", "Product Manager", "pm-why-product")]
    assert live_slugs(session) == ["pm-pricing"]
    assert bank.search(session, "product manager") == []
    assert [role for role, count in bank.list_roles(session) if count == 1]
    assert {practice.random_question_id(session) for _ in range(10)} == {bank.get_question(session, "pm-pricing").id}
    mock = mocks.create(session, user=user, role="product-manager", count=5)
    assert [item.question_id for item in mock.items] == [bank.get_question(session, "pm-pricing").id]
    [exported] = bank.export_bank(session, "coach-pm-bank")
    assert [q.slug for q in exported.roles[0].questions] == ["pm-pricing"]
    assert practice.count(session, user=user) == 1  # the attempt stays, and the history
    assert session.scalar(select(func.count()).select_from(ExampleAnswer)) == revisions
    assert bank.get_question(session, why.id).retired_at is not None  # still reachable by id


def test_a_file_that_holds_a_retired_question_again_brings_it_back(session):
    import_all(session, pm_bank(WHY, PRICING))
    import_all(session, pm_bank(PRICING), prune=True)
    summary = import_all(session, pm_bank(WHY, PRICING))
    assert ("pm-why-product", ("restored",)) in summary.updates
    assert live_slugs(session) == ["pm-pricing", "pm-why-product"]
    assert [q.slug for q in bank.search(session, "product manager")] == ["pm-why-product"]


def test_retiring_one_question_by_hand(session):
    import_all(session, pm_bank(WHY, PRICING))
    bank.retire_questions(session, [bank.get_question(session, "pm-why-product").id])
    assert live_slugs(session) == ["pm-pricing"]
    bank.restore_question(session, bank.get_question(session, "pm-why-product"))
    assert live_slugs(session) == ["pm-pricing", "pm-why-product"]


def test_a_bank_whose_name_changed_is_refused_unless_told_it_was_renamed(session):
    import_all(session, pm_bank(WHY, PRICING, ROADMAP))
    renamed = pm_bank(WHY, PRICING, ROADMAP, name="Lena Ortiz Product Bank")
    with pytest.raises(FormatError, match=r"found the bank name 'Lena Ortiz Product Bank', but every question slug "
                                          r"the file gives is one of bank 'Coach PM Bank' \(coach-pm-bank\) \(to "
                                          r"rename that bank, import with --rename-bank"):
        bank.import_bank(session, renamed, file="pm.yaml")
    summary = bank.ImportSummary()
    bank.import_bank(session, renamed, summary=summary, rename_bank=True)
    assert session.scalars(select(Bank.slug)).all() == ["lena-ortiz-product-bank"]
    assert (summary.created, summary.unchanged) == (0, 3)
    [warning] = summary.warnings
    assert "'Coach PM Bank' (coach-pm-bank) renamed to 'Lena Ortiz Product Bank'" in warning.message


def test_a_copy_of_a_bank_under_a_new_name_is_made_when_asked_for_with_a_warning(session):
    import_all(session, pm_bank(WHY, PRICING))
    summary = bank.ImportSummary()
    bank.import_bank(session, pm_bank(WHY, PRICING, name="Copy Bank"), summary=summary, rename_bank=False)
    assert sorted(session.scalars(select(Bank.slug)).all()) == ["coach-pm-bank", "copy-bank"]
    assert summary.created == 2 and "made as a copy of bank 'Coach PM Bank'" in summary.warnings[0].message


def test_a_new_bank_that_shares_a_few_slugs_with_another_is_a_new_bank(session):
    import_all(session, pm_bank(WHY))
    other = pm_bank(replace(WHY, text="Why product?"), PRICING, ROADMAP, TEAM, name="Another Bank")
    assert import_all(session, other).created == 4
    assert sorted(session.scalars(select(Bank.slug)).all()) == ["another-bank", "coach-pm-bank"]
