"""Every reader refuses a malformed file with its name, the line and what it expected."""

import pytest
from tests.conftest import require_shared

from rehearse.formats import FormatError, read_text
from rehearse.formats.structured import without_looks_like

MALFORMED = [
    ("json", '{"bank": {"name": "B"},\n "roles": [\n  {"name": "R", "questions": [\n   {"kind": "other"}]}]}\n',
     4, "expected the field 'text' in roles.0.questions.0; found none"),
    ("json", '{"bank": {"name": "B"}, "roles": [}\n', 1, "expected a value (text in double quotes, a number, true, "
     "false, null, a list or an object) at column 35; found '}'"),
    # a bad field is named at its own line (7), not at the line where its question starts (6)
    ("yaml", "bank:\n  name: B\nroles:\n  - name: R\n    questions:\n      - text: Q?\n        kind: sideways\n",
     7, "expected 'behavioural', 'situational' or 'other' at roles.0.questions.0.kind; found 'sideways'"),
    ("yaml", "bank: [unclosed\n", 2, "expected valid YAML; found a syntax error"),
    ("yaml", "- just\n- a list\n", 1, "expected a mapping with the keys 'bank' and 'roles'; found a list"),
    ("csv", "bank,role,text\nB,R,Why?\nB,,What?\n", 3, "expected a value in the 'role' column; found an empty cell"),
    ("csv", "bank,role,question\nB,R,Why?\n", 1, "expected a header row with the columns bank, role, text; found no "
     "column named text"),
    ("csv", "bank,role,text,kind\nB,R,Why?,sideways\n", 2, "found the kind 'sideways'"),
    # A quoted cell that is never closed would swallow every row after it: refused where it opens.
    ("csv", 'bank,role,text,competencies,intent\nB,R,Why?,hiring,x\nB,R,How?,"planning, people,y\nB,R,What?,z,w\n',
     3, "expected a closing quote for the quoted cell opened on this line; found the end of the file first"),
    # A truncated row would import with its missing cells empty (talking points derived instead of listed).
    ("csv", "bank,role,text,intent,talking_points\nB,R,Why?,x,a | b\nB,R,How?,y\n", 3,
     "expected 5 cells, as in the header; found 4 (is it truncated?)"),
    ("csv", "bank,role,text\nB,R,Why?,extra\n", 2, "expected 3 cells, as in the header; found 4"),
    ("markdown", "---\nbank: B\n---\n### A question without a role?\n", 4, "expected a '## Role: …' heading before "
     "the first question; found the question 'A question without a role?' first"),
    ("markdown", "---\nbank: B\n---\n## Role: R\n### Q?\n#### Notes\n", 6, "expected a section named 'Intent', "
     "'Talking points' or 'Example answer'; found '#### Notes'"),
    ("markdown", "---\nbank: B\n---\n## Role: R\n### Q?\n#### Talking points\nnot a list item\n", 7,
     "expected a numbered talking point such as '1. …'; found 'not a list item'"),
    ("page", "Title Interview Questions\nIntro\n", 2, "expected a line holding only '-' after the list of questions; "
     "found the end of the file"),
    # a whole book pasted as an example answer: refused at its line, as a suggestion of it would be
    ("yaml", "bank: {name: B}\nroles:\n  - name: R\n    questions:\n      - text: Why?\n"
             "        example_answer: " + "word " * 5000 + "\n", 6, "of at most 20,000 characters; found one of 24,999"),
]


@pytest.mark.parametrize(("format", "text", "line", "expected"), MALFORMED)
def test_malformed_files_name_the_line(format, text, line, expected):
    with pytest.raises(FormatError) as caught:
        read_text(text, file=f"bank.{format}", format=format)
    assert (caught.value.file, caught.value.line) == (f"bank.{format}", line)
    assert expected in str(caught.value)


def test_rehearse_markdown_reads_all_fields():
    text = """---
bank: Team bank
licence: MIT
---
## Role: Tech Lead
Slug: tech-lead

Leads a team.

### How would you run a retro?
- Slug: tl-retro
- Kind: situational
- Competencies: culture, delivery

#### Intent
To see facilitation. In your answer, describe the format and the follow-up.

#### Talking points
1. the format
2. the follow-up

#### Example answer
First paragraph.

Second paragraph.
"""
    bank = read_text(text, file="b.md", format="markdown").bank
    [question] = bank.roles[0].questions
    assert (bank.name, bank.licence, bank.roles[0].slug, bank.roles[0].description) == (
        "Team bank", "MIT", "tech-lead", "Leads a team.")
    assert (question.slug, question.kind, question.competencies) == ("tl-retro", "situational", ("culture", "delivery"))
    assert question.talking_points == ("the format", "the follow-up")
    assert question.example_answer == "First paragraph.\n\nSecond paragraph."


