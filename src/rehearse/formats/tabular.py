"""CSV banks: one row per question; bank and role columns repeat on every row.

Talking points and competencies are lists inside one cell, separated by " | "
and ", " respectively, so a spreadsheet user can edit them in place. A "|" inside a point is
written "\\|" (and a backslash before one "\\\\"), so the point comes back whole; competencies
never hold a comma (formats.checks refuses one). A talking_points cell of several lines may instead list its
points one a line ("- …", "1. …"), as a spreadsheet user pastes a bullet list: each item is a point.
"""

from __future__ import annotations

import csv
import io
import re

from .checks import shown
from .model import (
    LINE_BREAK,
    BankDoc,
    FormatError,
    ImportWarning,
    ParseResult,
    QuestionDoc,
    RoleDoc,
    detect_kind,
    lines_of,
)

COLUMNS = (
    "bank", "bank_source", "bank_licence", "role", "role_slug", "slug", "text", "kind",
    "competencies", "intent", "talking_points", "example_answer",
)
REQUIRED = ("bank", "role", "text")
POINT_SEPARATOR = " | "
# Optional columns and the question field each gives; a header without one leaves that field as stored.
OPTIONAL_FIELDS = {"kind": "kind", "competencies": "competencies", "intent": "intent",
                   "talking_points": "talking_points", "example_answer": "example_answer"}


_QUOTE_OR_BREAK = re.compile(r'["\n]')


def _delimiter(text: str) -> str:
    """The character between the columns: a comma, or the semicolon (a tab) of a header that names Rehearse's
    columns with it and has no comma, as Excel saves CSV in locales whose decimal separator is the comma."""
    header = next((line for line in lines_of(text) if line.strip()), "")
    for delimiter in (";", "\t"):
        names = {cell.strip().strip('"') for cell in header.split(delimiter)}
        if "," not in header and set(REQUIRED) <= names:
            return delimiter
    return ","


def read_csv(text: str, file: str = "<csv>") -> ParseResult:
    delimiter = _delimiter(text)
    unclosed = _unclosed_quote_line(text, delimiter)
    if unclosed is not None:
        raise FormatError(file, unclosed, "a closing quote for the quoted cell opened on this line",
                          "the end of the file first")
    # strict: a stray quote in a quoted cell ("Tell me about "the" time") is an error, not mangled text
    reader = csv.reader(io.StringIO(text), strict=True, delimiter=delimiter)
    try:
        header = next(reader, [])
    except csv.Error as error:
        raise FormatError(file, max(reader.line_num, 1), "a well-formed CSV header row",
                          f"a malformed one ({error})") from None
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise FormatError(file, 1, f"a header row with the columns {', '.join(REQUIRED)}",
                          f"no column named {_one_of(missing)}{_other_separator(header)}")
    unknown = [column for column in header if column not in COLUMNS]
    if unknown:
        raise FormatError(file, 1, f"only the columns {', '.join(COLUMNS)}",
                          f"the unknown column{'s' if len(unknown) > 1 else ''} {', '.join(map(shown, unknown))}")
    # A column the header leaves out is a field the file does not give: stored values are kept.
    omitted = frozenset(field for column, field in OPTIONAL_FIELDS.items() if column not in header)
    bank_meta: dict | None = None
    roles: dict[str, dict] = {}
    next_line = reader.line_num + 1
    while True:
        line = next_line  # a row starts where the last one ended; quoted cells may hold line breaks
        try:
            cells = next(reader, None)
        except csv.Error as error:
            raise FormatError(file, line, "well-formed CSV", _explained(error, line, reader.line_num)) from None
        if cells is None:
            break
        next_line = reader.line_num + 1
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            raise FormatError(file, line, f"{len(header)} cells, as in the header",
                              f"{len(cells)}{_why_cells_differ(line, cells, header)}")
        row = dict(zip(header, cells, strict=True))
        for column in REQUIRED:
            if not row[column].strip():
                raise FormatError(file, line, f"a value in the '{column}' column", "an empty cell")
        meta = (row["bank"].strip(), row.get("bank_source", "").strip() or None,
                row.get("bank_licence", "").strip() or None)
        if bank_meta is None:
            bank_meta = {"name": meta[0], "source": meta[1], "licence": meta[2]}
        elif meta[0] != bank_meta["name"]:
            raise FormatError(file, line, f"the same bank on every row ({shown(bank_meta['name'])})",
                              f"the bank {shown(meta[0])}")
        role = roles.setdefault(row["role"].strip(), {"slug": row.get("role_slug", "").strip() or None,
                                                      "questions": []})
        kind = row.get("kind", "").strip().lower() or None
        if kind and kind not in ("behavioural", "situational", "other"):
            raise FormatError(file, line, "a kind of behavioural, situational or other (or an empty cell)",
                              f"the kind {shown(row['kind'].strip())}")
        role["questions"].append(QuestionDoc(
            text=row["text"].strip(),
            slug=row.get("slug", "").strip() or None,
            kind=kind or detect_kind(row["text"]),
            competencies=tuple(c.strip().lower() for c in row.get("competencies", "").split(",") if c.strip()),
            intent=row.get("intent", "").strip() or None,
            talking_points=_read_points(row.get("talking_points", ""), file=file, line=_line_of_cell(
                line, cells, header, "talking_points")),
            example_answer=row.get("example_answer", "").strip() or None,
            line=line,
            omitted=omitted,
        ))
    if bank_meta is None:
        raise FormatError(file, min(2, len(lines_of(text))) or 1, "at least one question row after the header",
                          "none (only blank rows)" if len(lines_of(text)) > 1 else "none")
    warnings = ()
    if omitted:
        absent = [column for column, field in OPTIONAL_FIELDS.items() if field in omitted]
        warnings = (ImportWarning(file, 1, (
            f"the header has no {', '.join(absent)} column{'s' if len(absent) > 1 else ''}: questions already "
            "stored keep theirs; new questions go without them, or with them derived from the text and intent")),)
    return ParseResult(bank=BankDoc(
        name=bank_meta["name"], source=bank_meta["source"], licence=bank_meta["licence"],
        roles=tuple(RoleDoc(name=name, slug=r["slug"], questions=tuple(r["questions"])) for name, r in roles.items()),
    ), warnings=warnings)


