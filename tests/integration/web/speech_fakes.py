"""A stand-in transcriber for web tests: the uploaded "audio" is a WAV header and then the transcript's text.

Recordings still go through the real job queue (a `transcribe` job in the test database);
only the speech model is replaced, and the tests run the queued jobs when they choose
(`speech.run()`), since a TestClient app starts no background worker.
"""

from __future__ import annotations

import io
import wave
from typing import Any

from rehearse.jobs.worker import Worker
from rehearse.practice import transcriptions


def _empty_wav() -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(16_000)
    return buffer.getvalue()


# A real WAV header (no samples), so the upload passes the server's "is this audio?" check.
WAV_HEADER = _empty_wav()


def recording(text: str) -> bytes:
    """A fake recording whose transcript will be `text`."""
    return WAV_HEADER + text.encode()


def spoken(audio: bytes) -> str:
    """What the fake transcriber hears in a fake recording: the text after its header."""
    return audio.removeprefix(WAV_HEADER).decode()


class InstantSpeech:
    def __init__(self, app, transcript: dict[str, Any]) -> None:
        self.transcript = transcript
        self.worker = Worker(app.state.jobs, name="test-worker")

    def transcribe(self, audio: bytes, *, language: str, on_progress) -> dict[str, Any]:
        on_progress(0.5)
        return {**self.transcript, "text": spoken(audio), "language": language}

    def run(self) -> int:
        """Transcribe every queued recording now; returns how many."""
        return self.worker.drain()


def install(app, monkeypatch, **transcript: Any) -> InstantSpeech:
    """Make `app` transcribe instantly (with these pace figures); returns the runner of its jobs."""
    speech = InstantSpeech(app, {"segments": [], **transcript})
    monkeypatch.setattr(transcriptions, "transcribe_audio", speech.transcribe)
    monkeypatch.setattr(app.state.transcriptions, "unavailable_reason", lambda: None)
    return speech
