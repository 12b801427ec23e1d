"""Would e5 reading "which question does this answer answer?" catch more off-topic answers?

The experiment behind the README's "tried after 2.5" line on relevance. e5 is a retrieval
model: each question (with its intent) becomes a query, `query: <question> <intent>`, and the
answer's sentences are passages. For the question asked and the 6 word-closest other
questions of its bank (the shortlist the engine's relevance already compares point by point),
the candidates are this question's softmax share (temperature 0.02) among them, by the whole
answer's vector (`share`) and by the single closest unit (`unit_share`), and plain margins.

Relevance is refitted on the train split with each candidate beside the engine's e5 features
(3 folds by question; the engine's fitting items, `_feedback_calibrate.topic_items`) and
scored on the fold it never saw: off-topic pairs as the benchmark makes them against the
fold's own answers, at the threshold chosen on the fitting folds (3% of their own answers)
and at 3% false alarms on the pooled out-of-fold scores. `--held-out` fits on all of train
and prints the held-out figures once (only after a candidate was chosen on train).

    python -m benchmarks.experiments.relevance_probe [--held-out]
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _blind_data import load_blind, load_sources  # noqa: E402
from _feedback_baselines import fit_logistic  # noqa: E402
from _feedback_calibrate import topic_items  # noqa: E402
from feedback_quality import auc, off_topic_pairs  # noqa: E402

from rehearse.feedback import Lexicon, load_backend  # noqa: E402
from rehearse.feedback.answer import build_answer  # noqa: E402
from rehearse.feedback.engine import split_answer  # noqa: E402
from rehearse.feedback.prepare import HASHER, prepare  # noqa: E402
from rehearse.feedback.relevance import SHORTLIST_WORDS_ONLY, judge_relevance, others_by_words  # noqa: E402

ENGINE = ("affinity", "fit_margin", "lex_margin", "bm25_margin")  # e5's relevance features
CANDIDATES = {
    "engine": (),
    "+ margin": ("margin",),
    "+ share": ("share",),
    "+ unit share": ("unit_share",),
    "+ share, unit share": ("share", "unit_share"),
}
TEMPERATURE = 0.02


def _share(own: float, others: np.ndarray) -> float:
    sims = np.concatenate([[own], others]) / TEMPERATURE
    weights = np.exp(sims - sims.max())
    return float(weights[0] / weights.sum())


class Features:
    def __init__(self, backend, lexicons):
        self.backend, self.lexicons, self.cache = backend, lexicons, {}

    def __call__(self, q, text: str) -> dict[str, float]:
        key = (q.slug, text)
        if key not in self.cache:
            self.cache[key] = self._compute(q, text)
        return self.cache[key]

    def _compute(self, q, text):
        backend, lexicon = self.backend, self.lexicons[q.source]
        prep = prepare(q.question, backend, lexicon)
        cleaned, sents = split_answer(text)
        ans = build_answer(text, cleaned, sents, backend.encode_cached(sents))
        _, _, detail = judge_relevance(prep, q.question, ans, None, backend, lexicon)
        by_words, _, _ = others_by_words(lexicon, q.question, HASHER.encode([ans.cleaned])[0])
        shortlist = by_words[:SHORTLIST_WORDS_ONLY]  # the e5 judge's own shortlist
        asked = [q.question] + [lexicon.questions[j] for j in shortlist]
        queries = backend.encode_queries([f"{o.text} {o.intent or ''}".strip() for o in asked], "{}")
        whole = queries @ (ans.vec / (np.linalg.norm(ans.vec) + 1e-9))
        by_unit = (queries @ ans.unit_vecs.T).max(1)
        return {name: detail.get(name, 0.0) for name in ENGINE} | {
            "margin": float(whole[0] - whole[1:].max()),
            "share": _share(whole[0], whole[1:]), "unit_share": _share(by_unit[0], by_unit[1:])}


def _scores(features, fit_qs, eval_qs, columns):
    """Fit on fit_qs; (scores minus threshold, on topic?) for eval_qs' own answers and pairs."""
    fit = topic_items(fit_qs)
    x = np.array([[features(q, t)[c] for c in columns] for q, t, _ in fit])
    y = np.array([lab for *_, lab in fit])
    w = fit_logistic(x, y, l2=0.1, nonneg=False)
    threshold = np.quantile(1 / (1 + np.exp(-(w[0] + x @ w[1:])))[y == 1], 0.03)
    evaluated = [(q, a.text, 1.0) for q in eval_qs for a in q.answers if a.on_topic]
    evaluated += [(q, t, 0.0) for q, t in off_topic_pairs(eval_qs)]
    xe = np.array([[features(q, t)[c] for c in columns] for q, t, _ in evaluated])
    p = 1 / (1 + np.exp(-(w[0] + xe @ w[1:])))
    return p - threshold, np.array([lab for *_, lab in evaluated])


def _print(name, margin, on_topic):
    caught, false_alarms = np.mean(margin[on_topic == 0] < 0), np.mean(margin[on_topic == 1] < 0)
    at3 = np.mean(margin[on_topic == 0] < np.quantile(margin[on_topic == 1], 0.03))
    print(f"| {name} | {caught:.1%} | {false_alarms:.1%} | {at3:.1%} | {auc(-margin, 1 - on_topic):.3f} |")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--held-out", action="store_true", help="fit on train, print the held-out figures")
    args = ap.parse_args(argv)
    sources, _ = load_sources()
    blind = load_blind(sources)
    lexicons = {name: Lexicon.from_questions(bank.values()) for name, bank in sources.items()}
    train = [q for q in blind if q.split == "train"]
    features = Features(load_backend("e5"), lexicons)
    print("| relevance features | caught | false alarms | caught at 3% false alarms | AUC |\n|---|---|---|---|---|")
    for name, extra in CANDIDATES.items():
        columns = ENGINE + extra
        if args.held_out:
            _print(name, *_scores(features, train, [q for q in blind if q.split == "test"], columns))
            continue
        folds = [[q for q in train if int(hashlib.sha1(q.slug.encode()).hexdigest(), 16) % 3 == k]
                 for k in range(3)]
        runs = [_scores(features, [q for j in range(3) if j != k for q in folds[j]], folds[k], columns)
                for k in range(3)]
        _print(name, np.concatenate([m for m, _ in runs]), np.concatenate([y for _, y in runs]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