def _one_of(names: list[str]) -> str:
    """'bank, role or text': names as a sentence lists them."""
    return f"{', '.join(names[:-1])} or {names[-1]}" if len(names) > 1 else names[0]


def _other_separator(header: list[str]) -> str:
    """Why a header misses columns, when it is one cell that another character separates."""
    for name, character in (("';'", ";"), ("tabs", "\t")):
        if len(header) == 1 and character in header[0]:
            return (f": this file separates columns with {name}, not commas, and its header does not name the "
                    f"columns {', '.join(REQUIRED)} (save it as CSV with commas, in Excel 'CSV UTF-8 (Comma "
                    "delimited)', or name the columns in the header)")
    return ""


def _line_of_cell(line: int, cells: list[str], header: list[str], column: str) -> int:
    """The line where a row's cell starts: the row's line, after the line breaks of the cells before it."""
    before = cells[: header.index(column)] if column in header else []
    return line + sum(cell.count("\n") for cell in before)


def _explained(error: csv.Error, line: int, reached: int) -> str:
    """What a strict csv error means for the one who wrote the file."""
    if "expected after" in str(error) and reached > line:
        return (f"a quoted cell of the row starting here that runs on to line {reached}, where a quote closes it "
                f"and text follows (is a closing quote missing on line {line}?)")
    if "expected after" in str(error):
        return ("text after a quoted cell's closing quote (a quote inside a quoted cell is written twice: "
                '"Tell me about ""the"" time")')
    return f"a malformed row ({error})"


def _why_cells_differ(line: int, cells: list[str], header: list[str]) -> str:
    """A row that spans lines through a quoted cell is most often a quote closed lines later than meant."""
    for index, cell in enumerate(cells):
        if "\n" in cell:
            start = line + sum(c.count("\n") for c in cells[:index])
            end = start + cell.count("\n")
            return (f": a quoted cell opened on line {start} is closed only on line {end}, taking the lines "
                    f"between into it (is a closing quote missing on line {start}?)")
    return " (is it truncated?)" if len(cells) < len(header) else ""


def _unclosed_quote_line(text: str, delimiter: str = ",") -> int | None:
    """The line where a quoted cell opens that the file never closes, or None.

    Python's csv reads such a cell to the end of the file, turning the rows after it into one cell.
    A quote opens a cell only at its start (after a comma or a line break); "" inside it is a quote.
    """
    line, opened_on, quoted, skip_at = 1, None, False, -1
    for match in _QUOTE_OR_BREAK.finditer(text):
        index = match.start()
        if match.group() == "\n":
            line += 1
        elif index == skip_at:
            continue  # the second quote of an escaped "" inside a quoted cell
        elif quoted:
            if text.startswith('"', index + 1):
                skip_at = index + 1
            else:
                quoted = False
        elif index == 0 or text[index - 1] in f"{delimiter}\n\r":
            quoted, opened_on = True, line
    return opened_on if quoted else None


