"""A folder given to import: bank files, read one by one, or one bank of one-question Markdown files.

Which it is, is read from the files' contents, not their extensions alone: a Markdown file with a
"## Key Points to Cover" (or "## Why This Is Asked") section is a question file of the external
layout (`external.read_question_tree`); a file that starts like a bank of a format Rehearse reads
(a JSON or YAML document with a `bank` key, a CSV header naming the bank and text columns, a page,
Rehearse's or Docusaurus's Markdown) is a bank file. A folder that holds both is refused, since the
question files would make one bank of the folder and the bank files banks of their own; any other
file (a README, an image, a JSON file that is no bank) is skipped with a warning naming it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .external import is_docusaurus, is_question_file, read_question_tree
from .model import FormatError, ImportWarning, ParseResult, decode, unreadable

# What the first part of a bank file of each format holds; only this much of a file is looked at to tell.
SNIFFED = 4_000
_JSON_BANK = re.compile(r'^\s*\{.*?"bank"\s*:', re.DOTALL)
_YAML_BANK = re.compile(r"""^["']?bank["']?\s*:""", re.MULTILINE)
_PAGE = re.compile(r"^(?:Interview Questions for\s|Answer Example:|Bank:\s)", re.MULTILINE | re.IGNORECASE)
_MARKDOWN_BANK = re.compile(r"^(?:bank:|## Role:)", re.MULTILINE | re.IGNORECASE)
LISTED = 5  # files named in a message about a folder; the rest counted


def _csv_bank(text: str) -> bool:
    header = next((line for line in text.splitlines() if line.strip()), "")
    columns = {cell.strip().strip('"').lower() for cell in re.split(r"[,;\t]", header)}
    return {"bank", "text"} <= columns


_LOOKS_LIKE_BANK: dict[str, Callable[[str], bool]] = {
    "json": lambda text: bool(_JSON_BANK.match(text)),
    "yaml": lambda text: bool(_YAML_BANK.search(text)),
    "csv": _csv_bank,
    "page": lambda text: bool(_PAGE.search(text)),
    "markdown": lambda text: bool(_MARKDOWN_BANK.search(text)) or is_docusaurus(text),
}
_WHAT_A_BANK_HAS = {
    "json": "no \"bank\" key", "yaml": "no 'bank:' key", "csv": "no header naming the bank and text columns",
    "page": "no 'Interview Questions for …' line", "markdown": "no 'bank:' front matter, '## Role:' heading or "
                                                              "'## Key Points to Cover' section",
}


@dataclass(frozen=True)
class FolderRead:
    """What a folder holds: each bank file read (its path and what it gives), in sorted order, or the one bank
    of a question-file tree (the folder's path); and the warnings about the files skipped."""

    files: tuple[tuple[str, ParseResult], ...]
    warnings: tuple[ImportWarning, ...]
    layout: str  # "bank files" or "question files"


def _listed(paths: list[Path], folder: Path) -> str:
    names = [str(path.relative_to(folder)) for path in paths[:LISTED]]
    return ", ".join(names) + (f" and {len(paths) - LISTED} more" if len(paths) > LISTED else "")


def read_folder(folder: Path, read_file: Callable[[Path, str], ParseResult],
                format_for: Callable[[Path], str | None]) -> FolderRead:
    """Read a folder of bank files (each with `read_file(path, format)`, as if named one by one, in sorted order)
    or of one-question Markdown files (one bank); refuse a folder that mixes them, or holds neither."""
    bank_files: list[tuple[Path, str]] = []
    question_files: list[Path] = []
    skipped: list[ImportWarning] = []
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        if any(part.startswith(".") for part in path.relative_to(folder).parts):
            continue  # .git, .DS_Store: never content
        format = format_for(path)
        if format is None:
            skipped.append(ImportWarning(str(path), None, "skipped: not a bank file (Rehearse reads .txt, .md, "
                                                          ".json, .yaml, .yml and .csv files)"))
            continue
        try:
            text = decode(path.read_bytes(), str(path))
        except OSError as error:
            raise FormatError(str(path), None, "a readable file", unreadable(error)) from None
        if format == "markdown" and is_question_file(text):
            question_files.append(path)
        elif format == "markdown" and path.name.lower() == "questions.md":
            continue  # the question-file layout's own index
        elif _LOOKS_LIKE_BANK[format](text[:SNIFFED]):
            bank_files.append((path, format))
        else:
            skipped.append(ImportWarning(str(path), None, f"skipped: not a bank file ({_WHAT_A_BANK_HAS[format]})"))
    if bank_files and question_files:
        raise FormatError(str(folder), None, "a folder of bank files, or of one-question Markdown files, not both", (
            f"the bank files {_listed([path for path, _ in bank_files], folder)} and the question files "
            f"{_listed(question_files, folder)} (import the bank files by name, rehearse import "
            f"{bank_files[0][0]} …, and move them out of the folder of question files, which is one bank)"))
    if question_files:
        tree = read_question_tree(folder)
        return FolderRead(files=((str(folder), tree),), warnings=(), layout="question files")  # tree's own warnings
    if not bank_files:
        raise FormatError(str(folder), None, "bank files (.txt, .md, .json, .yaml, .yml, .csv) or one-question "
                                             "Markdown files with a '## Key Points to Cover' section in the folder",
                          f"only files that are neither: {_listed([Path(w.file) for w in skipped], folder)}"
                          if skipped else "no such file (hidden files and folders are not read)")
    files = tuple((str(path), read_file(path, format)) for path, format in bank_files)
    return FolderRead(files=files, warnings=tuple(skipped), layout="bank files")
