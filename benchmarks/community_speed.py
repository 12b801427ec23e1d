"""The community workflow at scale: the editors' queue over 10,000 pending suggestions and 100,000
votes, and a question's history with 500 revisions. Target (issue 9): p95 <= 100 ms for each.

Measures the service call and the whole page (in-process ASGI client, signed in as an editor), on
SQLite and (when REHEARSE_TEST_POSTGRES_URL reaches a server) PostgreSQL.
"""

from __future__ import annotations

import random
import tempfile
import time
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import insert, select, update

from rehearse.accounts import service as accounts
from rehearse.accounts.models import User
from rehearse.bank import service as bank
from rehearse.bank.models import ExampleAnswer, Question, utcnow
from rehearse.community import service as community
from rehearse.community.models import Suggestion, Vote
from rehearse.db.database import Database
from rehearse.formats import BankDoc, QuestionDoc, RoleDoc
from rehearse.settings import Settings
from rehearse.web.app import create_app

from .bank_speed import WORDS, drop_schema, percentile, postgres_database

SUGGESTIONS = 10_000
VOTES = 100_000
VOTERS = 2_000  # each votes on 50 suggestions on average
REVISIONS = 500
QUESTIONS = 200
ROUNDS = 200
TARGET_MS = 100.0
PASSWORD = "a long enough password"


