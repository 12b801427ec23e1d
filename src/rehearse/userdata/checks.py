"""What each column can hold, checked before an import writes a row, so that SQLite and PostgreSQL refuse the
same documents, with a message naming the field, instead of a driver error (SQLite stores a list or a string
in an integer column as it is; PostgreSQL refuses NUL, integers past 32 bits and over-long strings)."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Boolean, DateTime, Float, Integer, LargeBinary, SmallInteger, String, event
from sqlalchemy import inspect as inspect_row
from sqlalchemy.orm import Session

UNSAFE_TEXT = re.compile("[\x00\ud800-\udfff]")  # NUL (PostgreSQL refuses it) and lone surrogates (no encoding)
JSON_DEPTH = 40  # reports and plans nest four deep; far past that is no export of ours


class Unfit(ValueError):
    """A value that its column cannot hold; the message names the table, the column and the value."""


def _show(value: Any) -> str:
    shown = repr(value)
    return shown if len(shown) <= 60 else shown[:57] + "..."


def _json_problem(value: Any, depth: int = 0) -> str | None:
    if depth > JSON_DEPTH:
        return "nests too deep"
    if isinstance(value, str):
        return "holds a NUL or a lone surrogate" if UNSAFE_TEXT.search(value) else None
    if isinstance(value, float):
        return None if math.isfinite(value) else "holds a number that is not finite"
    if isinstance(value, bool | int) or value is None:
        return None if isinstance(value, bool) or value is None or abs(value) < 2**63 else "holds too large a number"
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else None
    if items is None:
        return f"holds a {type(value).__name__}"
    for key, item in items:
        problem = (_json_problem(key, depth + 1) if isinstance(key, str) else None) or _json_problem(item, depth + 1)
        if problem:
            return problem
    return None


def problem(column, value: Any) -> str | None:
    """Why the column cannot hold the value, or None when it can."""
    if value is None:
        fine = column.nullable or column.primary_key or column.default is not None \
            or column.server_default is not None
        return None if fine else "is missing"
    kind = column.type
    if isinstance(kind, Boolean):
        return None if isinstance(value, bool) else "is not true or false"
    if isinstance(kind, Integer):
        if isinstance(value, bool) or not isinstance(value, int):
            return "is not a whole number"
        # PostgreSQL's widths; SQLite holds 64 bits everywhere, so the narrower limit keeps both alike.
        bits = 16 if isinstance(kind, SmallInteger) else 64 if isinstance(kind, BigInteger) else 32
        return None if -(2 ** (bits - 1)) <= value < 2 ** (bits - 1) else "is out of range"
    if isinstance(kind, Float):
        number = not isinstance(value, bool) and isinstance(value, int | float)
        return None if number and math.isfinite(value) else "is not a finite number"
    if isinstance(kind, String):
        if not isinstance(value, str):
            return "is not text"
        if kind.length is not None and len(value) > kind.length:
            return f"is longer than {kind.length} characters"
        return "holds a NUL or a lone surrogate" if UNSAFE_TEXT.search(value) else None
    if isinstance(kind, DateTime):
        return None if isinstance(value, datetime) else "is not a date and time"
    if isinstance(kind, JSON):
        return _json_problem(value)
    if isinstance(kind, LargeBinary):
        return None if isinstance(value, bytes) else "is not bytes"
    return None


def check_row(row: Any) -> None:
    """Raise Unfit for the first column of the (new) ORM row that cannot hold its value."""
    mapper = inspect_row(row).mapper
    for attribute in mapper.column_attrs:
        column = attribute.columns[0]
        value = getattr(row, attribute.key)
        why = problem(column, value)
        if why:
            raise Unfit(f"{column.table.name}.{column.name} {why} ({_show(value)})")


@contextmanager
def checked_rows(session: Session) -> Iterator[None]:
    """Check every new row before each flush of the session, while the block runs."""

    def before_flush(flushing: Session, _context, _instances) -> None:
        for row in flushing.new:
            check_row(row)

    event.listen(session, "before_flush", before_flush)
    try:
        yield
    finally:
        event.remove(session, "before_flush", before_flush)
