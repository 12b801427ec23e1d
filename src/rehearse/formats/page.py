"""The published-page format: a title, an intro, the list of questions, "-", then one block per question.

A block is the question, the "Employers ask ..." guidance, `Answer Example: "..."`
and the line "Help us improve this answer. / -". The list at the top is checked
against the blocks; a mismatch is a warning that names the lines.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import PurePath

from .checks import shown
from .model import (
    BankDoc,
    FormatError,
    ImportWarning,
    ParseResult,
    QuestionDoc,
    RoleDoc,
    detect_kind,
    lines_of,
    same_text,
)
from .talking_points import parse_talking_points

ANSWER_PREFIX = "Answer Example:"
IMPROVE_LINE = re.compile(r"^Help us improve this answer\.\s*(/\s*-?)?\s*$")
_TITLE_SUFFIX = re.compile(r"\s+Interview Questions\s*$", re.IGNORECASE)
_FOR_ROLE = re.compile(r"^Interview Questions for\s+(?P<role>.+)$", re.IGNORECASE)
_QUOTES = "\"“”"
# Lines a Rehearse export adds, which published pages never have: the bank's own details before the first
# page ("Bank: …", one a line), and talking points that the guidance does not say ("Talking point: …").
_BANK_FIELD = re.compile(r"^(?P<key>Bank|Source|Licence|Contributors):\s*(?P<value>.*)$")
_POINT_LINE = re.compile(r"^Talking point:\s*(?P<point>.+)$")
# A question whose text another question of its role repeats (two such were accepted before suggestions
# were checked for repeats) is told apart by its slug, written "Slug: …" under it.
_SLUG_LINE = re.compile(r"^Slug:\s*(?P<slug>\S+)$")
CONTRIBUTOR_SEPARATOR = "; "
# The intro line an export writes for a role without a description (a page needs one): read back as no description.
GENERATED_INTRO = "Practice questions for {role}."
PAGE_OMITS = frozenset({"kind", "competencies"})  # a page has no place for them: re-imports keep the stored ones


_TITLE_EXPECTED = "a title line such as 'Head of Software Engineering Interview Questions'"


def _numbered(text: str) -> list[tuple[int, str]]:
    return [(number, line.rstrip()) for number, line in enumerate(lines_of(text), start=1)]


def read_page(text: str, file: str = "<page>") -> ParseResult:
    """Parse a page (or several pages, one per role, one after another).

    Raises FormatError naming the line where the structure breaks.
    """
    lines = [(n, line) for n, line in _numbered(text) if line.strip()]
    if not lines:
        raise FormatError(file, 1, _TITLE_EXPECTED, "an empty page")
    meta: dict[str, str] = {}
    while lines and (field := _BANK_FIELD.match(lines[0][1].strip())):
        meta[field.group("key").lower()] = field.group("value").strip()
        lines = lines[1:]
    if not lines:
        raise FormatError(file, 1, _TITLE_EXPECTED, "only 'Bank:', 'Source:', 'Licence:' or "
                                                 "'Contributors:' lines, and no page after them")
    roles, warnings = [], []
    for page in _split_pages(lines):
        role, page_warnings = _read_one_page(page, file)
        roles.append(role)
        warnings += page_warnings
    contributors = tuple(name.strip() for name in meta.get("contributors", "").split(CONTRIBUTOR_SEPARATOR.strip())
                         if name.strip())
    # A published page is its own source; an export (it starts with "Bank: …") says its bank's, or that it has none.
    source = meta.get("source") or (None if "bank" in meta else PurePath(file).name)
    bank = BankDoc(name=meta.get("bank") or lines[0][1].strip(), roles=tuple(roles),
                   source=source, licence=meta.get("licence") or None,
                   contributors=contributors)
    return ParseResult(bank=bank, warnings=tuple(warnings))


def _split_pages(lines: list[tuple[int, str]]) -> list[list[tuple[int, str]]]:
    """A new page starts after a block's closing line when a title, an intro (of one line or more: a role's
    description may hold line breaks) and a heading follow, before any answer."""
    starts = [0]
    for index in range(1, len(lines) - 2):
        if IMPROVE_LINE.match(lines[index - 1][1].strip()) and _heading_follows(lines, index + 2):
            starts.append(index)
    return [lines[start:end] for start, end in zip(starts, starts[1:] + [len(lines)], strict=True)]


def _heading_follows(lines: list[tuple[int, str]], index: int) -> bool:
    """Whether an "Interview Questions for …" heading is at `index` or after it, before the next block's answer."""
    for _, line in lines[index:]:
        line = line.strip()
        if _FOR_ROLE.match(line):
            return True
        if line == "-" or line.startswith(ANSWER_PREFIX) or IMPROVE_LINE.match(line):
            return False
    return False