def phrase(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def populate(database: Database, rng: random.Random) -> tuple[int, str]:
    """Questions, voters, 10,000 pending suggestions with 100,000 votes, 500 revisions of one question."""
    answers = [phrase(rng, 200) for _ in range(QUESTIONS)]
    doc = BankDoc(name="Benchmark bank", source="bench", licence="CC-BY-4.0", description=None, roles=(RoleDoc(
        name="Leader", slug="leader", description=None, questions=tuple(QuestionDoc(
            text=f"How would you handle {phrase(rng, 5)} (case {i})?", slug=f"q{i}", intent=phrase(rng, 12),
            talking_points=(phrase(rng, 3), phrase(rng, 3), phrase(rng, 3)), example_answer=answers[i])
            for i in range(QUESTIONS))),))
    with database.transaction(writes=True) as session:
        bank.import_bank(session, doc)
        editor = accounts.create_user(session, email="editor@example.com", password=PASSWORD, role="editor")
        now = utcnow()
        session.execute(insert(User), [{"email": f"voter{i}@example.com", "display_name": f"Voter {i}",
                                        "password_hash": "x", "role": "candidate", "active": True,
                                        "created_at": now} for i in range(VOTERS)])
        voters = list(session.scalars(select(User.id).where(User.role == "candidate")))
        questions = list(session.scalars(select(Question.id).order_by(Question.position, Question.id)))
        report = {"score": 61, "grade": "fair", "coverage": 0.67, "missed": ["a point"], "talking_points": []}
        rows = []
        for _ in range(SUGGESTIONS):  # a suggestion edits a few words of its question's answer
            index = rng.randrange(QUESTIONS)
            words = answers[index].split()
            for _ in range(4):
                words[rng.randrange(len(words))] = rng.choice(WORDS)
            rows.append({"kind": "edit", "question_id": questions[index], "author_id": rng.choice(voters),
                         "base_revision": 1, "example_answer": " ".join(words), "reason": phrase(rng, 10),
                         "licence": "CC-BY-4.0", "report": report, "status": "pending", "votes": 0, "up": 0,
                         "down": 0, "comment_count": 0, "created_at": now})
        session.execute(insert(Suggestion), rows)
        suggestion_ids = list(session.scalars(select(Suggestion.id)))
        pairs: set[tuple[int, int]] = set()
        while len(pairs) < VOTES:
            pairs.add((rng.choice(suggestion_ids), rng.choice(voters)))
        totals: dict[int, list[int]] = {}
        vote_rows = []
        for suggestion_id, user_id in pairs:
            value = 1 if rng.random() < 0.7 else -1
            vote_rows.append({"suggestion_id": suggestion_id, "user_id": user_id, "value": value,
                              "created_at": now, "updated_at": now})
            total = totals.setdefault(suggestion_id, [0, 0])
            total[0 if value == 1 else 1] += 1
        for start in range(0, len(vote_rows), 10_000):
            session.execute(insert(Vote), vote_rows[start:start + 10_000])
        session.execute(update(Suggestion), [{"id": sid, "votes": up - down, "up": up, "down": down}
                                             for sid, (up, down) in totals.items()])
        # One question edited 500 times: each revision changes a few words of a 200-word answer.
        target = questions[0]
        text = phrase(rng, 200).split()
        answer_rows = []
        for number in range(2, REVISIONS + 1):
            for _ in range(3):
                text[rng.randrange(len(text))] = rng.choice(WORDS)
            answer_rows.append({"question_id": target, "revision": number, "text": " ".join(text),
                                "source": "suggestion", "note": phrase(rng, 6), "intent": phrase(rng, 12),
                                "talking_points": ["a", "b", "c"], "author_id": editor.id, "created_at": now})
        session.execute(insert(ExampleAnswer), answer_rows)
    return target, "editor@example.com"


def timed(call, rounds: int = ROUNDS) -> tuple[float, float]:
    call()  # warm caches
    samples = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return percentile(samples, 0.5), percentile(samples, 0.95)


def report(database: str, what: str, p50: float, p95: float) -> None:
    verdict = "ok" if p95 <= TARGET_MS else "MISSED"
    print(f"| {database} | {what} | {p50:.1f} | {p95:.1f} | {TARGET_MS:.0f} ({verdict}) |", flush=True)


class Results(list):
    def append(self, row) -> None:
        report(*row)
        super().append(row)


def measure(name: str, url: str, data_dir: Path) -> list[tuple[str, str, float, float]]:
    database = Database(url)
    database.upgrade()
    question_id, editor_email = populate(database, random.Random(9))
    results = Results()

    def service_queue():
        with database.transaction() as session:
            items, _ = community.queue(session)
            community.queue_diffs(session, items)

    def service_history():
        with database.transaction() as session:
            community.history(session, question_id=question_id)

    results.append((name, "queue, service (first page of 20, with diffs)", *timed(service_queue)))
    results.append((name, f"history, service ({REVISIONS} revisions, page of 20)", *timed(service_history)))
    app = create_app(Settings(data_dir=data_dir, database_url=url, secret_key="k" * 48, feedback_backend="lexical",
                              load_builtin_bank=False))
    with TestClient(app) as client:
        page = client.get("/signin").text
        token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
        client.post("/signin", data={"csrf_token": token, "email": editor_email, "password": PASSWORD})

        def page_queue():
            assert client.get("/community/queue").status_code == 200

        def page_history():
            assert client.get(f"/questions/{question_id}/history").status_code == 200

        def api_queue():
            assert client.get("/api/community/queue").status_code == 200

        results.append((name, "queue page", *timed(page_queue)))
        results.append((name, "queue API (50 a page, no diffs)", *timed(api_queue)))
        results.append((name, "history page", *timed(page_history)))
    database.dispose()
    return results


def main() -> None:
    print(f"## Community: queue over {SUGGESTIONS:,} pending suggestions and {VOTES:,} votes; "
          f"history of {REVISIONS} revisions ({ROUNDS} requests each)\n")
    print("| database | what | p50 ms | p95 ms | target p95 |\n|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        measure("SQLite", f"sqlite:///{Path(folder) / 'community.db'}", Path(folder))
        postgres = postgres_database()
        if postgres:
            pg_db, url, schema = postgres
            pg_db.dispose()
            try:
                measure("PostgreSQL", pg_db.url, Path(folder))
            finally:
                drop_schema(url, schema)
        if not postgres:
            print("| PostgreSQL | skipped: REHEARSE_TEST_POSTGRES_URL not set or unreachable | | | |")


if __name__ == "__main__":
    main()
