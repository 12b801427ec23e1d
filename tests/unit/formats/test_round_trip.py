"""Writing a bank in any full-fidelity format and reading it back gives the same bank."""

from dataclasses import replace

import pytest
from hypothesis import given, settings
from tests.strategies import banks

from rehearse.formats import read_text, write


def without_lines(bank):
    return replace(bank, roles=tuple(replace(role, questions=tuple(replace(q, line=None) for q in role.questions))
                                     for role in bank.roles))


@pytest.mark.parametrize("format", ["json", "yaml", "markdown", "csv"])
@settings(max_examples=60, deadline=None)
@given(bank=banks())
def test_write_then_read_is_identity(format, bank):
    text = write(bank, format).decode("utf-8")
    again = read_text(text, file=f"bank.{format}", format=format).bank
    if format == "csv":  # CSV has no place for bank or role descriptions
        bank = replace(bank, description=None, roles=tuple(replace(r, description=None) for r in bank.roles))
    assert without_lines(again) == without_lines(bank)


def test_the_page_format_carries_the_bank_and_points_the_guidance_does_not_give():
    """Page files hold no slugs, kinds or competencies; they do keep the bank, its licence and credits,
    and talking points an editor added beyond the "In your answer, …" sentence."""
    from rehearse.formats import BankDoc, QuestionDoc, RoleDoc, parse_talking_points

    edited = QuestionDoc(text="How do you build a rota over Christmas?",
                         intent="Employers ask this to see fairness. In your answer, cover fairness and coverage.",
                         talking_points=("fairness", "coverage", "the budget"), example_answer="I publish it early.")
    intent = "In your answer, describe the weekly audits, staff training, and the store layout."
    derived = QuestionDoc(text="How do you cut shrinkage?", intent=intent,
                          talking_points=parse_talking_points(intent), example_answer="Weekly audits.")
    bank = BankDoc(name="Retail bank", source="retail.csv", licence="CC0", contributors=("Ann", "Bo Li"),
                   roles=(RoleDoc(name="Store Manager", description="Runs a store.", questions=(edited, derived)),))
    text = write(bank, "page").decode("utf-8")
    assert text.count("In your answer") == 2 and text.count("Talking point:") == 3
    again = read_text(text, file="/srv/uploads/retail.txt", format="page").bank
    assert (again.name, again.source, again.licence, again.contributors) == (
        "Retail bank", "retail.csv", "CC0", ("Ann", "Bo Li"))
    assert [(q.intent, q.talking_points or ()) for q in again.roles[0].questions] == [
        (edited.intent, edited.talking_points), (derived.intent, ())]


def test_a_published_page_names_its_bank_after_its_title_and_its_source_after_the_file():
    text = ("Nurse Interview Questions\nIntro\nInterview Questions for Nurse\nWhy?\n-\nWhy?\nEmployers ask.\n"
            'Answer Example: "Because."\nHelp us improve this answer. / -\n')
    bank = read_text(text, file="/srv/uploads/nurse.txt", format="page").bank
    assert (bank.name, bank.source, bank.licence) == ("Nurse Interview Questions", "nurse.txt", None)


@pytest.mark.parametrize("format", ["json", "yaml", "markdown", "page"])
def test_the_licence_and_contributors_are_read_back(format):
    from rehearse.formats import BankDoc, QuestionDoc, RoleDoc

    bank = BankDoc(name="B", licence="CC-BY-4.0", contributors=("Ann", "Bo Li"),
                   roles=(RoleDoc(name="R", questions=(QuestionDoc(text="Why?", example_answer="Because."),)),))
    again = read_text(write(bank, format).decode("utf-8"), file=f"b.{format}", format=format).bank
    assert (again.licence, again.contributors) == ("CC-BY-4.0", ("Ann", "Bo Li"))
