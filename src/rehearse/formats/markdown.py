"""Rehearse's own Markdown layout, readable by people and round-trippable.

    ---
    bank: Rehearse leadership bank
    source: Written by the Rehearse project
    licence: CC-BY-4.0
    ---

    ## Role: Engineering Manager
    Slug: engineering-manager

    Optional description of the role.

    ### How would you grow a team from 5 to 15 engineers?
    - Slug: em-grow-team
    - Kind: situational
    - Competencies: hiring, people-management

    #### Intent
    Interviewers ask this to ... In your answer, cover A, B, and C.

    #### Talking points
    1. A
    2. B, over two lines: a backslash ends the first\\
       and the second is indented

    #### Example answer
    The answer, any number of paragraphs.

A line of free text (a description, an intent, an example answer) that would read as structure
(a heading, a role's "Slug:" line) is written with a backslash before it, as Markdown escapes
"\\#"; the reader drops one leading backslash from every such line, so any text comes back as it was.
"""

from __future__ import annotations

import difflib
import re

import yaml

from .checks import shown
from .model import BankDoc, FormatError, ParseResult, QuestionDoc, RoleDoc, detect_kind, lines_of

_FIELD = re.compile(r"^-\s+(?P<key>Slug|Kind|Competencies):\s*(?P<value>.*)$", re.IGNORECASE)
_NUMBERED = re.compile(r"^\s*(?:\d+[.)]|[-*])\s+(?P<text>.+)$")
_SECTIONS = {"intent": "intent", "talking points": "talking_points", "example answer": "example_answer"}
# Free-text lines the reader would take for structure, and lines that already start with the escape.
_STRUCTURE = re.compile(r"^(?:#|\\|Slug:)", re.IGNORECASE)
# A numbered item ("1. …", "2) …"): under Intent it is refused when the question has no Talking points section
# (a forgotten heading would make the list part of the intent), so an intent's own such lines are escaped.
_NUMBERED_ITEM = re.compile(r"^\s*\d+[.)]\s+\S")


def _escaped(text: str, numbered: bool = False) -> str:
    """Free text with a backslash before each line that would read as structure (and, for an intent, before
    each line that would read as a numbered talking point)."""
    return "\n".join(f"\\{line}" if _STRUCTURE.match(line) or (numbered and _NUMBERED_ITEM.match(line)) else line
                     for line in text.split("\n"))


def _item(number: int, point: str) -> list[str]:
    """A talking point as a numbered item: a line break inside it is a hard line break (a backslash at the end
    of the line, as Markdown writes one) and the next line is indented under the item, so that the reader
    keeps the break and no line of the point reads as an item, a heading or a section of its own."""
    marker = f"{number}. "
    lines = point.split("\n")
    return [f"{marker if index == 0 else ' ' * len(marker)}{line}{'' if index == len(lines) - 1 else chr(92)}"
            for index, line in enumerate(lines)]


_SECTION_HEADINGS = {"intent": "#### Intent", "talking points": "#### Talking points",
                     "example answer": "#### Example answer"}


def _meant_section(title: str) -> str | None:
    """The section heading a heading of another level, or a misspelt one, probably meant ("Talking Point",
    "Exmaple answer"), or None."""
    wanted = title.strip().lower().rstrip(":")
    match = difflib.get_close_matches(wanted, _SECTION_HEADINGS, n=1, cutoff=0.75)
    return _SECTION_HEADINGS[match[0]] if match else None


def _unescaped(line: str) -> str:
    return line[1:] if line.startswith("\\") else line


def _front_matter(lines: list[str], file: str) -> tuple[dict, int]:
    if not lines or lines[0].strip() != "---":
        return {}, 0
    for index in range(1, len(lines)):
        if lines[index].strip() == "---":
            try:
                meta = yaml.safe_load("\n".join(lines[1:index])) or {}
            except (yaml.YAMLError, RecursionError) as error:
                problem = getattr(error, "problem", None) or ("nested too deeply" if isinstance(error, RecursionError)
                                                              else "it does not parse")
                raise FormatError(file, 2, "valid YAML front matter between '---' lines",
                                  f"front matter that is not valid YAML ({problem})") from None
            if not isinstance(meta, dict):
                raise FormatError(file, 2, "front matter with 'key: value' lines",
                                  f"a {type(meta).__name__} where the keys should be")
            return _text_fields(meta, lines[1:index], file), index + 1
    raise FormatError(file, 1, "a closing '---' line for the front matter", "the end of the file first")


