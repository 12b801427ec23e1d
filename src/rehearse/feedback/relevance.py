"""Relevance: is the answer about this question at all, or about another of the bank's?"""

from __future__ import annotations

import numpy as np

from . import calibration as _cal
from . import text as _text
from .answer import Answer
from .backends import Backend
from .bankwords import bm25_closest, bm25_ratio
from .lexicon import Lexicon
from .models import Question
from .points import sigmoid
from .prepare import HASHER, Prepared, bank_hashes, bank_heads, bank_text, core, head_text, profile, question_key

SHORTLIST_MODEL = 5  # other bank questions compared point by point: the closest by model...
SHORTLIST = 3  # ...and by word overlap
SHORTLIST_WORDS_ONLY = 6  # by word overlap alone, for a judge that does not read the heads
HEAD_FEATURES = ("head_margin", "other")
# The bank judge asks which of the bank's questions an answer fits best; text about nothing in
# the bank ("I like pizza and football…") fits all of them equally badly and slips through its
# margins. Below this closeness to the question (its profile), an answer is about something else
# whatever the margins say. Chosen on the blind set's train split, e5: the 482 own answers lie at
# 0.850 and above (the lowest short answers in Portuguese), unrelated everyday text at 0.78-0.82.
# MiniLM's closeness spreads own answers down to 0 and has no such gap: no floor there. A short
# answer whose words point to this question more than to any other of the bank ("I like helping
# people grow more than writing code" to "why manage rather than stay an engineer?": 0.82) is
# thin, not off-topic: the floor does not apply to it.
AFFINITY_FLOOR = {"e5": 0.83}


def _logit(coefs: dict[str, float], feats: dict[str, float]) -> float:
    return coefs["bias"] + sum(coefs[k] * v for k, v in feats.items() if k in coefs)


def _otherprofile(q: Question, backend: Backend) -> np.ndarray:
    """Another bank question's profile vector: mean of its head and example-answer vectors."""
    sents = _text.sentences(_text.clean(q.example_answer or ""))
    vecs = backend.encode_cached([head_text(q)] + sents)
    prof = profile(vecs[0], vecs[1:])
    return 0.5 * (prof[0] + prof[1])


def _points_fit(point_vecs: np.ndarray, core_vecs: np.ndarray, ans: Answer) -> float:
    """The same from the points' own vectors only (comparable across questions)."""
    if not len(point_vecs) or not len(ans.unit_vecs):
        return 0.0
    u = ans.unit_vecs.T
    return float(np.maximum(point_vecs @ u, core_vecs @ u).max(1).mean())


def _other_points(q: Question, backend: Backend) -> tuple[np.ndarray, np.ndarray]:
    """Vectors of another bank question's points and their core phrases (backend-cached)."""
    points = [_text.clean(p) for p in q.talking_points if _text.clean(p)]
    if not points:  # no rubric: its question text stands in
        points = [_text.clean(q.text)]
    cores = [core(p) for p in points]
    vecs = backend.encode_cached(points + cores)
    return vecs[: len(points)], vecs[len(points):]


def others_by_words(lexicon: Lexicon, q: Question, ans_hash: np.ndarray) -> tuple[list[int], np.ndarray, set[int]]:
    """The bank's other questions, most words shared with the answer (its hashed-stem vector) first;
    the overlap with every bank question; and the indexes that are this question."""
    hashes, keys = bank_hashes(lexicon)
    own = question_key(q)
    overlap = hashes @ ans_hash
    # the question itself, under any revision the bank holds (an edited example answer or
    # points: the bank may not be rebuilt yet), is never "another question"
    same = {j for j, other in enumerate(lexicon.questions)
            if keys[j] == own or other.text.strip() == q.text.strip()}
    return [j for j in np.argsort(-overlap, kind="stable") if j not in same], overlap, same


TOPIC_FEATURES = ("affinity", "head_margin", "other", "fit_margin", "lex_margin", "margin",
                  "bm25_margin")


