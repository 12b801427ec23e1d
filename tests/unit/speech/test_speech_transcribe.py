"""Transcribing synthesised speech end to end with the real model (skipped without it)."""

import re

import numpy as np
import pytest

from rehearse.speech import TranscriptionError, transcribe

pytestmark = pytest.mark.usefixtures("speech_ready")

DEPLOY = "We cut deploy time from two hours to fifteen minutes."

# Whisper writes numbers as digits; the sentences are written out in words.
NUMBERS = {
    "2": "two",
    "2%": "two percent",
    "6": "six",
    "15": "fifteen",
    "20": "twenty",
    "40": "forty",
    "40%": "forty percent",
}


def words(text: str) -> list[str]:
    tokens = re.findall(r"[a-z0-9%']+", text.lower())
    return " ".join(NUMBERS.get(t, t) for t in tokens).split()


def word_error_rate(expected: str, heard: str) -> float:
    """Word-level Levenshtein distance over the expected length."""
    ref, hyp = words(expected), words(heard)
    row = list(range(len(hyp) + 1))
    for i, r in enumerate(ref, 1):
        prev, row[0] = row[0], i
        for j, h in enumerate(hyp, 1):
            prev, row[j] = row[j], min(row[j] + 1, row[j - 1] + 1, prev + (r != h))
    return row[-1] / len(ref)


@pytest.mark.parametrize(
    ("expected", "heard", "rate"),
    [
        ("two hours", "2 hours", 0.0),
        ("we cut deploy time", "we cut diploid time", 0.25),
        ("a b c d", "a c d", 0.25),
    ],
)
def test_word_error_rate_helper(expected, heard, rate):
    assert word_error_rate(expected, heard) == pytest.approx(rate)


def test_sentence_is_recovered(deploy_wav, deploy_speech):
    samples, rate = deploy_speech
    transcript = transcribe(deploy_wav)
    # espeak's voice is robotic; Whisper base hears "deploy" as "diploid" (1 word in 10)
    assert word_error_rate(DEPLOY, transcript.text) <= 0.25, transcript.text
    assert transcript.duration_s == pytest.approx(samples.size / rate, abs=0.05)
    assert 0.5 * transcript.duration_s < transcript.speaking_s <= transcript.duration_s
    assert 100 <= transcript.words_per_minute <= 300  # espeak speaks at a brisk ~200
    assert transcript.word_count == pytest.approx(10, abs=1)
    assert transcript.pauses == ()
    assert transcript.language == "en"
    assert transcript.segments and transcript.segments[0].start_s < 0.5


def test_three_second_silence_is_reported_as_a_pause(audio):
    first, rate = audio.synthesise("I led the migration to the new platform.")
    second, _ = audio.synthesise("It took six months and saved forty percent of our cloud bill.")
    clip = np.concatenate([first, np.zeros(3 * rate, dtype=np.int16), second])
    transcript = transcribe(audio.to_wav(clip, rate))
    assert len(transcript.pauses) == 1, transcript.pauses
    start, length = transcript.pauses[0]
    first_s = first.size / rate
    assert first_s - 1.0 < start < first_s  # where the first sentence stops being voiced
    assert 2.5 < length < 4.5  # the 3 s of silence plus espeak's own trailing quiet
    # the long pause is not counted as speaking time
    assert transcript.speaking_s < transcript.duration_s - 3
    assert "migration" in transcript.text and "months" in transcript.text


LONG_ANSWER = [
    "When I joined, a release took two days and failed one time in five.",
    "I set a goal with the team: ship any change to production within an hour, safely.",
    "We moved the build to a single pipeline and added contract tests between services.",
    "Every deploy became a canary that rolls back by itself when error rates rise.",
    "Within six months we shipped twenty times a day and failures dropped below two percent.",
    "What I learned is that speed and safety come from the same habits.",
]


def test_long_answer_is_neither_cut_nor_repeated(audio):
    """Said twice, as a rambling answer might: conditioning on earlier text made Whisper skip
    a sentence and loop on another here, so it is turned off."""
    parts = [audio.synthesise(sentence, words_per_minute=150) for sentence in LONG_ANSWER * 2]
    rate = parts[0][1]
    transcript = transcribe(audio.to_wav(np.concatenate([p for p, _ in parts]), rate))
    assert transcript.duration_s > 50
    assert word_error_rate(" ".join(LONG_ANSWER * 2), transcript.text) <= 0.2, transcript.text
    heard = words(transcript.text)
    for marker in ("joined", "pipeline", "canary", "months", "learned"):
        assert heard.count(marker) == 2, (marker, transcript.text)


def test_browser_webm_opus_is_transcribed(audio, deploy_speech):
    webm = audio.encode(*deploy_speech, "webm", "libopus")
    transcript = transcribe(webm)
    assert word_error_rate(DEPLOY, transcript.text) <= 0.25, transcript.text


def test_silence_is_refused_with_a_reason(audio):
    silence = audio.to_wav(np.zeros(4 * 16000, dtype=np.int16), 16000)
    with pytest.raises(TranscriptionError, match="No speech"):
        transcribe(silence)


def test_garbage_bytes_are_refused():
    with pytest.raises(TranscriptionError, match="could not be decoded"):
        transcribe(b"\x1aE\xdf\xa3 not really webm" * 100)


def test_progress_is_reported_up_to_the_end(deploy_wav):
    seen: list[float] = []
    transcribe(deploy_wav, on_progress=seen.append)
    assert seen and seen == sorted(seen) and 0.5 < seen[-1] <= 1.0
