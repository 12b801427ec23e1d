"""The app's shared in-process state under many threads: caches and limit counters.

(Transcription jobs are no longer in memory: they live in the database, and
tests/integration/jobs/ races threads and processes over them.)

Each test runs the same operations from 8 threads at once, many times, and checks that the
shared structure ends consistent: nothing lost, nothing duplicated, nobody sees another's data.
"""

from __future__ import annotations

import threading
from types import SimpleNamespace

from rehearse.web import questions as question_cache
from rehearse.web.limits import AnonymousWork

THREADS = 8


def _together(work, rounds: int) -> list[BaseException]:
    """Run work(thread, round) for every round in THREADS threads started together; errors raised."""
    start, errors = threading.Barrier(THREADS), []

    def run(thread: int) -> None:
        start.wait()
        for round_ in range(rounds):
            try:
                work(thread, round_)
            except BaseException as error:  # noqa: BLE001 - collected and asserted on
                errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return errors


def _view(question_id: int) -> question_cache.QuestionView:
    return question_cache.QuestionView(
        id=question_id, slug=f"q{question_id}", text=f"Question {question_id}?", kind="situational",
        intent=None, talking_points=("a",), competencies=(), role_id=1, role_slug="r", role_name="R",
        bank_name="B", example_answer=None,
    )


def test_the_question_cache_hands_every_thread_the_right_question(monkeypatch):
    app = SimpleNamespace(state=SimpleNamespace())
    monkeypatch.setattr(question_cache, "load", lambda _session, question_id: _view(question_id))
    monkeypatch.setattr(question_cache, "MAX_CACHED", 50)  # small, so clearing races with filling

    def work(thread: int, round_: int) -> None:
        question_id = (thread * 7 + round_) % 120
        view = question_cache.get(app, None, question_id)
        assert view.id == question_id
        question_cache.store_page(app, (question_id, False), f"page {question_id}".encode())
        page = question_cache.cached_page(app, (question_id, False))
        assert page in (None, f"page {question_id}".encode())
        if round_ % 50 == 0:
            question_cache.forget(app, question_id)

    assert _together(work, rounds=600) == []
    cache = app.state.question_cache
    assert all(key == view.id for key, (_, view) in cache.entries.items())
    assert all(body == f"page {key[0]}".encode() for key, (_, body) in cache.pages.items())


def test_the_anonymous_work_counter_counts_every_hit_exactly_once():
    limit = AnonymousWork(per_minute=100)
    allowed = []

    def work(thread: int, round_: int) -> None:
        if limit.retry_after("198.51.100.7") is None:
            allowed.append(1)

    assert _together(work, rounds=40) == []  # 320 tries at one address
    assert len(allowed) == 100
    assert limit.retry_after("198.51.100.8") is None  # another address has its own count
