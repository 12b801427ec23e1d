"""Speed of the feedback engine: warm latency vs the bare encoder, batch throughput, cold start.

    python benchmarks/feedback_speed.py [--backend auto|e5|onnx|lexical] [--runs 100]

Warm latency: analyze() on a 200-word answer to a question with 4 talking points, and in the
same loop (interleaved, so both see the same machine load) the bare encoder on exactly the
sentences analyze() encodes: the floor. Batch: analyze_many() throughput, and the CLI's
`rehearse feedback --batch` when the CLI is installed. Cold start: a new process that imports
the library, loads the model and scores one answer; and `rehearse feedback ... --json`
when available (skipped with a message otherwise).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from rehearse.feedback import Lexicon, Question, analyze, analyze_many, load_backend
from rehearse.feedback import text as T

QUESTION = Question(
    text="Tell me about a time you turned around an underperforming engineer. What did you do?",
    talking_points=(
        "how you noticed the problem and confirmed it with evidence",
        "the conversation where you raised it directly",
        "the concrete improvement plan and support you offered",
        "the measurable outcome and what you learned",
    ),
    example_answer=(
        "On my last team a mid-level engineer had three pull requests in a row reverted and "
        "kept missing sprint commitments. Before saying anything I looked at two months of his "
        "work and asked his tech lead what she had seen. In our next one-on-one I raised it "
        "directly, with the specific examples, and asked what was going on. We agreed a "
        "six-week plan: pairing twice a week with a senior engineer, smaller tickets, and a "
        "weekly check-in. By week five he had shipped a feature with no reverts, and I learned "
        "to raise concerns after two weeks rather than two months."
    ),
)

# 200 words, 12 sentences: a realistic spoken answer
ANSWER = (
    "At my previous company I managed a team of eight engineers building our payments "
    "platform. One of our senior developers, who had been strong for years, started missing "
    "deadlines and his code reviews were taking four or five days. Before I said anything I "
    "pulled the data from the last quarter and spoke with two colleagues who worked closely "
    "with him, so I was sure it was a pattern and not one bad sprint. In our next one-on-one I "
    "told him plainly what I had seen, with three concrete examples, and asked him what was "
    "going on. It turned out he was struggling with the move to our new event-driven design "
    "and felt embarrassed to ask for help. We agreed a plan for the next eight weeks. He "
    "paired with our staff engineer twice a week, took smaller tickets, and we met every "
    "Friday for fifteen minutes to review progress. I also adjusted his on-call load for a "
    "month. By the end of the plan his review turnaround was under one day and he delivered "
    "the refund service on time. The lesson for me was to raise concerns early and to come "
    "with evidence and support."
)


def _pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]


def _cli() -> str | None:
    exe = Path(sys.executable).with_name("rehearse")
    if exe.is_file():
        return str(exe)
    return shutil.which("rehearse")


def warm(backend, runs: int) -> dict:
    sents = T.sentences(T.clean(ANSWER))
    for _ in range(10):
        analyze(QUESTION, ANSWER, backend=backend)
        backend.encode(sents)
    full, bare = [], []
    for _ in range(runs):
        t = time.perf_counter()
        backend.encode(sents)
        bare.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        analyze(QUESTION, ANSWER, backend=backend)
        full.append((time.perf_counter() - t) * 1000)
    return {"words": len(ANSWER.split()), "sentences": len(sents),
            "analyze_p50": statistics.median(full), "analyze_p95": _pct(full, 0.95),
            "encoder_p50": statistics.median(bare), "encoder_p95": _pct(bare, 0.95)}


def batch(backend, n: int) -> dict:
    from_bank = _bank_pairs(n)
    pairs = from_bank or [(QUESTION, ANSWER)] * n
    lexicon = Lexicon.from_questions({q.text: q for q, _ in pairs}.values())
    analyze_many(pairs[:20], backend=backend, lexicon=lexicon)  # warm the rubric caches
    t = time.perf_counter()
    analyze_many(pairs, backend=backend, lexicon=lexicon)
    dt = time.perf_counter() - t
    return {"n": len(pairs), "seconds": dt, "per_s": len(pairs) / dt,
            "source": "dev answers" if from_bank else "one repeated answer"}


def _bank_pairs(n: int) -> list[tuple[Question, str]]:
    try:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from _feedback_data import load_bank, load_dev

        bank = load_bank()
        dev = load_dev(bank)
    except Exception:
        return []
    pairs = [(bank[s], a.text) for s in sorted(dev) for a in dev[s]]
    return (pairs * (n // max(1, len(pairs)) + 1))[:n] if pairs else []


def cold_library(backend_name: str) -> float:
    code = ("from rehearse.feedback import analyze, load_backend, Question;"
            f"b = load_backend({backend_name!r});"
            "analyze(Question(text='How would you plan a migration?', talking_points=('a plan',)),"
            " 'First I would map the systems, then plan the move.', backend=b)")
    times = []
    for _ in range(3):
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", code], check=True)
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def _fresh_env(cli: str, folder: str) -> dict[str, str]:
    """A new database with the built-in bank, nothing else stored (no rubric vectors yet)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("REHEARSE_")}
    env |= {"REHEARSE_DATA_DIR": str(Path(folder, "data")),
            "REHEARSE_DATABASE_URL": f"sqlite:///{Path(folder, 'speed.db')}"}
    subprocess.run([cli, "db", "upgrade"], env=env, check=True, capture_output=True)
    return env


