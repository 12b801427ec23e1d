"""Reading and writing bank files. Pure: text in, `BankDoc` out, and back.

`read_path` picks the reader from the extension (or `format=`); `write` turns a
bank into the bytes of a file in the chosen format.
"""

from __future__ import annotations

from pathlib import Path

from .checks import check_bank
from .external import is_docusaurus, is_question_file, read_docusaurus, read_question_file
from .folder import FolderRead
from .folder import read_folder as _read_folder
from .markdown import read_markdown, write_markdown
from .model import (
    BankDoc,
    FormatError,
    ImportWarning,
    ParseResult,
    QuestionDoc,
    RoleDoc,
    decode,
    detect_kind,
    slugify,
    unreadable,
    with_newlines,
)
from .page import read_page, write_page
from .printable import write_anki, write_prep_sheet
from .structured import read_json, read_yaml, write_json, write_yaml
from .tabular import read_csv, write_csv
from .talking_points import parse_talking_points

__all__ = [
    "BankDoc", "FolderRead", "FormatError", "ImportWarning", "ParseResult", "QuestionDoc", "RoleDoc",
    "READ_FORMATS", "WRITE_FORMATS", "detect_kind", "extension_for", "parse_talking_points", "read_bytes",
    "read_folder", "read_path", "read_text", "slugify", "write",
]

READ_FORMATS = ("page", "markdown", "json", "yaml", "csv")
WRITE_FORMATS = ("page", "markdown", "json", "yaml", "csv", "anki", "prep-sheet")
EXTENSIONS = {
    ".txt": "page", ".md": "markdown", ".markdown": "markdown", ".json": "json", ".yaml": "yaml",
    ".yml": "yaml", ".csv": "csv", ".apkg": "anki", ".html": "prep-sheet",
}
_READABLE_EXTENSIONS = sorted(extension for extension, format in EXTENSIONS.items() if format in READ_FORMATS)
_READERS = {"page": read_page, "json": read_json, "yaml": read_yaml, "csv": read_csv}
_WRITERS = {"page": write_page, "markdown": write_markdown, "json": write_json, "yaml": write_yaml,
            "csv": write_csv, "anki": write_anki, "prep-sheet": write_prep_sheet}


_EXPORT_ONLY = {"anki": "an Anki deck (.apkg), which can be exported, not imported",
                "prep-sheet": "a prep sheet (.html), which can be exported, not imported"}


def _readable(format: str, file: str) -> None:
    if format in _EXPORT_ONLY:
        raise FormatError(file, None, f"a bank file ({', '.join(_READABLE_EXTENSIONS)}) or --format",
                          _EXPORT_ONLY[format])
    if format not in READ_FORMATS:
        raise FormatError(file, None, f"a format Rehearse can import ({', '.join(READ_FORMATS)})",
                          f"the format {format!r}")


def format_for(path: Path) -> str | None:
    return EXTENSIONS.get(path.suffix.lower())


def extension_for(format: str) -> str:
    """The extension a file of this format is written with (the first listed: ".md", not ".markdown")."""
    return next(extension for extension, named in EXTENSIONS.items() if named == format)


def read_text(text: str, *, file: str, format: str) -> ParseResult:
    """Parse text of a known format and check it can be stored whole; Markdown also recognises the
    two external layouts. Anything else raises FormatError naming the file and line."""
    _readable(format, file)
    if not text.strip():
        raise FormatError(file, 1, "a bank", "an empty file (or only spaces and blank lines)")
    result = _parse(text, file=file, format=format)
    bank = with_newlines(result.bank)  # here, so that no reader (nor a new one) keeps "\r\n" in a text
    warnings = check_bank(bank, file=file, text=text)
    return ParseResult(bank, result.warnings + warnings)


def _parse(text: str, *, file: str, format: str) -> ParseResult:
    if format == "markdown":
        if is_question_file(text):
            question = read_question_file(text, file)
            name = Path(file).stem
            role = RoleDoc(name=name, questions=(question,))
            return ParseResult(bank=BankDoc(name=name, source=Path(file).name, roles=(role,)))
        if is_docusaurus(text) and "\nbank:" not in text.split("---", 2)[1]:
            return read_docusaurus(text, file)
        return read_markdown(text, file)
    return _READERS[format](text, file)


def read_bytes(data: bytes, *, file: str, format: str) -> ParseResult:
    """Parse a file's bytes (UTF-8, or UTF-16 with its byte-order mark): what `read_path` does with a file."""
    _readable(format, file)  # before decoding: an Anki deck is not "bad UTF-8"
    return read_text(decode(data, file), file=file, format=format)


def read_folder(folder: Path) -> FolderRead:
    """Read a folder: each bank file in it (in sorted order, each as `read_path` reads it), or the one bank of a
    folder of one-question Markdown files; see `formats.folder`."""
    read = _read_folder(folder, read_path, format_for)
    return FolderRead(files=tuple((file, ParseResult(with_newlines(result.bank), result.warnings))
                                  for file, result in read.files), warnings=read.warnings, layout=read.layout)


def read_path(path: Path, format: str | None = None) -> ParseResult:
    """Read one file, or a folder that gives one bank (of one-question Markdown files, or with one bank file)."""
    if path.is_dir():
        read = read_folder(path)
        if len(read.files) > 1:
            raise FormatError(str(path), None, "a folder that gives one bank",
                              f"{len(read.files)} bank files (read_folder reads each of them)")
        file, result = read.files[0]
        return ParseResult(result.bank, read.warnings + result.warnings)
    chosen = format or format_for(path)
    if chosen is None:
        raise FormatError(str(path), None, f"a known extension ({', '.join(_READABLE_EXTENSIONS)}) or --format",
                          f"the extension {path.suffix!r}" if path.suffix else "a name without an extension")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise FormatError(str(path), None, "a readable file", unreadable(error)) from None
    return read_bytes(data, file=str(path), format=chosen)


def write(bank: BankDoc, format: str) -> bytes:
    if format not in _WRITERS:
        raise ValueError(f"unknown export format {format!r}; choose one of {', '.join(WRITE_FORMATS)}")
    output = _WRITERS[format](bank)
    return output if isinstance(output, bytes) else output.encode("utf-8")
