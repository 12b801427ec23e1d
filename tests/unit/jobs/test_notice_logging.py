"""A listener that cannot reach PostgreSQL (a restart, a failover, a terminated backend) is routine: one
WARNING line with the error's own first line, and the stack only at DEBUG, since operators grep for Traceback."""

from __future__ import annotations

import logging
import time

from rehearse.db.database import Database
from rehearse.jobs.notify import Listener

NOTHING_LISTENS = "postgresql://postgres@127.0.0.1:1/rehearse"  # port 1: refused at once, no server needed


def _first_failure(caplog) -> list[logging.LogRecord]:
    database = Database(NOTHING_LISTENS)
    listener = Listener(database, lambda: None).start()
    try:
        deadline = time.monotonic() + 10
        while not any(r.levelno == logging.WARNING for r in caplog.records) and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        listener.stop(timeout=5)
        database.dispose()
    return [r for r in caplog.records if r.name == "rehearse.jobs"]


def test_a_lost_listener_is_one_warning_line_naming_the_error(caplog):
    caplog.set_level(logging.DEBUG, logger="rehearse.jobs")
    records = _first_failure(caplog)
    warning = next(r for r in records if r.levelno == logging.WARNING)
    assert warning.exc_info is None
    assert "cannot listen (1 in a row" in warning.getMessage() and "Connection refused" in warning.getMessage()
    assert "\n" not in warning.getMessage()


def test_its_stack_is_kept_at_debug(caplog):
    caplog.set_level(logging.DEBUG, logger="rehearse.jobs")
    records = _first_failure(caplog)
    assert any(r.levelno == logging.DEBUG and r.exc_info for r in records)
