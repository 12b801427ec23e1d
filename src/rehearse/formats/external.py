"""Two real-world layouts written by others.

* A folder tree with one Markdown file per question ("Why This Is Asked",
  "Key Points to Cover", "Example Response"); the folder names are
  competencies and a `questions.md` in a folder is only an index.
* A Docusaurus page listing questions as Markdown lists, with front matter and
  MDX lines (imports, JSX tags) to skip; questions come without guidance.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path, PurePath

from .checks import check_question
from .model import (
    BankDoc,
    FormatError,
    ImportWarning,
    ParseResult,
    QuestionDoc,
    RoleDoc,
    decode,
    detect_kind,
    lines_of,
    unreadable,
)

_SECTION = re.compile(r"^##\s+(?P<title>.+?)\s*$")
_BULLET = re.compile(r"^\s*[-*]\s+(?P<text>.+)$")


def is_question_file(text: str) -> bool:
    return bool(re.search(r"^##\s+(Why This Is Asked|Key Points to Cover)\s*$", text, re.MULTILINE))


def _competency(folder_name: str) -> str:
    """'04_hiring_and_team_building' -> 'hiring-and-team-building'."""
    return re.sub(r"^\d+[_-]*", "", folder_name).replace("_", "-").lower() or folder_name.lower()


# The sections of the one-question-per-file layout: the first three are read, the others are known and skipped.
_READ_SECTIONS = ("Why This Is Asked", "Key Points to Cover", "Example Response")
_KNOWN_SECTIONS = (*_READ_SECTIONS, "Tips", "STAR Method Answer Template", "Companies Known to Ask This")


def _misspelt_section(title: str) -> str | None:
    """The read section a heading misspells ("Key Point to Cover", "Exmaple Response"), or None."""
    known = {name.lower(): name for name in _KNOWN_SECTIONS}
    if title.strip().lower() in known:
        return None
    match = difflib.get_close_matches(title.strip().lower(), known, n=1, cutoff=0.75)
    return known[match[0]] if match and known[match[0]] in _READ_SECTIONS else None


def read_question_file(text: str, file: str, competency: str | None = None) -> QuestionDoc:
    lines = lines_of(text)
    title = next(((n, line[2:].strip()) for n, line in enumerate(lines, 1) if line.startswith("# ")), None)
    if title is None:
        raise FormatError(file, 1, "a '# question' title line", "no line that starts with '# '")
    sections: dict[str, list[str]] = {}
    current = None
    for line in lines[title[0]:]:
        match = _SECTION.match(line)
        if match:
            current = match.group("title").lower()
            sections[current] = []
        elif current is not None:
            sections[current].append(line)
    for number, line in enumerate(lines[title[0]:], start=title[0] + 1):
        if (match := _SECTION.match(line)) and (meant := _misspelt_section(match.group("title"))):
            raise FormatError(file, number, f"'## {meant}', probably",
                              f"{line.strip()!r}, which is no section of this layout, so what it holds would be "
                              "left out")
    if "key points to cover" not in sections:
        raise FormatError(file, title[0], "a '## Key Points to Cover' section with a bulleted list",
                          f"only the sections {', '.join(repr(name.title()) for name in sections)}" if sections
                          else "no '## ' section under the title")
    points = tuple(m.group("text").strip() for m in map(_BULLET.match, sections["key points to cover"]) if m)
    response = "\n".join(sections.get("example response", [])).strip() or None
    intent = " ".join(" ".join(sections.get("why this is asked", [])).split()) or None
    return QuestionDoc(
        text=title[1], kind=detect_kind(title[1]), competencies=(competency,) if competency else (),
        intent=intent, talking_points=points or None, example_answer=response, line=title[0],
    )


def read_question_tree(folder: Path) -> ParseResult:
    """Every question file under the folder; the folder's name becomes the bank and role."""
    questions, skipped = [], []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        relative = path.relative_to(folder)
        if any(part.startswith(".") for part in relative.parts) or path.name.upper().startswith(_NOT_CONTENT):
            continue  # .git, README, LICENSE: never questions
        if path.suffix.lower() != ".md":
            skipped.append(ImportWarning(str(path), None, "skipped: a folder imports Markdown question files "
                                                          "(.md) only"))
            continue
        try:
            data = path.read_bytes()
        except OSError as error:
            raise FormatError(str(path), None, "a readable file", unreadable(error)) from None
        text = decode(data, str(path))
        if not is_question_file(text):
            if path.name.lower() != "questions.md":  # the layout's own indexes are skipped without a word
                skipped.append(ImportWarning(str(path), None, "skipped: not a question file (no '## Key Points "
                                                              "to Cover' section)"))
            continue
        competency = _competency(path.parent.name) if path.parent != folder else None
        question = read_question_file(text, str(path), competency)
        check_question(question, file=str(path), text=text)
        questions.append(question)
    if not questions:
        raise FormatError(str(folder), None, "Markdown question files with a '## Key Points to Cover' section",
                          "none in the folder")
    name = folder.resolve().name
    role = RoleDoc(name=name.replace("-", " ").replace("_", " ").title(), questions=tuple(questions))
    return ParseResult(bank=BankDoc(name=name, source=folder.name, roles=(role,)), warnings=tuple(skipped))