def test_a_docusaurus_page_gives_its_questions_without_guidance():
    path = require_shared("external", "tech-interview-handbook", "behavioral-interview-questions.md")
    bank = read_text(path.read_text(encoding="utf-8"), file=str(path), format="markdown").bank
    texts = [q.text for q in bank.roles[0].questions]
    assert texts[0] == "Why do you want to work for X company?"
    assert "Tell me about a time when you had a conflict with a co-worker." in texts
    assert not any(t.startswith(("import ", "<", "---")) for t in texts)
    assert "What strengths do you think are most important for your job position?" in texts
    assert all(q.intent is None and q.talking_points is None for q in bank.roles[0].questions)


DOCUSAURUS_ARTICLE = """\
---
id: preparing-for-panels
title: 'Preparing for panel interviews'
sidebar_label: Panel interviews
---

import Callout from './_components/Callout';

A panel interview puts you in front of several people at once, each listening for something different.

<Callout>
Book a mock panel with friends before the real one.
</Callout>

- **Hiring manager:** scope, ownership and judgement
- **Peer engineer:** depth in the systems you have built

Practise telling each story in two minutes.
"""


def test_a_docusaurus_article_without_a_question_list_is_refused_naming_its_first_prose_line():
    with pytest.raises(FormatError) as refused:
        read_text(DOCUSAURUS_ARTICLE, file="panels.md", format="markdown")
    assert str(refused.value) == (
        "panels.md:9: expected a Markdown list of questions (numbered or bulleted items of three words or more that "
        "end in '?' or '.'); found prose from this line on ('A panel interview puts you in front of several people at"
        "…') and 2 list items that are not questions (line 15: '- **Hiring manager:** scope, ownership and "
        "judgement'): this page looks like an article, not a list of questions")


def test_a_docusaurus_page_of_prose_only_is_refused_as_an_article():
    text = DOCUSAURUS_ARTICLE.split("- **Hiring")[0]
    with pytest.raises(FormatError, match=r"^panels.md:9: expected a Markdown list of questions .*; found only prose "
                                          r"from this line on \('A panel interview"):
        read_text(text, file="panels.md", format="markdown")


def test_the_handbooks_article_for_senior_candidates_is_refused_as_no_question_list():
    path = require_shared("external", "tech-interview-handbook", "behavioral-interview-senior-candidates.md")
    with pytest.raises(FormatError) as refused:
        read_text(path.read_text(encoding="utf-8"), file=path.name, format="markdown")
    lines = path.read_text(encoding="utf-8").splitlines()
    after_front_matter = lines.index("---", 1) + 1
    first_prose = next(number for number, line in enumerate(lines[after_front_matter:], start=after_front_matter + 1)
                       if line.strip() and not line.startswith("import "))
    assert refused.value.line == first_prose
    assert refused.value.found.endswith("this page looks like an article, not a list of questions")


def test_one_question_file_reads_key_points_and_example_response():
    path = require_shared("external", "chitamoor-interview-prep", "01_leadership_and_management",
                          "q01_prioritize_tasks.md")
    [question] = read_text(path.read_text(encoding="utf-8"), file=str(path), format="markdown").bank.roles[0].questions
    assert question.text == "How do you prioritize tasks and projects for your team?"
    assert len(question.talking_points) == 4
    assert question.example_answer.startswith("**Situation:**")


def test_a_talking_point_may_say_what_covering_it_looks_like():
    text = ("bank:\n  name: B\nroles:\n  - name: R\n    questions:\n      - text: How do you settle a disagreement?\n"
            "        talking_points:\n          - shared outcomes\n"
            "          - point: data\n            looks_like: figures that test each option\n")
    doc = read_text(text, file="bank.yaml", format="yaml").bank
    assert doc.roles[0].questions[0].talking_points == (
        "shared outcomes", "data (looks like: figures that test each option)")


def test_a_point_read_with_its_looks_like_line_gives_the_point_back_alone():
    assert without_looks_like("data (looks like: figures that test each option)") == "data"
    assert without_looks_like("shared outcomes") == "shared outcomes"
    # brackets that are not a looks-like line stay part of the point
    assert without_looks_like("metrics (DORA, SPACE)") == "metrics (DORA, SPACE)"


