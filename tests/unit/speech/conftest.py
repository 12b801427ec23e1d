"""Speech fixtures: audio synthesised on the spot with espeak-ng, never downloaded."""

from __future__ import annotations

import io
import shutil
import subprocess
import wave
from types import SimpleNamespace

import numpy as np
import pytest

import rehearse.speech

DEPLOY = "We cut deploy time from two hours to fifteen minutes."


def synthesise(text: str, *, words_per_minute: int = 160) -> tuple[np.ndarray, int]:
    """Speak `text` with espeak-ng; return int16 mono samples and their rate."""
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (apt-get install -y espeak-ng)")
    wav = subprocess.run(
        ["espeak-ng", "-v", "en-us", "-s", str(words_per_minute), "--stdout", text],
        check=True,
        capture_output=True,
        timeout=60,
    ).stdout
    with wave.open(io.BytesIO(wav)) as reader:
        rate = reader.getframerate()
        samples = np.frombuffer(reader.readframes(reader.getnframes()), dtype=np.int16)
    return samples, rate


def to_wav(samples: np.ndarray, rate: int) -> bytes:
    """Wrap int16 mono samples in a WAV file."""
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(samples.astype(np.int16).tobytes())
    return buffer.getvalue()


def encode(samples: np.ndarray, rate: int, container: str, codec: str) -> bytes:
    """Encode int16 mono samples the way a browser's MediaRecorder would (e.g. webm/opus)."""
    import av

    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format=container) as out:
        stream = out.add_stream(codec, rate=48_000, layout="mono")
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = rate
        for packet in (*stream.encode(frame), *stream.encode(None)):
            out.mux(packet)
    return buffer.getvalue()


@pytest.fixture(scope="session")
def speech_ready() -> None:
    """Skip unless the speech extra (faster-whisper and the weights) is installed."""
    if not rehearse.speech.available():
        pytest.skip(f"speech extra unavailable: {rehearse.speech.unavailable_reason()}")


@pytest.fixture(scope="session")
def audio():
    """Audio helpers (synthesise, to_wav, encode), as a fixture so no test imports conftest."""
    return SimpleNamespace(synthesise=synthesise, to_wav=to_wav, encode=encode)


@pytest.fixture(scope="session")
def deploy_speech() -> tuple[np.ndarray, int]:
    """The deploy-time sentence as samples."""
    return synthesise(DEPLOY)


@pytest.fixture(scope="session")
def deploy_wav(deploy_speech) -> bytes:
    """The deploy-time sentence as a WAV file."""
    return to_wav(*deploy_speech)
