"""CSV banks: one row per question; bank and role columns repeat on every row.

Talking points and competencies are lists inside one cell, separated by " | "
and ", " respectively, so a spreadsheet user can edit them in place.
"""

from __future__ import annotations

import csv
import io

from .model import BankDoc, FormatError, ParseResult, QuestionDoc, RoleDoc, detect_kind, lines_of

COLUMNS = (
    "bank", "bank_source", "bank_licence", "role", "role_slug", "slug", "text", "kind",
    "competencies", "intent", "talking_points", "example_answer",
)
REQUIRED = ("bank", "role", "text")
POINT_SEPARATOR = " | "


def read_csv(text: str, file: str = "<csv>") -> ParseResult:
    reader = csv.DictReader(io.StringIO(text))
    try:
        header = reader.fieldnames or []
    except csv.Error as error:
        raise FormatError(file, max(reader.line_num, 1), f"a well-formed CSV header row ({error})") from None
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        raise FormatError(file, 1,
                          f"a header row with the columns {', '.join(REQUIRED)} (missing: {', '.join(missing)})")
    unknown = [column for column in header if column not in COLUMNS]
    if unknown:
        raise FormatError(file, 1, f"only the columns {', '.join(COLUMNS)} (unknown: {', '.join(unknown)})")
    bank_meta: dict | None = None
    roles: dict[str, dict] = {}
    try:
        rows = list(reader)
    except csv.Error as error:
        raise FormatError(file, max(reader.line_num, 1), f"well-formed CSV ({error})") from None
    next_line = 2
    for row in rows:
        # A row starts where the last one ended; quoted cells may hold line breaks.
        line = next_line
        next_line += 1 + sum(cell.count("\n") for cell in row.values() if isinstance(cell, str))
        if None in row:
            raise FormatError(file, line, f"at most {len(header)} cells in a row")
        if not any((value or "").strip() for value in row.values()):
            continue
        for column in REQUIRED:
            if not (row.get(column) or "").strip():
                raise FormatError(file, line, f"a value in the '{column}' column")
        meta = (row["bank"].strip(), (row.get("bank_source") or "").strip() or None,
                (row.get("bank_licence") or "").strip() or None)
        if bank_meta is None:
            bank_meta = {"name": meta[0], "source": meta[1], "licence": meta[2]}
        elif meta[0] != bank_meta["name"]:
            raise FormatError(file, line, f"the same bank on every row ('{bank_meta['name']}')")
        role = roles.setdefault(row["role"].strip(), {"slug": (row.get("role_slug") or "").strip() or None,
                                                      "questions": []})
        points = (row.get("talking_points") or "").strip()
        kind = (row.get("kind") or "").strip().lower() or None
        if kind and kind not in ("behavioural", "situational", "other"):
            raise FormatError(file, line, "'kind' to be behavioural, situational or other")
        role["questions"].append(QuestionDoc(
            text=row["text"].strip(),
            slug=(row.get("slug") or "").strip() or None,
            kind=kind or detect_kind(row["text"]),
            competencies=tuple(c.strip().lower() for c in (row.get("competencies") or "").split(",") if c.strip()),
            intent=(row.get("intent") or "").strip() or None,
            talking_points=_split_points(points),
            example_answer=(row.get("example_answer") or "").strip() or None,
            line=line,
        ))
    if bank_meta is None:
        raise FormatError(file, min(2, len(lines_of(text))) or 1, "at least one question row after the header")
    return ParseResult(bank=BankDoc(
        name=bank_meta["name"], source=bank_meta["source"], licence=bank_meta["licence"],
        roles=tuple(RoleDoc(name=name, slug=r["slug"], questions=tuple(r["questions"])) for name, r in roles.items()),
    ))


def _split_points(cell: str) -> tuple[str, ...] | None:
    """None for an empty cell (derive points from the intent), else the listed points."""
    if not cell:
        return None
    return tuple(point.strip() for point in cell.split(POINT_SEPARATOR.strip()) if point.strip())


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
                "talking_points": POINT_SEPARATOR.join(q.talking_points or ()),
                "example_answer": q.example_answer or "",
            })
    return out.getvalue()
