"""JSON and YAML banks: the same document shape, validated with line numbers in errors.

    bank: {name, source, licence, description}
    roles:
      - {name, slug, description, questions: [{slug, text, kind, competencies,
         intent, talking_points, example_answer}]}

A talking point is a string, or {point, looks_like} with a line saying what covering it
looks like.
"""

from __future__ import annotations

import json
import re
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .checks import shown
from .model import BankDoc, FormatError, LineIndex, ParseResult, QuestionDoc, RoleDoc, detect_kind, lines_of


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


LOOKS_LIKE_OPEN = " (looks like: "  # a point kept with its line: "point (looks like: …)"


def without_looks_like(point: str) -> str:
    """The point alone, its "(looks like: …)" line dropped."""
    head, sep, _ = point.partition(LOOKS_LIKE_OPEN)
    return head if sep and point.endswith(")") else point


class _PointIn(_Strict):
    """A talking point with what covering it looks like (a line the feedback engine reads)."""

    point: str = Field(min_length=1)
    looks_like: str | None = None

    def as_text(self) -> str:
        return f"{self.point}{LOOKS_LIKE_OPEN}{self.looks_like})" if self.looks_like else self.point


class _QuestionIn(_Strict):
    text: str = Field(min_length=1)
    slug: str | None = None
    kind: Literal["behavioural", "situational", "other"] | None = None
    competencies: list[str] = []
    intent: str | None = None
    talking_points: list[str | _PointIn] | None = None
    example_answer: str | None = None

    @field_validator("talking_points")
    @classmethod
    def _points_as_text(cls, value: list[str | _PointIn] | None) -> list[str] | None:
        """A point given with `looks_like` is kept as one text, "point (looks like: …)": it is
        shown so on the question page, edited as one line, and the engine reads the whole of it
        as the point and the part before the brackets as its core phrase."""
        if value is None:
            return None
        return [item.as_text() if isinstance(item, _PointIn) else item for item in value]

    @field_validator("competencies", mode="before")
    @classmethod
    def _split_string(cls, value: Any) -> Any:
        return [part.strip() for part in value.split(",") if part.strip()] if isinstance(value, str) else value


class _RoleIn(_Strict):
    name: str = Field(min_length=1)
    slug: str | None = None
    description: str | None = None
    questions: list[_QuestionIn] = []


class _BankMetaIn(_Strict):
    name: str = Field(min_length=1)
    source: str | None = None
    licence: str | None = None
    description: str | None = None
    contributors: list[str] = []  # credited for accepted suggestions; kept with the bank on import


class _BankFileIn(_Strict):
    bank: _BankMetaIn
    roles: list[_RoleIn] = Field(min_length=1)


class _LineLoader(yaml.SafeLoader):
    """A safe loader that remembers the line of every mapping, of each of its keys and of each sequence item."""

    lines: LineIndex | None = None

    def line_of(self, mark: yaml.Mark) -> int:
        # YAML also counts U+0085, U+2028 and U+2029 as line breaks; editors (and messages) do not.
        if self.lines is None:
            self.lines = LineIndex(self.buffer)
        return self.lines.line(mark.index)


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    seen = set()
    for key_node, _ in node.value:  # a repeated key would quietly keep its last value only
        if isinstance(key_node, yaml.ScalarNode) and key_node.tag != "tag:yaml.org,2002:merge":
            if key_node.value in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key {shown(key_node.value)} given twice in one mapping (only the last "
                    "would count)", key_node.start_mark)
            seen.add(key_node.value)
    mapping = loader.construct_mapping(node, deep=True)
    keys = {key_node.value: loader.line_of(key_node.start_mark) for key_node, _ in node.value
            if isinstance(key_node, yaml.ScalarNode)}
    return _Located(mapping, loader.line_of(node.start_mark), keys)


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> list:
    items = loader.construct_sequence(node, deep=True)
    return _LocatedList(items, loader.line_of(node.start_mark),
                        dict(enumerate(loader.line_of(item.start_mark) for item in node.value)))


