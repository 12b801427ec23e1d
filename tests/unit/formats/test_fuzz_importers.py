"""Any bytes given to any importer give a bank that can be stored whole, or an error naming file and line.

Hypothesis feeds each reader random bytes and, more usefully, real files of that format with bytes
inserted, deleted, duplicated or cut off (random bytes rarely get past a reader's first check).
What may come out is checked against the storage columns themselves, not against the importer's
own limits, so a limit the importer forgets fails here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests import fuzz_bytes

from rehearse.bank.models import Bank, Question, QuestionCompetency, Role
from rehearse.formats import FormatError, ParseResult, read_bytes, read_path, write
from rehearse.formats.model import BankDoc, QuestionDoc, RoleDoc

FILE = "bank-under-test"
FORMATS = ("page", "markdown", "json", "yaml", "csv")
# Sizes read from the ORM columns, so these tests follow the schema rather than the importer's constants.
NAME_MAX = Bank.__table__.c.name.type.length
LICENCE_MAX = Bank.__table__.c.licence.type.length
SLUG_MAX = min(Role.__table__.c.slug.type.length, Question.__table__.c.slug.type.length)
COMPETENCY_MAX = QuestionCompetency.__table__.c.name.type.length
URL_SAFE = re.compile(r"[A-Za-z0-9._~-]+")
BREAKS = re.compile(rb"\r\n|\r|\n")

_SAMPLE = BankDoc(
    name="Fuzzing bank", source="tests", licence="CC-BY-4.0", description="Two roles, three questions.",
    roles=(
        RoleDoc(name="Engineering Manager", slug="engineering-manager", description="Runs a team.", questions=(
            QuestionDoc(text="How would you raise the hiring bar?", slug="em-hiring-bar", kind="situational",
                        competencies=("hiring", "people"),
                        intent="Employers ask this to see judgement. In your answer, describe the loop, the "
                               "rubric, and how you keep it fast.",
                        example_answer="I write a rubric first.\n\nThen I train interviewers."),
            QuestionDoc(text="Tell me about a time you handled an outage.", slug="em-outage",
                        talking_points=("what broke", "what changed after"), example_answer="Payments stalled."),
        )),
        RoleDoc(name="Staff Engineer", questions=(
            QuestionDoc(text="How do you choose between two architectures?", competencies=("architecture",)),
        )),
    ),
)
SEED_PAGE = Path(__file__).resolve().parents[3].parent / "shared" / "seed" / "head-of-software-engineering.txt"


def _seeds(format: str) -> list[bytes]:
    seeds = [write(_SAMPLE, format)]
    if format == "page" and SEED_PAGE.exists():
        page = SEED_PAGE.read_bytes()  # its first blocks, cut after a block's closing line
        seeds.append(page[:page.index(b"Help us improve this answer.", 5000)] + b"Help us improve this answer. / -\n")
    if format == "markdown":  # the two layouts written by others that the Markdown reader recognises
        seeds.append(b"# How do you run a retro?\n\n## Why This Is Asked\nTo see facilitation.\n\n"
                     b"## Key Points to Cover\n- the format\n- the follow-up\n\n## Example Response\nWeekly.\n")
        seeds.append(b"---\nid: behavioural\ntitle: Behavioural questions\n---\n\nimport Tabs from 'x';\n\n"
                     b"- Tell me about a conflict with a peer.\n- Why do you want this job?\n<Tabs>\n</Tabs>\n")
    return seeds


SEEDS = {format: _seeds(format) for format in FORMATS}
# Fragments that steer mutations towards the readers' edges: escapes the databases refuse, YAML
# tags and anchors, lines that start or end blocks, odd line breaks, rich markup, long runs.
FRAGMENTS = [
    b"\x00", b"\xff", b"\xef\xbb\xbf", b"\r", b"\r\n", b"\x0c", b"\xc2\x85", b"\xe2\x80\xa8", b"\t", b'"', b"'",
    b"\\u0000", b"\\ud800", b"\\", b"{", b"}", b"[", b"]", b",", b":", b"|", b" | ", b"&a ", b"*a", b"!!binary ",
    b"!!python/object:os.system ", b"1e999", b"2024-01-01", b"- ", b"---\n", b"-\n", b"# ", b"## Role: ",
    b"## ", b"### ", b"#### Intent\n", b"#### Talking points\n", b"- Slug: ", b"Slug: a/b?c\n", b"- Kind: ",
    b"Answer Example: \"", b"Help us improve this answer. / -\n", b"Interview Questions for X\n", b"[/x]",
    b"[bold]", b"x" * 130, b"\xc3\xa9" * 160, b"text", b"roles", b"questions", b"name", b"slug",
]


def mutated(format: str):
    """One of the format's seed files with one to five edits, steered by FRAGMENTS."""
    return fuzz_bytes.mutated(SEEDS[format], FRAGMENTS)