_POINT_PART = re.compile(r"\\[\\|]|\|")  # an escaped backslash or bar, or a bare bar (a separator)
# A line of a cell that reads as a list item, as in Markdown: "- …", "* …", "1. …" or "1) …".
_LIST_ITEM = re.compile(r"^\s*(?:[-*]|\d+[.)])\s+(?=\S)")


def _is_item(line: str) -> bool:
    return _LIST_ITEM.match(line) is not None


def _read_points(cell: str, *, file: str, line: int) -> tuple[str, ...] | None:
    """A talking_points cell (starting on `line`) as points. One line: split at its bars. Several lines: a list
    when a line reads as a list item (one point an item, as the Markdown reader and YAML's lists give them),
    else one text, split at its bars, whose lines that start with "\\" and then an item's marker lose the
    backslash (how the writer keeps such a line inside a point)."""
    body = cell.strip()
    lines = LINE_BREAK.split(body)
    if len(lines) == 1:
        return _split_points(body)
    first = line + cell[: len(cell) - len(cell.lstrip())].count("\n")
    if any(map(_is_item, lines)):
        return _listed_points(lines, file=file, line=first)
    return _split_points("\n".join(text[1:] if text.startswith("\\") and _is_item(text[1:]) else text
                                   for text in lines))


def _listed_points(lines: list[str], *, file: str, line: int) -> tuple[str, ...]:
    """The items of a cell that lists its points, one a line; an indented line continues the item above."""
    items: list[tuple[int, str]] = []
    for offset, text in enumerate(lines):
        if not text.strip():
            continue
        if item := _LIST_ITEM.match(text):
            items.append((line + offset, text[item.end():].strip()))
        elif text[:1].isspace() and items:
            items[-1] = (items[-1][0], f"{items[-1][1]} {text.strip()}")
        else:
            raise FormatError(file, line + offset, (
                "a list item ('- …', '* …' or '1. …'), or an indented line that continues one, on each line of a "
                "talking_points cell that lists its points, one an item"), (
                f"{shown(text.strip())} (to keep the lines as one point instead, write a backslash before each "
                "line that starts like an item: '\\- …')"))
    for number, text in items:
        if any(part.group() == "|" for part in _POINT_PART.finditer(text)):
            raise FormatError(file, number, "talking points listed one an item or separated by ' | ', not both",
                              f"the item {shown(text)}, with ' | ' in it (a '|' inside a point is written '\\|')")
    return tuple(point for _, text in items for point in _split_points(text) or ())


def _split_points(cell: str) -> tuple[str, ...] | None:
    """None for an empty cell (derive points from the intent), else the listed points: split at each bar
    that is not escaped; "\\|" is a bar inside a point and "\\\\" a backslash before one."""
    if not cell:
        return None
    points, current, start = [], [], 0
    for match in _POINT_PART.finditer(cell):
        current.append(cell[start:match.start()])
        if match.group() == "|":
            points.append("".join(current))
            current = []
        else:
            current.append(match.group()[1])
        start = match.end()
    points.append("".join(current) + cell[start:])
    return tuple(point.strip() for point in points if point.strip())


def _joined_points(points: tuple[str, ...]) -> str:
    """The points in one cell, each bar in a point (and each backslash before one) escaped; in a cell of several
    lines, a line that would read as a list item (or starts with a backslash and then reads as one) is written
    with a backslash before it, so that the reader keeps it inside its point."""
    cell = POINT_SEPARATOR.join(re.sub(r"\\(?=[\\|])", r"\\\\", point).replace("|", "\\|") for point in points)
    if "\n" not in cell:
        return cell
    return "\n".join(f"\\{text}" if _is_item(text) or (text.startswith("\\") and _is_item(text[1:])) else text
                     for text in cell.split("\n"))


def write_csv(bank: BankDoc) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for role in bank.roles:
        for q in role.questions:
            writer.writerow({
                "bank": bank.name, "bank_source": bank.source or "", "bank_licence": bank.licence or "",
                "role": role.name, "role_slug": role.slug or "", "slug": q.slug or "", "text": q.text,
                "kind": q.kind or "", "competencies": ", ".join(q.competencies), "intent": q.intent or "",
                "talking_points": _joined_points(q.talking_points or ()),
                "example_answer": q.example_answer or "",
            })
    return out.getvalue()