def _joined(lines: list[tuple[int, str]]) -> str | None:
    """Lines, each with the count of blank lines before it, as one text: line breaks and blank lines kept, so that
    a hard-wrapped intent or a description of paragraphs reads as written (and re-imports unchanged)."""
    parts: list[str] = []
    for blanks, line in lines:
        parts += [""] * blanks if parts else []
        parts.append(line.strip())
    return "\n".join(parts).strip() or None


def _blanks_before(lines: list[tuple[int, str]], index: int) -> int:
    """How many blank lines (left out of `lines`) come before the line at `index`."""
    return lines[index][0] - lines[index - 1][0] - 1 if index else 0


def _read_one_page(lines: list[tuple[int, str]], file: str) -> tuple[RoleDoc, list[ImportWarning]]:
    title = lines[0][1]
    separator_index = next((i for i, (_, line) in enumerate(lines) if line.strip() == "-"), None)
    if separator_index is None:
        raise FormatError(file, lines[-1][0], "a line holding only '-' after the list of questions",
                          "the end of the file without one (so no question block could start)")

    header = lines[1:separator_index]
    if _FOR_ROLE.match(title.strip()):
        # "Interview Questions for X" on the first line: the title above it is missing, and the page cannot be
        # read unambiguously (the bank would be named after the heading, the first question read as the intro).
        raise FormatError(file, lines[0][0], f"a title line such as '{_FOR_ROLE.match(title.strip()).group('role')} "
                          f"Interview Questions' (and an intro line) before '{title.strip()}'",
                          f"{shown(title.strip())} as the first line")
    role_name = _TITLE_SUFFIX.sub("", title).strip() or title.strip()
    intro, listed, list_started = [], [], False
    for number, line in header:
        match = _FOR_ROLE.match(line.strip())
        if match:
            role_name, list_started = match.group("role").strip(), True
        elif list_started:
            listed.append((number, line.strip()))
        else:
            intro.append((_blanks_before(header, len(intro)), line))
    if not list_started:  # no "Interview Questions for" heading: the intro is one line, the rest the list
        intro, listed = [(0, line) for _, line in header[:1]], [(n, line.strip()) for n, line in header[1:]]

    questions = _read_blocks(lines[separator_index + 1 :], file, after_line=lines[separator_index][0],
                             listed=listed)
    description = _joined(intro)
    if description == GENERATED_INTRO.format(role=role_name):
        description = None  # what an export writes in place of a description, not one
    role = RoleDoc(name=role_name, questions=tuple(questions), description=description)
    return role, _cross_check(file, listed, questions)


def _not_a_listed_question(file: str, listed_texts: dict[str, int], question: str, question_line: int,
                           number: int, line: str) -> None:
    """A block ends with "Help us improve this answer. / -"; when that line is missing, the next question would
    be read into this block's guidance or answer (one question lost, another's answer corrupted): refused."""
    text = _normal(line)
    if text in listed_texts and text != _normal(question):
        raise FormatError(
            file, number,
            f"the line 'Help us improve this answer. / -' closing the block that starts on line {question_line}",
            f"the question listed on line {listed_texts[text]} first (is that closing line missing before it?)")


