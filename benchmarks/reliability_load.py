"""Bounded loopback load: 50 simulated people for 60 s against `rehearse serve`, SQLite then PostgreSQL.

Each simulated person has an account and an API token and, after a short pause, picks what
to do next the way people use the app: browse pages (home, a role, a question, search), open
the practice page, save a scored attempt (POST /api/attempts, with an Idempotency-Key and one
retry with the same key after a timeout), ask for feedback without signing in, read their
history, or upload a short recording and poll it. Everything goes to 127.0.0.1, every request
has a 30 s timeout, and the run stops by itself after DURATION_S.

A 503 that carries Retry-After (the transcription queue is full) is load shed on purpose and is
counted apart ("shed", status 1503 in the JSON), not as a server error.
Afterwards the database is opened directly and every acknowledged attempt is looked for:
the figures to read are server errors (5xx) and timeouts (goal 0), acknowledged vs stored
attempts (goal: all there, no duplicates), and p50/p95/p99 per kind of request; for requests
that score an answer, also with the scoring taken out (the server's `Server-Timing: score`).

The scale-out layout (--layout scale-out) is the README's two-machine layout on one machine: two
`rehearse serve` processes with REHEARSE_WORKER_IN_PROCESS=false and two `rehearse worker
--concurrency 2` processes on one PostgreSQL schema. Every request goes to one of the two servers
at random, as a load balancer without sticky sessions would send it (a recording uploaded to one
is polled through either), and every answer is scored by a worker (REHEARSE_SCORING_ON_QUEUE=always,
--scoring-on-queue to change it: the mix's answers are shorter than the 1,000 characters `auto`
sends to the queue). The workers' own metrics say how many score and transcription jobs each ran.

Run: python -m benchmarks.reliability_load        (RELIABILITY_SECONDS=20 for a short run;
     REHEARSE_BENCH_POSTGRES_URL, default the test server, or "none" to skip PostgreSQL)
     python -m benchmarks.reliability_load --layout single --database postgresql --layout scale-out
                                                  (one server on PostgreSQL, then the scale-out layout)
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import math
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
import wave
from collections import defaultdict
from pathlib import Path

import httpx

from benchmarks.web_speed import free_port, wait_until_up

USERS = 50
SHED = 1503  # a 503 with Retry-After: load shed on purpose, counted apart from server errors
DURATION_S = int(os.environ.get("RELIABILITY_SECONDS", "60"))
TIMEOUT_S = 30.0
THINK_S = (1.0, 3.0)  # a person reads for a moment between clicks
# Clients drop a connection idle this long, well under uvicorn's 5 s keep-alive timeout (as a load
# balancer in front of it is set up): reusing one the server is closing at that moment gets a reset
# (ReadError, seen 1-3 times a run at client idle times of 4.3-4.9 s on the loaded machine), which a
# browser retries but this script would count as a server error.
KEEPALIVE_S = 3.0
ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "reliability_load.json"
POSTGRES = os.environ.get("REHEARSE_BENCH_POSTGRES_URL",
                          os.environ.get("REHEARSE_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test"))
# (what, weight). Writing an answer takes a person minutes, so saves and anonymous feedback are a
# few percent of the clicks: 50 people then ask for about 1.5 scorings a second, inside what two
# cores can score (about 3 a second with the current engine). A heavier mix saturates the CPU:
# nothing fails, but every request waits behind the scoring queue (see the README).
ACTIONS = [
    ("page", 62),
    ("practice_page", 14),
    ("history", 13),
    ("save", 5),
    ("feedback", 4),
    ("transcribe", 2),
]
ANSWER = (
    "First I would put every request to the platform team into one visible list with the team "
    "asking and the goal it serves. Then I would rank it with the product leads against two "
    "criteria, the company priority it unblocks and the cost of delay, build self-service "
    "tooling for the most common asks, and publish the ranking with the trade-offs explained."
)


def _spoken() -> bytes:
    """A few seconds of speech from espeak-ng when it is installed, else a tone (transcribed as nothing)."""
    if shutil.which("espeak-ng"):
        spoken = subprocess.run(["espeak-ng", "-v", "en-us", "-s", "160", "--stdout",
                                 "I would rank the requests with the product leads and publish the list."],
                                capture_output=True, check=False)
        if spoken.returncode == 0 and spoken.stdout:
            return spoken.stdout
    return _wav()


def _wav(seconds: float = 1.5) -> bytes:
    """A short 16 kHz mono recording: a tone with a pause, enough to exercise the whole path."""
    rate, buffer = 16_000, io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1), out.setsampwidth(2), out.setframerate(rate)
        frames = bytearray()
        for i in range(int(rate * seconds)):
            value = int(8000 * math.sin(2 * math.pi * 220 * i / rate)) if (i // 4000) % 2 == 0 else 0
            frames += value.to_bytes(2, "little", signed=True)
        out.writeframes(bytes(frames))
    return buffer.getvalue()


def prepare(url: str, data_dir: Path) -> tuple[list[str], list[int], list[str]]:
    """Migrate, load the bank, and make the accounts (one argon2 hash shared: setup is not measured)."""
    from sqlalchemy import select

    from rehearse.accounts import service as accounts
    from rehearse.bank.models import Question, Role
    from rehearse.bootstrap import open_database
    from rehearse.settings import Settings

    database = open_database(Settings(data_dir=data_dir, database_url=url, secret_key="b" * 48))
    try:
        password_hash = accounts.hash_password("load test password")
        tokens = []
        with database.transaction(writes=True) as session:
            for i in range(USERS):
                user = accounts.create_user(session, email=f"load{i}-{uuid.uuid4().hex[:6]}@example.com",
                                            password_hash=password_hash)
                tokens.append(accounts.create_token(session, user=user, name="load").secret)
            question_ids = list(session.scalars(select(Question.id).limit(60)))
            role_slugs = list(session.scalars(select(Role.slug)))
        return tokens, question_ids, role_slugs
    finally:
        database.dispose()


class Tally:
    def __init__(self) -> None:
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.status: dict[str, dict[int, int]] = defaultdict(lambda: defaultdict(int))
        self.timeouts: dict[str, int] = defaultdict(int)
        self.acknowledged: set[int] = set()
        self.retries = 0
        self.transcripts: dict[str, int] = defaultdict(int)
        self.transport_errors: dict[str, int] = defaultdict(int)  # status 0, by what the client saw
        self.last_used: dict[int, float] = {}
        # each scored request's time less the scoring its Server-Timing header reports: the
        # issue's "saves (scoring excluded)"
        self.unscored: dict[str, list[float]] = defaultdict(list)

    async def send(self, kind: str, client: httpx.AsyncClient, method: str, path: str, **kwargs):
        start = time.perf_counter()
        idle = start - self.last_used.get(id(client), start)  # since this client's last answer
        try:
            response = await client.request(method, path, timeout=TIMEOUT_S, **kwargs)
        except httpx.TimeoutException:
            self.timeouts[kind] += 1
            return None
        except httpx.TransportError as error:
            self.status[kind][0] += 1  # connection refused or reset: counted with the errors
            # With the client's idle time: just under uvicorn's 5 s keep-alive timeout points at a
            # request sent as the server closed that idle connection.
            self.transport_errors[f"{kind}: {error.__class__.__name__}: {error}"[:120]
                                  + f" (client idle {idle:.1f} s)"] += 1
            return None
        finally:
            self.last_used[id(client)] = time.perf_counter()
        took = time.perf_counter() - start
        self.latency[kind].append(took)
        timing = response.headers.get("server-timing", "")
        if timing.startswith("score;dur="):
            self.unscored[kind].append(max(0.0, took - float(timing.partition("=")[2]) / 1000))
        code = response.status_code
        if code == 503 and "retry-after" in response.headers:
            code = SHED  # refused on purpose (a full transcription queue): asked to come back later
        self.status[kind][code] += 1
        return response


class Balancer:
    """One person's clients, signed in and not, for each server: every request goes to one at random."""

    def __init__(self, bases: list[str], token: str, rng: random.Random) -> None:
        auth = {"Authorization": f"Bearer {token}"}
        self.rng = rng
        limits = httpx.Limits(keepalive_expiry=KEEPALIVE_S)
        self.clients = [(httpx.AsyncClient(base_url=base, headers=auth, limits=limits),
                         httpx.AsyncClient(base_url=base, limits=limits)) for base in bases]

    @property
    def signed_in(self) -> httpx.AsyncClient:
        return self.rng.choice(self.clients)[0]

    @property
    def anonymous(self) -> httpx.AsyncClient:
        return self.rng.choice(self.clients)[1]

    async def close(self) -> None:
        for pair in self.clients:
            for client in pair:
                await client.aclose()


