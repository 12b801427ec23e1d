"""Talking-point judging: features of every (point, answer unit) pair and the fitted model."""

from __future__ import annotations

import math

import numpy as np

from . import calibration as _cal
from .answer import Answer
from .backends import Backend
from .denial import asks_to_avoid, denial_mask, denying
from .lexicon import Lexicon
from .prepare import SHORT_POINT, Prepared, lexical_overlap

SUBSTANCE_WORDS = 12  # this many new content words make a sentence fully "substantive"
SIZE_WORDS = 5  # a sentence with this many substantive words counts towards ans_size
SIZE_PER_POINT = 2  # substantive sentences per talking point for a full-size answer
ASSIGN_SHARPNESS = 40.0  # softmax over points of a unit's closeness (cosine units)
ASSIGN_FLOOR = 4.0  # log-share floor: 0 when the unit is e^-4 times less about this point


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))


POINT_FEATURES = ("cos_point", "cos_example", "lexical", "substance", "rel_example",
                  "hash_example", "rel_point", "cos_answer", "plain", "assign",
                  "position", "ans_size", "ans_fit", "lexical_answer",
                  "q_point", "q_rel", "q_answer", "q_share", "q_lift",
                  "concrete", "unbuzzed", "ans_concrete", "ans_unbuzzed", "q_share_concrete",
                  "q_ulift", "ex_ulift", "fit_ulift", "bq_point", "bq_ulift")
DENIED_Z = -40.0  # logit of a unit that denies the point: strength 0
# an answer that says it did not do a point must say more than a near miss elsewhere to cover it
DENIED_ELSEWHERE = 0.5  # in z, before the temperature (0.5): one logit of strength
QUERY_SHARPNESS = 60.0  # softmax over points of query cosines (e5's cosines lie close together)
# A point whose closest sentence, by meaning, is one in which the candidate denies doing things ("Honestly, we
# never did a postmortem afterwards … and we didn't add any alerting") is one the answer speaks of only to say it
# did not happen: at most a near miss, whatever the rest of the answer's fit lends it (an outside tester's
# answer that admitted skipping the review scored 86, "excellent", above the same answer without the admission).
# "Closest": CLOSENESS_VOTES of the CLOSENESS features agree on the sentence, and its cosine to the point is
# MEANING_DENIED_MARGIN above every other sentence's (the point model leans on the whole answer's fit, which a
# denial does not lower). e5 only, whose q_* features these are. It changes no point of the blind train split.
MEANING_DENIAL = True
CLOSENESS = ("cos_point", "q_ulift", "bq_ulift", "assign")
CLOSENESS_VOTES = 3
MEANING_DENIED_MARGIN = 0.01
MEANING_DENIED_Z = -0.2  # logit (before the temperature) of a point held so: strength 0.4, a near miss
# An answer that mostly restates the rubric ("I noticed the underperformance and confirmed it with evidence. I
# offered a concrete improvement plan and support.") names the points and tells nothing: where at most
# ECHO_ANSWER_SHARE of its units hold a word of substance beyond the rubric's, a point whose best unit echoes
# its words (ECHO_LEXICAL of them or more) with no such word is a near miss. An outside tester's four such
# sentences had all four points covered, above a real but thin story. Applied to every unit instead of such
# answers only, it cost strong answers on the train split (points found 76.1% -> 75.6%); as it is, it changes
# no train point either. Not for a one-point rubric: that point is a reference answer, and restating it is
# covering it (applied there, Mohler's r fell 0.49 -> 0.41 on 758 of its short answers).
ECHO = True
ECHO_LEXICAL = 0.5
ECHO_ANSWER_SHARE = 0.5
ECHO_MIN_POINTS = 2  # one point is a reference answer: restating it is covering it