class _Located(dict):
    """A mapping with its line and the line of each key (where a message about that field points)."""

    def __init__(self, mapping: dict, line: int, lines: dict):
        super().__init__(mapping)
        self.line, self.lines = line, lines


class _LocatedList(list):
    """A sequence with its line and the line of each item."""

    def __init__(self, items: list, line: int, lines: dict):
        super().__init__(items)
        self.line, self.lines = line, lines


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


def _line_of(document: Any, location: tuple) -> int | None:
    """Walk a pydantic error location through the located document to the line of the field or item it names
    (a bad talking_points value is at its own line, not at the line where its question starts)."""
    node, line = document, getattr(document, "line", None)
    for key in location:
        try:
            child = node[key]
        except (KeyError, IndexError, TypeError):
            break
        line = getattr(node, "lines", {}).get(key, line)
        node = child
    return line


def _describe(error: dict) -> tuple[str, str]:
    """What the bank document should hold where pydantic found an error, and what it holds there."""
    path = ".".join(str(part) for part in error["loc"])
    parent, _, field = path.rpartition(".")
    if error["type"] == "missing":
        return f"the field {field!r}" + (f" in {parent}" if parent else ""), "none"
    if error["type"] == "extra_forbidden":
        return "only the fields a bank document knows" + (f" in {parent}" if parent else ""), \
            f"the unknown field {field!r}"
    where = f" at {path}" if path else ""
    wanted = re.sub(r" or instance of \w+$", "", error["msg"])  # pydantic names its own model class
    if wanted.startswith("Input should be "):  # "Input should be a valid list": the expected thing, named
        wanted, why = wanted.removeprefix("Input should be "), None
        if reason := re.fullmatch(r"(a valid \w+), (.+)", wanted):  # "a valid string, unable to parse raw data …"
            wanted, why = reason.groups()
        found = _found_value(error.get("input"))
        return f"{wanted}{where}", f"{found} ({why})" if why else found
    return f"a valid value{where} ({wanted[:1].lower()}{wanted[1:]})", _found_value(error.get("input"))


def _found_value(value: Any) -> str:
    """A value of a document as a message names it: short texts and numbers as written, containers by kind."""
    if isinstance(value, str):
        return shown(value)
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, (list, tuple)):
        return "a list"
    return "nothing" if value is None else repr(value)


def _to_bank(parsed: _BankFileIn, locate: Any | None) -> BankDoc:
    roles = []
    for r, role in enumerate(parsed.roles):
        questions = tuple(
            QuestionDoc(
                text=q.text,
                slug=q.slug or None,
                kind=q.kind or detect_kind(q.text),
                competencies=tuple(c.strip().lower() for c in q.competencies if c.strip()),
                intent=q.intent or None,
                talking_points=tuple(q.talking_points) if q.talking_points is not None else None,
                example_answer=q.example_answer or None,
                line=locate(("roles", r, "questions", n)) if locate else None,
            )
            for n, q in enumerate(role.questions)
        )
        roles.append(RoleDoc(name=role.name, slug=role.slug, description=role.description, questions=questions))
    meta = parsed.bank
    return BankDoc(
        name=meta.name, source=meta.source, licence=meta.licence, description=meta.description, roles=tuple(roles),
        contributors=tuple(dict.fromkeys(name for name in meta.contributors if name)),
    )


def _validate(document: Any, file: str, locate: Any, *, question_lines: bool = True) -> ParseResult:
    if not isinstance(document, dict):
        raise FormatError(file, 1, "a mapping with the keys 'bank' and 'roles'",
                          "a list" if isinstance(document, list) else
                          f"a single value ({type(document).__name__})" if document is not None else "no document")
    try:
        parsed = _BankFileIn.model_validate(dict(document))
    except ValidationError as error:
        first = error.errors()[0]
        raise FormatError(file, locate(first["loc"]) or 1, *_describe(first)) from None
    return ParseResult(bank=_to_bank(parsed, locate if question_lines else None))