def test_a_point_object_without_its_point_names_the_line():
    text = ("bank:\n  name: B\nroles:\n  - name: R\n    questions:\n      - text: Q?\n"
            "        talking_points:\n          - looks_like: numbers\n")
    with pytest.raises(FormatError) as caught:
        read_text(text, file="bank.yaml", format="yaml")
    assert caught.value.line == 8 and "point" in str(caught.value)


def test_a_csv_header_without_optional_columns_says_what_the_import_does_with_them():
    result = read_text("bank,role,text,intent\nB,R,Why?,To see judgement.\n", file="b.csv", format="csv")
    [question] = result.bank.roles[0].questions
    assert question.omitted == {"kind", "competencies", "talking_points", "example_answer"}
    assert question.talking_points is None and question.intent == "To see judgement."
    [warning] = result.warnings
    assert warning.line == 1
    assert "no kind, competencies, talking_points, example_answer columns" in warning.message
    assert "already stored keep theirs" in warning.message


def test_an_empty_csv_cell_is_a_value_given_not_an_omitted_column():
    text = "bank,role,text,intent,talking_points,kind,competencies,example_answer\nB,R,Why?,x,,,,\n"
    result = read_text(text, file="b.csv", format="csv")
    assert result.bank.roles[0].questions[0].omitted == frozenset()
    assert result.warnings == ()


def test_quotes_inside_csv_cells_are_not_mistaken_for_an_unclosed_cell():
    text = 'bank,role,text,intent\nB,R,"Why ""this"", then?",say "hi"\nB,R,How?,"two\nlines"\n'
    questions = read_text(text, file="b.csv", format="csv").bank.roles[0].questions
    assert [(q.text, q.intent, q.line) for q in questions] == [
        ('Why "this", then?', 'say "hi"', 2), ("How?", "two\nlines", 3)]


PAGE_BLOCK = "Why?\nEmployers ask this.\nAnswer Example: \"Because.\"\nHelp us improve this answer. / -\n"
REPEATED = [
    ("csv", "bank,role,slug,text\nB,R,a,Why?\nB,R,b,How?\nB,R,a,Why?\n", 4, "the slug 'a' here and at bank.csv:2"),
    ("page", "T Interview Questions\nIntro\nInterview Questions for R\nWhy?\n-\n" + PAGE_BLOCK + PAGE_BLOCK, 10,
     "the slug 'why' here and at bank.page:6"),
    ("json", '{"bank": {"name": "B"}, "roles": [{"name": "R", "questions": [\n {"slug": "a", "text": "Why?"},\n'
             ' {"slug": "a", "text": "How?"}]}]}', 3, "the slug 'a' here and at bank.json:2"),
    # (the same text under two slugs the file gives is two questions: imported, with a warning)
    ("yaml", "bank: {name: B}\nroles:\n  - name: R\n    questions:\n      - {slug: a, text: 'Why?'}\n"
             "      - {text: 'Why?'}\n", 6, "the same question text here and at bank.yaml:5"),
    ("markdown", "---\nbank: B\n---\n## Role: R\n### Why?\n### How?\n### Why?\n", 7,
     "the slug 'why' here and at bank.markdown:5"),
]


@pytest.mark.parametrize(("format", "text", "line", "expected"), REPEATED)
def test_a_question_repeated_within_one_role_is_refused_naming_both_lines(format, text, line, expected):
    with pytest.raises(FormatError) as caught:
        read_text(text, file=f"bank.{format}", format=format)
    assert caught.value.line == line
    assert expected in str(caught.value)


def test_the_same_question_in_two_roles_is_not_a_repeat():
    text = "bank,role,text\nB,Manager,Why?\nB,Lead,Why?\n"
    assert read_text(text, file="b.csv", format="csv").bank.question_count == 2


def _json_bank(question: dict) -> str:
    """A bank file whose one question is on line 3."""
    import json

    return '{"bank": {"name": "B"},\n "roles": [{"name": "R", "questions": [\n' + json.dumps(question) + "]}]}\n"


