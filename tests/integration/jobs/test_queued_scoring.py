"""Scoring through the job queue, on SQLite and PostgreSQL: an app without a worker of its own has
long answers scored by another process's worker and answers with the report it would have made
itself; with no worker at all the request gives up with a 503 and stores nothing; the default
single process scores in the request as before; a worker killed mid-score has the job taken again."""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.exc import OperationalError
from tests.api_client import token_for
from tests.integration.web import speech_fakes

from rehearse.jobs import policy
from rehearse.jobs.models import Job
from rehearse.jobs.queue import JobQueue
from rehearse.jobs.worker import Worker
from rehearse.practice.queued_scoring import AUTO_MIN_CHARS
from rehearse.settings import Settings
from rehearse.web.app import create_app

SCRIPT = Path(__file__).with_name("score_worker_process.py")
LEASE_S = 5
# Long enough (over 1,000 characters) for `auto` to queue it when workers are separate.
LONG_ANSWER = " ".join([
    "When product teams kept asking the platform team for one-off changes, I set up a single intake",
    "with a weekly triage, so every request had an owner and a decision within five working days.",
    "We sorted requests into paved-road improvements, urgent fixes and bespoke asks, and published",
    "the rules so that teams could predict what would happen to theirs. I met the product leads to",
    "agree on what the platform would own, measured lead time for platform changes and the share",
    "of requests served by self-service, and reviewed both monthly with engineering managers.",
    "Within two quarters self-service covered sixty percent of requests, lead time fell from three",
    "weeks to four days, and on-call pages for the platform dropped by a third. The trade-off was",
    "saying no to some bespoke asks, so we offered office hours and templates instead, and we kept",
    "a small budget of capacity for genuinely new needs that fitted the roadmap and the OKRs.",
    "Looking back, I would have published the triage rules earlier, because most friction came from",
    "teams who did not know how their requests would be judged until the first meeting.",
])
assert len(LONG_ANSWER) >= AUTO_MIN_CHARS
SHORT_ANSWER = "I would set up an intake with weekly triage and measure the lead time of requests."


