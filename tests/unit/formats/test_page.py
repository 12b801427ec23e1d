"""The published-page format: read, cross-checked, refused with file and line when broken."""

from dataclasses import replace

import pytest
from tests.conftest import require_shared

from rehearse.formats import FormatError, read_text, write

PAGE = """Staff Engineer Interview Questions
Practise for a staff engineer interview.
Interview Questions for Staff Engineer
How would you run a design review?
Tell me about a time you changed a team’s mind.
-
How would you run a design review?
Employers ask this to see judgement. In your answer, explain the preparation, the roles in the room, and how decisions are recorded.
Answer Example: "I circulate the doc two days before — with a clear question to decide."
Help us improve this answer. / -
Tell me about a time you changed a team’s mind.
Employers ask this to see influence. In your answer, describe the disagreement and the evidence you used.
Answer Example: "We disagreed about queues; I built a prototype and measured it."
Help us improve this answer. / -
"""


def read(text: str):
    return read_text(text, file="bank.txt", format="page")


def test_reads_role_questions_intents_and_answers():
    result = read(PAGE)
    role = result.bank.roles[0]
    assert role.name == "Staff Engineer"
    assert [q.kind for q in role.questions] == ["situational", "behavioural"]
    first = role.questions[0]
    assert first.example_answer == "I circulate the doc two days before — with a clear question to decide."
    assert first.intent.startswith("Employers ask this")
    assert result.warnings == ()


def test_curly_quotes_and_dashes_are_kept_exactly():
    role = read(PAGE).bank.roles[0]
    assert role.questions[1].text == "Tell me about a time you changed a team’s mind."
    assert "—" in role.questions[0].example_answer


def test_a_question_missing_from_the_list_is_a_warning_naming_its_line():
    text = PAGE.replace("Tell me about a time you changed a team’s mind.\n-\n", "-\n", 1)
    warnings = read(text).warnings
    assert len(warnings) == 1
    assert warnings[0].line == 10
    assert "missing from the list" in warnings[0].message


def test_a_listed_question_without_a_block_is_a_warning_naming_its_line():
    text = PAGE.replace("How would you run a design review?\n", "How would you run a design review?\nWhy us?\n", 1)
    [warning] = read(text).warnings
    assert warning.line == 5 and "no answer block" in warning.message


@pytest.mark.parametrize(
    ("damage", "line", "expected"),
    [
        (lambda t: t[: t.index('Answer Example: "We')], 12, "Answer Example"),
        (lambda t: t.rsplit("Help us improve", 1)[0], 13, "Help us improve this answer"),
        (lambda t: t[: t.index("I built a prototype")], 13, "closing quote of the example answer"),
        (lambda t: t.replace('Answer Example: "I circulate', "Answer Example: I circulate"), 9, "in quotes"),
        (lambda t: t.replace("-\nHow would you run", "How would you run", 1), 13, "'-'"),
        (lambda t: t.replace('Answer Example: "I circulate the doc two days before — with a clear question '
                             'to decide."\n', ""), 9, "Answer Example"),
    ],
    ids=["truncated before an answer", "truncated after the last answer", "truncated inside an answer", "answer without quotes",
         "no separator line", "block without an answer"],
)
def test_broken_pages_are_refused_with_file_and_line(damage, line, expected):
    with pytest.raises(FormatError) as caught:
        read(damage(PAGE))
    assert caught.value.file == "bank.txt"
    assert caught.value.line == line
    assert expected in str(caught.value)


def test_write_then_read_gives_the_same_questions():
    bank = read(PAGE).bank
    again = read(write(bank, "page").decode()).bank
    assert [(q.text, q.intent, q.example_answer) for q in again.roles[0].questions] == [
        (q.text, q.intent, q.example_answer) for q in bank.roles[0].questions
    ]


def test_the_seed_page_gives_24_questions_with_guidance_and_answers():
    path = require_shared("seed", "head-of-software-engineering.txt")
    result = read_text(path.read_text(encoding="utf-8"), file=str(path), format="page")
    questions = result.bank.roles[0].questions
    assert result.bank.roles[0].name == "Head of Software Engineering"
    assert len(questions) == 24
    assert result.warnings == ()
    assert all(q.intent and q.example_answer for q in questions)


def test_a_block_without_its_closing_line_is_refused_where_the_next_question_starts():
    # Without "Help us improve this answer. / -" the next question would be read into this answer: one question
    # lost, another answer corrupted. Nothing is imported; the message names the line of the swallowed question.
    text = PAGE.replace("to decide.\"\nHelp us improve this answer. / -\n", "to decide.\"\n", 1)
    with pytest.raises(FormatError) as caught:
        read(text)
    assert (caught.value.file, caught.value.line) == ("bank.txt", 10)
    assert str(caught.value) == ("bank.txt:10: expected the line 'Help us improve this answer. / -' closing the block "
                                 "that starts on line 7; found the question listed on line 5 first (is that closing "
                                 "line missing before it?)")


def test_a_listed_question_inside_another_blocks_guidance_is_refused():
    text = PAGE.replace('Answer Example: "I circulate the doc two days before — with a clear question to decide."\n'
                        "Help us improve this answer. / -\n", "", 1)
    with pytest.raises(FormatError) as caught:
        read(text)
    assert caught.value.line == 9 and "found the question listed on line 5 first" in str(caught.value)


def test_a_page_without_its_title_line_is_refused():
    # Read as it stands, the heading would name the bank and the first listed question would be the intro.
    text = PAGE.split("\n", 2)[2]
    with pytest.raises(FormatError) as caught:
        read(text)
    assert caught.value.line == 1
    assert "a title line such as 'Staff Engineer Interview Questions'" in caught.value.expected


def test_an_export_keeps_the_line_breaks_of_intents_and_descriptions():
    """A hard-wrapped intent came back on one line, so an unchanged bank imported as "updated … intent"; a
    description of two lines made the next role's title read as a question."""
    from rehearse.formats import BankDoc, QuestionDoc, RoleDoc

    intent = "Interviewers want to know how you plan\ndestructive changes.\n\nIn your answer, cover batches and rollback."
    question = QuestionDoc(text="How would you backfill a table?", intent=intent, example_answer="In batches.")
    bank = BankDoc(name="Data bank", roles=(
        RoleDoc(name="Data Engineer", description="Builds pipelines.\nOwns the warehouse.\n\nOn call weekly.",
                questions=(question,)),
        RoleDoc(name="Analyst", description="Answers questions.", questions=(replace(question, text="Why SQL?"),)),
    ))
    roles = read(write(bank, "page").decode()).bank.roles
    assert [(role.name, role.description) for role in roles] == [(role.name, role.description) for role in bank.roles]
    assert [q.intent for role in roles for q in role.questions] == [intent, intent]


def test_the_intro_an_export_writes_for_a_role_without_a_description_is_not_read_as_one():
    from rehearse.formats import BankDoc, QuestionDoc, RoleDoc

    bank = BankDoc(name="Data bank", roles=(RoleDoc(name="Data Engineer", questions=(
        QuestionDoc(text="Why SQL?", intent="To see fluency.", example_answer="It is everywhere."),)),))
    text = write(bank, "page").decode()
    assert "Practice questions for Data Engineer." in text  # a page has an intro line, for people
    assert read(text).bank.roles[0].description is None
    assert read(PAGE).bank.roles[0].description == "Practise for a staff engineer interview."
