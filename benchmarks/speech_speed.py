"""How fast offline transcription is: first load, and ~15 s and ~60 s of synthesised speech.

Run: python benchmarks/speech_speed.py  (needs the speech extra and espeak-ng)
Prints a table: seconds to transcribe, real-time factor (transcription time over audio
length; below 1 is faster than real time) and word error rate against the script.
"""

from __future__ import annotations

import io
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

import numpy as np

import rehearse.speech
from rehearse.speech import model, transcribe

# An interview answer in plain words (espeak reads digits oddly, Whisper writes them back).
SCRIPT = [
    "When I joined, a release took two days and failed one time in five.",
    "I set a goal with the team: ship any change to production within an hour, safely.",
    "We moved the build to a single pipeline, added contract tests between services,",
    "and made every deploy a canary that rolls back by itself when error rates rise.",
    "Within six months we shipped twenty times a day and failures dropped below two percent.",
    "What I learned is that speed and safety come from the same habits, not from trade offs.",
]
TARGETS_S = (15, 60)


def synthesise_clip(target_s: float) -> tuple[bytes, str]:
    """A WAV of at least `target_s` seconds (the script, repeated) and the text it speaks."""
    chunks, spoken, total, rate = [], [], 0.0, 22050
    while total < target_s:
        for sentence in SCRIPT:
            wav = subprocess.run(
                ["espeak-ng", "-v", "en-us", "-s", "150", "--stdout", sentence],
                check=True,
                capture_output=True,
            ).stdout
            with wave.open(io.BytesIO(wav)) as reader:
                rate = reader.getframerate()
                chunks.append(np.frombuffer(reader.readframes(reader.getnframes()), np.int16))
            spoken.append(sentence)
            total = sum(c.size for c in chunks) / rate
            if total >= target_s:
                break
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(rate)
        writer.writeframes(np.concatenate(chunks).tobytes())
    return buffer.getvalue(), " ".join(spoken)


# Whisper writes the script's numbers as digits; score them as the words that were spoken.
NUMBERS = {"2": "two", "20": "twenty", "2%": "two percent", "6": "six", "5": "five"}


def word_error_rate(expected: str, heard: str) -> float:
    """Word-level edit distance over the expected length."""
    ref = re.findall(r"[a-z']+", expected.lower())
    hyp = " ".join(NUMBERS.get(t, t) for t in re.findall(r"[a-z0-9%']+", heard.lower())).split()
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[-1] / len(ref)


def main() -> int:
    if not rehearse.speech.available():
        print(f"skipped: {rehearse.speech.unavailable_reason()}")
        return 0
    if shutil.which("espeak-ng") is None:
        print("skipped: espeak-ng is not installed (apt-get install -y espeak-ng)")
        return 0

    with tempfile.TemporaryDirectory() as scratch:
        started = time.perf_counter()
        model.model_dir(Path(scratch))
        join_s = time.perf_counter() - started
    started = time.perf_counter()
    model.load_model()
    load_s = time.perf_counter() - started

    print(f"cpu threads: {model.CPU_THREADS}, beam size 1, int8")
    print(f"join model.bin parts into an empty cache: {join_s:5.2f} s")
    print(f"first load of the model (cache already joined): {load_s:5.2f} s")
    print()
    print(f"{'clip':>8} {'audio s':>8} {'transcribe s':>13} {'RTF':>6} {'wpm':>6} {'WER':>6}")
    for target in TARGETS_S:
        audio, text = synthesise_clip(target)
        started = time.perf_counter()
        transcript = transcribe(audio)
        elapsed = time.perf_counter() - started
        rtf = elapsed / transcript.duration_s
        wer = word_error_rate(text, transcript.text)
        print(
            f"{f'~{target} s':>8} {transcript.duration_s:8.1f} {elapsed:13.2f} {rtf:6.3f}"
            f" {transcript.words_per_minute:6.0f} {wer:6.1%}"
        )
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak resident memory: {peak_mb:.0f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
