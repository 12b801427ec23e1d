"""Being told at once that a job was queued: PostgreSQL's LISTEN/NOTIFY.

`service.enqueue` sends NOTIFY on CHANNEL inside the enqueuing transaction, so the notice goes
out when the job commits (and never for one rolled back). A Listener holds one connection of
its own, outside the pool (it sits in LISTEN for good), and calls `on_notice` for each notice:
an idle worker sleeps until a job is queued instead of polling.

Notices are a hint, not the queue. One sent while the listener was reconnecting is lost, so
workers still look now and then (policy.NOTIFIED_POLL), and the listener calls `on_notice`
whenever it starts or stops listening, so workers look at once and pick the right pace. SQLite
has nothing like it: there a worker in the enqueuing process is woken directly (the Scorer and
Transcriptions call Worker.wake) and workers in other processes poll.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from rehearse.db.engine import application_name

from . import policy

log = logging.getLogger("rehearse.jobs")

CHANNEL = "rehearse_jobs"
RECEIVE_S = 0.5  # one wait for notices; stop() is noticed within it
# TCP keepalives on the listening connection: it is silent for hours, so without them a dead
# network path would leave it "listening" forever (workers would fall back to the slow poll only).
KEEPALIVES = {"keepalives": 1, "keepalives_idle": 30, "keepalives_interval": 10, "keepalives_count": 3}
CONNECT_TIMEOUT_S = 10


class Listener:
    """A thread that LISTENs on CHANNEL with a connection of its own and calls `on_notice` for each notice."""

    def __init__(self, database, on_notice: Callable[[], None], *, name: str = "rehearse-jobs-listener") -> None:
        engine = database.engine
        if engine.dialect.name != "postgresql":
            raise ValueError("only PostgreSQL has LISTEN/NOTIFY")
        args, options = engine.dialect.create_connect_args(engine.url)
        # Named like the app's pooled connections, so `rehearse restore` counts a running listener as this app's.
        named = {"application_name": application_name(engine.url.render_as_string(hide_password=False))}
        self._connect_args = (args, {"connect_timeout": CONNECT_TIMEOUT_S, **KEEPALIVES, **named, **options})
        self._on_notice = on_notice
        self.backend_pid: int | None = None  # the listening connection's server process, as pg_stat_activity shows it
        self._stopping = threading.Event()
        self._listening = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True, name=name)

    @property
    def listening(self) -> bool:
        """Whether notices reach this listener now (False while it connects or reconnects)."""
        return self._listening.is_set()

    def start(self) -> Listener:
        self._thread.start()
        return self

    def stop(self, *, wait: bool = True, timeout: float | None = None) -> None:
        """Stop listening and close the connection (within RECEIVE_S when waited for)."""
        self._stopping.set()
        if wait:
            self._thread.join(timeout)

    def wait_listening(self, timeout: float | None = None) -> bool:
        """Until notices reach this listener; False when they still do not after `timeout` seconds."""
        return self._listening.wait(timeout)

    def _connect(self):
        import psycopg

        args, options = self._connect_args
        return psycopg.connect(*args, autocommit=True, **options)

    def _run(self) -> None:
        failures = 0
        while not self._stopping.is_set():
            try:
                with self._connect() as connection:
                    connection.execute(f"LISTEN {CHANNEL}")
                    self.backend_pid = connection.info.backend_pid
                    self._listening.set()
                    if failures:
                        log.info("job notices: listening again (backend pid %d)", self.backend_pid)
                    failures = 0
                    self._notice()  # anything queued before this was missed: look now
                    while not self._stopping.is_set():
                        for _ in connection.notifies(timeout=RECEIVE_S):
                            self._notice()
            except Exception as error:  # noqa: BLE001 - the database is away: poll meanwhile, reconnect after a pause
                failures += 1
                # Routine (a restart, a failover): one line; the stack only for whoever turns on DEBUG.
                log.warning("job notices: cannot listen (%d in a row: %s); workers poll meanwhile", failures,
                            _first_line(error))
                log.debug("job notices: the listener's error", exc_info=True)
            finally:
                if self._listening.is_set():
                    self._listening.clear()
                    self._notice()  # so waiting workers switch to the fast poll now
            if failures:
                self._stopping.wait(policy.reconnect_delay(failures))

    def _notice(self) -> None:
        try:
            self._on_notice()
        except Exception:  # noqa: BLE001 - a waiter's bookkeeping must not stop the listener
            log.exception("a job notice handler failed")


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def listen(database, on_notice: Callable[[], None]) -> Listener | None:
    """A started Listener calling `on_notice` for each job queued in `database`; None where there are no notices."""
    if database.engine.dialect.name != "postgresql":
        return None
    return Listener(database, on_notice).start()
