"""kill -9 the server while people save attempts: after a restart, every acknowledged attempt is there."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request
import uuid

import httpx
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

from rehearse.db.database import Database
from rehearse.practice.models import Attempt

from .conftest import PASSWORD

SAVERS = 6


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _serve(env: dict[str, str], port: int) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-m", "rehearse", "serve", "--port", str(port)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise AssertionError("the server did not start")


def test_acknowledged_attempts_survive_kill_9(own_database, cli_env):
    url = own_database.url
    env = {**cli_env, "REHEARSE_DATABASE_URL": url, "REHEARSE_FEEDBACK_BACKEND": "lexical",
           "REHEARSE_SECRET_KEY": "k" * 48}
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = _serve(env, port)
    acknowledged: set[int] = set()
    stop = threading.Event()
    try:
        email = f"crash-{uuid.uuid4().hex[:8]}@example.com"
        httpx.post(f"{base}/api/users", json={"email": email, "password": PASSWORD}, timeout=30)
        token = httpx.post(f"{base}/api/auth/token", json={"email": email, "password": PASSWORD},
                           timeout=30).json()["token"]
        question = httpx.get(f"{base}/api/questions", timeout=30).json()[0]["id"]

        def save() -> None:
            with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}) as client:
                while not stop.is_set():
                    try:
                        response = client.post("/api/attempts", json={"question_id": question,
                                                                       "answer": "We phased the roadmap."},
                                               timeout=10)
                    except httpx.HTTPError:
                        continue  # the server is gone: unacknowledged, so nothing is owed
                    if response.status_code == 201:
                        acknowledged.add(response.json()["id"])

        threads = [threading.Thread(target=save) for _ in range(SAVERS)]
        for thread in threads:
            thread.start()
        while len(acknowledged) < 30:
            time.sleep(0.05)
        os.kill(server.pid, signal.SIGKILL)  # mid-write: some saves are in flight
        server.wait(10)
        stop.set()
        for thread in threads:
            thread.join(30)
        server = _serve(env, port)  # restart on the same database
        assert httpx.get(f"{base}/readyz", timeout=30).status_code == 200
    finally:
        stop.set()
        server.kill()
        server.wait(10)
    database = Database(url)
    try:
        with database.transaction() as session:
            stored = session.scalar(select(func.count(Attempt.id)).where(Attempt.id.in_(acknowledged)))
        assert stored == len(acknowledged) >= 30
    finally:
        database.dispose()
    if own_database.kind == "sqlite":
        with sqlite3.connect(make_url(url).database) as db:
            assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
