"""Decode a recording (what a browser's MediaRecorder sends, or WAV) into 16 kHz mono samples.

PyAV bundles FFmpeg, so webm/opus, ogg/opus, mp4/aac, mp3 and wav all decode
without a system FFmpeg. Decoding stops as soon as the audio passes the length limit,
so an hour-long upload is refused without first being held in memory whole.
"""

from __future__ import annotations

import io
from collections.abc import Iterator

import numpy as np

SAMPLE_RATE = 16_000  # what Whisper was trained on
# Ten minutes is well past any interview answer (two to three minutes is the norm)
# and keeps one transcription under about a minute of CPU on two cores.
MAX_DURATION_S = 600
# A ten-minute 48 kHz 16-bit mono WAV is 55 MiB; browser opus is about 1/50 of that.
MAX_AUDIO_BYTES = 64 * 1024 * 1024
# A stray corrupt frame is skipped; this many in a row means the file is not audio.
MAX_BAD_FRAMES = 50
# The containers an upload may come in, as told to whoever sends something else: what MediaRecorder
# writes (WebM, Ogg, MP4), what recorders and phones save (WAV, MP3, M4A, FLAC). FFmpeg decodes them all.
ACCEPTED_FORMATS = "WAV, WebM, Ogg, MP3, MP4/M4A or FLAC"


class TranscriptionError(ValueError):
    """The recording cannot be transcribed: empty, undecodable, too long, or silent."""


def decode(audio: bytes, *, max_duration_s: float = MAX_DURATION_S) -> np.ndarray:
    """Return the recording as float32 mono samples at 16 kHz, or raise TranscriptionError."""
    check_size(audio)
    import av

    limit = int(max_duration_s * SAMPLE_RATE)
    chunks: list[np.ndarray] = []
    count = 0
    try:
        with av.open(io.BytesIO(audio), mode="r", metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise TranscriptionError("The recording has no audio track.")
            resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
            for frame in _valid_frames(container.decode(audio=0)):
                for out in resampler.resample(frame):
                    chunk = out.to_ndarray().reshape(-1)
                    chunks.append(chunk)
                    count += chunk.size
                if count > limit:
                    raise TranscriptionError(
                        f"The recording is longer than {max_duration_s / 60:g} minutes; "
                        "record a shorter answer."
                    )
            chunks.extend(out.to_ndarray().reshape(-1) for out in resampler.resample(None))
    except TranscriptionError:
        raise
    except (av.FFmpegError, OSError, ValueError, IndexError) as exc:
        detail = getattr(exc, "strerror", None) or str(exc)
        raise TranscriptionError(
            f"The recording could not be decoded as audio ({detail}); send {ACCEPTED_FORMATS}."
        ) from exc
    if not chunks or sum(c.size for c in chunks) == 0:
        raise TranscriptionError("The recording contains no audio samples.")
    return np.concatenate(chunks).astype(np.float32) / 32768.0


def check_size(audio: bytes) -> None:
    """Refuse an empty or oversized upload before any decoding."""
    if not audio:
        raise TranscriptionError("The recording is empty.")
    if len(audio) > MAX_AUDIO_BYTES:
        raise TranscriptionError(
            f"The recording is larger than {MAX_AUDIO_BYTES // (1024 * 1024)} MiB; "
            "record a shorter answer."
        )


def check_format(audio: bytes) -> None:
    """Refuse bytes that do not start as an accepted container does, before they take a place in the queue."""
    if not looks_like_audio(audio):
        raise TranscriptionError(
            f"The upload is not a recording this server can transcribe; send {ACCEPTED_FORMATS}."
        )


def looks_like_audio(audio: bytes) -> bool:
    """Whether the first bytes are an accepted container's signature (cheap: decoding is the worker's job)."""
    head = audio[:12]
    return (
        (head[:4] == b"RIFF" and head[8:12] == b"WAVE")  # WAV
        or head[:4] == b"\x1a\x45\xdf\xa3"  # EBML: WebM, Matroska
        or head[:4] in (b"OggS", b"fLaC")
        or head[4:8] == b"ftyp"  # ISO media: MP4, M4A
        or head[:3] == b"ID3"  # MP3 with its tags first
        or (len(head) >= 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0)  # an MPEG frame: bare MP3 (or ADTS AAC)
    )


def _valid_frames(frames: Iterator) -> Iterator:
    """Skip frames FFmpeg reports as corrupt; browsers' first or last packet sometimes is."""
    import av

    bad_in_a_row = 0
    while True:
        try:
            frame = next(frames)
        except StopIteration:
            return
        except av.InvalidDataError:
            bad_in_a_row += 1
            if bad_in_a_row > MAX_BAD_FRAMES:
                raise
            continue
        bad_in_a_row = 0
        yield frame