def _json_problem(error: json.JSONDecodeError) -> tuple[int, str, str]:
    """Where a JSON syntax error is, what was expected there and what was found, in words: json's own message
    ("Expecting property name enclosed in double quotes") names the parser's state, not the writer's mistake."""
    before = error.doc[: error.pos].rstrip()
    at = error.doc[error.pos: error.pos + 1]
    if before.endswith(",") and at and at in "}]":  # at the comma, often on the line before
        return (len(before) - 1, "valid JSON",
                f"a comma after the last item before '{at}', which JSON does not allow (remove it)")
    return (error.pos, *_json_message(error, repr(at) if at else "the end of the file"))


def _json_message(error: json.JSONDecodeError, found: str) -> tuple[str, str]:
    if error.msg.startswith("Expecting property name"):
        return "a key in double quotes (\"text\": …)", f"{found} (JSON has no single quotes, bare keys or comments)"
    if error.msg.startswith("Expecting ',' delimiter"):
        return "a comma between two items", f"{found} (a comma is missing before it, or a quote inside a text is " \
                                            "not written \\\")"
    if error.msg.startswith("Expecting ':' delimiter"):
        return "a colon between a key and its value", found
    if error.msg.startswith("Unterminated string") or (error.msg.startswith("Invalid control character")
                                                       and error.doc[error.pos: error.pos + 1] in "\r\n"):
        return ("a closing double quote for the text on this line",
                "the end of the line first (a line break inside a text is written \\n)")
    if error.msg.startswith("Invalid control character"):
        return "no tab or other control character inside a text", f"{found} (write a tab as \\t)"
    if error.msg.startswith("Invalid \\escape") or error.msg.startswith("Invalid \\u"):
        return ("a valid escape after a backslash",
                f"{error.doc[error.pos: error.pos + 6]!r} (a backslash itself is written \\\\)")
    if error.msg.startswith("Extra data"):
        return "the end of the file after the bank's document (one {…} per file)", f"more text, starting {found}"
    if error.msg.startswith("Expecting value"):
        return "a value (text in double quotes, a number, true, false, null, a list or an object)", found
    return "valid JSON", error.msg


# A plain YAML value holding ": ", which YAML reads as a second key on the line: "text: Tell me about a time: what".
_COLON_IN_VALUE = re.compile(r"^(?P<lead>\s*(?:-\s+)?)(?P<key>[\w-]+):\s+(?P<value>[^\"'\s|>{\[].*?:\s.*?)\s*$")


def _yaml_problem(error: yaml.MarkedYAMLError, text: str, line: int) -> str:
    """What a YAML syntax error found, with the fix for the most common one (a value with ': ' in it)."""
    if error.problem == "mapping values are not allowed here":
        lines = lines_of(text)
        found = _COLON_IN_VALUE.match(lines[line - 1]) if line <= len(lines) else None
        if found:
            quoted = found.group("value").replace("\\", "\\\\").replace('"', '\\"')
            return (f"a value that contains ': ' without quotes, so YAML reads a second key in it (write "
                    f"{found.group('key')}: \"{quoted}\")")
        return "a value that contains ': ' without quotes, so YAML reads a second key in it (put it in quotes: \"…\")"
    return f"a syntax error ({error.problem})"