def unit_features(prep: Prepared, ans: Answer, lexicon: Lexicon | None,
                  asked: np.ndarray | None = None) -> np.ndarray:
    """(points, units, features) array of POINT_FEATURES for every point and answer unit.

    cos_point: cosine to the talking point (or to its core phrase without parenthetical
    examples, whichever is higher); cos_example: best cosine to the example answer's
    two sentences that show the point; lexical: weighted share of the point's content stems
    present; substance: new, non-vague content words (a keyword-only mention has none);
    rel_example: cos to this point's example sentence minus the mean for the other points
    (a vague sentence is equally close to every point); hash_example: cos_example with
    hashed-stem vectors (word overlap with the example sentences, synonyms folded);
    rel_point: cos_point minus its mean over the other points; cos_answer: cosine of the
    whole answer to the point (the same for every unit: long reference points are restated
    across sentences); lexical_answer: lexical over the whole answer; plain:
    share of its content words that are not vague or hedges; assign: softmax over the points
    of the unit's closeness, i.e. how much the unit is about this point. The q_* features
    read the point as an e5 query ("The answer covers <point>"), bq_* as the bare point;
    *_ulift is the lift over the unit's own floor (its mean closeness to generic points).
    `asked`: a mask of the points the answer was asked about (a follow-up on one point); the
    whole-answer fits (ans_fit, fit_ulift) are then means over those only, not over points the
    answer was never asked to cover.
    """
    k, n = len(prep.points), len(ans.units)
    f = np.zeros((k, n, len(POINT_FEATURES)), dtype=np.float64)
    if not k or not n:
        return f
    f[:, :, 0] = np.maximum(prep.point_vecs @ ans.unit_vecs.T, prep.core_vecs @ ans.unit_vecs.T)
    primary = prep.exemplar_vecs @ ans.unit_vecs.T
    f[:, :, 1] = np.maximum(primary, prep.exemplar2_vecs @ ans.unit_vecs.T)
    for i in range(k):
        if prep.exemplar[i] is None:
            f[i, :, 1] = f[i, :, 0]
            primary[i] = f[i, :, 0]
    f[:, :, 5] = np.maximum(prep.exemplar_hash[0] @ ans.unit_hash.T,
                            prep.exemplar_hash[1] @ ans.unit_hash.T)
    if k > 1:
        f[:, :, 4] = primary - (primary.sum(0, keepdims=True) - primary) / (k - 1)
        cp = f[:, :, 0]
        f[:, :, 6] = cp - (cp.sum(0, keepdims=True) - cp) / (k - 1)
    whole = np.maximum(prep.point_vecs @ ans.vec, prep.core_vecs @ ans.vec)
    f[:, :, 7] = whole[:, None]
    f[:, :, 8] = ans.unit_plain[None, :]
    # how much the unit is about this point rather than the question's other points
    close = ASSIGN_SHARPNESS * (f[:, :, 0] + f[:, :, 1]) / 2
    close = np.exp(close - close.max(0, keepdims=True))
    share = close / close.sum(0, keepdims=True)
    f[:, :, 9] = 1.0 + np.maximum(np.log(np.maximum(share, 1e-9)), -ASSIGN_FLOOR) / ASSIGN_FLOOR
    # rubrics tend to list points in the order an answer makes them (situation ... result)
    ns = len(ans.sents)
    pos = np.array([(j + 0.5) / ns for j in range(ns)] + [(j + 1.0) / ns for j in range(ns - 1)])
    expected = (np.arange(k) + 0.5) / k
    f[:, :, 10] = 1.0 - np.abs(pos[None, :] - expected[:, None])
    # answer-level context: enough substantive sentences for the rubric, and how close the
    # answer as a whole comes to this rubric (another question's answer is long but far)
    full = sum(1 for j in range(ns) if len(ans.unit_substance[j]) >= SIZE_WORDS)
    f[:, :, 11] = min(full / (SIZE_PER_POINT * k), 1.0)
    # the point as a query (e5: "query: The answer covers <point>") against each unit as a passage
    q = np.maximum(prep.query_vecs @ ans.unit_vecs.T, prep.core_query_vecs @ ans.unit_vecs.T)
    f[:, :, 14] = q
    if k > 1:
        f[:, :, 15] = q - (q.sum(0, keepdims=True) - q) / (k - 1)
    f[:, :, 16] = np.maximum(prep.query_vecs @ ans.vec, prep.core_query_vecs @ ans.vec)[:, None]
    qc = QUERY_SHARPNESS * q
    qc = np.exp(qc - qc.max(0, keepdims=True))
    f[:, :, 17] = qc / qc.sum(0, keepdims=True)
    f[:, :, 18] = q - prep.query_floor[:, None]
    # substance a hiring manager could check, in the unit and in the whole answer
    f[:, :, 19] = ans.unit_concrete[None, :]
    f[:, :, 20] = ans.unit_unbuzzed[None, :]
    f[:, :, 21] = ans.concrete
    f[:, :, 22] = ans.unbuzzed
    f[:, :, 23] = f[:, :, 17] * f[:, :, 19]
    # the same closeness over the unit's own floor (its mean cosine to generic talking
    # points): comparable between languages, where the absolute cosines are not
    floor_q = (prep.generic_query_vecs @ ans.unit_vecs.T).mean(0)
    floor_p = (prep.generic_vecs @ ans.unit_vecs.T).mean(0)
    f[:, :, 24] = q - floor_q[None, :]
    f[:, :, 25] = f[:, :, 1] - floor_p[None, :]
    fit_lift = np.maximum(f[:, :, 24], f[:, :, 25]).max(1)
    f[:, :, 26] = (fit_lift[asked] if asked is not None and asked.any() else fit_lift).mean()
    # the bare point as a query ("query: <point>"), and its lift over the unit's floor
    bq = prep.bare_query_vecs @ ans.unit_vecs.T
    f[:, :, 27] = bq
    f[:, :, 28] = bq - (prep.generic_bare_query_vecs @ ans.unit_vecs.T).mean(0)[None, :]
    f[:, :, 12] = _fit(prep, ans, asked)
    all_stems = set().union(*ans.unit_stems[:ns])
    for i in range(k):
        f[i, :, 13] = lexical_overlap(prep.point_stem_lists[i], all_stems, lexicon)
    for i in range(k):
        # the words of the question and its short talking points are not substance ("OKRs
        # matter, and trade-offs" says nothing, and listing every point's keywords says no
        # more); a long reference answer (a sentence or more) is what the answer should restate
        exclude = prep.rubric_stems if len(prep.point_stems[i]) <= SHORT_POINT else frozenset()
        for u in range(n):
            f[i, u, 2] = lexical_overlap(prep.point_stem_lists[i], ans.unit_stems[u], lexicon)
            new_words = len(ans.unit_substance[u] - exclude)
            f[i, u, 3] = min(new_words, SUBSTANCE_WORDS) / SUBSTANCE_WORDS
    return f