def cold_cli(cli: str) -> tuple[list[float] | None, str]:
    """Three new processes scoring one answer on a fresh database: the first encodes the question's
    rubric and stores its vectors, the next two read them back."""
    with tempfile.TemporaryDirectory() as tmp:
        env = _fresh_env(cli, tmp)
        f = Path(tmp, "answer.txt")
        f.write_text(ANSWER, encoding="utf-8")
        ref = "em-underperformer"  # a slug of the built-in bank
        times = []
        for _ in range(3):
            t = time.perf_counter()
            p = subprocess.run([cli, "feedback", ref, "--answer-file", str(f), "--json"],
                               capture_output=True, text=True, env=env)
            times.append(time.perf_counter() - t)
            if p.returncode != 0:
                return None, f"exit {p.returncode}: {(p.stderr or p.stdout)[-300:].strip()}"
        return times, ""


def batch_cli(cli: str, n: int) -> tuple[list[float] | None, str]:
    """The same batch twice on a fresh database: the first run encodes every rubric it meets and
    stores the vectors, the second reads them back. Answers per second, start-up included."""
    pairs = _bank_pairs(n)
    if not pairs:
        return None, "no dev answers to send"
    with tempfile.TemporaryDirectory() as tmp:
        env = _fresh_env(cli, tmp)
        f = Path(tmp, "batch.jsonl")
        f.write_text("".join(json.dumps({"question": q.text, "answer": a}) + "\n"
                             for q, a in pairs), encoding="utf-8")
        rates = []
        for _ in range(2):
            t = time.perf_counter()
            p = subprocess.run([cli, "feedback", "--batch", str(f), "--json"], capture_output=True,
                               text=True, env=env)
            dt = time.perf_counter() - t
            if p.returncode != 0:
                return None, f"exit {p.returncode}: {(p.stderr or p.stdout)[-300:].strip()}"
            lines = [ln for ln in p.stdout.splitlines() if ln.strip()]
            if len(lines) != len(pairs):
                return None, f"{len(lines)} output lines for {len(pairs)} inputs"
            rates.append(len(pairs) / dt)
        return rates, ""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--backend", default="auto", choices=["auto", "e5", "onnx", "lexical"])
    ap.add_argument("--runs", type=int, default=100)
    ap.add_argument("--batch", type=int, default=300)
    args = ap.parse_args(argv)

    t = time.perf_counter()
    backend = load_backend(args.backend)
    load_s = time.perf_counter() - t
    print(f"backend: {backend.name} ({backend.version}); loaded in {load_s:.2f} s")
    print(f"machine: {os.cpu_count()} CPU cores; load average {os.getloadavg()[0]:.2f}")
    w = warm(backend, args.runs)
    ratio = w["analyze_p50"] / w["encoder_p50"] if w["encoder_p50"] else float("nan")
    print(f"\n## Warm latency ({w['words']}-word answer, {w['sentences']} sentences, "
          f"4 talking points, {args.runs} runs)\n")
    print("| measure | p50 | p95 |\n|---|---|---|")
    print(f"| analyze() | {w['analyze_p50']:.1f} ms | {w['analyze_p95']:.1f} ms |")
    print(f"| bare encoder, same sentences (floor) | {w['encoder_p50']:.1f} ms | "
          f"{w['encoder_p95']:.1f} ms |")
    print(f"\nanalyze / encoder (p50) = {ratio:.2f}x  (goals: <= 1.3x, analyze p50 <= 300 ms)")

    b = batch(backend, args.batch)
    print(f"\n## Batch\n\nanalyze_many: {b['n']} answers ({b['source']}) in {b['seconds']:.2f} s "
          f"= {b['per_s']:.0f} answers/s (goal: --batch >= 10/s)")
    cli = _cli()
    if cli is None:
        print("rehearse feedback --batch: skipped (the `rehearse` CLI is not installed)")
    else:
        rates, why = batch_cli(cli, min(args.batch, 200))
        print(f"rehearse feedback --batch, start-up included: {rates[0]:.1f} answers/s on a new database, "
              f"{rates[1]:.1f} answers/s once its rubric vectors are stored" if rates
              else f"rehearse feedback --batch: skipped ({why})")

    print("\n## Cold start\n")
    print(f"new process, import + load model + one analyze(): {cold_library(args.backend):.2f} s")
    if cli is None:
        print("rehearse feedback ... --json: skipped (the `rehearse` CLI is not installed)")
    else:
        times, why = cold_cli(cli)
        print(f"rehearse feedback QUESTION --answer-file F --json: {times[0]:.2f} s on a new database, "
              f"{statistics.median(times[1:]):.2f} s once the rubric's vectors are stored (goal <= 3 s)"
              if times else f"rehearse feedback ... --json: skipped ({why})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
