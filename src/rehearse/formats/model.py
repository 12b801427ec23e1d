"""The format-neutral shape of a bank, shared by every reader and writer.

Readers turn a file into a `BankDoc`; writers turn a `BankDoc` back into a
file. Nothing here knows about storage.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field, fields, is_dataclass, replace
from typing import TypeVar

KINDS = ("behavioural", "situational", "other")


@dataclass(frozen=True)
class QuestionDoc:
    text: str
    slug: str | None = None
    kind: str | None = None
    competencies: tuple[str, ...] = ()
    intent: str | None = None
    # None means "derive from the intent"; an explicit tuple is an editor's override.
    talking_points: tuple[str, ...] | None = None
    example_answer: str | None = None
    line: int | None = None  # where the question starts in its source file, for messages
    # Fields the file has no place for (a CSV header without their column): an import keeps the stored
    # values of these, and derives them only for a new question. Not the same as an empty value.
    omitted: frozenset[str] = frozenset()


@dataclass(frozen=True)
class RoleDoc:
    name: str
    questions: tuple[QuestionDoc, ...] = ()
    slug: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class BankDoc:
    name: str
    roles: tuple[RoleDoc, ...] = ()
    source: str | None = None
    licence: str | None = None
    description: str | None = None
    # People whose community suggestions were accepted into the bank (written on export, credited under
    # the licence; read back by the formats with a place for them and kept with the bank).
    contributors: tuple[str, ...] = ()

    @property
    def question_count(self) -> int:
        return sum(len(role.questions) for role in self.roles)


@dataclass(frozen=True)
class ImportWarning:
    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class ParseResult:
    bank: BankDoc
    warnings: tuple[ImportWarning, ...] = field(default_factory=tuple)


class FormatError(ValueError):
    """A file that cannot be read as a bank: which file and line, what was expected there and what was found.

    Rendered as one sentence, "file:line: expected <expected>; found <found>", so that a message read on its
    own (after "error:", before "— nothing was imported") says what is wrong, not only what a reader wanted.
    A hint on how to fix the file goes in parentheses at the end of `found`.
    """

    def __init__(self, file: str, line: int | None, expected: str, found: str):
        self.file, self.line, self.expected, self.found = file, line, expected, found
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: expected {expected}; found {found}")


def unreadable(error: OSError) -> str:
    """What an import found where it expected a readable file, in the system's words ("Permission denied")."""
    return f"one that cannot be read ({error.strerror or error})"


LINE_BREAK = re.compile(r"\r\n|\r|\n")


def lines_of(text: str) -> list[str]:
    """A file's lines as an editor numbers them: broken at \\n, \\r\\n or \\r only.

    `str.splitlines` also breaks at form feeds, U+2028 and other separators, which would make the
    line numbers in messages disagree with the editor the user opens.
    """
    lines = LINE_BREAK.split(text)
    return lines[:-1] if lines and not lines[-1] else lines


class LineIndex:
    """Character offset -> line number (1-based), in the numbering of `lines_of`."""

    def __init__(self, text: str):
        self.starts = [0] + [match.end() for match in LINE_BREAK.finditer(text)]

    def line(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)


_Doc = TypeVar("_Doc", "BankDoc", "RoleDoc", "QuestionDoc")


def with_newlines(doc: _Doc) -> _Doc:
    """A parsed bank (role, question) whose texts break lines with "\\n" only: a CSV saved on Windows keeps
    "\\r\\n" inside its quoted cells, and JSON and YAML escapes can spell "\\r", so the same bank read from
    a file with other line endings would differ from the stored one (an import with nothing changed)."""
    changes = {}
    for field_ in fields(doc):
        value = getattr(doc, field_.name)
        if isinstance(value, str):
            if "\r" in value:
                changes[field_.name] = LINE_BREAK.sub("\n", value)
        elif isinstance(value, tuple) and value:
            items = tuple(LINE_BREAK.sub("\n", item) if isinstance(item, str) and "\r" in item
                          else with_newlines(item) if is_dataclass(item) else item for item in value)
            if any(new is not old for new, old in zip(items, value, strict=True)):
                changes[field_.name] = items
    return replace(doc, **changes) if changes else doc