def read_yaml(text: str, file: str = "<yaml>") -> ParseResult:
    try:
        document = yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = LineIndex(text).line(mark.index) if mark else 1
        raise FormatError(file, line, "valid YAML", _yaml_problem(error, text, line)) from None
    except yaml.reader.ReaderError as error:  # a character YAML does not allow (a NUL, a control character)
        line = LineIndex(text).line(error.position)
        character = f"U+{error.character:04X}" if isinstance(error.character, int) else repr(error.character)
        raise FormatError(file, line, "valid YAML", f"the character {character}, which YAML does not allow") from None
    except yaml.YAMLError as error:
        raise FormatError(file, 1, "valid YAML", f"an error ({error})") from None
    except RecursionError:
        raise FormatError(file, 1, "valid YAML nested less deeply", "lists or mappings nested too deeply to "
                                                                    "read") from None
    return _validate(document, file, lambda loc: _line_of(document, loc))


class _RepeatedKey(ValueError):
    def __init__(self, key: str):
        self.key = key


def _once_each(pairs: list[tuple[str, Any]]) -> dict:
    """An object whose keys are each given once: json.loads would keep the last of two silently."""
    mapping = dict(pairs)
    if len(mapping) < len(pairs):
        seen: set[str] = set()
        raise _RepeatedKey(next(key for key, _ in pairs if key in seen or seen.add(key)))
    return mapping


def read_json(text: str, file: str = "<json>") -> ParseResult:
    try:
        document = json.loads(text, object_pairs_hook=_once_each)
    except _RepeatedKey as repeated:
        try:  # JSON is (nearly) YAML: the line-aware loader finds the repeat's line
            yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
            line = 1
        except yaml.MarkedYAMLError as error:
            line = LineIndex(text).line(error.problem_mark.index) if error.problem_mark else 1
        except (yaml.YAMLError, RecursionError, ValueError):  # JSON that YAML reads otherwise: no line
            line = 1
        raise FormatError(file, line, "each key once in an object", f"{shown(repeated.key)} twice (only the "
                                                                      "last would count)") from None
    except json.JSONDecodeError as error:
        position, expected, found = _json_problem(error)
        lines = LineIndex(text)
        line = lines.line(position)
        column = position - lines.starts[line - 1] + 1
        raise FormatError(file, line, f"{expected} at column {column}", found) from None
    except RecursionError:
        raise FormatError(file, 1, "valid JSON nested less deeply", "lists or objects nested too deeply to "
                                                                    "read") from None
    located: list = []

    def locate(loc: tuple) -> int | None:
        if not located:  # JSON is (nearly) YAML: reuse the line-aware loader, once, to place lines.
            try:
                located.append(yaml.load(text, Loader=_LineLoader))  # noqa: S506
            except (yaml.YAMLError, RecursionError):
                located.append(None)
        return _line_of(located[0], loc) if located[0] is not None else None

    # Question lines would need the (slow) YAML parse of the whole file: messages find them by text instead.
    return _validate(document, file, locate, question_lines=False)


def bank_to_mapping(bank: BankDoc) -> dict:
    """The document shape shared by the JSON and YAML writers; empty fields are left out."""

    def compact(mapping: dict) -> dict:
        return {key: value for key, value in mapping.items() if value not in (None, [], ())}

    return {
        "bank": compact(
            {"name": bank.name, "source": bank.source, "licence": bank.licence, "description": bank.description,
             "contributors": list(bank.contributors)}
        ),
        "roles": [
            compact(
                {
                    "name": role.name,
                    "slug": role.slug,
                    "description": role.description,
                    "questions": [
                        compact(
                            {
                                "slug": q.slug,
                                "text": q.text,
                                "kind": q.kind,
                                "competencies": list(q.competencies),
                                "intent": q.intent,
                                "talking_points": list(q.talking_points) if q.talking_points is not None else None,
                                "example_answer": q.example_answer,
                            }
                        )
                        for q in role.questions
                    ],
                }
            )
            for role in bank.roles
        ],
    }


def write_json(bank: BankDoc) -> str:
    return json.dumps(bank_to_mapping(bank), ensure_ascii=False, indent=2) + "\n"


def write_yaml(bank: BankDoc) -> str:
    return yaml.safe_dump(bank_to_mapping(bank), allow_unicode=True, sort_keys=False, width=100)
