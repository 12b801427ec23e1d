"""`rehearse worker`: a process that runs background jobs from the database until stopped."""

from __future__ import annotations

import logging
import signal
from datetime import timedelta
from typing import Annotated

import typer


def worker(
    concurrency: Annotated[int, typer.Option(min=1, max=64, help="Jobs run at once (threads).")] = 1,
    lease_seconds: Annotated[int, typer.Option(
        min=5, max=3600, help="How long a claim holds without renewal; a dead worker's job is retried after it.")] = 60,
    poll_seconds: Annotated[float, typer.Option(
        min=0.05, max=60, help="How often an idle worker looks for new jobs when nothing tells it of them "
        "(SQLite; on PostgreSQL it is notified at once and looks every 5 s besides).")] = 0.1,
    metrics_port: Annotated[int, typer.Option(
        min=0, max=65535, help="Serve this process's Prometheus metrics on this port (0: off).")] = 0,
) -> None:
    """Run background jobs (transcriptions of spoken answers, scoring) until SIGTERM or Ctrl-C.

    The first signal finishes the jobs in hand and claims no more; a second exits at once (those
    jobs are tried again once their lease runs out). Start as many workers, on as many machines,
    as the database can reach.

    Example: REHEARSE_DATABASE_URL=postgresql://db.internal/rehearse rehearse worker --concurrency 2
    """
    from rehearse.bootstrap import open_database
    from rehearse.jobs.queue import JobQueue
    from rehearse.jobs.worker import Worker
    from rehearse.practice import rubric_store
    from rehearse.settings import Settings

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = Settings()
    database = open_database(settings)
    rubric_store.warm_in_background(database, backend=settings.feedback_backend)  # model and rubrics ready
    runner = Worker(JobQueue(database), concurrency=concurrency, lease=timedelta(seconds=lease_seconds),
                    poll_s=poll_seconds)

    def on_signal(signum: int, _frame) -> None:
        if runner.stopping:
            typer.echo("Stopping now; unfinished jobs will be tried again after their lease.", err=True)
            raise SystemExit(128 + signum)
        typer.echo(f"Finishing {runner.busy} running job(s), then stopping (signal again to stop at once).",
                   err=True)
        runner.stop(wait=False)

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    if metrics_port:
        from prometheus_client import start_http_server

        start_http_server(metrics_port, addr="127.0.0.1")
    runner.start()
    told = "listens for new jobs" if database.dialect == "postgresql" else f"looks for jobs every {poll_seconds:g} s"
    typer.echo(f"Worker {runner.name}: {concurrency} at a time, {database.dialect} database, {told}. Ctrl-C stops.",
               err=True)
    while not runner.join(timeout=0.5):  # short waits, so signals are handled promptly
        pass
    database.dispose()
    typer.echo("Worker stopped.", err=True)
