"""Files the command line writes (`--out`, backups): missing folders are made, failures said in words,
and those holding people's data (backups, a data export) are readable by their owner only.

Every output path behaves the same way: the folders it names are made when missing (as `rehearse
backup` always did), and a path that cannot be written (a folder that is read-only, a "folder"
that is a file, a file name that is a folder) is an OutputError that says so, never a traceback.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path


class OutputError(Exception):
    """A file or folder that cannot be written; the message names it and says why."""


def _reason(error: OSError, path: Path) -> str:
    if isinstance(error, (NotADirectoryError, FileExistsError)) or error.errno == errno.ENOTDIR:
        blocking = next((parent for parent in path.parents if parent.exists() and not parent.is_dir()), None)
        if blocking is not None:
            return f"{blocking} is a file, not a folder"
    if isinstance(error, PermissionError):
        return "permission denied"
    if isinstance(error, IsADirectoryError):
        return "it is a folder"
    return error.strerror.lower() if error.strerror else str(error)


def make_folder(path: Path) -> Path:
    """The folder `path`, made with its parents if missing; OutputError when it cannot be."""
    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputError(f"cannot make the folder {path}: {_reason(error, path)}") from None
    return path


def cannot_write(path: Path, error: OSError) -> OutputError:
    """The OutputError for an OSError met while writing `path` by other means (sqlite3, a subprocess)."""
    return OutputError(f"cannot write {path}: {_reason(error, Path(path))}")


def create_private(path: Path) -> None:
    """Make `path` an empty file only its owner may read or write, before any data goes in: a backup holds
    every account's e-mail, password hash and answers, a data export one person's (both were 0644)."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    os.chmod(path, 0o600)  # a file that was there keeps its mode through O_CREAT


def write_file(path: Path, data: bytes | str, *, private: bool = False) -> Path:
    """Write `data` (text as UTF-8) to `path`, making its missing folders; OutputError saying why not.
    `private`: readable by its owner only (0600), for files that hold people's data."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if private:
            create_private(path)
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8")
        else:
            path.write_bytes(data)
    except OSError as error:
        raise cannot_write(path, error) from None
    return path