def judge_relevance(prep: Prepared, q: Question, ans: Answer, coverage: float | None,
               backend: Backend, lexicon: Lexicon | None) -> tuple[float, bool, dict]:
    aff_parts = prep.profile @ ans.vec
    affinity = float(0.5 * aff_parts[0] + 0.5 * aff_parts[1])
    detail: dict = {"affinity": round(affinity, 4)}
    feats = {"affinity": affinity, "head_margin": 0.0, "other": float(aff_parts[0]),
             "fit_margin": 0.0, "lex_margin": 0.0, "margin": 0.0, "bm25_margin": 0.0}
    if lexicon is not None and len(lexicon.questions) > 1:
        cal = _cal.TOPIC.get(backend.name, _cal.TOPIC["lexical"])
        # the closest few other questions by word overlap (and, for a judge fitted with them,
        # by the model's cosine to every bank question's head: question + points, encoded
        # once per bank) are compared point by point; their points are encoded on first use,
        # no other question's example answer ever is. The e5 judge reads no heads: with the
        # BM25 margin they added nothing, and encoding a whole bank's heads cost a cold
        # process seconds.
        ans_hash = HASHER.encode([ans.cleaned])[0]
        own_overlap = float(HASHER.encode_cached([bank_text(q)])[0] @ ans_hash)
        by_words, overlap, same = others_by_words(lexicon, q, ans_hash)
        if any(name in cal["coefs"] for name in HEAD_FEATURES):
            head_sim = bank_heads(lexicon, backend) @ ans.vec
            others = [j for j in np.argsort(-head_sim, kind="stable") if j not in same]
            shortlist = list(dict.fromkeys(others[:SHORTLIST_MODEL] + by_words[:SHORTLIST]))
            if others:
                feats["other"] = float(head_sim[others[0]])
                feats["head_margin"] = float(aff_parts[0]) - feats["other"]
        else:
            others = by_words
            shortlist = by_words[:SHORTLIST_WORDS_ONLY]
        if others:
            own_fit = _points_fit(prep.point_vecs, prep.core_vecs, ans) if prep.points else \
                float(aff_parts[0])
            best_fit = max(_points_fit(*_other_points(lexicon.questions[j], backend), ans)
                           for j in shortlist)
            feats["fit_margin"] = own_fit - best_fit
            feats["lex_margin"] = own_overlap - float(overlap[by_words[0]])
            own_words, other_words, words_closest = bm25_closest(lexicon, q, ans.cleaned) or (0.0, 0.0, None)
            feats["bm25_margin"] = own_words - other_words
            for name in ("head_margin", "fit_margin", "lex_margin", "bm25_margin"):
                detail[name] = round(feats[name], 4)
            # not a feature of the judge (calibration.py says why): the report's "other_question" note
            detail["bm25_ratio"] = round(bm25_ratio(own_words, other_words), 4)
            if words_closest is not None:  # the question the ratio compares with, which the note names
                detail["words_closest_question"] = lexicon.questions[words_closest].text
            if not backend.semantic:
                # without a model encoding is cheap: compare whole profiles (question, points
                # and example answer) too; a model backend never encodes other questions'
                # example answers (seconds on first use)
                best = max(float(_otherprofile(lexicon.questions[j], backend) @ ans.vec)
                           for j in shortlist)
                feats["margin"] = affinity - best
            # its sign says whether another question fits better (the report then names it)
            detail["margin"] = round(feats["margin"] or feats["head_margin"] or feats["bm25_margin"], 4)
            detail["closest_other_question"] = lexicon.questions[others[0]].text
        detail["basis"] = "bank"
    else:
        cal = _cal.TOPIC_NO_BANK.get(backend.name, _cal.TOPIC_NO_BANK["lexical"])
        detail["basis"] = "absolute"
    p = sigmoid(_logit(cal["coefs"], feats))
    detail["threshold"] = cal["threshold"]
    if affinity < AFFINITY_FLOOR.get(backend.name, -1.0) and feats["bm25_margin"] <= 0:
        detail["floor"] = AFFINITY_FLOOR[backend.name]
        return p, False, detail
    return p, p >= cal["threshold"], detail