def _text_fields(meta: dict, lines: list[str], file: str) -> dict:
    """The front matter's bank fields as text: numbers and dates are written as they read, lists refused."""
    fields = {}
    for key in ("bank", "source", "licence", "description"):
        value = meta.get(key)
        if value is None or value == "":
            continue
        if isinstance(value, (dict, list, set, bytes)):
            line = next((n for n, line in enumerate(lines, start=2) if line.startswith(f"{key}:")), 2)
            raise FormatError(file, line, f"'{key}:' followed by text", f"a {type(value).__name__} after it")
        fields[key] = str(value)
    credited = meta.get("contributors") or []
    if not isinstance(credited, list):
        line = next((n for n, line in enumerate(lines, start=2) if line.startswith("contributors:")), 2)
        raise FormatError(file, line, "'contributors:' followed by a list of names",
                          f"a {type(credited).__name__} after it")
    fields["contributors"] = tuple(dict.fromkeys(str(name) for name in credited if name))
    return fields


def read_markdown(text: str, file: str = "<markdown>") -> ParseResult:
    lines = lines_of(text)
    meta, start = _front_matter(lines, file)
    bank_name = meta.get("bank")
    roles: list[dict] = []
    question: dict | None = None
    section: str | None = None
    role_intro: list[str] = []

    def finish_question() -> None:
        if question is not None:
            if question["numbered_intent"] and "talking_points" not in question["sections"]:
                raise FormatError(file, question["numbered_intent"], "prose under '#### Intent'",
                                  "a numbered list (did you mean '#### Talking points'? put that heading before the "
                                  "list)")
            roles[-1]["questions"].append(question)

    for number, raw in enumerate(lines[start:], start=start + 1):
        line = raw.rstrip()
        if line.startswith("# ") and not bank_name:
            bank_name = line[2:].strip()
        elif line.startswith(("## ", "### ")) and question is not None and (meant := _meant_section(
                line.lstrip("#"))):
            starts = "role" if line.startswith("## ") else "question"
            raise FormatError(file, number, f"{meant!r}, probably", f"{line.strip()!r}, which would start a new "
                              f"{starts} named {line.lstrip('#').strip()!r} (a question's sections have four #)")
        elif line.startswith("## "):
            finish_question()
            question, section = None, None
            name = re.sub(r"^Role:\s*", "", line[3:].strip(), flags=re.IGNORECASE)
            if not name:
                raise FormatError(file, number, "a role name after '## Role:'", "none")
            roles.append({"name": name, "slug": None, "description": [], "questions": [], "line": number})
            role_intro = roles[-1]["description"]
        elif line.startswith("### "):
            if not roles:
                raise FormatError(file, number, "a '## Role: …' heading before the first question",
                                  f"the question {line[4:].strip()!r} first")
            finish_question()
            question = {"text": line[4:].strip(), "line": number, "fields": {}, "intent": [], "talking_points": [],
                        "example_answer": [], "sections": set(), "numbered_intent": None}
            section = None
        elif line.startswith("#### "):
            if question is None:
                raise FormatError(file, number, "a '### question' heading before this section",
                                  f"the section {line.strip()!r} outside any question")
            title = line[5:].strip().lower().rstrip(":")
            if title not in _SECTIONS:
                meant = _meant_section(title)
                raise FormatError(file, number, "a section named 'Intent', 'Talking points' or 'Example answer'",
                                  f"{line.strip()!r}" + (f" (did you mean {meant!r}?)" if meant else ""))
            section = _SECTIONS[title]
            question["sections"].add(section)
        elif question is None:
            if roles and re.match(r"^Slug:\s*", line, re.IGNORECASE) and roles[-1]["slug"] is None:
                roles[-1]["slug"] = line.split(":", 1)[1].strip()
            elif roles:
                role_intro.append(_unescaped(raw))
        elif section is None:
            match = _FIELD.match(line)
            if match:
                question["fields"][match.group("key").lower()] = match.group("value").strip()
            elif line.strip():
                raise FormatError(file, number, "'- Slug:', '- Kind:', '- Competencies:' or a '#### ' section "
                                                "under a question heading", f"{shown(line.strip())}")
        elif section == "talking_points":
            points = question["talking_points"]
            if points and points[-1].endswith("\\") and raw[:1].isspace() and line.strip():
                # After a backslash at the end of a line (Markdown's hard line break), an indented line is the
                # point's next line: the break is kept, and so is any indent beyond the item's own.
                indent = min(question["point_indent"], len(line) - len(line.lstrip()))
                points[-1] = points[-1][:-1] + "\n" + line[indent:]
            elif match := _NUMBERED.match(line):
                points.append(match.group("text").strip())
                question["point_indent"] = match.start("text")
            elif line.strip() and raw[:1].isspace() and question["talking_points"]:
                # An indented line continues the item above it (a hard-wrapped item), as in Markdown.
                question["talking_points"][-1] += " " + line.strip()
            elif line.strip():
                raise FormatError(file, number, "a numbered talking point such as '1. …'",
                                  f"{shown(line.strip())} (an indented line continues the point above)")
        else:
            if section == "intent" and not question["numbered_intent"] and _NUMBERED_ITEM.match(raw):
                question["numbered_intent"] = number
            question[section].append(_unescaped(raw))
    finish_question()

    if not bank_name:
        raise FormatError(file, 1, "a bank name: front matter 'bank: …' or a '# Title' line", "neither")
    if not roles:
        raise FormatError(file, len(lines) or 1, "at least one '## Role: …' section",
                          "none before the end of the file")
    return ParseResult(bank=BankDoc(
        name=str(bank_name),
        source=meta.get("source"),
        licence=meta.get("licence"),
        description=meta.get("description"),
        contributors=meta.get("contributors", ()),
        roles=tuple(_role(role, file) for role in roles),
    ))