def _point_z(feats: np.ndarray, coefs: dict[str, float]) -> np.ndarray:
    """(points, units) logit of each unit covering each point, shifted so 0 is the cut."""
    w = np.array([coefs.get(name, 0.0) for name in POINT_FEATURES])
    return coefs["bias"] + feats @ w


def _point_coefs(backend: Backend, k: int, has_example: bool = True) -> dict[str, float]:
    """A one-point rubric is a reference answer: its strength is the whole coverage, graded
    by its own model (calibration.REFERENCE); longer rubrics use calibration.POINT, or
    calibration.BARE when the question has no example answer to compare with."""
    table = _cal.REFERENCE if k == 1 else (_cal.POINT if has_example else _cal.BARE)
    return table.get(backend.name, table["lexical"])


def point_results(prep: Prepared, ans: Answer, backend: Backend, lexicon: Lexicon | None,
                  asked: np.ndarray | None = None):
    """(point, strength, evidence unit, features, example sentence) for each talking point: the
    strength is the best unit's under the point model; the unit shown as evidence is the one
    the evidence model (calibration.EVIDENCE) ranks first, where the backend has one. `asked`:
    see unit_features."""
    coefs = _point_coefs(backend, len(prep.points), bool(prep.example_sents))
    feats = unit_features(prep, ans, lexicon, asked)
    if not prep.points:
        return []
    z = _point_z(feats, coefs)  # (k, u)
    temp = coefs.get("temperature", 1.0)
    shown = z
    if coefs is _cal.POINT.get(backend.name) and backend.name in _cal.EVIDENCE:
        shown = _point_z(feats, _cal.EVIDENCE[backend.name])
    # a sentence that denies a point ("I did not confirm it with evidence") never covers it
    denies = [denying(s) for s in ans.sents]
    denied, named = denial_mask(ans.sents, prep.point_stem_lists,
                                lambda stems, found: lexical_overlap(stems, found, lexicon),
                                [asks_to_avoid(p) for p in prep.points], denies)
    if denied.any():
        elsewhere = named[:, None] * DENIED_ELSEWHERE
        z = np.where(denied, DENIED_Z, z - elsewhere)
        shown = np.where(denied, DENIED_Z, shown)
    if MEANING_DENIAL and backend.name == "e5":
        z = _denied_by_meaning(z, feats, denies)
    if ECHO and len(prep.points) >= ECHO_MIN_POINTS:
        z = _echoes_held(z, feats)
    results = []
    for i, point in enumerate(prep.points):
        u = int(np.argmax(z[i]))
        ex_idx = prep.shown_exemplar[i]
        results.append((point, sigmoid(float(z[i, u]) / temp), ans.units[int(np.argmax(shown[i]))],
                        dict(zip(POINT_FEATURES, feats[i, u].tolist(), strict=True)),
                        prep.example_shown(ex_idx)))
    return results