@pytest.fixture(scope="module")
def bank_loaded(database_url, tmp_path_factory) -> None:
    """The built-in bank, loaded once into the module's database by a first app."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("bank"), database_url=database_url, secret_key="s" * 48,
                        feedback_backend="lexical")
    create_app(settings).state.database.dispose()


@pytest.fixture
def make_app(bank_loaded, database, database_url, tmp_path):
    made = []

    def make(**options):
        settings = Settings(data_dir=tmp_path / "data", database_url=database_url, secret_key="s" * 48,
                            load_builtin_bank=False, feedback_backend="lexical", signups_per_address_per_hour=1000,
                            **options)
        app = create_app(settings)
        made.append(app)
        return app

    yield make
    for app in made:
        app.state.database.dispose()


def question_id(client: TestClient) -> int:
    return client.get("/api/questions", params={"q": "platform team requests"}).json()[0]["id"]


def score_jobs(database) -> int:
    with database.transaction() as session:
        return session.scalar(select(func.count()).select_from(Job).where(Job.kind == "score"))


def inline_report(make_app, qid: int, answer: str) -> dict:
    client = TestClient(make_app(scoring_on_queue="never"))
    response = client.post("/api/feedback", json={"question_id": qid, "answer": answer}, headers=token_for(client))
    assert response.status_code == 200, response.text
    return response.json()


def test_a_long_answer_sent_to_a_web_only_app_is_scored_by_another_process_worker(make_app, database):
    web_only = make_app(worker_in_process=False)  # scoring_on_queue=auto
    client = TestClient(web_only)
    ann = token_for(client)
    qid = question_id(client)
    expected, short_expected = inline_report(make_app, qid, LONG_ANSWER), inline_report(make_app, qid, SHORT_ANSWER)
    with_worker = make_app()
    ran: list[str] = []
    with_worker.state.worker.listen(ran.append)
    with TestClient(with_worker):  # its lifespan starts its worker
        feedback = client.post("/api/feedback", json={"question_id": qid, "answer": LONG_ANSWER}, headers=ann)
        assert feedback.status_code == 200, feedback.text
        assert feedback.json() == expected
        saved = client.post("/api/attempts", json={"question_id": qid, "answer": LONG_ANSWER}, headers=ann)
        assert saved.status_code == 201, saved.text
        assert saved.json()["report"] == expected
        assert len(ran) == 2  # both were scored by the other app's worker
        short = client.post("/api/feedback", json={"question_id": qid, "answer": SHORT_ANSWER}, headers=ann)
        assert short.json() == short_expected and len(ran) == 2  # a short answer is scored in the request
    assert score_jobs(database) == 0  # each job was deleted once its report was read: no answer stays behind
    metrics = client.get("/metrics").text
    assert 'rehearse_job_seconds_count{kind="score",outcome="done"}' in metrics
    assert 'rehearse_scoring_wait_seconds_count{outcome="done"}' in metrics


def test_with_no_worker_anywhere_a_queued_answer_is_a_503_and_nothing_is_stored(make_app, database):
    app = make_app(worker_in_process=False, scoring_on_queue="always", scoring_timeout=2)
    client = TestClient(app)
    ann = token_for(client)
    qid = question_id(client)
    seen: dict = {}

    def watch() -> None:  # while the request waits: the job is visible to operators, and the app is ready
        time.sleep(0.8)
        seen["metrics"], seen["ready"] = client.get("/metrics").text, client.get("/readyz").status_code

    watcher = threading.Thread(target=watch)
    watcher.start()
    started = time.monotonic()
    response = client.post("/api/attempts", json={"question_id": qid, "answer": LONG_ANSWER}, headers=ann)
    waited = time.monotonic() - started
    watcher.join()
    assert response.status_code == 503 and response.headers["Retry-After"] == "10"
    assert "No worker scored this answer within 2 seconds" in response.json()["detail"]
    assert 2 <= waited < 10
    assert 'rehearse_job_queue_depth{kind="score",state="queued"} 1.0' in seen["metrics"] and seen["ready"] == 200
    assert client.get("/api/attempts", headers=ann).json() == []  # no attempt without its report
    page = TestClient(app)  # the practice page says the same, as a page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.get(f"/practice/{qid}").text).group(1)
    answered = page.post(f"/practice/{qid}", data={"csrf_token": token, "answer": LONG_ANSWER}, follow_redirects=False)
    assert answered.status_code == 503 and answered.headers["Retry-After"] == "10"
    assert "No worker scored this answer" in answered.text and "text/html" in answered.headers["content-type"]
    assert score_jobs(database) == 0  # and the job (with the answer) was dropped
    # Bad input is refused before anything is queued, at once.
    assert client.post("/api/feedback", json={"question_id": qid, "answer": "x" * 20_001},
                       headers=ann).status_code == 413
    assert client.post("/api/feedback", json={"question_id": qid, "answer": "  "}, headers=ann).status_code == 422
    assert client.post("/api/feedback", json={"question_id": 999_999, "answer": "An answer."},
                       headers=ann).status_code == 404
    assert score_jobs(database) == 0


def test_a_score_job_its_request_could_not_delete_is_never_run_and_is_deleted_later(make_app, database,
                                                                                      monkeypatch):
    app = make_app(worker_in_process=False, scoring_on_queue="always", scoring_timeout=1)
    client = TestClient(app)
    ann = token_for(client)
    qid = question_id(client)

    def away(job_id: str):  # the database goes away just as the request gives up (or its process dies)
        raise OperationalError("DELETE FROM jobs", {}, ConnectionError("server closed the connection"))

    monkeypatch.setattr(app.state.jobs, "take", away)
    response = client.post("/api/feedback", json={"question_id": qid, "answer": LONG_ANSWER}, headers=ann)
    assert response.status_code == 503
    assert score_jobs(database) == 1  # left behind, answer and all
    ran: list[str] = []
    late = Worker(JobQueue(database), name="late", resolve=lambda kind: lambda job: ran.append(job.id) or {})
    assert late.drain() == 0 and ran == []  # past its request's deadline: no CPU spent on it
    a_minute_on = JobQueue(database, clock=lambda: datetime.now(UTC) + policy.EXPIRED_KEPT + timedelta(seconds=5))
    assert a_minute_on.maintain() == (0, 1) and score_jobs(database) == 0  # and then the answer is gone


def test_the_default_single_process_scores_in_the_request_and_always_uses_its_own_worker(make_app, database):
    default = make_app()
    ran: list[str] = []
    default.state.worker.listen(ran.append)
    with TestClient(default) as client:
        ann = token_for(client)
        qid = question_id(client)
        expected = inline_report(make_app, qid, LONG_ANSWER)
        response = client.post("/api/feedback", json={"question_id": qid, "answer": LONG_ANSWER}, headers=ann)
        assert response.json() == expected and ran == []  # no job: scored in the request, as before
    always = make_app(scoring_on_queue="always")
    always.state.worker.listen(ran.append)
    with TestClient(always) as client:
        started = time.monotonic()
        response = client.post("/api/feedback", json={"question_id": qid, "answer": LONG_ANSWER}, headers=ann)
        assert response.json() == expected and len(ran) == 1
        assert time.monotonic() - started < 5  # woken by its own worker, not at a poll a second later
    assert score_jobs(database) == 0


def finished_mock(client: TestClient, headers: dict, role: str) -> dict:
    """A two-question mock (follow-ups on, a fixed draw), every item answered with LONG_ANSWER."""
    mock = client.post("/api/mocks", json={"role": role, "questions": 2, "seed": 7}, headers=headers).json()
    while mock["status"] != "finished":
        mock = client.post(f"/api/mocks/{mock['id']}/answers", headers=headers,
                           json={"item_id": mock["current_item_id"], "answer": LONG_ANSWER}).json()
    return mock


def test_mock_items_and_stories_scored_through_the_queue_are_scored_alike(make_app):
    web_only = make_app(worker_in_process=False, scoring_on_queue="always")
    inline = make_app(scoring_on_queue="never")
    with_worker = make_app()
    ran: list[str] = []
    with_worker.state.worker.listen(ran.append)
    client, other = TestClient(web_only), TestClient(inline)
    ann = token_for(client)
    role = client.get("/api/roles").json()[0]["slug"]
    parts = {"situation": LONG_ANSWER[:400], "task": LONG_ANSWER[400:600], "action": LONG_ANSWER[600:]}
    story = client.post("/api/stories", json={"title": "Platform intake", **parts}, headers=ann)
    assert story.status_code == 201, story.text
    qid = question_id(client)
    with TestClient(with_worker):
        queued_mock = finished_mock(client, ann, role)
        queued_story = client.post(f"/api/stories/{story.json()['id']}/score", json={"question_id": qid}, headers=ann)
    assert len(ran) == len(queued_mock["items"]) + 1
    here_mock = finished_mock(other, token_for(other), role)  # a new user: the draw avoids questions practised
    here_story = other.post(f"/api/stories/{story.json()['id']}/score", json={"question_id": qid}, headers=ann)

    def scored(mock: dict) -> list:
        return [(i["question"], i["follow_up"], i["score"], i["missed"]) for i in mock["items"]]

    assert scored(queued_mock) == scored(here_mock) and queued_mock["summary"] == here_mock["summary"]
    assert queued_story.status_code == 200 and queued_story.json() == here_story.json()


def test_a_suggested_example_answer_is_previewed_through_the_queue_alike(make_app):
    web_only = make_app(worker_in_process=False)  # auto: a long example answer goes to the queue
    with_worker = make_app()
    ran: list[str] = []
    with_worker.state.worker.listen(ran.append)
    client, other = TestClient(web_only), TestClient(make_app(scoring_on_queue="never"))
    ann = token_for(client)
    qid = question_id(client)
    edit = {"example_answer": LONG_ANSWER, "talking_points": ["an intake with triage", "measured lead time"]}
    new = {"text": "How would you handle a flood of requests to a platform team?", **edit}
    role = client.get("/api/roles").json()[0]["id"]
    with TestClient(with_worker):
        queued = client.post(f"/api/questions/{qid}/suggestions/preview", json=edit, headers=ann)
        queued_new = client.post(f"/api/roles/{role}/suggestions/preview", json=new, headers=ann)
    assert queued.status_code == 200 and queued_new.status_code == 200, (queued.text, queued_new.text)
    assert len(ran) == 2
    here = other.post(f"/api/questions/{qid}/suggestions/preview", json=edit, headers=ann)
    here_new = other.post(f"/api/roles/{role}/suggestions/preview", json=new, headers=ann)
    assert queued.json()["report"] == here.json()["report"] and queued.json()["report"]["score"] >= 0
    assert queued_new.json()["report"] == here_new.json()["report"]


def test_the_claim_puts_scoring_first_with_its_own_shorter_lease(queue, clock):
    recording = queue.enqueue(kind="transcribe", payload={})
    clock.advance(1)
    answer = queue.enqueue(kind="score", payload={})
    first = queue.claim(worker="w", lease=timedelta(seconds=60))
    assert first.id == answer  # someone is waiting on it; the older recording can wait
    assert queue.get(answer).lease_expires_at == clock.now + timedelta(seconds=15)
    assert queue.claim(worker="w", lease=timedelta(seconds=60)).id == recording
    assert queue.get(recording).lease_expires_at == clock.now + timedelta(seconds=60)
    assert queue.take(answer)[0] == "running" and queue.get(answer) is None and queue.take(answer) is None


def test_a_worker_killed_mid_score_has_the_job_scored_again_within_the_wait(make_app, database, database_url,
                                                                            tmp_path):
    app = make_app(worker_in_process=False, scoring_on_queue="always", scoring_timeout=60)
    client = TestClient(app)
    ann = token_for(client)
    qid = question_id(client)
    expected = inline_report(make_app, qid, LONG_ANSWER)
    answered: dict = {}
    request = threading.Thread(target=lambda: answered.setdefault("response", client.post(
        "/api/feedback", json={"question_id": qid, "answer": LONG_ANSWER}, headers=ann)))
    request.start()
    marker = tmp_path / "started"
    env = {key: value for key, value in os.environ.items() if not key.startswith("REHEARSE_")}
    env.update(REHEARSE_DATABASE_URL=database_url, REHEARSE_DATA_DIR=str(tmp_path / "data"),
               REHEARSE_LOAD_BUILTIN_BANK="false", REHEARSE_FEEDBACK_BACKEND="lexical")
    with (tmp_path / "worker.log").open("w") as log:
        process = subprocess.Popen([sys.executable, str(SCRIPT), str(marker), "--lease-seconds", str(LEASE_S),
                                    "--poll-seconds", "0.1"], env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert time.monotonic() < deadline, (tmp_path / "worker.log").read_text()
            time.sleep(0.05)
    finally:
        process.kill()  # SIGKILL mid-score: no outcome, no more heartbeats
        process.wait(10)
    killed_at = time.monotonic()
    rescuer = Worker(JobQueue(database), lease=timedelta(seconds=LEASE_S), poll_s=0.1, name="rescuer")
    rescuer.start()
    try:
        request.join(60)
    finally:
        rescuer.stop(timeout=10)
    response = answered["response"]
    assert response.status_code == 200, response.text
    assert response.json() == expected  # the second try's report, the same as scoring in the request
    assert time.monotonic() - killed_at >= LEASE_S * 2 / 3 - 0.5  # taken again only once the lease ran out
    assert score_jobs(database) == 0


SPEAKING_S = 10.47  # what the (faked) transcription measured


def test_a_spoken_attempt_scored_by_another_worker_keeps_its_measured_speaking_time(make_app, database, monkeypatch):
    """The score job carries the transcription's speaking time: the worker's report says it, as scoring in the
    request does, and not the estimate from the words."""
    from rehearse.practice import transcriptions

    monkeypatch.setattr(transcriptions, "transcribe_audio", lambda audio, *, language, on_progress: {
        "text": speech_fakes.spoken(audio), "duration_s": 12.0, "speaking_s": SPEAKING_S, "words_per_minute": 206.3,
        "pauses": [], "segments": [], "word_count": 36, "language": language})
    web_only = make_app(worker_in_process=False, scoring_on_queue="always")
    inline = make_app(scoring_on_queue="never")
    with_worker = make_app()
    for app in (web_only, inline, with_worker):
        monkeypatch.setattr(app.state.transcriptions, "unavailable_reason", lambda: None)
    ran: list[str] = []
    with_worker.state.worker.listen(ran.append)
    client = TestClient(web_only)
    ann = token_for(client)
    qid = question_id(client)
    job = client.post("/api/transcriptions", headers=ann,
                      files={"audio": ("a.wav", speech_fakes.recording(SHORT_ANSWER), "audio/wav")}).json()["id"]
    spoken = {"question_id": qid, "answer": SHORT_ANSWER, "mode": "spoken", "transcription_id": job}
    with TestClient(with_worker):  # its worker transcribes, then scores what web_only queues
        deadline = time.monotonic() + 30
        while client.get(f"/api/transcriptions/{job}", headers=ann).json()["state"] != "done":
            assert time.monotonic() < deadline
            time.sleep(0.05)
        queued = client.post("/api/attempts", json=spoken, headers=ann)
    assert queued.status_code == 201, queued.text
    assert len(ran) == 2  # the recording, then the answer
    report = queued.json()["report"]
    assert report["delivery"]["speaking_seconds"] == SPEAKING_S == queued.json()["speech"]["speaking_s"]
    assert report["delivery"]["words_per_minute"] == round(report["delivery"]["words"] / SPEAKING_S * 60)
    here = TestClient(inline).post("/api/attempts", json=spoken, headers=ann)  # the same transcription, scored here
    assert here.status_code == 201, here.text
    assert here.json()["report"] == report
    assert score_jobs(database) == 0


def test_a_score_job_from_before_spoken_seconds_is_scored_as_typed(database):
    """A payload without `spoken_seconds` (a typed answer, or a job queued by an older version) is scored with
    the estimate; one with it, with the measured time; a malformed one fails at once, without retries."""
    from rehearse import feedback
    from rehearse.practice.queued_scoring import job_payload, score_here
    from rehearse.practice.scoring import PreparedQuestion

    prepared = PreparedQuestion(feedback.Question(text="How would you handle requests to a platform team?",
                                                  talking_points=("an intake with triage", "measured lead time")),
                                None, None)
    typed = job_payload(prepared, backend="lexical")
    assert "spoken_seconds" not in typed  # a typed answer's job is as it was
    spoken = job_payload(prepared, backend="lexical", spoken_seconds=SPEAKING_S)
    queue = JobQueue(database)
    data = SHORT_ANSWER.encode()
    ids = [queue.enqueue(kind="score", payload=payload, data=data)
           for payload in (typed, spoken, {**typed, "spoken_seconds": "ten"})]
    assert Worker(queue, name="now").drain() == 3
    (old_state, old, _), (new_state, new, _), (bad_state, _, error) = (queue.take(i) for i in ids)
    assert old_state == new_state == "done" and bad_state == "failed" and "spoken_seconds" in error
    assert old == score_here(prepared, SHORT_ANSWER, backend="lexical")
    assert old["delivery"]["words_per_minute"] == 150
    assert new == score_here(prepared, SHORT_ANSWER, backend="lexical", spoken_seconds=SPEAKING_S)
    assert new["delivery"]["speaking_seconds"] == SPEAKING_S


def test_a_score_job_carries_the_points_an_answer_was_asked_about(database):
    """A mock's follow-up is scored on its question's rubric, reported on the point it asked about."""
    from rehearse import feedback
    from rehearse.practice.queued_scoring import job_payload, score_here
    from rehearse.practice.scoring import PreparedQuestion

    question = feedback.Question(text="How would you handle requests to a platform team?",
                                 talking_points=("an intake with triage", "measured lead time"),
                                 focus=("measured lead time",))
    prepared = PreparedQuestion(question, None, None)
    queue = JobQueue(database)
    job = queue.enqueue(kind="score", payload=job_payload(prepared, backend="lexical"), data=SHORT_ANSWER.encode())
    assert Worker(queue, name="now").drain() == 1
    state, report, _ = queue.take(job)
    assert state == "done" and report == score_here(prepared, SHORT_ANSWER, backend="lexical")
    assert [p["point"] for p in report["talking_points"]] == ["measured lead time"]
    # ...and the part of the story it asked for, which the rules for that part judge
    part = PreparedQuestion(dataclasses.replace(question, talking_points=(*question.talking_points, "the result"),
                                                focus=("the result",), asked_part="result"), None, None)
    told = "It worked out: lead time fell from nine days to three."
    job = queue.enqueue(kind="score", payload=job_payload(part, backend="lexical"), data=told.encode())
    assert Worker(queue, name="now").drain() == 1
    state, report, _ = queue.take(job)
    assert state == "done" and report == score_here(part, told, backend="lexical")
    assert report["talking_points"][0]["covered"]
