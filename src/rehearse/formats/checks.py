"""What every parsed bank must satisfy before it may be stored, checked once for all readers.

A reader accepts what its format allows; this refuses what no database column can hold (a NUL
character, half of a surrogate pair from a JSON or YAML escape, a name longer than its column)
and what would break a page (an empty name, a slug that is not URL-safe), naming the file and
the line, so a bad file is refused before anything is written rather than half-way through.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator

from .model import BankDoc, FormatError, ImportWarning, LineIndex, QuestionDoc, RoleDoc, is_blank, same_text, slugify
from .talking_points import parse_talking_points

# The sizes of the storage columns (rehearse/bank/models.py); the text columns are unbounded.
MAX_NAME = 300  # banks.name, roles.name
MAX_SLUG = 120  # roles.slug, questions.slug
MAX_LICENCE = 200  # banks.licence
MAX_COMPETENCY = 80  # question_competencies.name
# Text a person reads on one page and the engine reads whole; a megabyte "example answer" is a
# mistake (a whole book pasted in), and the community's limit on a suggested answer is the same.
MAX_LENGTHS = {"the question": 2_000, "the intent": 10_000, "the example answer": 20_000,
               "a talking point": 1_000}
# The feedback engine compares every sentence of an answer with every point, on each practice of the
# question: a file with thousands of points would tie up a worker each time. Real banks list three to six;
# a community suggestion may give at most this many too (community.rules), and the API documents it.
MAX_TALKING_POINTS = 20
SHOWN_VALUE = 200  # a value longer than this is named in a message by its length and first words only

# Unreserved URL characters only: slugs appear in links such as /roles/<slug>.
_SLUG = re.compile(r"[A-Za-z0-9][A-Za-z0-9._~-]*")
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


_STORABLE = "text without NUL characters or unpaired surrogates"  # what _problem's finds cannot be stored as


def _problem(value: str) -> str | None:
    """What in a text cannot be stored (a database refuses it), or None."""
    found = _UNSTORABLE.search(value)
    if found is None:
        return None
    if found.group() == "\x00":
        return "a NUL character in it"
    return f"an unpaired surrogate in it (U+{ord(found.group()):04X}, from an escape such as \\ud800)"


def shown(value: str) -> str:
    """A value as a message names it: quoted when short; when long, by its length and its start (a 5 MB
    slug was once the whole message)."""
    if len(value) <= SHOWN_VALUE:
        return repr(value)
    return f"{len(value):,} characters starting {value[:30]!r}…"


def _line_of(text: str, value: str, after: int = 1) -> int | None:
    """The first line from `after` on that holds the value, as written or JSON-escaped."""
    lines = LineIndex(text)
    if after > len(lines.starts):
        return None
    start = lines.starts[after - 1]
    for needle in (value.strip().split("\n", 1)[0][:60], json.dumps(value[:40])[1:-1]):
        if needle:
            position = text.find(needle, start)
            if position >= 0:
                return lines.line(position)
    return None


def _fields(question: QuestionDoc) -> Iterator[tuple[str, str | None]]:
    yield "the question", question.text
    yield "the slug", question.slug
    yield "the intent", question.intent
    yield "the example answer", question.example_answer
    for point in question.talking_points or ():
        yield "a talking point", point
    for name in question.competencies:
        yield "a competency", name


def check_question(question: QuestionDoc, *, file: str, text: str = "") -> None:
    """Refuse a question that cannot be stored, at its line (looked for only when refusing)."""

    def at(value: str | None = None) -> int:
        line = question.line or _line_of(text, question.text) or 1
        return (_line_of(text, value, after=line) if value else None) or line

    if not question.text.strip():
        raise FormatError(file, at(), "a question with some text", "an empty one")
    for label, value in _fields(question):
        if value is not None and (problem := _problem(value)):
            raise FormatError(file, at(value), f"{label} as {_STORABLE}", problem)
        limit = MAX_LENGTHS.get(label)
        if value is not None and limit and len(value) > limit:
            raise FormatError(file, at(value), f"{label} of at most {limit:,} characters",
                              f"one of {len(value):,}")
    if question.slug is not None and (len(question.slug) > MAX_SLUG or not _SLUG.fullmatch(question.slug)):
        raise FormatError(file, at(question.slug), f"a slug of at most {MAX_SLUG} letters, digits and '-'",
                          f"the slug {shown(question.slug)}")
    for name in question.competencies:
        if len(name) > MAX_COMPETENCY:
            raise FormatError(file, at(name), f"competencies of at most {MAX_COMPETENCY} characters",
                              f"one of {len(name):,}")
        if "," in name:  # CSV and Markdown list competencies in one cell or line, separated by commas
            raise FormatError(file, at(name), "competencies without commas (one competency a name)",
                              f"the competency {shown(name)}")
    _check_points(question, file=file, at=at)


def _check_points(question: QuestionDoc, *, file: str, at) -> None:
    """At most MAX_TALKING_POINTS, listed or derived from the intent; no empty or repeated point."""
    points = question.talking_points
    if points is None and question.intent and sum(map(question.intent.count, ",;")) >= MAX_TALKING_POINTS - 1:
        points = parse_talking_points(question.intent)  # only a long list can give too many points
        if len(points) > MAX_TALKING_POINTS:
            raise FormatError(file, at(), f"an intent whose 'In your answer, …' list gives at most "
                                          f"{MAX_TALKING_POINTS} talking points",
                              f"{len(points):,} (list the points the answer should cover instead)")
        return
    if points is None:
        return
    if len(points) > MAX_TALKING_POINTS:
        raise FormatError(file, at(), f"at most {MAX_TALKING_POINTS} talking points for a question",
                          f"{len(points):,}")
    seen: set[str] = set()
    for point in points:
        if not point.strip():
            raise FormatError(file, at(), "talking points with some text", "an empty one")
        same = same_text(point)
        if same in seen:  # scored twice, it would count double in the coverage
            raise FormatError(file, at(point), "each talking point once", f"{shown(point)} twice")
        seen.add(same)


def _check_role(role: RoleDoc, *, file: str, text: str) -> None:
    def at(value: str | None = None) -> int:
        first = role.questions[0].line if role.questions else None
        found = _line_of(text, value) if value and value.strip() else None
        return found or (_line_of(text, role.name) if role.name.strip() else None) or first or 1

    for label, value in (("the role's name", role.name), ("the role's slug", role.slug),
                         ("the role's description", role.description)):
        if value is not None and (problem := _problem(value)):
            raise FormatError(file, at(value), f"{label} as {_STORABLE}", problem)
    if not role.name.strip():
        raise FormatError(file, at(), "a role with a name", "a role without one")
    if len(role.name) > MAX_NAME:
        raise FormatError(file, at(), f"a role name of at most {MAX_NAME} characters",
                          f"one of {len(role.name):,}")
    if role.slug is not None and (len(role.slug) > MAX_SLUG or not _SLUG.fullmatch(role.slug)):
        raise FormatError(file, at(role.slug), f"a role slug of at most {MAX_SLUG} letters, digits and '-'",
                          f"the slug {shown(role.slug)}")
    for question in role.questions:
        check_question(question, file=file, text=text)


def check_bank(bank: BankDoc, *, file: str, text: str = "") -> tuple[ImportWarning, ...]:
    """Refuse a parsed bank that cannot be stored whole; `text` (the file) helps find the line. Returns the
    warnings about what is stored as written but may not be meant (a question text given twice)."""
    for label, value in (("the bank's name", bank.name), ("the bank's source", bank.source),
                         ("the bank's licence", bank.licence), ("the bank's description", bank.description)):
        if value is None:
            continue
        if not isinstance(value, str):
            raise FormatError(file, 1, f"{label} as text", f"a {type(value).__name__}")
        if problem := _problem(value):
            raise FormatError(file, _line_of(text, value) or 1, f"{label} as {_STORABLE}", problem)
    if not bank.name.strip():
        raise FormatError(file, 1, "a bank with a name", "an empty name")
    if len(bank.name) > MAX_NAME:
        raise FormatError(file, _line_of(text, bank.name) or 1, f"a bank name of at most {MAX_NAME} characters",
                          f"one of {len(bank.name):,}")
    if bank.licence is not None and len(bank.licence) > MAX_LICENCE:
        raise FormatError(file, _line_of(text, bank.licence) or 1,
                          f"a licence of at most {MAX_LICENCE} characters",
                          f"one of {len(bank.licence):,}")
    for role in bank.roles:
        _check_role(role, file=file, text=text)
    return (_check_repeats(bank, file=file, text=text) + _check_guidance(bank, file=file, text=text)
            + similar_questions([(file, bank)], texts={file: text}))


SHOWN_UNGUIDED = 5  # questions without guidance named one by one; the rest counted


def _check_guidance(bank: BankDoc, *, file: str, text: str) -> tuple[ImportWarning, ...]:
    """Warn about questions that give feedback nothing to compare an answer with: no talking points (listed
    or from an intent). With an example answer the engine scores against it instead (basis `example_answer`);
    with neither, coverage is not scored at all. Not refused: question lists without guidance (Docusaurus
    pages) import by design, to be completed later."""
    warnings = []
    unguided = [question for role in bank.roles for question in role.questions
                if not (question.talking_points if question.talking_points is not None
                        else parse_talking_points(question.intent))]
    for question in unguided[:SHOWN_UNGUIDED]:
        line = question.line or _line_of(text, question.text)
        what = ("feedback will compare answers with its example answer" if not is_blank(question.example_answer)
                else "nor an example answer: feedback cannot score what an answer covers")
        warnings.append(ImportWarning(file, line, f"question {shown(question.text)} has no talking points and no "
                                                  f"intent to derive them from; {what}"))
    if len(unguided) > SHOWN_UNGUIDED:
        warnings.append(ImportWarning(file, None, f"and {len(unguided) - SHOWN_UNGUIDED} more questions without "
                                                  "talking points or intent"))
    return tuple(warnings)


def _check_repeats(bank: BankDoc, *, file: str, text: str) -> tuple[ImportWarning, ...]:
    """Refuse a question given twice in one role (the same slug, written or derived from its text).

    Stored, the second would quietly become "<slug>-2": a copy the file never meant to have. The same
    text under two slugs the file writes is two questions the file does mean (a bank that holds such a
    pair, from before suggestions were checked for repeats, exports it so): imported, with a warning.
    """
    # Where each question is: looked up in the text only for a message (a scan of the file per question
    # made a 1,000-question JSON file take half a minute to check).
    seen: dict[tuple[str, str], tuple[QuestionDoc, str, int]] = {}
    slugged: set[tuple[str, str]] = set()  # (role, text) pairs first given with a slug of their own
    role_names: dict[str, str] = {}  # the first role of each slug: roles of one slug are one role
    warnings: list[ImportWarning] = []
    occurrences: dict[str, int] = {}  # how often each value was met, to find the line of the next one

    def line_of(question: QuestionDoc, written: str, nth: int) -> int | None:
        return question.line or _nth_line(text, written, nth, slug=question.slug is not None)

    for role in bank.roles:
        role_key = role.slug or slugify(role.name)
        first_name = role_names.setdefault(role_key, role.name)
        one_role = (f"; the roles {first_name!r} and {role.name!r} have one slug, {role_key!r}, so they are one "
                    "role" if first_name != role.name else "")
        for question in role.questions:
            written = question.slug or question.text
            nth = occurrences[written] = occurrences.get(written, 0) + 1
            here = (question, written, nth)
            slug = question.slug or slugify(question.text)
            said = same_text(question.text)
            for key, what, hint in (((role_key, "slug", slug), f"the slug {slug!r}", "drop the repeat, or give "
                                     "it a slug of its own"),
                                    ((role_key, "text", said), "the same question text", "drop the repeat")):
                if key in seen:
                    line, first = line_of(*here), line_of(*seen[key])
                    where = ("twice on this line" if first == line else
                             f"here and at {file}:{first}" if first else "here and earlier in the file")
                    if key[1] == "text" and question.slug is not None and (role_key, said) in slugged:
                        warnings.append(ImportWarning(file, line, (
                            f"role {role.name!r} has the same question text {where}, under the slugs of two "
                            "questions: both are imported")))
                        continue
                    raise FormatError(file, line or 1, f"each question once in role {role.name!r}",
                                      f"{what} {where} ({hint}{one_role})")
                seen[key] = here
                if key[1] == "text" and question.slug is not None:
                    slugged.add((role_key, said))
    return tuple(warnings)


def _nth_line(text: str, value: str, nth: int, *, slug: bool) -> int | None:
    """The line of the nth place the value is written, or None: a slug after its label ("slug": "a",
    slug: a, - Slug: a), other text as is or JSON-escaped."""
    if slug:
        patterns = [re.compile(rf"slug\W{{0,4}}{re.escape(value)}(?![\w-])", re.IGNORECASE)]
    else:
        patterns = [re.compile(re.escape(needle)) for needle in
                    (value.strip().split("\n", 1)[0][:60], json.dumps(value[:40])[1:-1]) if needle]
    for pattern in patterns:
        found = list(itertools.islice(pattern.finditer(text), nth))
        if len(found) == nth:
            return LineIndex(text).line(found[-1].start())
    return None


_PUNCTUATION = re.compile(r"[^\w\s]")


def _alike(text: str) -> str:
    """What two question texts that differ only in case, spacing and punctuation have in common."""
    return same_text(_PUNCTUATION.sub(" ", text))


def similar_questions(files, *, texts: dict[str, str] | None = None, across_files: bool = False
                      ) -> tuple[ImportWarning, ...]:
    """Warn about two questions of an import whose texts differ only in case, spacing or punctuation ("How do you
    hire?" and "how do you hire"): probably one question written twice. `files` is (file, bank) pairs; a question
    is named by its line (found in `texts[file]` where the reader gave none). Within one role, texts that differ
    in case and spacing only are `_check_repeats`' to refuse; `across_files` limits the check to pairs of files."""
    first: dict[str, tuple[str, str, QuestionDoc]] = {}
    warnings = []
    for file, bank in files:
        for role in bank.roles:
            role_key = f"{slugify(bank.name)}/{role.slug or slugify(role.name)}"
            for question in role.questions:
                key = _alike(question.text)
                if key not in first:
                    first[key] = (file, role_key, question)
                    continue
                other_file, other_role, other = first[key]
                if question.text.strip() == other.text.strip() and other_role != role_key:
                    continue  # the same words in two roles: one question asked of both, on purpose
                if other_role == role_key and same_text(question.text) == same_text(other.text):
                    continue  # a repeat within its role, refused or said by _check_repeats
                if across_files and other_file == file:
                    continue  # said when its file was read

                def line(of: QuestionDoc, in_file: str) -> int | None:
                    return of.line or (_line_of(texts[in_file], of.text) if texts and in_file in texts else None)

                there = f"{other_file}:{line(other, other_file)}" if line(other, other_file) else other_file
                warnings.append(ImportWarning(file, line(question, file), (
                    f"question {shown(question.text)} differs from {shown(other.text)} at {there} only in case, "
                    "spacing or punctuation: probably the same question (both are imported; drop one, or word them "
                    "apart)")))
    return tuple(warnings)