@pytest.mark.parametrize(("question", "expected"), [
    # scoring compares every sentence with every point: 100,000 points never finished
    ({"text": "Why?", "talking_points": [f"point {n}" for n in range(21)]},
     "expected at most 20 talking points for a question; found 21"),
    ({"text": "Why?", "intent": "In your answer, cover " + ", ".join(f"thing {n}" for n in range(30)) + "."},
     "gives at most 20 talking points; found 30 (list the points the answer should cover instead)"),
    ({"text": "Why?", "talking_points": ["a point", "  "]}, "talking points with some text"),
    ({"text": "Why?", "talking_points": ["a point", "A  point"]},
     "expected each talking point once; found 'A  point' twice"),
    ({"text": "Why?", "competencies": ["hiring, firing"]}, "competencies without commas"),
])
def test_talking_points_and_competencies_the_engine_or_other_formats_cannot_use_are_refused(question, expected):
    with pytest.raises(FormatError) as caught:
        read_text(_json_bank(question), file="b.json", format="json")
    assert caught.value.file == "b.json" and caught.value.line == 3
    assert expected in str(caught.value)


@pytest.mark.parametrize(("field", "where"), [("slug", "question"), ("slug", "role"), ("name", "role"),
                                              ("competencies", "question")])
def test_an_over_long_value_is_described_by_its_length_not_printed(field, where):
    """A 5 MB slug once made a 5 MB error message."""
    import json

    long = "s" * 5_000
    question = {"text": "Why?", **({field: [long] if field == "competencies" else long} if where == "question" else {})}
    role = {"name": "R", **({field: long} if where == "role" else {}), "questions": [question]}
    text = json.dumps({"bank": {"name": "B"}, "roles": [role]})
    with pytest.raises(FormatError) as caught:
        read_text(text, file="b.json", format="json")
    assert "5,000" in str(caught.value) and len(str(caught.value)) < 300


def test_a_short_bad_slug_is_quoted_in_the_message():
    with pytest.raises(FormatError, match="found the slug 'a b'"):
        read_text(_json_bank({"text": "Why?", "slug": "a b"}), file="b.json", format="json")


@pytest.mark.parametrize(("format", "text", "line"), [
    ("json", '{"bank": {"name": "B"}, "roles": [{"name": "R", "questions": [\n'
             ' {"slug": "a", "text": "First?",\n  "text": "Second?"}]}]}\n', 3),
    ("yaml", "bank: {name: B}\nroles:\n  - name: R\n    questions:\n      - text: First?\n        text: Second?\n", 6),
])
def test_a_key_given_twice_is_refused_not_last_one_wins(format, text, line):
    """'text: First?' then 'text: Second?' imported as 'Second?' without a word."""
    with pytest.raises(FormatError) as caught:
        read_text(text, file=f"b.{format}", format=format)
    assert caught.value.line == line and "'text'" in str(caught.value) and "twice" in str(caught.value)


def test_two_roles_of_one_slug_are_named_as_one_role_when_a_question_repeats():
    text = ('{"bank": {"name": "B"}, "roles": [{"name": "R", "slug": "r", "questions": [{"slug": "a", "text": "Why?"}]},'
            '\n {"name": "R again", "slug": "r", "questions": [{"slug": "a", "text": "How?"}]}]}\n')
    with pytest.raises(FormatError, match="the roles 'R' and 'R again' have one slug, 'r', so they are one role"):
        read_text(text, file="b.json", format="json")


def test_a_valid_bank_is_checked_without_looking_its_questions_up_line_by_line(monkeypatch):
    """Each question's line was looked for in the whole file, whether or not a message needed it: a
    1,000-question JSON file took half a minute to check. The lookup is for messages only."""
    from rehearse.formats import BankDoc, QuestionDoc, RoleDoc, checks, write

    lookups = []
    real = checks._nth_line
    monkeypatch.setattr(checks, "_nth_line", lambda *a, **k: lookups.append(a) or real(*a, **k))
    questions = tuple(QuestionDoc(text=f"Question number {n}?", slug=f"q-{n}", talking_points=("a", "b"))
                      for n in range(200))
    text = write(BankDoc(name="Big", roles=(RoleDoc(name="R", slug="r", questions=questions),)), "json").decode()
    assert read_text(text, file="big.json", format="json").bank.question_count == 200
    assert lookups == []
    twice = text.replace('"q-7"', '"q-3"')
    with pytest.raises(FormatError, match="each question once"):
        read_text(twice, file="big.json", format="json")
    assert lookups  # a message names the lines


MD_QUESTION = "---\nbank: B\n---\n## Role: R\n### How do you check a dose?\n#### Intent\nSee vigilance.\n{after}"


def test_a_numbered_list_under_intent_without_a_talking_points_heading_is_refused_naming_its_line():
    # A forgotten "#### Talking points" heading would make the intent and the list one talking point.
    text = MD_QUESTION.format(after="\n1. how you noticed\n2. how you verified\n#### Example answer\nI checked.\n")
    with pytest.raises(FormatError) as caught:
        read_text(text, file="b.md", format="markdown")
    assert caught.value.line == 9
    assert "did you mean '#### Talking points'" in str(caught.value)


