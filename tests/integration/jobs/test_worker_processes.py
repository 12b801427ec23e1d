"""Real worker processes on SQLite and PostgreSQL: kill -9 mid-job, and SIGTERM mid-job."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

from rehearse.jobs.queue import JobQueue
from rehearse.jobs.worker import Worker

SCRIPT = Path(__file__).with_name("worker_process.py")
LEASE_S = 5


def start_worker(database_url: str, tmp_path: Path, marker: Path, seconds: float) -> subprocess.Popen:
    env = {key: value for key, value in os.environ.items() if not key.startswith("REHEARSE_")}
    env.update(REHEARSE_DATABASE_URL=database_url, REHEARSE_DATA_DIR=str(tmp_path / "data"),
               REHEARSE_LOAD_BUILTIN_BANK="false")
    log = (tmp_path / f"worker-{time.monotonic_ns()}.log").open("w")
    return subprocess.Popen([sys.executable, str(SCRIPT), str(marker), str(seconds), "--lease-seconds", str(LEASE_S)],
                            env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


def test_a_job_whose_worker_is_killed_is_retried_after_its_lease_and_completes(database, database_url, tmp_path):
    queue = JobQueue(database)
    job_id = queue.enqueue(kind="test.slow", payload={})
    marker = tmp_path / "started"
    process = start_worker(database_url, tmp_path, marker, seconds=120)
    try:
        wait_for(marker.exists, 60, "the worker to start the job")
    finally:
        process.kill()  # SIGKILL: no cleanup, no outcome, no more heartbeats
        process.wait(10)
    killed_at = time.monotonic()
    stored = queue.get(job_id)
    assert (stored.state, stored.attempts) == ("running", 1)

    rescuer = Worker(queue, lease=timedelta(seconds=LEASE_S), poll_s=0.1, name="rescuer",
                     resolve=lambda kind: lambda job: {"attempt": job.attempt, "rescued": True})
    rescuer.start()
    try:
        wait_for(lambda: queue.get(job_id).state == "done", 30, "the job to be retried")
    finally:
        rescuer.stop(timeout=10)
    waited = time.monotonic() - killed_at
    stored = queue.get(job_id)
    assert (stored.result, stored.attempts, stored.worker) == ({"attempt": 2, "rescued": True}, 2, "rescuer")
    # Not taken while the dead worker's lease still held (it was renewed at most LEASE_S / 3 before the kill).
    assert waited >= LEASE_S * 2 / 3 - 0.5, waited


def test_sigterm_finishes_the_running_job_then_claims_no_more(database, database_url, tmp_path):
    queue = JobQueue(database)
    first = queue.enqueue(kind="test.slow", payload={})
    time.sleep(0.01)
    second = queue.enqueue(kind="test.slow", payload={})
    marker = tmp_path / "started"
    process = start_worker(database_url, tmp_path, marker, seconds=3)
    try:
        wait_for(marker.exists, 60, "the worker to start the first job")
        assert marker.read_text().split()[0] == first
        process.send_signal(signal.SIGTERM)
        assert process.wait(30) == 0
    finally:
        if process.poll() is None:
            process.kill()
    done, waiting = queue.get(first), queue.get(second)
    assert (done.state, done.result["attempt"], done.result["pid"]) == ("done", 1, process.pid)
    assert (waiting.state, waiting.attempts) == ("queued", 0)
    log = next(tmp_path.glob("worker-*.log")).read_text()
    assert "Finishing 1 running job(s)" in log and "Worker stopped." in log
