"""Writing a bank in any full-fidelity format and reading it back gives the same bank."""

from dataclasses import replace

import pytest
from hypothesis import given, settings
from tests.strategies import banks

from rehearse.formats import BankDoc, FormatError, QuestionDoc, RoleDoc, read_text, write


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


ANSWER_WITH_STRUCTURE = ('Line one.\n\nSecond paragraph with "quotes" and a | pipe.\n### Not a heading\n- Slug: fake\n'
                         "#### Intent\n\n### What I learned\nMostly patience.\n\\# already escaped")


@pytest.mark.parametrize("format", ["markdown", "json", "yaml", "csv"])
def test_answer_lines_that_look_like_the_formats_structure_come_back_as_text(format):
    """An example answer ending in '### What I learned' once became a question of its own in Markdown
    (or a file import refused): such lines are escaped on export and read back as they were."""
    question = QuestionDoc(text="How do you weigh cost against speed?", slug="cost", kind="situational",
                           intent="## Role: not a role\nSlug: not-a-slug", talking_points=("cost", "speed"),
                           example_answer=ANSWER_WITH_STRUCTURE)
    bank = BankDoc(name="Edge bank", roles=(RoleDoc(name="Edge", slug="edge", questions=(question,),
                                                    description=None if format == "csv" else "Slug: x\n# y"),))
    again = read_text(write(bank, format).decode("utf-8"), file=f"b.{format}", format=format).bank
    assert without_lines(again) == bank


def test_a_bar_inside_a_csv_talking_point_is_kept_in_that_point():
    question = QuestionDoc(text="Cost or speed?", slug="q", kind="other",
                           talking_points=("cost | speed balance", "a\\|b", "ends in \\", "plain"))
    bank = BankDoc(name="B", roles=(RoleDoc(name="R", slug="r", questions=(question,)),))
    text = write(bank, "csv").decode("utf-8")
    again = read_text(text, file="b.csv", format="csv").bank
    assert again.roles[0].questions[0].talking_points == question.talking_points
    # a hand-written cell still splits at every bare bar
    hand = "bank,role,text,talking_points\nB,R,Why?,a|b | c\n"
    assert read_text(hand, file="h.csv", format="csv").bank.roles[0].questions[0].talking_points == ("a", "b", "c")


def test_the_page_format_keeps_the_paragraph_breaks_of_an_example_answer():
    answer = "Line one.\n\nSecond paragraph.\n\n\nThird, after two blank lines.\nStill the third."
    bank = BankDoc(name="B", roles=(RoleDoc(name="R", questions=(
        QuestionDoc(text="Why?", intent="Employers ask this to see why.", example_answer=answer),)),))
    again = read_text(write(bank, "page").decode("utf-8"), file="b.txt", format="page").bank
    assert again.roles[0].questions[0].example_answer == answer


@pytest.mark.parametrize("format", ["json", "yaml", "markdown", "csv", "page"])
def test_a_bank_holding_one_question_text_twice_in_a_role_exports_a_file_that_imports(format):
    """Two identical suggested questions were once both accepted; the bank's exports were then refused on
    import ("each question once in role …"). Under slugs of their own, the two are imported, with a warning."""
    twins = tuple(QuestionDoc(text="How do you run a blameless postmortem?", slug=slug, kind="situational",
                              intent="Employers ask this to see learning.", example_answer="I write it up.",
                              talking_points=("the timeline",)) for slug in ("postmortem", "postmortem-2"))
    bank = BankDoc(name="B", roles=(RoleDoc(name="R", slug="r", questions=twins),))
    result = read_text(write(bank, format).decode("utf-8"), file=f"b.{format}", format=format)
    assert [q.slug for q in result.bank.roles[0].questions] == ["postmortem", "postmortem-2"]
    assert any("same question text" in str(warning) and "both are imported" in str(warning)
               for warning in result.warnings)


def test_one_question_text_twice_without_slugs_of_its_own_is_still_refused():
    text = ("bank,role,text,slug\nB,R,How do you run a postmortem?,pm\nB,R,How do you run a postmortem?,\n")
    with pytest.raises(FormatError, match="found the same question text here and at b.csv:2"):
        read_text(text, file="b.csv", format="csv")


def test_a_talking_point_of_several_lines_comes_back_whole_from_markdown():
    """A point of three lines, each starting "- ", was written as '1. - expand then contract' and two lines that
    were not indented under it, and read back folded into one line: "updated … talking points"."""
    points = ("- expand then contract\n- dual writes\n- a deprecation window",
              "the plan:\n   indented three more\n\nafter a blank line, ending in a backslash \\",
              "one line \\", "#### Example answer\n### not a question\n2. not a point")
    bank = BankDoc(name="B", roles=(RoleDoc(name="R", slug="r", questions=(
        QuestionDoc(text="How do you migrate a schema?", slug="q", kind="situational", talking_points=points),)),))
    text = write(bank, "markdown").decode("utf-8")
    assert "1. - expand then contract\\\n   - dual writes\\\n   - a deprecation window\n" in text
    assert without_lines(read_text(text, file="b.md", format="markdown").bank) == bank


def test_a_talking_point_whose_lines_look_like_list_items_comes_back_whole_from_csv():
    """A CSV cell whose lines are list items is a list of points: the writer escapes such lines inside a point."""
    points = ("- expand then contract\n- dual writes", "a backslash, then\n\\- at a line's start",
              "then\n  1. indented", "one line")
    bank = BankDoc(name="B", roles=(RoleDoc(name="R", slug="r", questions=(
        QuestionDoc(text="How do you migrate a schema?", slug="q", kind="situational", talking_points=points),)),))
    text = write(bank, "csv").decode("utf-8")
    assert ("\\- expand then contract\n\\- dual writes | a backslash, then\n\\\\- at a line's start | then\n"
            "\\  1. indented | one line") in text
    assert without_lines(read_text(text, file="b.csv", format="csv").bank) == bank
