"""The bank that ships with Rehearse, written by the project, loaded on first start."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from rehearse.formats import BankDoc, ParseResult, read_text

from .models import Bank
from .service import ImportSummary, import_bank


def builtin_files() -> list[Path]:
    folder = resources.files("rehearse") / "data" / "bank"
    return sorted(Path(str(entry)) for entry in folder.iterdir() if entry.name.endswith((".yaml", ".yml")))


def read_builtin() -> list[ParseResult]:
    return [read_text(path.read_text(encoding="utf-8"), file=path.name, format="yaml") for path in builtin_files()]


def builtin_bank_names() -> set[str]:
    """The built-in banks' names, read from each file's `bank:` header alone: every process start
    asks whether the bank is loaded, and parsing the whole bank to learn its name took half a
    second (a test checks the headers against the full parse)."""
    names = set()
    for path in builtin_files():
        header = path.read_text(encoding="utf-8").split("\nroles:", 1)[0]
        names.add(yaml.safe_load(header)["bank"]["name"])
    return names


def load_builtin(session: Session, *, force: bool = False) -> ImportSummary | None:
    """Import the built-in bank unless it is already there (editors' later changes are kept)."""
    names = builtin_bank_names()
    if not names:
        return None
    if not force and session.scalar(select(Bank.id).where(Bank.name.in_(names)).limit(1)) is not None:
        return None
    results = read_builtin()
    summary = ImportSummary()
    for result in results:
        import_bank(session, result.bank, summary=summary)
    return summary


def builtin_docs() -> list[BankDoc]:
    return [result.bank for result in read_builtin()]
