"""Scale-out for real: two `rehearse serve` processes and two `rehearse worker` processes, started
at the same moment on one fresh PostgreSQL schema, are one application to the people using it.

Nothing here is a TestClient: the four are separate processes (each with a data folder of its
own, as on separate machines) sharing only the database and the secret key, and the test talks to
them over loopback the way a load balancer would pass a browser's requests to either server.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import func, select, text

from rehearse.bank.builtin import read_builtin
from rehearse.bank.models import Bank, Question
from rehearse.db.database import Database
from rehearse.db.migrate import alembic_config
from rehearse.jobs.models import Job

pytestmark = pytest.mark.postgres

PASSWORD = "a long enough password"
STARTUP_S = 120  # four interpreters importing the app at once on two shared cores
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
# Over 1,000 characters, so with dedicated workers it is scored by a worker (practice.queued_scoring).
LONG_ANSWER = (
    "When the platform team was flooded with requests from six product teams, I first put every ask "
    "into one visible list that named the team asking, the goal it served and the date it was needed. "
    "Then I sat with the product leads every two weeks and ranked the list against two criteria: the "
    "company priority each request unblocked, and the cost of delay if we waited a quarter. We built "
    "self-service tooling for the three most common asks, which were new environments, database "
    "access and feature flags, and that removed about forty percent of the tickets within two months. "
    "I published the ranking with the trade-offs explained, so a team whose request waited knew why "
    "and when it would be looked at again, and I measured lead time for platform requests each month. "
    "Lead time went from nineteen days to six, the number of escalations to me dropped to almost none, "
    "and in the next engagement survey the product teams rated the platform team's responsiveness as "
    "their most improved area. What I learned is that visibility and a shared rule for ordering the "
    "work matter more than raw capacity, and I would set both up in the first month next time."
)
assert len(LONG_ANSWER) >= 1_000


@dataclass
class Process:
    name: str
    popen: subprocess.Popen
    port: int
    log: Path

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture
def cluster(postgres_schema, tmp_path) -> Iterator[tuple[str, list[Process], list[Process]]]:
    """(database URL, [server A, server B], [worker 1, worker 2]) on a schema of its own, all four
    launched together; stopped (SIGTERM, then SIGKILL) and the schema dropped whatever happens."""
    own = type(postgres_schema)(postgres_schema.base_url)
    env = {key: value for key, value in os.environ.items() if not key.startswith("REHEARSE_")}
    env.update(REHEARSE_DATABASE_URL=own.url, REHEARSE_SECRET_KEY="s" * 48, REHEARSE_WORKER_IN_PROCESS="false")
    commands = {
        "server-a": ["serve", "--host", "127.0.0.1", "--port"],
        "server-b": ["serve", "--host", "127.0.0.1", "--port"],
        "worker-1": ["worker", "--concurrency", "2", "--metrics-port"],  # metrics: which worker ran what
        "worker-2": ["worker", "--concurrency", "2", "--metrics-port"],
    }
    processes: list[Process] = []
    try:
        for name, command in commands.items():  # no waiting in between: they race to migrate
            port, log = _free_port(), tmp_path / f"{name}.log"
            with log.open("w") as output:  # the child keeps its own copy of the descriptor
                popen = subprocess.Popen([sys.executable, "-m", "rehearse", *command, str(port)],
                                         env={**env, "REHEARSE_DATA_DIR": str(tmp_path / name)},
                                         stdout=output, stderr=subprocess.STDOUT)
            processes.append(Process(name, popen, port, log))
        deadline = time.monotonic() + STARTUP_S
        for process in processes:
            ready = f"{process.base}/readyz" if process.name.startswith("server") else f"{process.base}/metrics"
            while not _answers(ready):
                if process.popen.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"{process.name} did not come up (exit {process.popen.returncode}):\n"
                                + process.log.read_text(errors="replace")[-3000:])
                time.sleep(0.1)
        yield own.url, processes[:2], processes[2:]
    finally:
        for process in processes:
            if process.popen.poll() is None:
                process.popen.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.popen.wait(30)
            except subprocess.TimeoutExpired:
                process.popen.kill()
                process.popen.wait(10)
        own.drop()


def _metric(base: str, name: str, **labels: str) -> float:
    """The sum of a Prometheus sample over every series carrying these labels (0 when absent)."""
    total = 0.0
    for line in httpx.get(f"{base}/metrics", timeout=10).text.splitlines():
        if line.startswith(name + "{") and all(f'{key}="{value}"' in line for key, value in labels.items()):
            total += float(line.rsplit(" ", 1)[1])
    return total


def _csrf(client: httpx.Client, path: str) -> str:
    return _CSRF.search(client.get(path).text).group(1)


def test_two_servers_and_two_workers_are_one_app(cluster):
    url, (a, b), workers = cluster

    # Started together, they migrated once and loaded the built-in bank once.
    database = Database(url)
    try:
        with database.transaction() as session:
            versions = session.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
            banks = session.scalar(select(func.count(Bank.id)))
            questions = session.scalar(select(func.count(Question.id)))
            texts = session.scalar(select(func.count(func.distinct(Question.text))))
        builtin = read_builtin()
        assert versions == [ScriptDirectory.from_config(alembic_config()).get_current_head()]
        assert banks == len({record.bank.name for record in builtin})
        assert questions == texts == sum(len(role.questions) for record in builtin for role in record.bank.roles)

        # A person signs up (and so in) through A; the load balancer sends their next requests to B.
        with httpx.Client(base_url=a.base, timeout=60) as on_a, httpx.Client(base_url=b.base, timeout=60) as on_b:
            email = f"scale-{uuid.uuid4().hex[:8]}@example.com"
            signed_up = on_a.post("/signup", data={"csrf_token": _csrf(on_a, "/signup"), "email": email,
                                                   "password": PASSWORD, "display_name": "Scale"})
            assert signed_up.status_code == 303, signed_up.text
            on_b.cookies = on_a.cookies  # the same browser, whichever server answers
            assert on_b.get("/api/me").json()["email"] == email
            assert on_b.get("/history").status_code == 200  # a signed-in page, not a redirect to /signin

            # An API token issued by A works on B.
            token = on_a.post("/api/auth/token", json={"email": email, "password": PASSWORD}).json()["token"]
            bearer = {"Authorization": f"Bearer {token}"}
            assert httpx.get(f"{b.base}/api/me", headers=bearer, timeout=30).json()["email"] == email

            # A long answer saved through A is scored by a worker and listed through B, and one saved
            # from B's practice form (CSRF token minted by B for the cookie A set) is listed through A.
            question = on_a.get("/api/questions", params={"q": "platform team requests"}).json()[0]["id"]
            saved = httpx.post(f"{a.base}/api/attempts", headers=bearer, timeout=60,
                               json={"question_id": question, "answer": LONG_ANSWER})
            assert saved.status_code == 201, saved.text
            attempt = saved.json()
            listed = {row["id"]: row for row in on_b.get("/api/attempts").json()}
            assert listed[attempt["id"]]["score"] == attempt["report"]["score"]
            form = on_b.post(f"/practice/{question}", data={"csrf_token": _csrf(on_b, f"/practice/{question}"),
                                                            "answer": LONG_ANSWER + " Again, more briefly."})
            assert form.status_code in (200, 303), form.text
            assert len(on_a.get("/api/attempts").json()) == 2

            # Both scorings ran in a worker process, none in a server; the servers waited for them.
            ran = {w.name: _metric(w.base, "rehearse_job_seconds_count", kind="score", outcome="done")
                   for w in workers}
            assert sum(ran.values()) == 2, ran
            assert [_metric(s.base, "rehearse_job_seconds_count", kind="score") for s in (a, b)] == [0, 0]
            assert sum(_metric(s.base, "rehearse_scoring_wait_seconds_count", outcome="done")
                       for s in (a, b)) == 2
            with database.transaction() as session:  # each waiter deleted its job: no answer left behind
                assert session.scalar(select(func.count(Job.id)).where(Job.kind == "score")) == 0

            # A spoken answer uploaded through B is transcribed by a worker and read through A.
            if on_a.get("/api/speech").json()["available"] and shutil.which("espeak-ng"):
                spoken = subprocess.run(["espeak-ng", "-v", "en-us", "--stdout",
                                         "I would rank the requests with the product leads."],
                                        capture_output=True, check=True).stdout
                sent = httpx.post(f"{b.base}/api/transcriptions", headers=bearer, timeout=30,
                                  files={"audio": ("answer.wav", spoken, "audio/wav")})
                assert sent.status_code == 202, sent.text
                deadline = time.monotonic() + 90
                while (status := httpx.get(f"{a.base}/api/transcriptions/{sent.json()['id']}", headers=bearer,
                                           timeout=30).json())["state"] not in ("done", "failed"):
                    assert time.monotonic() < deadline, status
                    time.sleep(0.25)
                assert status["state"] == "done" and status["transcript"]["text"].strip(), status
                with database.transaction() as session:
                    ran_by = session.scalar(select(Job.worker).where(Job.id == sent.json()["id"]))
                assert ran_by.rsplit(":", 1)[1] in {str(w.popen.pid) for w in workers}, ran_by

            # Signing out through B ends the session on A too (A may remember it for 2 s at most).
            signed_out = on_b.post("/signout", data={"csrf_token": _csrf(on_b, "/history")})
            assert signed_out.status_code == 303
            deadline = time.monotonic() + 5
            while on_a.get("/api/me").status_code != 401:
                assert time.monotonic() < deadline, "A still treats the signed-out session as signed in"
                time.sleep(0.2)
    finally:
        database.dispose()

    for process in (a, b, *workers):
        assert "Traceback" not in process.log.read_text(errors="replace"), process.name
