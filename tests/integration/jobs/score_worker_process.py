"""`rehearse worker` as its own process, whose first try at a `score` job stalls: for kill -9 mid-score.

Usage: python score_worker_process.py MARKER [worker options...]
A `score` job writes its id to MARKER when it starts; its first try then sleeps (the test kills
the process meanwhile), later tries score for real. Not a test module: tests start it as a subprocess.
"""

import sys
import time
from pathlib import Path

from rehearse.cli import app
from rehearse.jobs import handlers
from rehearse.practice import queued_scoring

marker = Path(sys.argv[1])


def stalling(job):
    marker.write_text(f"{job.id} {job.attempt}")
    if job.attempt == 1:
        time.sleep(300)
    return queued_scoring.run_job(job)


handlers.register("score", stalling)
app(args=["worker", *sys.argv[2:]], prog_name="rehearse")