async def person(index: int, bases: list[str], token: str, questions: list[int], roles: list[str],
                 until: float, tally: Tally, audio: bytes, speech: bool) -> None:
    rng = random.Random(index)
    # Its own random stream picks the server, so the clicks are the same whatever the layout.
    servers = Balancer(bases, token, random.Random(-1 - index))
    try:
        while time.monotonic() < until:
            await asyncio.sleep(rng.uniform(*THINK_S))
            if time.monotonic() >= until:
                break
            action = rng.choices([a for a, _ in ACTIONS], [w for _, w in ACTIONS])[0]
            question = rng.choice(questions)
            if action == "page":
                path = rng.choice([
                    "/", f"/roles/{rng.choice(roles)}", f"/questions/{question}", f"/questions/{question}",
                    "/search?q=" + rng.choice(["hiring", "incident", "roadmap", "platform team"]),
                ])
                client = servers.signed_in if rng.choice([True, False]) else servers.anonymous
                await tally.send("pages", client, "GET", path)
            elif action == "practice_page":
                await tally.send("pages", servers.signed_in, "GET", f"/practice/{question}")
            elif action == "history":
                await tally.send("api reads", servers.signed_in, "GET", "/api/attempts?limit=20")
            elif action == "feedback":
                await tally.send("feedback (anonymous)", servers.anonymous, "POST", "/api/feedback",
                                 json={"question_id": question, "answer": ANSWER})
            elif action == "save":
                body = {"question_id": question, "answer": f"{ANSWER} ({index}-{rng.random():.6f})"}
                headers = {"Idempotency-Key": str(uuid.uuid4())}
                for _attempt in range(2):  # one retry, with the same key (to either server), after a timeout
                    response = await tally.send("saves", servers.signed_in, "POST", "/api/attempts", json=body,
                                                headers=headers)
                    if response is not None:
                        if response.status_code in (200, 201):
                            tally.acknowledged.add(response.json()["id"])
                        break
                    tally.retries += 1
            elif action == "transcribe" and speech:
                files = {"audio": ("answer.wav", audio, "audio/wav")}
                response = await tally.send("transcription upload", servers.signed_in, "POST",
                                            "/api/transcriptions", files=files)
                if response is not None and response.status_code == 202:
                    job = response.json()["id"]
                    for _ in range(60):
                        await asyncio.sleep(0.5)
                        polled = await tally.send("transcription polls", servers.signed_in, "GET",
                                                  f"/api/transcriptions/{job}")
                        if polled is None or polled.status_code != 200 or polled.json()["state"] in ("done", "failed"):
                            if polled is not None and polled.status_code == 200:
                                tally.transcripts[polled.json()["state"]] += 1
                            break
    finally:
        await servers.close()


