"""Quality of the feedback engine on the blind development set, next to the baselines.

    python -m benchmarks.feedback_quality                      # held-out questions, every backend
    python -m benchmarks.feedback_quality --split train        # the questions the constants were fitted on
    python -m benchmarks.feedback_quality --calibrate --write  # refit on train, write calibration.py

The blind set (benchmarks/data/blind/) is answers written by people who saw only the
question, labelled point by point afterwards by someone else (see its README). About 30% of
its questions are held out by a hash of their slug: they are never used for fitting or for
choosing features, and the figures below are on them unless --split says otherwise.

In one run, for every installed backend (the engine, calibrated on the train split) and for
the plain routes it is compared with (max sentence cosine of each point: TF-IDF, MiniLM,
e5 with the point as a query; answer-level TF-IDF cosine to the example answer), it prints
ordering strong > partial > weak, covered-point figures, AUCs, off-topic detection and the
by-voice breakdown; then the team's own dev set (written in the rubric's words: a second
opinion), Mohler et al. (2011) and chitamoor from ../shared (skipped with a reason if absent).
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _blind_data import BlindQuestion, load_blind, load_example_labels, load_sources, load_unseen  # noqa: E402
from _feedback_baselines import (  # noqa: E402
    TfidfBaseline,
    best_threshold_f1,
    best_threshold_offtopic,
    f1,
    pearson,
)

from rehearse.feedback import BackendUnavailable, Lexicon, analyze_many, load_backend  # noqa: E402
from rehearse.feedback import text as T  # noqa: E402
from rehearse.formats.structured import without_looks_like as point_alone  # noqa: E402

RANK = {"strong": 3, "partial": 2, "weak": 1}
GOALS = ("goals: ordering >= 97%, strong points covered >= 85%, MAE <= 0.15, F1 >= 0.85, "
         "off-topic caught >= 95% with false alarms <= 3%")


# ------------------------------------------------------------------ metrics


def auc(scores, labels) -> float:
    """Probability that a random positive outscores a random negative (ties count half)."""
    s, y = np.asarray(scores, float), np.asarray(labels, bool)
    pos, neg = s[y], s[~y]
    if not len(pos) or not len(neg):
        return float("nan")
    greater = (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
    return float(greater / (len(pos) * len(neg)))


def within_answer_auc(per_answer) -> float:
    """Over answers that cover some points and miss others: P(covered point > missed point)."""
    good = total = 0.0
    for scores, labels in per_answer:
        s, y = np.asarray(scores, float), np.asarray(labels, bool)
        if y.all() or not y.any():
            continue
        pos, neg = s[y], s[~y]
        good += (pos[:, None] > neg[None, :]).sum() + 0.5 * (pos[:, None] == neg[None, :]).sum()
        total += len(pos) * len(neg)
    return good / total if total else float("nan")


def ordering(scores_by_question) -> float:
    """Share of (better, worse) answer pairs of one question that the scores put in order."""
    ok = total = 0
    for answers in scores_by_question.values():
        for qa, sa in answers:
            for qb, sb in answers:
                if RANK.get(qa, 0) > RANK.get(qb, 0) > 0:
                    ok += sa > sb
                    total += 1
    return ok / total if total else float("nan")


def _words(s: str | None) -> set[str]:
    return set(T.words(s or "")) - T.STOPWORDS


def evidence_hit(evidence: str | None, quote: str | None) -> bool:
    """The engine's evidence contains most of the labeller's quote."""
    q = _words(quote)
    return bool(q) and len(q & _words(evidence)) >= 0.6 * len(q)


# ------------------------------------------------------------------ off-topic pairs


def off_topic_pairs(questions: list[BlindQuestion]) -> list[tuple[BlindQuestion, str]]:
    """Each question is asked two strong answers of other questions of the same bank and split:
    the one whose question text is closest (near-duplicates in one bank) and the next by slug."""
    out = []
    by_source = defaultdict(list)
    for q in questions:
        by_source[q.source].append(q)
    for group in by_source.values():
        group = sorted(group, key=lambda q: q.slug)
        tfidf = TfidfBaseline([q.question.text for q in group])
        for i, q in enumerate(group):
            others = [o for o in group if o is not q and any(a.quality == "strong" for a in o.answers)]
            if not others:
                continue
            nearest = max(others, key=lambda o: tfidf.sim(q.question.text, o.question.text))
            following = group[(i + 1) % len(group)]
            for other in dict.fromkeys([nearest, following]):
                strong = [a for a in other.answers if a.quality == "strong"]
                if other is not q and strong:
                    out.append((q, strong[0].text))
    return out


# ------------------------------------------------------------------ the engine


def eval_engine(backend, questions, lexicons) -> dict:
    pairs, keys = [], []
    for q in questions:
        for a in q.answers:
            pairs.append((q.question, a.text))
            keys.append(("own", q, a))
    for q, text in off_topic_pairs(questions):
        pairs.append((q.question, text))
        keys.append(("off", q, None))
    t0 = time.perf_counter()
    reports = []
    for (q_, text), (_, q, _) in zip(pairs, keys, strict=True):
        reports.extend(analyze_many([(q_, text)], backend=backend, lexicon=lexicons[q.source]))
    seconds = (time.perf_counter() - t0) / max(1, len(pairs))
    return summarise(keys, [_from_report(r) for r in reports]) | {"seconds": seconds}


def _from_report(r):
    return {"score": r.score, "coverage": r.coverage or 0.0, "on_topic": r.on_topic,
            "strengths": [t.strength for t in r.talking_points],
            "covered": [t.covered for t in r.talking_points],
            "evidence": [t.evidence for t in r.talking_points]}


def summarise(keys, results) -> dict:
    """Every figure from per-answer results (engine reports or a route's scores)."""
    by_q = defaultdict(list)
    pred, gold, strengths, per_answer, cov, frac = [], [], [], [], [], []
    strong_pred, strong_gold, fa, caught, hits, stuffed = [], [], [], [], [], []
    by_voice = defaultdict(list)
    for (kind, q, a), r in zip(keys, results, strict=True):
        if kind == "off":
            caught.append(not r["on_topic"])
            continue
        fa.append(not r["on_topic"] and a.on_topic)
        by_q[q.slug].append((a.quality, r["score"]))
        pred += r["covered"]
        gold += a.covered
        strengths += r["strengths"]
        per_answer.append((r["strengths"], a.covered))
        cov.append(r["coverage"])
        frac.append(a.covered_fraction)
        if a.quality == "strong":
            strong_pred.append(np.mean(r["covered"]))
            strong_gold.append(a.covered_fraction)
            by_voice[a.voice if a.language == "English" else "other language"].append(np.mean(r["covered"]))
        if a.quality == "stuffed":
            stuffed.append(r["score"])
        for ev, quote, p, g in zip(r["evidence"], a.evidence, r["covered"], a.covered, strict=True):
            if p and g and quote:
                hits.append(evidence_hit(ev, quote))
    strong_scores = [s for answers in by_q.values() for qual, s in answers if qual == "strong"]
    return {
        "ordering": ordering(by_q), "strong_covered": float(np.mean(strong_pred)),
        "strong_labelled": float(np.mean(strong_gold)), "mae": float(np.mean(np.abs(np.subtract(cov, frac)))),
        "f1": f1(pred, gold), "auc": auc(strengths, gold), "within_auc": within_answer_auc(per_answer),
        "r": pearson(cov, frac), "caught": float(np.mean(caught)) if caught else float("nan"),
        "false_alarms": float(np.mean(fa)), "evidence": float(np.mean(hits)) if hits else float("nan"),
        "stuffed_score": float(np.mean(stuffed)) if stuffed else float("nan"),
        "strong_score": float(np.mean(strong_scores)) if strong_scores else float("nan"),
        "by_voice": {v: float(np.mean(x)) for v, x in sorted(by_voice.items())},
        "n_answers": len(fa), "n_off": len(caught), "n_points": len(gold),
    }


# ------------------------------------------------------------------ plain routes


class Route:
    """A plain route: each point's strength is its best cosine to any answer sentence."""

    def __init__(self, name, encode_points, encode_sentences, answer_sim=None):
        self.name, self.encode_points, self.encode_sentences = name, encode_points, encode_sentences
        self.answer_sim = answer_sim

    def strengths(self, question, text) -> list[float]:
        sents = T.sentences(T.clean(text)) or [text or " "]
        u = self.encode_sentences(sents)
        p = self.encode_points(list(question.talking_points))
        return (p @ u.T).max(1).tolist()


def eval_route(route, train, test) -> dict:
    """Thresholds (covered; off-topic) tuned on train, figures on test, no other fitting."""
    def run(questions):
        keys, rows = [], []
        for q in questions:
            for a in q.answers:
                keys.append(("own", q, a))
                rows.append(route.strengths(q.question, a.text))
        for q, text in off_topic_pairs(questions):
            keys.append(("off", q, None))
            rows.append(route.strengths(q.question, text))
        return keys, rows

    k_tr, s_tr = run(train)
    own_tr = [k[2] for k in k_tr if k[0] == "own"]
    t_point = best_threshold_f1([s for (kind, _, _), r in zip(k_tr, s_tr, strict=True) if kind == "own" for s in r],
                                [g for a in own_tr for g in a.covered])
    t_topic = best_threshold_offtopic([float(np.mean(r)) for k, r in zip(k_tr, s_tr, strict=True) if k[0] == "own"],
                                      [float(np.mean(r)) for k, r in zip(k_tr, s_tr, strict=True) if k[0] == "off"])
    t0 = time.perf_counter()
    k_te, s_te = run(test)
    seconds = (time.perf_counter() - t0) / max(1, len(k_te))
    results = [{"score": float(np.mean(r)), "coverage": float(np.mean([s >= t_point for s in r])),
                "on_topic": float(np.mean(r)) >= t_topic, "strengths": r, "covered": [s >= t_point for s in r],
                "evidence": [None] * len(r)} for r in s_te]
    return summarise(k_te, results) | {"seconds": seconds}


class TfidfRoute(Route):
    """Best TF-IDF cosine of each point to any answer sentence (idf from the train answers)."""

    def __init__(self, train):
        super().__init__("TF-IDF max sentence cosine", None, None)
        self.tfidf = TfidfBaseline([a.text for q in train for a in q.answers])

    def strengths(self, question, text) -> list[float]:
        return [self.tfidf.max_sentence_sim(text, point) for point in question.talking_points]


def routes(available, train) -> list[Route]:
    out: list[Route] = [TfidfRoute(train)]
    if "onnx" in available:
        b = available["onnx"]
        out.append(Route("MiniLM max sentence cosine", b.encode_cached, b.encode))
    if "e5" in available:
        b = available["e5"]
        out.append(Route("e5 query-form max sentence cosine", b.encode_queries, b.encode))
    return out


# ------------------------------------------------------------------ report


def _pct(x: float) -> str:
    return "–" if x != x else f"{100 * x:.1f}%"


def _num(x: float) -> str:
    return "–" if x != x else f"{x:.3f}"


def print_table(rows: dict[str, dict], title: str) -> None:
    print(f"\n## {title}\n")
    print("| system | ordering (pairs) | strong: points covered (labels) | coverage MAE | covered F1 "
          "| point AUC | AUC within partly covered answers | answer r | off-topic caught | false alarms "
          "| evidence = labeller's quote | ms per answer |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for name, r in rows.items():
        print(f"| {name} | {_pct(r['ordering'])} | {_pct(r['strong_covered'])} ({_pct(r['strong_labelled'])}) "
              f"| {_num(r['mae'])} | {_num(r['f1'])} | {_num(r['auc'])} | {_num(r['within_auc'])} | {_num(r['r'])} "
              f"| {_pct(r['caught'])} | {_pct(r['false_alarms'])} | {_pct(r['evidence'])} "
              f"| {1000 * r['seconds']:.0f} |")


def print_voices(rows: dict[str, dict]) -> None:
    voices = sorted({v for r in rows.values() for v in r["by_voice"]})
    print("\nStrong answers: share of their points the engine marks covered, by voice\n")
    print("| system | " + " | ".join(voices) + " |")
    print("|---|" + "---|" * len(voices))
    for name, r in rows.items():
        print(f"| {name} | " + " | ".join(_pct(r["by_voice"].get(v, float("nan"))) for v in voices) + " |")


def shown_example_agreement(backend, questions: list[BlindQuestion], lexicons) -> tuple[float, int]:
    """Share of talking points whose example sentence, shown when the point is missed, is one
    the labeller named as showing it (example_labels.jsonl), and the points counted."""
    from rehearse.feedback.prepare import prepare

    labels = load_example_labels()
    hit = n = 0
    for q in questions:
        shows = labels.get(f"{q.source}:{q.slug}")
        if not shows:
            continue
        prep = prepare(q.question, backend, lexicons.get(q.source))
        if prep.basis != "talking_points" or len(prep.points) != len(shows):
            continue
        for shown, named in zip(prep.shown_exemplar, shows, strict=True):
            if named:
                n += 1
                hit += shown in named
    return (hit / n if n else float("nan")), n


# ------------------------------------------------------------------ unseen domains

def without_looks_like(questions: list[BlindQuestion]) -> list[BlindQuestion]:
    """The same questions with each point's "(looks like: …)" line dropped."""
    return [dataclasses.replace(q, question=dataclasses.replace(
        q.question, talking_points=tuple(point_alone(p) for p in q.question.talking_points)))
        for q in questions]


def report_unseen(available, train, sources, unseen, routes_too: bool = True) -> None:
    """Two professions nobody tuned on (benchmarks/data/unseen): the engines as shipped and the
    routes with their train thresholds; then the engines without the points' looks-like lines."""
    n_ans = sum(len(q.answers) for q in unseen)
    stripped = without_looks_like(unseen)
    lexicons = {name: Lexicon.from_questions(bank.values()) for name, bank in sources.items()}
    bare_lexicons = {name: Lexicon.from_questions([q.question for q in stripped if q.source == name])
                     for name in sources}
    rows = {}
    for name, backend in available.items():
        rows[f"engine ({name})"] = eval_engine(backend, unseen, lexicons)
        rows[f"engine ({name}), points without looks-like lines"] = eval_engine(backend, stripped, bare_lexicons)
    if routes_too:
        for route in routes(available, train):
            rows[route.name] = eval_route(route, train, unseen)
    print_table(rows, f"Unseen domains, never fitted ({len(unseen)} questions, {n_ans} answers: "
                      "nursing and B2B sales)")
    print_voices({k: v for k, v in rows.items() if k.startswith("engine") and "without" not in k})


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--split", default="test", choices=["test", "train", "all"])
    ap.add_argument("--backends", default="e5,onnx,lexical", help="comma-separated engine backends to measure")
    ap.add_argument("--calibrate", action="store_true", help="fit the engine's constants on the train split")
    ap.add_argument("--write", action="store_true", help="with --calibrate: write them into calibration.py")
    ap.add_argument("--skip-external", action="store_true", help="skip the dev set, Mohler and chitamoor")
    ap.add_argument("--no-routes", action="store_true", help="skip the plain-route baselines")
    args = ap.parse_args(argv)

    t_start = time.perf_counter()
    sources, missing = load_sources()
    for reason in missing:
        print(f"(skipped {reason})")
    blind = load_blind(sources)
    if not blind:
        print("no blind answers found under benchmarks/data/blind/: nothing to measure")
        return 1
    lexicons = {name: Lexicon.from_questions(bank.values()) for name, bank in sources.items()}
    train = [q for q in blind if q.split == "train"]
    test = [q for q in blind if q.split == "test"]
    evaluated = {"test": test, "train": train, "all": blind}[args.split]
    n_ans = sum(len(q.answers) for q in evaluated)
    print(f"blind set: {len(blind)} questions, {sum(len(q.answers) for q in blind)} answers "
          f"({len(train)} train / {len(test)} held-out questions); evaluating {args.split}: "
          f"{len(evaluated)} questions, {n_ans} answers")

    available = {}
    for name in args.backends.split(","):
        try:
            available[name] = load_backend(name)
        except BackendUnavailable as exc:
            print(f"(backend {name} unavailable: {exc})")
    if args.calibrate:
        from _feedback_calibrate import calibrate

        for backend in available.values():
            calibrate(backend, train, lexicons, write=args.write)
        return 0

    rows = {}
    for name, backend in available.items():
        rows[f"engine ({name})"] = eval_engine(backend, evaluated, lexicons)
    if not args.no_routes:
        for route in routes(available, train):
            rows[route.name] = eval_route(route, train, evaluated)
    print_table(rows, f"Blind set, {args.split} split ({len(evaluated)} questions, {n_ans} answers)")
    print(f"\n({GOALS}; route thresholds tuned on the train split)")
    print_voices({k: v for k, v in rows.items() if k.startswith("engine")})
    for name, r in rows.items():
        if r["stuffed_score"] == r["stuffed_score"] and name.startswith("engine"):
            print(f"{name}: mean score of strong answers {r['strong_score']:.1f}, "
                  f"of keyword-stuffed ones {r['stuffed_score']:.1f}")

    for name, backend in available.items():
        share, n = shown_example_agreement(backend, evaluated, lexicons)
        if n:
            print(f"engine ({name}): example sentence shown for a missed point is one the labeller "
                  f"named for {share:.1%} of {n} points")

    unseen_sources, unseen = load_unseen()
    if unseen and not args.calibrate:
        report_unseen(available, train, unseen_sources, unseen, routes_too=not args.no_routes)

    if not args.skip_external:
        import feedback_quality_dev as dev

        for name in available:
            print(f"\n### Second opinions, engine ({name})")
            dev.main(["--backend", name, "--split", "test"] if name != "lexical"
                     else ["--backend", name, "--split", "test", "--mohler-limit", "600"])
    print(f"\n(total {time.perf_counter() - t_start:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