def _read_blocks(lines: list[tuple[int, str]], file: str, after_line: int,
                 listed: list[tuple[int, str]] = ()) -> list[QuestionDoc]:
    questions: list[QuestionDoc] = []
    listed_texts = {_normal(text): number for number, text in listed}
    index = 0
    while index < len(lines):
        question_line, question = lines[index]
        question = question.strip()
        if question.startswith(ANSWER_PREFIX) or IMPROVE_LINE.match(question):
            raise FormatError(file, question_line, "a question line to start the next block",
                              f"{shown(question)} (is the question line missing above it?)")

        index += 1
        intent_parts, points, slug = [], [], None
        while index < len(lines) and not lines[index][1].lstrip().startswith(ANSWER_PREFIX):
            number, line = lines[index]
            if IMPROVE_LINE.match(line.strip()):
                raise FormatError(file, number, f"'{ANSWER_PREFIX} \"…\"' for the question on line {question_line}",
                                  f"{shown(line.strip())} before any '{ANSWER_PREFIX}' line")
            _not_a_listed_question(file, listed_texts, question, question_line, number, line)
            if point := _POINT_LINE.match(line.strip()):
                points.append(point.group("point").strip())
            elif slug is None and not intent_parts and (given := _SLUG_LINE.match(line.strip())):
                slug = given.group("slug")
            else:
                intent_parts.append((_blanks_before(lines, index), line))
            index += 1
        if index >= len(lines):
            last = lines[-1][0]
            raise FormatError(file, last, f"'{ANSWER_PREFIX} \"…\"' for the question on line {question_line}",
                              "the end of the file first (is it truncated?)")
        answer_line, answer_text = lines[index]
        answer_parts = [answer_text.strip()[len(ANSWER_PREFIX) :].strip()]
        index += 1
        while index < len(lines) and not IMPROVE_LINE.match(lines[index][1].strip()):
            # Blank lines were left out of `lines`; inside an answer they are its paragraph breaks.
            _not_a_listed_question(file, listed_texts, question, question_line, *lines[index])
            answer_parts += [""] * (lines[index][0] - lines[index - 1][0] - 1)
            answer_parts.append(lines[index][1].strip())
            index += 1
        if index >= len(lines):
            unclosed = not answer_parts[-1].rstrip().endswith(tuple(_QUOTES))
            missing = (f"the closing quote of the example answer that starts on line {answer_line}" if unclosed
                       else f"the line 'Help us improve this answer. / -' closing the block that starts on line "
                            f"{question_line}")
            raise FormatError(file, lines[-1][0], missing, "the end of the file first (is it truncated?)")
        index += 1  # the "Help us improve" line
        answer = "\n".join(answer_parts).strip()
        if len(answer) < 2 or answer[0] not in _QUOTES or answer[-1] not in _QUOTES:
            raise FormatError(file, answer_line, "an example answer in quotes after 'Answer Example:'",
                              f"{shown(answer)} after it, not in quotes at both ends" if answer
                              else "nothing after it")
        intent = _joined(intent_parts)
        questions.append(
            QuestionDoc(
                text=question,
                slug=slug,
                kind=detect_kind(question),
                intent=intent,
                talking_points=tuple(points) if points else None,
                omitted=PAGE_OMITS,
                example_answer=answer[1:-1].strip(),
                line=question_line,
            )
        )
    if not questions:
        raise FormatError(file, after_line, "at least one question block after this '-' line",
                          "the end of the file")
    return questions


def _normal(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def _cross_check(file: str, listed: list[tuple[int, str]], questions: list[QuestionDoc]) -> list[ImportWarning]:
    warnings = []
    block_texts = {_normal(q.text): q for q in questions}
    listed_texts = {_normal(text): number for number, text in listed}
    for number, text in listed:
        if _normal(text) not in block_texts:
            warnings.append(ImportWarning(file, number, f"listed question has no answer block: {shown(text)}"))
    for question in questions:
        if _normal(question.text) not in listed_texts:
            warnings.append(
                ImportWarning(file, question.line,
                              f"question block is missing from the list at the top: {shown(question.text)}")
            )
    listed_order = [t for t in (_normal(text) for _, text in listed) if t in block_texts]
    block_order = [t for t in (_normal(q.text) for q in questions) if t in listed_texts]
    if listed_order != block_order:
        first_line = listed[0][0] if listed else None
        warnings.append(ImportWarning(file, first_line, "the list at the top and the blocks are in a different order"))
    return warnings


def write_page(bank: BankDoc) -> str:
    """One page per role is the format's unit; several roles are written one after another, after the bank's
    details. Talking points the guidance's "In your answer, …" does not give are written one a line."""
    header = [f"{key}: {value}" for key, value in (
        ("Bank", bank.name), ("Source", bank.source), ("Licence", bank.licence),
        ("Contributors", CONTRIBUTOR_SEPARATOR.join(bank.contributors))) if value]
    chunks = ["\n".join(header) + "\n"]
    for role in bank.roles:
        out = [f"{role.name} Interview Questions"]
        out.append(role.description or GENERATED_INTRO.format(role=role.name))
        out.append(f"Interview Questions for {role.name}")
        out.extend(question.text for question in role.questions)
        out.append("-")
        said = Counter(same_text(question.text) for question in role.questions)
        for question in role.questions:
            out.append(question.text)
            if question.slug and said[same_text(question.text)] > 1:
                out.append(f"Slug: {question.slug}")
            if question.intent:
                out.append(question.intent)
            if question.talking_points and tuple(parse_talking_points(question.intent)) != question.talking_points:
                out.extend(f"Talking point: {' '.join(point.split())}" for point in question.talking_points)
            out.append(f'{ANSWER_PREFIX} "{question.example_answer or ""}"')
            out.append("Help us improve this answer. / -")
        chunks.append("\n".join(out) + "\n")
    return "\n".join(chunks)