def _denied_by_meaning(z: np.ndarray, feats: np.ndarray, denies: list[bool]) -> np.ndarray:
    """z with each point held to a near miss whose closest sentence is mostly the candidate's denials
    (`denies`: denial.denying of each sentence; see MEANING_DENIAL)."""
    ns = len(denies)
    if not any(denies):
        return z
    columns = [POINT_FEATURES.index(name) for name in CLOSENESS]
    out = z.copy()
    for i in range(z.shape[0]):
        votes = np.bincount([int(np.argmax(feats[i, :ns, c])) for c in columns], minlength=ns)
        closest = int(np.argmax(votes))
        cos = feats[i, :ns, POINT_FEATURES.index("cos_point")]
        others = [cos[j] for j in range(ns) if not denies[j]]
        margin = cos[closest] - max(others) if others else 1.0
        if votes[closest] >= CLOSENESS_VOTES and denies[closest] and margin >= MEANING_DENIED_MARGIN:
            out[i] = np.minimum(out[i], MEANING_DENIED_Z)
    return out


def _echoes_held(z: np.ndarray, feats: np.ndarray) -> np.ndarray:
    """z with a point held to a near miss where, in an answer that mostly echoes the rubric, the unit that
    covers it best only echoes it (see ECHO)."""
    lexical, substance = POINT_FEATURES.index("lexical"), POINT_FEATURES.index("substance")
    out = z.copy()
    told = feats[:, :, substance].max(0) > 0  # units with a word of substance for some point
    if told.mean() > ECHO_ANSWER_SHARE:
        return out
    for i in range(z.shape[0]):
        u = int(np.argmax(z[i]))
        if z[i, u] > MEANING_DENIED_Z and feats[i, u, substance] == 0 and feats[i, u, lexical] >= ECHO_LEXICAL:
            out[i] = np.minimum(out[i], MEANING_DENIED_Z)
    return out


def _fit(prep: Prepared, ans: Answer, asked: np.ndarray | None = None) -> float:
    """How well the answer's best units match the question's points (the `asked` ones, when
    given): mean over points of the best cosine of any unit to the point or its example
    sentences (model vectors only)."""
    if not prep.points or not len(ans.unit_vecs):
        return 0.0
    u = ans.unit_vecs.T
    sim = np.maximum(np.maximum(prep.point_vecs @ u, prep.core_vecs @ u),
                     np.maximum(prep.exemplar_vecs @ u, prep.exemplar2_vecs @ u)).max(1)
    return float((sim[asked] if asked is not None and asked.any() else sim).mean())


