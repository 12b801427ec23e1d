"""Real speech through the queue: espeak-ng's voice in, a `transcribe` job, the worker, the transcript out.

Skipped (saying why) without espeak-ng or the speech extra, like tests/unit/speech.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from rehearse import speech
from rehearse.jobs.queue import JobQueue
from rehearse.jobs.worker import Worker
from rehearse.practice.transcriptions import QueueFull, TooManyOfYours, TranscriptionNotFound, Transcriptions

SENTENCE = "We cut deploy time from two hours to fifteen minutes."


@pytest.fixture(scope="module")
def recording() -> bytes:
    if not speech.available():
        pytest.skip(f"the speech extra is not usable: {speech.unavailable_reason()}")
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (apt-get install -y espeak-ng)")
    return subprocess.run(["espeak-ng", "-v", "en-us", "-s", "150", "--stdout", SENTENCE],
                          check=True, capture_output=True, timeout=60).stdout


def test_a_recording_is_transcribed_by_a_worker_and_read_back_by_its_owner(database, recording):
    table = Transcriptions(limit=8)
    with database.session() as session:
        good = table.submit(session, recording, owner="user:1")
        bad = table.submit(session, b"RIFF\x00\x00\x00\x00WAVE but no audio after it" * 100, owner="user:1")
        with pytest.raises(speech.TranscriptionError, match="empty"):
            table.submit(session, b"", owner="user:1")
        with pytest.raises(speech.TranscriptionError, match="send WAV, WebM, Ogg, MP3, MP4/M4A or FLAC"):
            table.submit(session, b"not audio at all" * 100, owner="user:1")  # refused here, never queued
        assert table.status(session, good, owner="user:1") == {"state": "queued", "progress": 0.0}
        assert table.pending(session) == 2
    assert Worker(JobQueue(database)).drain() == 2
    with database.session() as session:
        done = table.status(session, good, owner="user:1")
        assert done["state"] == "done" and done["progress"] == 1.0
        assert {"deploy", "minutes"} <= set(done["transcript"]["text"].lower().strip(".").split()) and done["transcript"]["words_per_minute"] > 0
        failed = table.status(session, bad, owner="user:1")
        assert failed["state"] == "failed" and "could not be decoded" in failed["error"]
        for job, owner in ((good, "user:2"), (good, None), ("no-such-job", "user:1")):
            with pytest.raises(TranscriptionNotFound):
                table.status(session, job, owner=owner)


def test_uploads_past_the_limit_are_refused_until_one_is_done(database, recording):
    table = Transcriptions(limit=1)
    with database.session() as session:
        table.submit(session, recording, owner=None)
        with pytest.raises(QueueFull):
            table.submit(session, recording, owner=None)
    Worker(JobQueue(database)).drain()
    with database.session() as session:
        job = table.submit(session, recording, owner=None)  # room again
        assert table.status(session, job, owner="anyone")["state"] == "queued"  # no owner: the id is the key


WAV = b"RIFF\x24\x00\x00\x00WAVEfmt "  # starts as a WAV does: enough to be queued (no worker runs here)


def test_one_uploader_has_only_its_share_of_the_queue(database):
    table = Transcriptions(limit=8, per_uploader=3)
    with database.session() as session:
        for _ in range(3):
            table.submit(session, WAV, owner="user:1")
        with pytest.raises(TooManyOfYours, match="You already have 3 recordings waiting"):
            table.submit(session, WAV, owner="user:1")
        table.submit(session, WAV, owner="user:2")  # someone else still gets a place
        assert table.pending(session) == 4 and table.pending_for(session, "user:1") == 3


def test_anonymous_browsers_share_their_address_s_places(database):
    """A new cookie is free, so without an account the address is what is counted."""
    table = Transcriptions(limit=8, per_uploader=2)
    with database.session() as session:
        table.submit(session, WAV, owner="browser:a", uploader="address:192.0.2.1")
        table.submit(session, WAV, owner="browser:b", uploader="address:192.0.2.1")
        with pytest.raises(TooManyOfYours):
            table.submit(session, WAV, owner="browser:c", uploader="address:192.0.2.1")
        table.submit(session, WAV, owner="browser:d", uploader="address:192.0.2.2")
