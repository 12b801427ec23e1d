"""Prometheus metrics of this process (prometheus-client), served at /metrics.

Per process: with several app processes, scrape each one. Labels are route templates
(`/api/attempts/{attempt_id}`), never ids, users or query strings.
"""

from __future__ import annotations

from contextvars import ContextVar

from prometheus_client import Counter, Gauge, Histogram

# Buckets from a cached page (~1 ms) to a long scoring under load (~10 s).
_LATENCY = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)

REQUESTS = Counter("rehearse_http_requests", "HTTP requests answered", ["method", "route", "status"])
LATENCY = Histogram("rehearse_http_request_seconds", "Time to answer an HTTP request", ["method", "route"],
                    buckets=_LATENCY)
SCORING = Histogram("rehearse_scoring_seconds", "Time to score one answer (waiting for a free core included)",
                    buckets=_LATENCY)
SCORING_WAIT = Histogram("rehearse_scoring_wait_seconds",
                         "Time a request waited for an answer scored by a worker through the job queue, by outcome "
                         "(done, failed, timeout)", ["outcome"], buckets=_LATENCY)
TRANSCRIPTION = Histogram("rehearse_transcription_seconds", "Time to transcribe one recording",
                          buckets=_LATENCY)
QUEUE_DEPTH = Gauge("rehearse_transcription_queue_depth", "Recordings waiting or being transcribed")
JOB_QUEUE_DEPTH = Gauge("rehearse_job_queue_depth",
                        "Jobs queued or running in the shared database, by kind and state (the same in every process)",
                        ["kind", "state"])
JOB_SECONDS = Histogram("rehearse_job_seconds", "Time a worker in this process spent on one job, by kind and outcome",
                        ["kind", "outcome"], buckets=_LATENCY)

# Seconds the current request spent scoring (here, or waiting for a worker): the request log puts a
# list here for each request and reports the sum as `Server-Timing: score;dur=…`, so a client or a
# load test can tell scoring from the rest of a request's time.
REQUEST_SCORING: ContextVar[list[float] | None] = ContextVar("request_scoring", default=None)
