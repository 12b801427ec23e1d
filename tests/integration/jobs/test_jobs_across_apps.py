"""Two app instances on one database: a recording sent to one is transcribed by the other's
worker and read back through either; /readyz and /metrics read the queue from the database."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from tests.api_client import token_for
from tests.integration.web.speech_fakes import recording, spoken

from rehearse.jobs.models import RUNNING, Job
from rehearse.jobs.service import utcnow
from rehearse.practice import transcriptions
from rehearse.settings import Settings
from rehearse.web.app import create_app


@pytest.fixture
def make_app(database, database_url, tmp_path, monkeypatch):
    """create_app on the shared database; the speech model replaced by an instant echo."""
    monkeypatch.setattr(transcriptions, "transcribe_audio", lambda audio, *, language, on_progress: {
        "text": spoken(audio), "duration_s": 12.0, "speaking_s": 10.0, "words_per_minute": 120.0,
        "pauses": [], "segments": [], "word_count": 20, "language": language})
    made = []

    def make(**options):
        settings = Settings(data_dir=tmp_path / "data", database_url=database_url, secret_key="s" * 48,
                            load_builtin_bank=False, feedback_backend="lexical", signups_per_address_per_hour=1000,
                            **options)
        app = create_app(settings)
        monkeypatch.setattr(app.state.transcriptions, "unavailable_reason", lambda: None)
        made.append(app)
        return app

    yield make
    for app in made:
        app.state.database.dispose()


def test_a_recording_sent_to_one_app_is_done_when_read_through_another(make_app):
    web_only = make_app(worker_in_process=False)
    with_worker = make_app()  # the default: one worker thread beside the app
    one = TestClient(web_only)
    ann, bob = token_for(one), token_for(one)
    sent = one.post("/api/transcriptions", headers=ann,
                    files={"audio": ("a.wav", recording("sent to the first app"), "audio/wav")})
    assert sent.status_code == 202
    job = sent.json()["id"]
    time.sleep(1.5)
    assert one.get(f"/api/transcriptions/{job}", headers=ann).json()["state"] == "queued"  # no worker there
    with TestClient(with_worker) as other:  # its lifespan starts its worker
        deadline = time.monotonic() + 30
        while (status := other.get(f"/api/transcriptions/{job}", headers=ann).json())["state"] != "done":
            assert time.monotonic() < deadline, status
            time.sleep(0.1)
        assert status["transcript"]["text"] == "sent to the first app" and status["progress"] == 1.0
        assert other.get(f"/api/transcriptions/{job}", headers=bob).status_code == 404  # still only Ann's
    # And the first app, which never ran it, reads the same outcome.
    assert one.get(f"/api/transcriptions/{job}", headers=ann).json() == status


def test_readiness_and_metrics_follow_the_queue_in_the_database(make_app):
    app = make_app(worker_in_process=False, transcription_queue_limit=2)
    other = TestClient(make_app(worker_in_process=False))
    client = TestClient(app)
    ann, bob = token_for(client), token_for(client)
    assert client.get("/readyz").json() == {"status": "ready", "database": True, "queue": True, "workers": True,
                                            "reason": None}
    for _ in range(2):
        assert other.post("/api/transcriptions", headers=ann,
                          files={"audio": ("a.wav", recording("words"), "audio/wav")}).status_code == 202
    # Bob has none waiting, but the queue (of two, across both apps) is full.
    full = client.post("/api/transcriptions", headers=bob, files={"audio": ("a.wav", recording("more"), "audio/wav")})
    assert full.status_code == 503 and full.headers["Retry-After"] and "try again" in full.json()["detail"]
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.json()["queue"] is False
    metrics = client.get("/metrics").text
    assert 'rehearse_job_queue_depth{kind="transcribe",state="queued"} 2.0' in metrics
    assert "rehearse_transcription_queue_depth 2.0" in metrics


def test_shutting_the_app_down_lets_its_worker_finish_the_job_in_hand(make_app):
    import threading

    from rehearse.jobs import handlers

    started, results = threading.Event(), []

    def slow(job):
        started.set()
        time.sleep(1.5)
        results.append(job.id)
        return {"finished": True}

    handlers.register("test.shutdown", slow)
    app = make_app()
    with TestClient(app):
        job = app.state.jobs.enqueue(kind="test.shutdown", payload={})
        app.state.worker.wake()
        assert started.wait(30)
    # Leaving the block ran the app's shutdown: it waited for the job rather than abandoning it.
    assert results == [job] and not app.state.worker.alive
    stored = app.state.jobs.get(job)
    assert (stored.state, stored.result) == ("done", {"finished": True})


def _queued_for(app, seconds: float, **held) -> str:
    """A score job that has waited `seconds` for a worker (or, with `held`, one a worker holds)."""
    job = app.state.jobs.enqueue(kind="score", payload={}, expires_in=timedelta(minutes=5))
    with app.state.database.transaction(writes=True) as session:
        session.execute(update(Job).where(Job.id == job).values(run_after=utcnow() - timedelta(seconds=seconds),
                                                                **held))
    return job


def test_readiness_says_when_jobs_wait_and_no_worker_takes_them(make_app):
    """The split layout with no `rehearse worker`: every long answer waited 30 s for a 503 while /readyz said
    ready. A job left unclaimed past a few seconds while no worker holds any is now a reason not to be."""
    client = TestClient(make_app(worker_in_process=False))
    _queued_for(client.app, 1)
    assert client.get("/readyz").json()["workers"] is True  # a worker has had no time to take it yet
    _queued_for(client.app, 60)
    ready = client.get("/readyz")
    assert ready.status_code == 503
    assert ready.json()["status"] == "unavailable" and ready.json()["workers"] is False
    assert "rehearse worker" in ready.json()["reason"]


def test_a_backlog_behind_busy_workers_is_not_a_missing_worker(make_app):
    client = TestClient(make_app(worker_in_process=False))
    _queued_for(client.app, 60)
    _queued_for(client.app, 90, state=RUNNING, attempts=1, worker="busy", lease_expires_at=utcnow() + timedelta(seconds=30))
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.json()["workers"] is True and ready.json()["reason"] is None
