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
from rehearse.practice.transcriptions import QueueFull, TranscriptionNotFound, Transcriptions

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
        bad = table.submit(session, b"not audio at all" * 100, owner="user:1")
        with pytest.raises(speech.TranscriptionError, match="empty"):
            table.submit(session, b"", owner="user:1")
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
