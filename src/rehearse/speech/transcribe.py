"""Turn a recorded answer into a transcript with pace and long pauses."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from rehearse.speech.audio import MAX_DURATION_S, SAMPLE_RATE, TranscriptionError, decode
from rehearse.speech.model import load_model

# A silence of two seconds or more between words is reported as a long pause. Shorter
# gaps are breathing and ordinary thinking time that listeners do not notice; past about
# two seconds an interviewer hears the candidate stall. Whisper's word timings drift by
# a few hundred milliseconds, so a lower threshold would also report timing noise.
PAUSE_MIN_S = 2.0
BEAM_SIZE = 1  # greedy decoding: about twice as fast as beam 5 for a small loss of accuracy


@dataclass(frozen=True)
class Segment:
    """One stretch of transcript with its place in the recording."""

    start_s: float
    end_s: float
    text: str


@dataclass(frozen=True)
class Transcript:
    """What was said, and how: length, speaking time, pace and long pauses."""

    text: str
    duration_s: float  # length of the whole recording
    speaking_s: float  # first word to last word, less the long pauses
    words_per_minute: float  # words over speaking_s
    pauses: tuple[tuple[float, float], ...]  # (start_s, length_s) of each silence >= PAUSE_MIN_S
    segments: tuple[Segment, ...]
    word_count: int
    language: str

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (pauses and segments as lists)."""
        data = asdict(self)
        data["pauses"] = [list(p) for p in self.pauses]
        data["segments"] = [asdict(s) for s in self.segments]
        return data


def transcribe(
    audio: bytes,
    *,
    language: str = "en",
    max_duration_s: float = MAX_DURATION_S,
    on_progress: Callable[[float], None] | None = None,
) -> Transcript:
    """Transcribe a recording (webm/opus, ogg/opus, mp4/aac or wav) offline with Whisper base.

    Raises TranscriptionError for empty, undecodable, over-long or speechless audio, and
    SpeechUnavailableError when the speech extra is not installed.
    """
    samples = decode(audio, max_duration_s=max_duration_s)
    duration = samples.size / SAMPLE_RATE
    model = load_model()
    raw_segments, info = model.transcribe(
        samples,
        language=language,
        beam_size=BEAM_SIZE,
        word_timestamps=True,  # pauses and speaking time come from word timings
        vad_filter=True,  # skip silence: faster, and no text hallucinated into it
        # Not feeding each window the previous text stops Whisper repeating itself on long
        # answers: on a 60 s clip it halved word errors and ran 3x faster (speech_speed.py).
        condition_on_previous_text=False,
    )
    segments: list[Segment] = []
    words: list[tuple[float, float]] = []
    for raw in raw_segments:  # a generator: decoding happens as we iterate
        text = raw.text.strip()
        if text:
            segments.append(Segment(round(float(raw.start), 2), round(float(raw.end), 2), text))
        words.extend((float(w.start), float(w.end)) for w in raw.words or () if w.word.strip())
        if on_progress is not None and duration > 0:
            on_progress(min(1.0, float(raw.end) / duration))
    if not words:
        raise TranscriptionError(
            "No speech was heard in the recording; check the microphone and try again."
        )
    pauses = find_pauses(words)
    speaking = max(0.0, words[-1][1] - words[0][0] - sum(length for _, length in pauses))
    return Transcript(
        text=" ".join(s.text for s in segments),
        duration_s=round(duration, 2),
        speaking_s=round(speaking, 2),
        words_per_minute=round(len(words) / speaking * 60, 1) if speaking > 0 else 0.0,
        pauses=tuple(pauses),
        segments=tuple(segments),
        word_count=len(words),
        language=info.language,
    )


def find_pauses(
    words: list[tuple[float, float]], *, min_s: float = PAUSE_MIN_S
) -> list[tuple[float, float]]:
    """(start_s, length_s) of each gap of at least `min_s` between consecutive words."""
    pauses = []
    for (_, end), (start, _) in zip(words, words[1:], strict=False):
        gap = start - end
        if gap >= min_s:
            pauses.append((round(end, 2), round(gap, 2)))
    return pauses
