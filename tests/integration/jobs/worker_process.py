"""`rehearse worker` as its own process, knowing one extra kind of job for the tests: `test.slow`.

Usage: python worker_process.py MARKER SECONDS [worker options...]
A `test.slow` job writes its id to MARKER when it starts; its first try then sleeps SECONDS,
later tries return at once. Not a test module (no test_ prefix): tests start it as a subprocess.
"""

import sys
import time
from pathlib import Path

from rehearse.cli import app
from rehearse.jobs import handlers

marker, seconds = Path(sys.argv[1]), float(sys.argv[2])


def slow(job):
    marker.write_text(f"{job.id} {job.attempt}")
    if job.attempt == 1:
        time.sleep(seconds)
    return {"attempt": job.attempt, "pid": __import__("os").getpid()}


handlers.register("test.slow", slow)
app(args=["worker", *sys.argv[3:]], prog_name="rehearse")