def test_an_intent_that_holds_a_numbered_line_is_escaped_on_export_and_read_back():
    from rehearse.formats import BankDoc, QuestionDoc, RoleDoc, write

    bank = BankDoc(name="B", roles=(RoleDoc(name="R", questions=(
        QuestionDoc(text="Why?", intent="Two steps:\n1. look\n2. check", talking_points=()),)),))
    again = read_text(write(bank, "markdown").decode(), file="b.md", format="markdown").bank
    assert again.roles[0].questions[0].intent == "Two steps:\n1. look\n2. check"


def test_an_indented_line_continues_the_talking_point_above_it():
    text = MD_QUESTION.format(after="#### Talking points\n1. the check that\n   caught the error\n2) the fix\n")
    question = read_text(text, file="b.md", format="markdown").bank.roles[0].questions[0]
    assert question.talking_points == ("the check that caught the error", "the fix")


def _one_question_json(**fields) -> str:
    import json

    question = {"slug": "q", "text": "How do you counsel a patient?", **fields}
    return json.dumps({"bank": {"name": "B"}, "roles": [{"name": "R", "questions": [question]}]}, indent=2)


@pytest.mark.parametrize(
    ("fields", "expected"),
    [({"intent": "", "example_answer": "I ask what worries them."}, "compare answers with its example answer"),
     ({}, "cannot score what an answer covers")],
    ids=["example answer only", "nothing to compare with"],
)
def test_a_question_without_talking_points_or_intent_is_named_in_a_warning(fields, expected):
    result = read_text(_one_question_json(**fields), file="b.json", format="json")
    [warning] = result.warnings
    assert (warning.file, warning.line) == ("b.json", 11)
    assert "no talking points and no intent" in warning.message and expected in warning.message


def test_a_question_with_points_or_an_intent_gives_no_such_warning():
    assert read_text(_one_question_json(intent="In your answer, cover the risk."), file="b.json",
                     format="json").warnings == ()


def test_a_question_folder_names_each_file_it_skips(tmp_path):
    from rehearse.formats import read_path

    (tmp_path / "safety").mkdir()
    (tmp_path / "safety" / "q1.md").write_text(
        "# How do you check a dose?\n\n## Why This Is Asked\nSafety.\n\n## Key Points to Cover\n- the check\n\n"
        "## Example Response\nI recalculate.\n")
    (tmp_path / "safety" / "notes.md").write_text("Some notes.\n")
    (tmp_path / "stray.json").write_text("{}")
    (tmp_path / "questions.md").write_text("- How do you check a dose?\n")
    (tmp_path / "README.md").write_text("# About\n")
    result = read_path(tmp_path)
    assert result.bank.question_count == 1
    assert sorted((w.file, w.message.split(":")[0]) for w in result.warnings) == [
        (str(tmp_path / "safety" / "notes.md"), "skipped"), (str(tmp_path / "stray.json"), "skipped")]


@pytest.mark.parametrize(("name", "expected"), [
    ("deck.apkg", "found an Anki deck (.apkg), which can be exported, not imported"),
    ("prep.html", "found a prep sheet (.html), which can be exported, not imported"),
    ("bank.data", "expected a known extension (.csv, .json, .markdown, .md, .txt, .yaml, .yml) or --format; found the "
                  "extension '.data'"),
])
def test_a_file_that_cannot_be_imported_is_named_for_what_it_is_and_export_formats_are_not_offered(
        tmp_path, name, expected):
    from rehearse.formats import read_path

    path = tmp_path / name
    path.write_bytes(b"PK\x03\x04\x8d\x00 not text")
    with pytest.raises(FormatError) as caught:
        read_path(path)
    assert expected in str(caught.value) and ".apkg" not in caught.value.expected
    assert ".json" in caught.value.expected


def _bank_of_several_lines():
    from rehearse.formats import BankDoc, QuestionDoc, RoleDoc

    question = QuestionDoc(text="How do you change a schema safely?", slug="schema", kind="situational",
                           competencies=("delivery",), intent="Interviewers want to know how you plan\n"
                           "destructive changes.", talking_points=("expand then contract", "a window\nof a week"),
                           example_answer="First paragraph.\n\nSecond paragraph,\nwrapped.")
    return BankDoc(name="B", roles=(RoleDoc(name="R", slug="r", description="Owns\nthe data.", questions=(question,)),))