_NOT_CONTENT = ("README", "LICENSE", "LICENCE", "CHANGELOG", "CONTRIBUTING")


def is_docusaurus(text: str) -> bool:
    return text.startswith("---") and bool(re.search(r"^(id|title|sidebar_label):", text[:2000], re.MULTILINE))


_MDX = re.compile(r"^\s*(import\s|export\s|<[A-Za-z/!]|\{/\*)")
_LIST_ITEM = re.compile(r"^\s*(?:\d+[.)]|[-*])\s+(?P<text>.+?)\s*$")


def read_docusaurus(text: str, file: str = "<docusaurus>") -> ParseResult:
    lines = lines_of(text)
    title, start = None, 0
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is None:
            raise FormatError(file, 1, "a closing '---' for the front matter", "the end of the file first")
        for line in lines[1:end]:
            if line.startswith("title:"):
                title = line.split(":", 1)[1].strip().strip("'\"")
        start = end + 1
    questions, in_jsx = [], False
    prose: tuple[int, str] | None = None  # the first line of content, for a page that lists no question
    other_items: list[tuple[int, str]] = []  # list items that are no questions, likewise
    for number, line in enumerate(lines[start:], start=start + 1):
        stripped = line.strip()
        if stripped.startswith("<") and not stripped.endswith("/>") and not stripped.startswith("</"):
            in_jsx = not re.search(r"</\w+>\s*$", stripped)
            continue
        if in_jsx:
            in_jsx = not stripped.startswith("</")
            continue
        if _MDX.match(line):
            continue
        prose = prose or ((number, stripped) if stripped else None)
        match = _LIST_ITEM.match(line)
        if not match:
            continue
        question = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", match.group("text"))  # keep link text only
        question = re.sub(r"(?<!\w)([_*]{1,2})(\S.*?\S|\S)\1(?!\w)", r"\2", question)  # drop *emphasis*
        question = question.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        if len(question.split()) < 3 or not re.search(r"[?.]$", question):
            other_items.append((number, stripped))
            continue  # navigation or prose bullets rather than questions
        questions.append(QuestionDoc(text=question, kind=detect_kind(question), line=number))
    if not questions:
        raise FormatError(file, prose[0] if prose else min(start + 1, len(lines)) or 1,
                          "a Markdown list of questions (numbered or bulleted items of three words or more that end "
                          "in '?' or '.')", _no_question_list(prose, other_items))
    seen, unique = set(), []
    for q in questions:
        if q.text.casefold() not in seen:
            seen.add(q.text.casefold())
            unique.append(q)
    name = title or Path(file).stem
    role = RoleDoc(name=name, questions=tuple(unique))
    return ParseResult(bank=BankDoc(name=name, source=PurePath(file).name, roles=(role,)))


def _no_question_list(prose: tuple[int, str] | None, other_items: list[tuple[int, str]]) -> str:
    """What a Docusaurus page holds instead of a question list: most often it is an article (prose, a few
    bullets that are no questions), which no import can turn into a bank."""
    if prose is None:
        return "nothing after the front matter but MDX imports and components"
    found = f"prose from this line on ({_clipped(prose[1])})"
    if other_items:
        count = len(other_items)
        found += (f" and {count} list item{'s that are not questions' if count > 1 else ' that is not a question'} "
                  f"(line {other_items[0][0]}: {_clipped(other_items[0][1])})")
    else:
        found = f"only {found}"
    return f"{found}: this page looks like an article, not a list of questions"


def _clipped(line: str) -> str:
    """A line as a message quotes it: its first words only, enough to find it in the file."""
    return repr(line if len(line) <= _QUOTED else line[:_QUOTED].rsplit(" ", 1)[0].rstrip(",;:") + "…")


_QUOTED = 60  # characters of a line a message quotes: enough to recognise it, short enough to read