def _paragraphs(lines: list[str]) -> str | None:
    return "\n".join(lines).strip() or None


def _role(role: dict, file: str) -> RoleDoc:
    questions = []
    for q in role["questions"]:
        kind = q["fields"].get("kind") or None
        if kind and kind.lower() not in ("behavioural", "situational", "other"):
            raise FormatError(file, q["line"], "'- Kind:' to be behavioural, situational or other",
                              f"the kind {shown(kind)}")
        competencies = tuple(c.strip().lower() for c in q["fields"].get("competencies", "").split(",") if c.strip())
        questions.append(
            QuestionDoc(
                text=q["text"],
                slug=q["fields"].get("slug") or None,
                kind=kind.lower() if kind else detect_kind(q["text"]),
                competencies=competencies,
                intent=_paragraphs(q["intent"]),
                talking_points=tuple(q["talking_points"]) if q["talking_points"] else None,
                example_answer=_paragraphs(q["example_answer"]),
                line=q["line"],
            )
        )
    return RoleDoc(name=role["name"], slug=role["slug"] or None, description=_paragraphs(role["description"]),
                   questions=tuple(questions))


def write_markdown(bank: BankDoc) -> str:
    meta = {key: value for key, value in
            (("bank", bank.name), ("source", bank.source), ("licence", bank.licence), ("description", bank.description),
             ("contributors", list(bank.contributors)))
            if value}
    out = ["---", yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=10_000).strip(), "---", ""]
    for role in bank.roles:
        out.append(f"## Role: {role.name}")
        if role.slug:
            out.append(f"Slug: {role.slug}")
        out.append("")
        if role.description:
            out += [_escaped(role.description), ""]
        for q in role.questions:
            out.append(f"### {q.text}")
            if q.slug:
                out.append(f"- Slug: {q.slug}")
            if q.kind:
                out.append(f"- Kind: {q.kind}")
            if q.competencies:
                out.append(f"- Competencies: {', '.join(q.competencies)}")
            out.append("")
            if q.intent:
                out += ["#### Intent", _escaped(q.intent, numbered=True), ""]
            if q.talking_points:
                out.append("#### Talking points")
                out += [line for i, point in enumerate(q.talking_points, start=1) for line in _item(i, point)]
                out.append("")
            if q.example_answer:
                out += ["#### Example answer", _escaped(q.example_answer), ""]
    return "\n".join(out).rstrip() + "\n"