@pytest.mark.parametrize("format", ["json", "yaml", "markdown", "csv", "page"])
def test_a_file_saved_with_windows_line_endings_gives_the_same_bank(format):
    """A CSV saved on Windows kept "\\r\\n" inside its quoted cells: the same file with LF endings then imported
    as "2 updated". Every reader's texts break lines with "\\n" only."""
    from rehearse.formats import write

    text = write(_bank_of_several_lines(), format).decode("utf-8")
    with_lf = read_text(text, file=f"b.{format}", format=format).bank
    with_crlf = read_text(text.replace("\n", "\r\n"), file=f"b.{format}", format=format).bank
    assert with_crlf == with_lf
    assert "\n" in with_lf.roles[0].questions[0].intent


@pytest.mark.parametrize(("format", "escaped"), [("json", "\\r\\n"), ("json", "\\r"), ("yaml", "\\r\\n")])
def test_a_line_break_escaped_as_carriage_return_is_read_as_a_line_break(format, escaped):
    text = ('{"bank": {"name": "B"}, "roles": [{"name": "R", "questions": [{"text": "Why?", '
            f'"intent": "one{escaped}two", "talking_points": ["a{escaped}b"], "example_answer": "x{escaped}y"}}]}}]}}')
    [question] = read_text(text, file=f"b.{format}", format=format).bank.roles[0].questions
    assert (question.intent, question.talking_points, question.example_answer) == ("one\ntwo", ("a\nb",), "x\ny")


def _csv_points(cell: str) -> str:
    """A CSV file whose one row starts on line 2 and whose talking_points cell starts on line 3."""
    return f'bank,role,text,intent,talking_points\nB,R,Why?,"To see\nplanning.","{cell}"\n'


@pytest.mark.parametrize(("cell", "points"), [
    # a bullet list in one cell was read as one point of three lines, each starting "- "
    ("- expand then contract\n- dual writes\n- a deprecation window",
     ("expand then contract", "dual writes", "a deprecation window")),
    ("\n* one\n  continued\n\n2) two\n", ("one continued", "two")),
    ("1. a \\| b\n2. c", ("a | b", "c")),
    ("one | two", ("one", "two")),
    ("- one | two", ("- one", "two")),  # one line: its bars separate points, as always
    ("first line\nsecond line | another", ("first line\nsecond line", "another")),
    ("\\- kept\n\\- as one point", ("- kept\n- as one point",)),
])
def test_a_csv_talking_points_cell_gives_a_point_per_list_item_or_per_bar(cell, points):
    [question] = read_text(_csv_points(cell), file="b.csv", format="csv").bank.roles[0].questions
    assert question.talking_points == points


@pytest.mark.parametrize(("cell", "line", "expected"), [
    ("Cover these:\n- a\n- b", 3, "a list item ('- …', '* …' or '1. …')"),
    ("- a\nnot indented", 4, "to keep the lines as one point instead, write a backslash"),
    ("- a\n- b | c", 4, "listed one an item or separated by ' | ', not both"),
])
def test_a_csv_cell_that_mixes_a_list_with_other_lines_or_bars_is_refused_at_its_line(cell, line, expected):
    with pytest.raises(FormatError) as caught:
        read_text(_csv_points(cell), file="b.csv", format="csv")
    assert (caught.value.file, caught.value.line) == ("b.csv", line)
    assert expected in str(caught.value)


@pytest.mark.parametrize(("format", "text", "line"), [
    # a string where the list of points belongs: named at its own line, not at its question's (5, or 2 in JSON)
    ("yaml", "bank: {name: B}\nroles:\n  - name: R\n    questions:\n      - text: Why?\n        kind: other\n"
             "        intent: To see judgement.\n        talking_points: \"- a\\n- b\"\n", 8),
    ("json", '{"bank": {"name": "B"},\n "roles": [{"name": "R", "questions": [{\n  "text": "Why?",\n'
             '  "kind": "other",\n  "talking_points": "- a\\n- b"}]}]}\n', 5),
    ("yaml", "bank: {name: B}\nroles:\n  - name: R\n    questions:\n      - text: Why?\n        talking_points:\n"
             "          - a\n          - [b, c]\n", 8),
])
def test_a_field_of_the_wrong_type_is_named_at_its_own_line(format, text, line):
    with pytest.raises(FormatError) as caught:
        read_text(text, file=f"b.{format}", format=format)
    assert caught.value.line == line and "talking_points" in str(caught.value)
