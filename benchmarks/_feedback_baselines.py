"""The two baselines the feedback engine is compared with, and small metric helpers."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np

from rehearse.feedback import text as T


class TfidfBaseline:
    """TF-IDF cosine (words, stopwords dropped, sublinear tf) fitted on a set of documents."""

    name = "tfidf-cosine"

    def __init__(self, docs: Sequence[str]) -> None:
        df: Counter[str] = Counter()
        for d in docs:
            df.update(set(self._tokens(d)))
        n = len(docs)
        self.idf = {w: math.log((1 + n) / (1 + c)) + 1 for w, c in df.items()}
        self.default = math.log(1 + n) + 1

    @staticmethod
    def _tokens(s: str) -> list[str]:
        return [w for w in T.words(s) if w not in T.STOPWORDS]

    def _vec(self, s: str) -> dict[str, float]:
        tf = Counter(self._tokens(s))
        v = {w: (1 + math.log(c)) * self.idf.get(w, self.default) for w, c in tf.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        return {w: x / norm for w, x in v.items()}

    def sim(self, a: str, b: str) -> float:
        va, vb = self._vec(a), self._vec(b)
        return sum(x * vb.get(w, 0.0) for w, x in va.items())

    def max_sentence_sim(self, answer: str, point: str) -> float:
        sents = T.sentences(T.clean(answer)) or [answer]
        return max(self.sim(s, point) for s in sents)


class EmbeddingBaseline:
    """Embedding cosine: mean of the answer's sentence vectors vs the reference's."""

    name = "embedding-cosine"

    def __init__(self, backend) -> None:
        self.backend = backend

    def _vec(self, s: str) -> np.ndarray:
        sents = T.sentences(T.clean(s)) or [s or " "]
        v = self.backend.encode_cached(sents).mean(0)
        return v / max(float(np.linalg.norm(v)), 1e-9)

    def sim(self, a: str, b: str) -> float:
        return float(self._vec(a) @ self._vec(b))

    def max_sentence_sim(self, answer: str, point: str) -> float:
        sents = T.sentences(T.clean(answer)) or [answer or " "]
        return float((self.backend.encode_cached(sents) @ self.backend.encode_cached([point])[0]
                      ).max())


def pearson(x: Sequence[float], y: Sequence[float]) -> float:
    x, y = np.asarray(x, float), np.asarray(y, float)
    if x.std() == 0 or y.std() == 0:
        return float("nan")
    return float(np.corrcoef(x, y)[0, 1])


def f1(pred: Sequence[bool], gold: Sequence[bool]) -> float:
    tp = sum(p and g for p, g in zip(pred, gold, strict=True))
    fp = sum(p and not g for p, g in zip(pred, gold, strict=True))
    fn = sum(g and not p for p, g in zip(pred, gold, strict=True))
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def best_threshold_f1(scores: Sequence[float], gold: Sequence[bool]) -> float:
    cands = sorted(set(round(s, 4) for s in scores))
    return max(cands, key=lambda t: f1([s >= t for s in scores], gold)) if cands else 0.5


def best_threshold_offtopic(on_scores: Sequence[float], off_scores: Sequence[float]) -> float:
    """Threshold t (off-topic when score < t) maximising caught - false alarms (Youden's J)."""
    cands = sorted(set(list(on_scores) + list(off_scores)))

    def j(t: float) -> float:
        caught = np.mean([s < t for s in off_scores]) if off_scores else 0
        fa = np.mean([s < t for s in on_scores]) if on_scores else 0
        return caught - fa

    return max(cands, key=j) if cands else 0.0


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float = 1e-2, iters: int = 50,
                 nonneg: bool = True) -> np.ndarray:
    """Logistic regression (Newton, small L2); returns [bias, w...]. With nonneg, features
    whose weight comes out negative are dropped and the rest refitted (monotone scores)."""
    keep = list(range(x.shape[1]))
    while True:
        w = _fit(x[:, keep], y, l2, iters)
        if not nonneg or (w[1:] >= 0).all() or len(keep) == 1:
            break
        keep.pop(int(np.argmin(w[1:])))
    full = np.zeros(x.shape[1] + 1)
    full[0] = w[0]
    for j, col in enumerate(keep):
        full[col + 1] = w[j + 1]
    return full


def _fit(x: np.ndarray, y: np.ndarray, l2: float, iters: int) -> np.ndarray:
    xb = np.hstack([np.ones((len(x), 1)), x])
    w = np.zeros(xb.shape[1])
    for _ in range(iters):
        p = 1 / (1 + np.exp(-np.clip(xb @ w, -40, 40)))
        g = xb.T @ (p - y) + l2 * np.r_[0, w[1:]]
        h = (xb * (p * (1 - p))[:, None]).T @ xb + l2 * np.diag(np.r_[0, np.ones(len(w) - 1)])
        step = np.linalg.solve(h + 1e-9 * np.eye(len(w)), g)
        w -= step
        if np.abs(step).max() < 1e-8:
            break
    return w