# Byte-order marks a text editor (Notepad, Excel's "Unicode text") may start a file with, and what they mean.
_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"), (b"\x00\x00\xfe\xff", "utf-32"),
         (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16"))


def decode(data: bytes, file: str) -> str:
    """A file's bytes as text: UTF-8 (a byte-order mark is dropped), or UTF-16 or UTF-32 that starts with its
    byte-order mark; anything else is an error naming the line and saying how to save the file."""
    encoding = next((name for bom, name in _BOMS if data.startswith(bom)), "utf-8")
    if encoding == "utf-8" and data.count(b"\x00") > len(data) // 4:  # ASCII as UTF-16: every other byte NUL
        raise FormatError(file, 1, "UTF-8 text", "text that looks like UTF-16 without a byte-order mark (save "
                                                 "it again as UTF-8)")
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        if encoding != "utf-8":
            raise FormatError(file, 1, f"{encoding.upper()} text, as its byte-order mark says",
                              f"bytes that are not {encoding.upper()} (save the file again as UTF-8)") from None
        line = data[: error.start].count(b"\n") + 1
        raise FormatError(file, line, "UTF-8 text", f"byte 0x{data[error.start]:02x}, which UTF-8 does not allow "
                                                    "there: the file was saved in another encoding, such as "
                                                    "Windows-1252 or Latin-1 (save it again as UTF-8)") from None

# Characters that show nothing but are neither spaces nor removed by str.strip(): controls and format
# characters (categories Cc, Cf: U+200B zero-width space, U+2060 word joiner, U+FEFF, bidi marks) and
# separators, plus the letters, marks and symbols Unicode lists as default-ignorable or blank (Hangul
# fillers, variation selectors, the combining grapheme joiner, the blank Braille pattern).
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})
_INVISIBLE = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180e\u180f\u2800\u3164\uffa0"
                       + "".join(map(chr, range(0xFE00, 0xFE10))) + "".join(map(chr, range(0xE0100, 0xE01F0))))


def is_blank(text: str | None) -> bool:
    """Whether the text shows nothing: empty, spaces, or only invisible characters, so that a rule that a
    text must not be empty cannot be met with a zero-width space."""
    return not text or all(char in _INVISIBLE or unicodedata.category(char) in _INVISIBLE_CATEGORIES
                           for char in text)


def same_text(text: str) -> str:
    """What two texts that say the same thing have in common: spacing and case aside."""
    return " ".join(text.split()).casefold()


def slugify(text: str, max_length: int = 80) -> str:
    """A stable, URL-safe slug: ASCII, lowercase, words joined by hyphens, cut at a word."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    slug = ""
    for word in words:
        candidate = f"{slug}-{word}" if slug else word
        if len(candidate) > max_length:
            break
        slug = candidate
    return slug or "untitled"


def detect_kind(text: str) -> str:
    """Behavioural questions ask for a past story; situational ones for an approach."""
    lowered = text.lower().replace("\u2019", "'")
    behavioural = (
        r"\btell (me|us) about (a|an|the) (time|situation|project|occasion)",
        r"\bdescribe (a|an) (time|situation|occasion|moment)",
        r"\bgive (me |us )?an example\b",
        r"\b(share|walk (me|us) through) (a|an) (time|situation|example|story)",
        r"\btalk about a time\b",
        r"\bhave you ever\b",
        r"\btell me a (time|situation)\b",
        r"\bwhat was the most (difficult|challenging)",
    )
    situational = (
        r"\bhow (would|do|will|should|can) you\b",
        r"\bwhat(?:'s| is| would be) your (approach|framework|process|plan|strategy|philosophy)",
        r"\bwhat would you do\b",
        r"\bif (you|we)\b",
        r"\bimagine\b",
        r"\bwalk (me |us )?through your approach\b",
    )
    if any(re.search(pattern, lowered) for pattern in behavioural):
        return "behavioural"
    if any(re.search(pattern, lowered) for pattern in situational):
        return "situational"
    return "other"