def stored_attempts(url: str, data_dir: Path, ids: set[int]) -> tuple[int, int]:
    """(how many acknowledged ids are stored, how many attempts the load users stored in all)."""
    from sqlalchemy import func, select

    from rehearse.accounts.models import User
    from rehearse.db.database import Database
    from rehearse.practice.models import Attempt

    database = Database(url)
    try:
        with database.transaction() as session:
            found = session.scalar(select(func.count(Attempt.id)).where(Attempt.id.in_(ids))) if ids else 0
            total = session.scalar(select(func.count(Attempt.id)).join(User, User.id == Attempt.user_id)
                                   .where(User.email.like("load%@example.com")))
        return found, total
    finally:
        database.dispose()


def warm(bases: list[str], questions: list[int]) -> None:
    """Load the scoring model and fill the caches, as in a server that has been running a while:
    three rounds of two answers at once per server (with workers, each worker process gets some)."""
    from concurrent.futures import ThreadPoolExecutor

    def ask(base_and_question: tuple[str, int]) -> None:
        base, question = base_and_question
        httpx.post(f"{base}/api/feedback", json={"question_id": question, "answer": ANSWER}, timeout=120)

    with ThreadPoolExecutor(max_workers=2 * len(bases)) as pool:
        for question in questions[:3]:
            list(pool.map(ask, [(base, question) for base in bases for _ in range(2)]))