def _strings(bank: BankDoc):
    yield bank.name
    yield from (value for value in (bank.source, bank.licence, bank.description) if value is not None)
    for role in bank.roles:
        yield from (value for value in (role.name, role.slug, role.description) if value is not None)
        for q in role.questions:
            yield from (value for value in (q.text, q.slug, q.intent, q.example_answer) if value is not None)
            yield from q.competencies
            yield from q.talking_points or ()


def assert_storable(result: ParseResult) -> None:
    """Everything a database column and a page link can take, read from the schema."""
    bank = result.bank
    for value in _strings(bank):
        assert isinstance(value, str), value
        assert "\x00" not in value and not re.search("[\ud800-\udfff]", value), value
    assert bank.name.strip() and len(bank.name) <= NAME_MAX
    assert bank.licence is None or len(bank.licence) <= LICENCE_MAX
    for role in bank.roles:
        assert role.name.strip() and len(role.name) <= NAME_MAX
        assert role.slug is None or (len(role.slug) <= SLUG_MAX and URL_SAFE.fullmatch(role.slug))
        for q in role.questions:
            assert q.text.strip()
            assert q.slug is None or (len(q.slug) <= SLUG_MAX and URL_SAFE.fullmatch(q.slug))
            assert q.kind in (None, "behavioural", "situational", "other")
            assert all(len(name) <= COMPETENCY_MAX for name in q.competencies)


def read_or_refuse(data: bytes, format: str) -> ParseResult | None:
    """Read the bytes; a refusal must name this file and a line the file has, and nothing else may escape."""
    try:
        result = read_bytes(data, file=FILE, format=format)
    except FormatError as error:
        lines = len(BREAKS.findall(data)) + 1
        assert error.file == FILE
        assert isinstance(error.line, int) and 1 <= error.line <= lines, (error.line, lines, str(error))
        assert str(error).startswith(f"{FILE}:{error.line}: ") and error.expected
        return None
    assert_storable(result)
    return result


@pytest.mark.parametrize("format", FORMATS)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_mutated_files_are_read_whole_or_refused_with_file_and_line(format, data):
    read_or_refuse(data.draw(mutated(format)), format)


@pytest.mark.parametrize("format", FORMATS)
@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=300))
def test_random_bytes_are_read_whole_or_refused_with_file_and_line(format, data):
    read_or_refuse(data, format)


@pytest.mark.parametrize("format", FORMATS)
def test_the_unmutated_seeds_are_valid_imports(format):
    for seed in SEEDS[format]:
        assert read_or_refuse(seed, format) is not None


