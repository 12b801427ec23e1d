"""Which of a bank's questions does an answer's vocabulary point to?

The sentence model places every answer about leading engineers close to every such
question (cosines within a few hundredths), so for telling a question's own answers from
answers to its neighbours the words an answer uses are the sharper signal: an answer to "how
do you ensure code quality" names reviews, tests and linters; one to "how do you keep a team
motivated" does not. Each question's material (question, talking points, example answer) is a
document; an answer is scored against every document with BM25 (Robertson's term-frequency
saturation, word rarities over the bank), and relevance compares its own question's score with
the best other question's.
"""

from __future__ import annotations

import math
import threading
from collections import Counter, OrderedDict
from dataclasses import dataclass

import numpy as np

from . import text as _text
from .lexicon import Lexicon
from .models import Question
from .prepare import bank_text, question_key

BM25_K1 = 1.2  # term-frequency saturation: the tenth use of a word adds little
BM25_B = 0.75  # long documents (long example answers) are discounted this much


@dataclass(frozen=True)
class BankWords:
    """A posting list per stem over the bank's documents, with its BM25 weights."""

    keys: tuple[str, ...]  # question key of each document
    idf: dict[str, float]
    unseen_idf: float  # rarity of a stem no document uses (it counts in the answer's norm)
    avg_len: float
    bm25: dict[str, tuple[np.ndarray, np.ndarray]]  # stem -> (documents, idf-weighted saturation)

    def scores(self, answer: str) -> np.ndarray:
        """BM25 of the answer (each distinct stem once) against every document of the bank."""
        out = np.zeros(len(self.keys))
        for stem in set(_text.content_stems(answer)):
            hit = self.bm25.get(stem)
            if hit is not None:
                out[hit[0]] += hit[1]
        return out

    def own_score(self, document: str, answer: str) -> float:
        """The same for one document outside the index (the question being answered, which
        may be a newer revision than the bank's), with the bank's word rarities."""
        doc = Counter(_text.content_stems(document))
        norm = 1 - BM25_B + BM25_B * sum(doc.values()) / max(self.avg_len, 1.0)
        return float(sum(self.idf.get(s, self.unseen_idf) * doc[s] * (BM25_K1 + 1)
                         / (doc[s] + BM25_K1 * norm)
                         for s in set(_text.content_stems(answer)) if s in doc))


def build(documents: list[str], keys: tuple[str, ...]) -> BankWords:
    counts = [Counter(_text.content_stems(d)) for d in documents]
    n = len(counts)
    df = Counter(s for c in counts for s in c)
    idf = {s: math.log((n + 1) / (f + 0.5)) for s, f in df.items()}
    unseen = math.log(n + 1)
    lengths = [sum(c.values()) for c in counts]
    avg = float(np.mean(lengths)) if lengths else 1.0
    postings: dict[str, list[tuple[int, float]]] = {}
    for j, c in enumerate(counts):
        norm = 1 - BM25_B + BM25_B * lengths[j] / max(avg, 1.0)
        for s, k in c.items():
            postings.setdefault(s, []).append((j, idf[s] * k * (BM25_K1 + 1) / (k + BM25_K1 * norm)))
    bm25 = {s: (np.array([j for j, _ in p], dtype=np.int64), np.array([x for _, x in p]))
            for s, p in postings.items()}
    return BankWords(keys, idf, unseen, avg, bm25)


_INDEXES: OrderedDict[str, BankWords] = OrderedDict()
_LOCK = threading.Lock()
_MAX = 8


def bank_words(lexicon: Lexicon) -> BankWords:
    """The index of a bank (built once per bank version, shared by threads: read-only)."""
    with _LOCK:
        hit = _INDEXES.get(lexicon.key)
        if hit is not None:
            _INDEXES.move_to_end(lexicon.key)
            return hit
    index = build([bank_text(q) for q in lexicon.questions],
                  tuple(question_key(q) for q in lexicon.questions))
    with _LOCK:
        _INDEXES[lexicon.key] = index
        while len(_INDEXES) > _MAX:
            _INDEXES.popitem(last=False)
    return index


def bm25_closest(lexicon: Lexicon, q: Question, answer: str) -> tuple[float, float, int] | None:
    """The answer's BM25 against this question's material and against the best other question
    of its bank, and that question's index in the lexicon; None when the bank has no other
    question. The question's own entry, under any revision the bank holds, is not "another question"."""
    index = bank_words(lexicon)
    own = question_key(q)
    text = q.text.strip()
    others = np.array([k != own and other.text.strip() != text
                       for k, other in zip(index.keys, lexicon.questions, strict=True)])
    if not others.any():
        return None
    scores = np.where(others, index.scores(answer), -np.inf)
    best = int(np.argmax(scores))
    return index.own_score(bank_text(q), answer), float(scores[best]), best


def bm25_scores(lexicon: Lexicon, q: Question, answer: str) -> tuple[float, float] | None:
    """bm25_closest without the other question's index."""
    closest = bm25_closest(lexicon, q, answer)
    return closest[:2] if closest else None


def bm25_margin(lexicon: Lexicon, q: Question, answer: str) -> float:
    """How far the answer's words point to this question rather than to the best other one of
    its bank: this question's BM25 minus the best other's (0 without another question)."""
    scores = bm25_scores(lexicon, q, answer)
    return scores[0] - scores[1] if scores else 0.0


def bm25_ratio(own: float, best: float) -> float:
    """The same comparison without the answer's length in it: log((1 + own) / (1 + best)). The
    margin grows with the answer's length, so a terse answer to a neighbouring question had a
    small one; in ratio it is as far off as a long one (an answer sharing no word with its
    question's material while another question's words fill it: about -2.4)."""
    return math.log((1.0 + own) / (1.0 + best))