def _metric_sums(port: int) -> dict[tuple[str, str], float]:
    """A worker's rehearse_job_seconds_count by (kind, outcome), read from its metrics port."""
    sums: dict[tuple[str, str], float] = defaultdict(float)
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10) as response:
        for line in response.read().decode().splitlines():
            if line.startswith("rehearse_job_seconds_count{"):
                labels = dict(part.split("=", 1) for part in line[line.index("{") + 1:line.index("}")].split(","))
                sums[(labels["kind"].strip('"'), labels["outcome"].strip('"'))] += float(line.rsplit(" ", 1)[1])
    return sums


def run(label: str, url: str, *, servers: int = 1, workers: int = 0, scoring_on_queue: str = "auto") -> dict:
    """One timed run against `servers` app processes and `workers` worker processes (none: each
    server runs its own worker thread, the default)."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        tokens, questions, roles = prepare(url, folder / "data")
        env = {k: v for k, v in os.environ.items() if not k.startswith("REHEARSE_")}
        env.update(
            REHEARSE_DATA_DIR=str(folder / "data"),
            REHEARSE_DATABASE_URL=url,
            REHEARSE_SECRET_KEY="b" * 48,
            # Every simulated person comes from 127.0.0.1: the per-address limits would see one
            # visitor doing the work of fifty.
            REHEARSE_ANONYMOUS_SCORINGS_PER_MINUTE="100000",
            REHEARSE_SIGNUPS_PER_ADDRESS_PER_HOUR="100000",
        )
        if workers:
            env.update(REHEARSE_WORKER_IN_PROCESS="false", REHEARSE_SCORING_ON_QUEUE=scoring_on_queue)
        processes: list[tuple[subprocess.Popen, object]] = []  # (process, its log file)
        ports, worker_ports = [free_port() for _ in range(servers)], [free_port() for _ in range(workers)]
        commands = [["serve", "--port", str(port)] for port in ports]
        # --concurrency 2: a worker thread busy with a recording does not hold up the next answer.
        commands += [["worker", "--concurrency", "2", "--metrics-port", str(port)] for port in worker_ports]
        for i, command in enumerate(commands):
            log = (folder / f"process-{i}.log").open("w")
            processes.append((subprocess.Popen([sys.executable, "-m", "rehearse", *command], env=env, stdout=log,
                                               stderr=subprocess.STDOUT), log))
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        tally = Tally()
        jobs: dict[tuple[str, str], float] = defaultdict(float)
        per_worker: list[float] = []
        load_before = os.getloadavg()
        try:
            for (process, _log), port in zip(processes, ports + worker_ports, strict=True):
                wait_until_up(f"http://127.0.0.1:{port}/" + ("healthz" if port in ports else "metrics"), process)
            speech = httpx.get(f"{bases[0]}/api/speech").json()["available"]
            warm(bases, questions)
            audio = _spoken()
            warmed = {port: _metric_sums(port) for port in worker_ports}

            async def everyone() -> float:
                until = time.monotonic() + DURATION_S
                began = time.monotonic()
                await asyncio.gather(*[person(i, bases, tokens[i], questions, roles, until, tally, audio, speech)
                                       for i in range(USERS)])
                return time.monotonic() - began

            elapsed = asyncio.run(everyone())
            load_after = os.getloadavg()
            for port in worker_ports:  # what each worker ran during the timed run (warm-up left out)
                sums = _metric_sums(port)
                for key, value in sums.items():
                    jobs[key] += value - warmed[port].get(key, 0)
                per_worker.append(sums.get(("score", "done"), 0) - warmed[port].get(("score", "done"), 0))
        finally:
            for process, _log in processes:
                process.terminate()
            for process, log in processes:
                process.wait(timeout=30)
                log.close()
        found, total = stored_attempts(url, folder / "data", tally.acknowledged)
        logs = [(folder / f"process-{i}.log").read_text(errors="replace") for i in range(len(processes))]
    kinds = {}
    for kind, samples in sorted(tally.latency.items()):
        cuts = statistics.quantiles(samples, n=100) if len(samples) >= 2 else [samples[0]] * 99
        kinds[kind] = {
            "requests": len(samples) + tally.timeouts.get(kind, 0),
            "server_errors": sum(n for code, n in tally.status[kind].items() if 500 <= code < 600 or code == 0),
            "shed": tally.status[kind].get(SHED, 0),
            "timeouts": tally.timeouts.get(kind, 0),
            "statuses": dict(sorted(tally.status[kind].items())),
            "p50_ms": cuts[49] * 1000, "p95_ms": cuts[94] * 1000, "p99_ms": cuts[98] * 1000,
        }
    requests = sum(k["requests"] for k in kinds.values())
    scoring_excluded = {}
    for kind, samples in sorted(tally.unscored.items()):
        cuts = statistics.quantiles(samples, n=100) if len(samples) >= 2 else [samples[0]] * 99
        scoring_excluded[kind] = {"requests": len(samples), "p50_ms": cuts[49] * 1000,
                                  "p95_ms": cuts[94] * 1000, "p99_ms": cuts[98] * 1000}
    return {
        "database": label,
        "servers": servers,
        "workers": workers,
        "scoring_on_queue": scoring_on_queue if workers else "in the server",
        "load_average_before": [round(x, 2) for x in load_before],
        "load_average_after": [round(x, 2) for x in load_after],
        "users": USERS,
        "seconds": round(elapsed, 1),
        "requests": requests,
        "requests_per_s": requests / elapsed,
        "server_errors": sum(k["server_errors"] for k in kinds.values()),
        "timeouts": sum(k["timeouts"] for k in kinds.values()),
        "shed_503_with_retry_after": sum(k["shed"] for k in kinds.values()),
        "retries": tally.retries,
        "acknowledged_attempts": len(tally.acknowledged),
        "stored_acknowledged": found,
        "stored_total": total,
        "transcriptions": dict(tally.transcripts),
        "connection_errors": dict(tally.transport_errors),
        "speech_available": speech,
        "tracebacks_in_server_log": sum(log.count("Traceback") for log in logs),
        "worker_jobs": {f"{kind} {outcome}": int(n) for (kind, outcome), n in sorted(jobs.items())},
        "score_jobs_done_per_worker": [int(n) for n in per_worker],
        "kinds": kinds,
        "scoring_excluded": scoring_excluded,
    }


def _postgres_url() -> tuple[str, str] | None:
    if POSTGRES.lower() in ("", "none"):
        return None
    from sqlalchemy import create_engine, text

    schema = f"rehearse_load_{uuid.uuid4().hex[:10]}"
    try:
        engine = create_engine(POSTGRES.replace("postgresql://", "postgresql+psycopg://", 1))
        with engine.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        engine.dispose()
    except Exception as error:  # noqa: BLE001 - reported, and the PostgreSQL run is skipped
        print(f"(PostgreSQL at {POSTGRES} is not reachable: {error.__class__.__name__}; skipped)")
        return None
    separator = "&" if "?" in POSTGRES else "?"
    return f"{POSTGRES}{separator}options=-csearch_path%3D{schema}", schema


def _drop(schema: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(POSTGRES.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as connection:
        connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
    engine.dispose()


def _postgres_run(label: str, **layout) -> dict | None:
    """A run on a PostgreSQL schema of its own, dropped afterwards; None when the server is not there."""
    postgres = _postgres_url()
    if postgres is None:
        return None
    url, schema = postgres
    try:
        return run(label, url, **layout)
    finally:
        _drop(schema)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--layout", action="append", choices=["single", "scale-out"],
                        help="single: one `rehearse serve` with its worker thread (the default); scale-out: two "
                             "servers without one and two `rehearse worker` processes, on PostgreSQL. "
                             "Repeat to run both, back to back.")
    parser.add_argument("--database", action="append", choices=["sqlite", "postgresql"],
                        help="Databases for the single layout (default both).")
    parser.add_argument("--scoring-on-queue", choices=["auto", "always"], default="always",
                        help="REHEARSE_SCORING_ON_QUEUE in the scale-out layout (default always: the mix's "
                             "answers are under the 1,000 characters that auto sends to the workers).")
    args = parser.parse_args(argv)
    results = []
    for layout in args.layout or ["single"]:
        if layout == "single":
            for database in args.database or ["sqlite", "postgresql"]:
                if database == "sqlite":
                    with tempfile.TemporaryDirectory() as tmp:
                        results.append(run("SQLite", f"sqlite:///{Path(tmp) / 'load.db'}"))
                elif (result := _postgres_run("PostgreSQL")) is not None:
                    results.append(result)
        elif (result := _postgres_run("PostgreSQL, 2 servers + 2 workers", servers=2, workers=2,
                                      scoring_on_queue=args.scoring_on_queue)) is not None:
            results.append(result)
    print(f"reliability_load: {USERS} simulated people, {DURATION_S} s each run, loopback, {os.cpu_count()} CPUs")
    for r in results:
        print(f"\n{r['database']}: {r['requests']} requests in {r['seconds']} s ({r['requests_per_s']:.1f}/s); "
              f"server errors {r['server_errors']}, timeouts {r['timeouts']}, "
              f"shed (503 + Retry-After) {r['shed_503_with_retry_after']}, save retries {r['retries']}; "
              f"attempts acknowledged {r['acknowledged_attempts']}, of those stored {r['stored_acknowledged']}, "
              f"stored in all {r['stored_total']}; transcriptions {r['transcriptions'] or 'none'}"
              f"{'' if r['speech_available'] else ' (speech not installed)'}; "
              f"tracebacks in the logs {r['tracebacks_in_server_log']}; load average "
              f"{'/'.join(str(x) for x in r['load_average_before'])} before, "
              f"{'/'.join(str(x) for x in r['load_average_after'])} after")
        if r["connection_errors"]:
            print(f"  connection errors (status 0): {r['connection_errors']}")
        if r["workers"]:
            print(f"  {r['workers']} workers (scoring on queue: {r['scoring_on_queue']}) ran {r['worker_jobs']}; "
                  f"score jobs done per worker {r['score_jobs_done_per_worker']}")
        print(f"  {'kind':24} {'requests':>8} {'5xx':>5} {'t/o':>4} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}"
              "  statuses")
        for kind, k in r["kinds"].items():
            print(f"  {kind:24} {k['requests']:8d} {k['server_errors']:5d} {k['timeouts']:4d} {k['p50_ms']:8.1f} "
                  f"{k['p95_ms']:8.1f} {k['p99_ms']:8.1f}  {k['statuses']}")
        for kind, k in r["scoring_excluded"].items():
            print(f"  {kind + ', scoring excluded':24} {k['requests']:8d} {'':5} {'':4} {k['p50_ms']:8.1f} "
                  f"{k['p95_ms']:8.1f} {k['p99_ms']:8.1f}  (Server-Timing)")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2))
    bad = [r for r in results if r["server_errors"] or r["timeouts"] or r["stored_acknowledged"] != r[
        "acknowledged_attempts"] or r["stored_total"] != r["acknowledged_attempts"]]
    print("\n" + ("goal met: no server errors, no timeouts, every acknowledged attempt stored once"
                  if not bad else f"goal MISSED on {', '.join(r['database'] for r in bad)}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
