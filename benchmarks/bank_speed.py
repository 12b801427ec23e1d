"""Import throughput and search latency over a generated 10,000-question bank.

Prints questions/s for importing a page-format file on SQLite (and PostgreSQL
when REHEARSE_TEST_POSTGRES_URL reaches a server), then search latency p50/p95
for the search function and, in the same run, the raw FTS5 statement on the
same table, with their ratio.
"""

from __future__ import annotations

import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

from rehearse.bank import search as search_index
from rehearse.bank import service
from rehearse.db.database import Database
from rehearse.formats import read_path

QUESTIONS = 10_000
SEARCH_ROUNDS = 400
QUERIES = ["hiring bar", "incident response", "technical debt", "roadmap trade-offs", "coaching a manager",
           "cloud costs", "security compliance", "on-call burnout", "OKRs metrics", "stakeholder conflict"]
TOPICS = ["hiring", "incident", "roadmap", "budget", "security", "coaching", "debt", "metrics", "culture",
          "architecture", "on-call", "stakeholders", "delivery", "quality", "migration", "platform"]
WORDS = ("team engineers product customers release process plan review quarter risk decision data system "
         "service latency cost growth feedback goal priority strategy scale reliability budget bar loop").split()


def generate_page(path: Path, count: int, seed: int = 7) -> None:
    rng = random.Random(seed)

    def phrase(n: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(n))

    questions = [f"How would you handle {rng.choice(TOPICS)} when {phrase(6)} (case {i})?" for i in range(count)]
    lines = ["Synthetic Leader Interview Questions", "A generated bank for benchmarks.",
             "Interview Questions for Synthetic Leader", *questions, "-"]
    for question in questions:
        lines += [question,
                  f"Employers ask this to see {phrase(8)}. In your answer, describe {phrase(4)}, {phrase(4)}, "
                  f"and how you {phrase(5)}.",
                  f'Answer Example: "{phrase(60)}."',
                  "Help us improve this answer. / -"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def timed_import(database: Database, path: Path) -> tuple[float, float]:
    started = time.perf_counter()
    result = read_path(path)
    parsed = time.perf_counter()
    with database.transaction() as session:
        service.import_bank(session, result.bank)
    done = time.perf_counter()
    return parsed - started, done - started


def percentile(samples: list[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def search_latency(database: Database, db_file: Path) -> dict[str, tuple[float, float]]:
    timings: dict[str, list[float]] = {"service.search (ids + questions)": [], "search_ids (one function)": [],
                                       "raw FTS5 statement": []}
    raw = sqlite3.connect(db_file)
    raw_sql = str(search_index.SQLITE_SEARCH).replace(":match", "?").replace(":limit", "?")
    with database.sessions() as session:
        for round_number in range(SEARCH_ROUNDS):
            query = QUERIES[round_number % len(QUERIES)]
            match = search_index.sqlite_match_expression(query)
            started = time.perf_counter()
            raw.execute(raw_sql, (match, 20)).fetchall()
            timings["raw FTS5 statement"].append(time.perf_counter() - started)
            started = time.perf_counter()
            search_index.search_ids(session, query, limit=20)
            timings["search_ids (one function)"].append(time.perf_counter() - started)
            started = time.perf_counter()
            service.search(session, query, limit=20)
            timings["service.search (ids + questions)"].append(time.perf_counter() - started)
            session.expunge_all()
    raw.close()
    warm = SEARCH_ROUNDS // 10  # drop the first rounds: statement caches and page cache warming
    return {name: (statistics.median(s[warm:]) * 1000, percentile(s[warm:], 0.95) * 1000)
            for name, s in timings.items()}


def postgres_database() -> tuple[Database, str, str] | None:
    url = os.environ.get("REHEARSE_TEST_POSTGRES_URL")
    if not url:
        return None
    schema = f"rehearse_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    try:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    except Exception as error:  # noqa: BLE001
        print(f"PostgreSQL skipped: {error.__class__.__name__}", file=sys.stderr)
        return None
    finally:
        admin.dispose()
    return Database(f"{url}?options=-csearch_path%3D{schema}"), url, schema


def drop_schema(url: str, schema: str) -> None:
    admin = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        page = Path(folder) / "bank.txt"
        generate_page(page, QUESTIONS)
        print(f"## Bank import and search ({QUESTIONS:,} generated questions, page format)\n")
        print("| database | parse s | parse + import s | questions/s |\n|---|---|---|---|")
        db_file = Path(folder) / "bench.db"
        sqlite_db = Database(f"sqlite:///{db_file}")
        sqlite_db.upgrade()
        parse_s, total_s = timed_import(sqlite_db, page)
        print(f"| SQLite | {parse_s:.2f} | {total_s:.2f} | {QUESTIONS / total_s:,.0f} |")
        postgres = postgres_database()
        if postgres:
            pg_db, url, schema = postgres
            try:
                pg_db.upgrade()
                parse_s, total_s = timed_import(pg_db, page)
                print(f"| PostgreSQL | {parse_s:.2f} | {total_s:.2f} | {QUESTIONS / total_s:,.0f} |")
            finally:
                pg_db.dispose()
                drop_schema(url, schema)
        else:
            print("| PostgreSQL | skipped: REHEARSE_TEST_POSTGRES_URL not set or unreachable | | |")

        latency = search_latency(sqlite_db, db_file)
        raw_p50 = latency["raw FTS5 statement"][0]
        print(f"\n### Search latency, SQLite, {SEARCH_ROUNDS} queries, top 20\n")
        print("| what | p50 ms | p95 ms | p50 / raw |\n|---|---|---|---|")
        for name, (p50, p95) in latency.items():
            print(f"| {name} | {p50:.2f} | {p95:.2f} | {p50 / raw_p50:.2f}x |")
        sqlite_db.dispose()


if __name__ == "__main__":
    main()