# Each found by the fuzzing above (or its first drafts) before the fix that makes it pass.
HOSTILE = [
    ("json", '{"bank": {"name": "B"}, "roles": [{"name": "R", "questions": [\n {"text": "Why\\u0000?"}]}]}', 2,
     "NUL"),
    ("json", '{"bank": {"name": "B"}, "roles": [{"name": "R", "questions": [\n {"text": "Why?",\n'
             '  "example_answer": "a \\ud800 b"}]}]}', 3, "unicode string"),  # the field's line
    ("json", "[" * 100_000, 1, "nested"),
    ("yaml", "bank:\n  name: B\nroles:\n  - name: R\n    questions:\n      - text: \"Why \x00?\"\n", 6, "found the character U+0000, which YAML does not allow"),
    ("yaml", "bank:\n  name: B\nroles:\n  - name: R\n    questions:\n      - text: \"Why \\ud800?\"\n", 6,
     "unicode string"),
    ("yaml", "bank:\n  name: B\nroles:\n  - name: R\n    slug: a/b\n    questions:\n      - text: Why?\n", 5,
     "role slug"),
    ("yaml", "bank:\n  name: B\nroles:\n  - name: R\n    questions:\n      - text: Why?\n        slug: " + "s" * 121
     + "\n", 7, "slug"),
    ("yaml", "bank:\n  name: " + "B" * 301 + "\nroles:\n  - name: R\n", 2, "bank name"),
    ("yaml", "bank:\n  name: B\nroles:\n  - name: R\n    questions:\n      - text: Why?\n        competencies: ["
     + "c" * 81 + "]\n", 7, "competencies"),
    ("yaml", "bank:\n  name: B\n\u2028\u2028roles:\n  - name: R\n    questions: [\n", 6, "valid YAML"),
    ("csv", 'bank,role,text\n"B,R,Why?\n', 2, "expected a closing quote"),
    ("csv", "bank,ro\x00le\n", 1, "column"),
    ("csv", "bank,role,text\nB,R,\"Why\x00?\"\n", 2, "NUL"),
    ("markdown", "---\nbank: B\nsource: [a, b]\n---\n## Role: R\n### Why?\n", 3, "'source:'"),
    ("markdown", "---\nbank: B\n---\n## Role:\n### Why?\n", 4, "role name"),
    ("markdown", "---\nbank: B\n---\n\x0c\x0c\n## Role: R\n### Why?\n- Slug: a b\n", 7, "slug"),
    ("markdown", "---\nid: x\ntitle: Only prose\n---\nNo list here.\n", 5, "found only prose from this line on"),
    ("page", "T Interview Questions\nIntro\nInterview Questions for R\nWhy?\n-\nWhy?\nEmployers ask.\n"
             "Answer Example: \"Because\x00.\"\nHelp us improve this answer. / -\n", 8, "NUL"),
]


@pytest.mark.parametrize(("format", "text", "line", "expected"), HOSTILE)
def test_hostile_files_are_refused_at_their_line(format, text, line, expected):
    with pytest.raises(FormatError) as caught:
        read_bytes(text.encode("utf-8", "surrogatepass"), file=FILE, format=format)
    assert (caught.value.file, caught.value.line) == (FILE, line), str(caught.value)
    assert expected in str(caught.value)


def test_front_matter_dates_and_numbers_are_read_as_text():
    result = read_or_refuse(b"---\nbank: 2024\nsource: 2024-01-01\n---\n## Role: R\n### Why?\n", "markdown")
    assert (result.bank.name, result.bank.source) == ("2024", "2024-01-01")


def test_a_question_folder_with_a_file_that_is_not_utf8_names_it(tmp_path):
    good = "# Why?\n\n## Key Points to Cover\n- a point\n"
    (tmp_path / "01_hiring").mkdir()
    (tmp_path / "01_hiring" / "a.md").write_text(good)
    (tmp_path / "01_hiring" / "b.md").write_bytes(good.encode() + b"\n- caf\xe9\n")
    with pytest.raises(FormatError) as caught:
        read_path(tmp_path)
    assert caught.value.file.endswith("b.md") and caught.value.line == 6


def test_line_numbers_follow_the_editor_not_unicode_separators():
    """A form feed or U+2028 is not a line break in an editor, so it must not shift the numbers."""
    text = "---\nbank: B\n---\n## Role: R\x0cstill line four\n### Why?\n#### Notes\n"
    with pytest.raises(FormatError) as caught:
        read_bytes(text.encode(), file=FILE, format="markdown")
    assert caught.value.line == 6


def test_json_escapes_are_located_in_the_file():
    document = {"bank": {"name": "B"}, "roles": [{"name": "R", "questions": [{"text": "Why?"}, {"text": "How\x00?"}]}]}
    text = json.dumps(document, indent=2)
    with pytest.raises(FormatError) as caught:
        read_bytes(text.encode(), file=FILE, format="json")
    assert text.splitlines()[caught.value.line - 1].strip().startswith('"text": "How\\u0000?"')
