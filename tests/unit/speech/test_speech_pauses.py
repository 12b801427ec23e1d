"""Pause detection and the transcript's JSON shape: pure, no model needed."""

import json

import pytest

from rehearse.speech import PAUSE_MIN_S, Segment, Transcript
from rehearse.speech.transcribe import find_pauses


@pytest.mark.parametrize(
    ("words", "pauses"),
    [
        ([], []),
        ([(0.0, 0.4)], []),
        # ordinary gaps between words are not pauses
        ([(0.0, 0.4), (0.6, 1.0), (2.5, 3.0)], []),
        # exactly the threshold counts
        ([(0.0, 0.5), (2.5, 3.0)], [(0.5, 2.0)]),
        # just under it does not
        ([(0.0, 0.5), (2.49, 3.0)], []),
        # several long silences, each reported where it starts
        ([(0.0, 1.0), (4.0, 5.0), (5.1, 6.0), (9.5, 10.0)], [(1.0, 3.0), (6.0, 3.5)]),
    ],
)
def test_find_pauses(words, pauses):
    assert find_pauses(words) == pauses


def test_pause_threshold_is_two_seconds():
    assert PAUSE_MIN_S == 2.0
    assert find_pauses([(0.0, 1.0), (2.0, 3.0)], min_s=1.0) == [(1.0, 1.0)]


def test_transcript_to_dict_is_json_ready():
    transcript = Transcript(
        text="Hello there.",
        duration_s=3.0,
        speaking_s=1.0,
        words_per_minute=120.0,
        pauses=((0.5, 2.0),),
        segments=(Segment(0.0, 1.0, "Hello there."),),
        word_count=2,
        language="en",
    )
    data = json.loads(json.dumps(transcript.to_dict()))
    assert data["pauses"] == [[0.5, 2.0]]
    assert data["segments"] == [{"start_s": 0.0, "end_s": 1.0, "text": "Hello there."}]
    assert data["words_per_minute"] == 120.0
