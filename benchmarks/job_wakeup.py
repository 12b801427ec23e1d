"""How soon an idle worker starts a job queued by another process, and what its idling costs the database.

For each way a worker can learn of a job: the enqueue-to-start latency (from the enqueuing
transaction's commit to the handler's first line; PROBES jobs, queued at random moments so a
poll's phase is not in step with them) and the idle worker's queries per second (IDLE_S seconds
with nothing to do, counted on its own engine: the enqueuer and the listener's connection are
not counted; the listener sends nothing while it waits).

* polling every 0.1 s (`rehearse worker`'s default `--poll-seconds`): how every worker found
  jobs before PostgreSQL notices, and how a worker on SQLite still does;
* PostgreSQL notices (LISTEN/NOTIFY, jobs.notify), with the 5 s fallback look;
* SQLite, the worker beside the app (`rehearse serve`): the enqueuing code wakes it (Worker.wake);
  its own poll is 1 s.

The worker and the enqueuer share this process but not an engine or pool, as two processes would.

Run: python -m benchmarks.job_wakeup   (JOB_WAKEUP_PROBES=40, JOB_WAKEUP_IDLE_S=15;
     REHEARSE_TEST_POSTGRES_URL for the PostgreSQL rows)
"""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import threading
import time
from pathlib import Path

from sqlalchemy import event

from rehearse.db.database import Database
from rehearse.jobs.queue import JobQueue
from rehearse.jobs.worker import Worker

from .bank_speed import drop_schema, percentile, postgres_database

PROBES = int(os.environ.get("JOB_WAKEUP_PROBES", "40"))
IDLE_S = float(os.environ.get("JOB_WAKEUP_IDLE_S", "15"))
GAP_S = (0.05, 0.3)  # pause between probes: random, so polls and probes drift apart
SETTLE_S = 1.0  # after start: the first look, maintenance and the listener's connection are done
QUERIES = ("SELECT", "INSERT", "UPDATE", "DELETE")  # not BEGIN/COMMIT, which only SQLite sends as statements


def measure(label: str, url: str, *, notices: bool, poll_s: float, woken: bool = False) -> None:
    worker_db, enqueuer_db = Database(url), Database(url)
    statements = [0]

    def count(_conn, _cursor, statement, *_args) -> None:
        if statement.lstrip().upper().startswith(QUERIES):
            statements[0] += 1

    event.listen(worker_db.engine, "before_cursor_execute", count)
    started: dict[str, float] = {}
    arrived = threading.Event()

    def probe(job) -> dict:
        started[job.id] = time.perf_counter()
        arrived.set()
        return {}

    runner = Worker(JobQueue(worker_db), poll_s=poll_s, notices=notices, name="bench",
                    resolve=lambda _kind: probe)
    enqueuer = JobQueue(enqueuer_db)
    runner.start()
    try:
        time.sleep(SETTLE_S)
        if notices:
            assert runner.notified, "the worker is not listening for notices"
        before = statements[0]
        time.sleep(IDLE_S)
        idle_rate = (statements[0] - before) / IDLE_S
        latencies = []
        rng = random.Random(7)
        for _ in range(PROBES):
            time.sleep(rng.uniform(*GAP_S))
            arrived.clear()
            job_id = enqueuer.enqueue(kind="probe", payload={})
            committed = time.perf_counter()
            if woken:
                runner.wake()  # what the Scorer and Transcriptions do for the worker beside them
            assert arrived.wait(30), f"{label}: the probe was never started"
            latencies.append((started[job_id] - committed) * 1000)
    finally:
        runner.stop(timeout=10)
        worker_db.dispose()
        enqueuer_db.dispose()
    print(f"| {label} | {statistics.median(latencies):.1f} | {percentile(latencies, 0.95):.1f} "
          f"| {max(latencies):.1f} | {idle_rate:.2f} |", flush=True)


def main() -> None:
    print(f"## Job wake-up: enqueue (commit) to start, idle worker, {PROBES} jobs; queries/s over {IDLE_S:g} s idle\n")
    print("| database, how the worker learns of jobs | p50 ms | p95 ms | max ms | idle queries/s |\n"
          "|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        sqlite_url = f"sqlite:///{Path(folder) / 'jobs.db'}"
        Database(sqlite_url).upgrade()
        measure("SQLite, another process, polls every 0.1 s", sqlite_url, notices=False, poll_s=0.1)
        measure("SQLite, beside the app: woken by it (poll 1 s)", sqlite_url, notices=False, poll_s=1.0,
                woken=True)
    postgres = postgres_database()
    if not postgres:
        print("| PostgreSQL | skipped: REHEARSE_TEST_POSTGRES_URL not set or unreachable | | | |")
        return
    database, url, schema = postgres
    try:
        database.upgrade()
        database.dispose()
        measure("PostgreSQL, polls every 0.1 s (before)", database.url, notices=False, poll_s=0.1)
        measure("PostgreSQL, LISTEN/NOTIFY + 5 s fallback look (after)", database.url, notices=True, poll_s=0.1)
    finally:
        drop_schema(url, schema)


if __name__ == "__main__":
    main()
