"""analyze(): an answer and its question in, an explainable Report out."""

from __future__ import annotations

import hashlib
import math
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from . import calibration as _cal
from . import signals as _sig
from . import text as _text
from .backends import ENGINE_VERSION, Backend, LexicalBackend, fallback_reason, load_backend
from .lexicon import Lexicon
from .models import (
    MAX_ANSWER_CHARS,
    AnswerTooLong,
    BreakdownItem,
    Question,
    Report,
    Specificity,
    Suggestion,
    TalkingPointResult,
)

WEIGHTS = {"coverage": 55.0, "structure": 15.0, "specificity": 15.0, "delivery": 15.0}
WEIGHTS_NO_RUBRIC = {"structure": 35.0, "specificity": 35.0, "delivery": 30.0}
OFF_TOPIC_FACTOR = 0.35  # an off-topic answer keeps a third of its score...
OFF_TOPIC_CAP = 25  # ...and never more than this
SHORTLIST_MODEL = 5  # other bank questions compared point by point: the closest by model...
SHORTLIST = 3  # ...and by word overlap
EXEMPLAR_SPECIFIC = 1.0  # weight of a sentence's specificity to a point when choosing exemplars
MAX_PSEUDO_POINTS = 6  # example-answer sentences used as the rubric when a question has none
SHORT_POINT = 8  # content words: talking points are short phrases, references are longer
SUBSTANCE_WORDS = 12  # this many new content words make a sentence fully "substantive"
SIZE_WORDS = 5  # a sentence with this many substantive words counts towards ans_size
SIZE_PER_POINT = 2  # substantive sentences per talking point for a full-size answer
ASSIGN_SHARPNESS = 40.0  # softmax over points of a unit's closeness (cosine units)
ASSIGN_FLOOR = 4.0  # log-share floor: 0 when the unit is e^-4 times less about this point
_HASHER = LexicalBackend()  # word-overlap vectors, used next to any backend
GRADES = ((85, "excellent"), (70, "strong"), (50, "fair"), (30, "weak"), (0, "poor"))


def _sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-40.0, min(40.0, z))))


def _logit(coefs: dict[str, float], feats: dict[str, float]) -> float:
    return coefs["bias"] + sum(coefs[k] * v for k, v in feats.items() if k in coefs)


# ---------------------------------------------------------------- question side (cached)


@dataclass(frozen=True)
class _Prepared:
    points: tuple[str, ...]
    point_vecs: np.ndarray  # (k, d)
    core_vecs: np.ndarray  # (k, d): the point without its parenthetical examples
    point_stems: tuple[frozenset[str], ...]
    point_stem_lists: tuple[tuple[str, ...], ...]
    rubric_stems: frozenset[str]  # the question's and its short points' own content stems
    example_sents: tuple[str, ...]
    exemplar: tuple[int | None, ...]  # index into example_sents for each point
    exemplar_vecs: np.ndarray  # (k, d); zeros where no exemplar
    exemplar2_vecs: np.ndarray  # (k, d): the second-best example sentence for each point
    exemplar_hash: np.ndarray  # (2, k, h): lexical (hashed-stem) vectors of both sentences
    profile: np.ndarray  # (2, d): question+points, example answer
    basis: str


_PREPARED: OrderedDict[tuple, _Prepared] = OrderedDict()
_BANKS: OrderedDict[tuple, object] = OrderedDict()
_PREP_LOCK = threading.Lock()
_PREPARED_MAX = 512  # questions whose rubric vectors stay prepared
_BANKS_MAX = 8


def _question_key(q: Question) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in (q.text, q.intent or "", "\x1f".join(q.talking_points), q.example_answer or ""):
        h.update(part.encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()


def _head_text(q: Question) -> str:
    head = q.text.strip()
    if q.talking_points:
        head += " " + "; ".join(q.talking_points)
    return head


def _profile(head_vec: np.ndarray, example_vecs: np.ndarray) -> np.ndarray:
    """(2, d): the question+points vector and the mean of the example sentences' vectors."""
    if len(example_vecs):
        ex = example_vecs.mean(0)
        ex = ex / max(float(np.linalg.norm(ex)), 1e-9)
    else:
        ex = head_vec
    return np.stack([head_vec, ex]).astype(np.float32)


def _lexical_overlap(point_stems: Sequence[str], unit_stems: set[str], lexicon) -> float:
    if not point_stems:
        return 0.0
    weights = [lexicon.weight(s) if lexicon else 1.0 for s in point_stems]
    hit = sum(w for s, w in zip(point_stems, weights, strict=True) if s in unit_stems)
    return hit / sum(weights)


_PAREN = re.compile(r"\s*\([^()]{3,}\)")


def _core(point: str) -> str:
    core = _PAREN.sub("", point).strip()
    return core if len(_text.content_stems(core)) >= 2 else point


def _prepare(q: Question, backend: Backend, lexicon: Lexicon | None) -> _Prepared:
    key = (id(backend), _question_key(q), lexicon.key if lexicon else None)
    with _PREP_LOCK:
        hit = _PREPARED.get(key)
        if hit is not None:
            _PREPARED.move_to_end(key)
            return hit
    example_sents = tuple(_text.sentences(_text.clean(q.example_answer or "")))
    points = tuple(_text.clean(p) for p in q.talking_points if _text.clean(p))
    basis = "talking_points"
    if not points and example_sents:
        # no rubric: the example answer's most contentful sentences stand in for it
        ranked = sorted(example_sents, key=lambda s: -len(_text.content_stems(s)))
        keep = set(ranked[:MAX_PSEUDO_POINTS])
        points = tuple(s for s in example_sents if s in keep)
        basis = "example_answer"
    elif not points:
        basis = "none"
    texts = list(points) + list(example_sents) + [_head_text(q)]
    vecs = backend.encode_cached(texts) if texts else np.zeros((0, 1), dtype=np.float32)
    k, m = len(points), len(example_sents)
    dim = vecs.shape[1] if len(texts) else 1
    pv, ev = vecs[:k], vecs[k : k + m]
    # "a framework (e.g., impact vs effort, RICE)": the core phrase is encoded on its own too
    cores = [_core(p) for p in points]
    core_vecs = pv.copy()
    with_core = [i for i, c in enumerate(cores) if c != points[i]]
    if with_core:
        core_vecs[with_core] = backend.encode_cached([cores[i] for i in with_core])
    prof = _profile(vecs[k + m], ev) if len(texts) else np.zeros((2, 1), dtype=np.float32)
    stem_lists = tuple(tuple(dict.fromkeys(_text.content_stems(p))) for p in points)
    exemplar: list[int | None] = []
    ex_vecs = np.zeros((k, dim), dtype=np.float32)
    ex2_vecs = np.zeros((k, dim), dtype=np.float32)
    first, second = [], []
    if m and k and basis == "talking_points":
        sim = pv @ ev.T
        ex_stems = [set(_text.content_stems(s)) for s in example_sents]
        lexs = np.array([[_lexical_overlap(stem_lists[i], st, lexicon) for st in ex_stems]
                         for i in range(k)])
        score = sim + 0.5 * lexs
        if k > 1:  # a sentence that shows this point rather than every point
            score = score + EXEMPLAR_SPECIFIC * (score - (score.sum(0) - score) / (k - 1))
        for i in range(k):
            order = np.argsort(-score[i], kind="stable")
            exemplar.append(int(order[0]))
            ex_vecs[i] = ev[order[0]]
            ex2_vecs[i] = ev[order[1]] if m > 1 else ev[order[0]]
            first.append(int(order[0]))
            second.append(int(order[1]) if m > 1 else int(order[0]))
    elif basis == "example_answer":
        exemplar = [example_sents.index(p) for p in points]
        ex_vecs = pv.copy()
        ex2_vecs = pv.copy()
    else:
        exemplar = [None] * k
    ex_hash = np.zeros((2, k, _HASHER.DIM), dtype=np.float32)
    if m and k and basis == "talking_points":
        hv = _HASHER.encode_cached(list(example_sents))
        ex_hash[0], ex_hash[1] = hv[first], hv[second]
    elif k:
        ex_hash[0] = ex_hash[1] = _HASHER.encode_cached(list(points))
    rubric = set(_text.content_stems(q.text))
    for st in stem_lists:
        if len(st) <= SHORT_POINT:
            rubric.update(st)
    prep = _Prepared(points, pv, core_vecs, tuple(frozenset(s) for s in stem_lists), stem_lists,
                     frozenset(rubric),
                     example_sents, tuple(exemplar), ex_vecs, ex2_vecs, ex_hash, prof, basis)
    with _PREP_LOCK:
        _PREPARED[key] = prep
        while len(_PREPARED) > _PREPARED_MAX:
            _PREPARED.popitem(last=False)
    return prep


def _bank_text(q: Question) -> str:
    return _head_text(q) + " " + _text.clean(q.example_answer or "")


def _bank_hashes(lexicon: Lexicon) -> tuple[np.ndarray, tuple[str, ...]]:
    """(n, h) word-overlap vectors of the whole bank (question, points and example answer)
    and the questions' keys."""
    key = ("hash", lexicon.key)
    with _PREP_LOCK:
        hit = _BANKS.get(key)
        if hit is not None:
            return hit
    texts = [_bank_text(q) for q in lexicon.questions]
    out = (_HASHER.encode(texts), tuple(_question_key(q) for q in lexicon.questions))
    with _PREP_LOCK:
        _BANKS[key] = out
        while len(_BANKS) > _BANKS_MAX:
            _BANKS.popitem(last=False)
    return out


def _bank_heads(lexicon: Lexicon, backend: Backend) -> np.ndarray:
    """(n, d) model vectors of every bank question's question + points (cached)."""
    key = ("heads", id(backend), lexicon.key)
    with _PREP_LOCK:
        hit = _BANKS.get(key)
        if hit is not None:
            return hit
    out = backend.encode_cached([_head_text(q) for q in lexicon.questions])
    with _PREP_LOCK:
        _BANKS[key] = out
        while len(_BANKS) > _BANKS_MAX:
            _BANKS.popitem(last=False)
    return out


# ---------------------------------------------------------------- answer side


@dataclass
class _Answer:
    raw: str
    cleaned: str
    sents: list[str]
    units: list[str]  # sentences, then adjacent pairs
    unit_vecs: np.ndarray
    unit_stems: list[set[str]]
    unit_substance: list[frozenset[str]]  # stems of each unit's non-vague content words
    vec: np.ndarray  # whole-answer vector
    unit_hash: np.ndarray  # lexical (hashed-stem) vectors of the units
    unit_plain: np.ndarray  # share of content words that are not vague or hedging (0-1)


def _units(sents: list[str]) -> list[str]:
    return sents + [sents[i] + " " + sents[i + 1] for i in range(len(sents) - 1)]


def _answer(raw: str, cleaned: str, sents: list[str], sent_vecs: np.ndarray) -> _Answer:
    units = _units(sents)
    if len(sents) > 1:
        pair = sent_vecs[:-1] + sent_vecs[1:]
        pair /= np.maximum(np.linalg.norm(pair, axis=1, keepdims=True), 1e-9)
        unit_vecs = np.vstack([sent_vecs, pair])
    else:
        unit_vecs = sent_vecs
    weights = np.array([max(1, len(s.split())) for s in sents], dtype=np.float32)
    vec = (sent_vecs * weights[:, None]).sum(0)
    vec /= max(float(np.linalg.norm(vec)), 1e-9)
    # per sentence, then each adjacent pair from its two sentences (no second text pass)
    stems = [set(_text.content_stems(u)) for u in sents]
    substance = [_text.substance_stems(u) for u in sents]
    plain = np.array([_text.plain_counts(u) for u in sents], dtype=np.float64).reshape(-1, 2)
    raw_hash = _HASHER.counts(sents)
    if len(sents) > 1:
        stems += [stems[i] | stems[i + 1] for i in range(len(sents) - 1)]
        substance += [substance[i] | substance[i + 1] for i in range(len(sents) - 1)]
        plain = np.vstack([plain, plain[:-1] + plain[1:]])
        raw_hash = np.vstack([raw_hash, raw_hash[:-1] + raw_hash[1:]])
    unit_hash = np.sqrt(raw_hash)
    unit_hash /= np.maximum(np.linalg.norm(unit_hash, axis=1, keepdims=True), 1e-9)
    plain_share = plain[:, 0] / np.maximum(plain[:, 1], 1.0)
    return _Answer(raw, cleaned, sents, units, unit_vecs, stems, substance, vec,
                   unit_hash.astype(np.float32), plain_share)


POINT_FEATURES = ("cos_point", "cos_example", "lexical", "substance", "rel_example",
                  "hash_example", "rel_point", "cos_answer", "plain", "assign",
                  "position", "ans_size", "ans_fit", "lexical_answer")


def _unit_features(prep: _Prepared, ans: _Answer, lexicon: Lexicon | None) -> np.ndarray:
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
    of the unit's closeness, i.e. how much the unit is about this point.
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
    f[:, :, 12] = _fit(prep, ans)
    all_stems = set().union(*ans.unit_stems[:ns])
    for i in range(k):
        f[i, :, 13] = _lexical_overlap(prep.point_stem_lists[i], all_stems, lexicon)
    for i in range(k):
        # the words of the question and its short talking points are not substance ("OKRs
        # matter, and trade-offs" says nothing, and listing every point's keywords says no
        # more); a long reference answer (a sentence or more) is what the answer should restate
        exclude = prep.rubric_stems if len(prep.point_stems[i]) <= SHORT_POINT else frozenset()
        for u in range(n):
            f[i, u, 2] = _lexical_overlap(prep.point_stem_lists[i], ans.unit_stems[u], lexicon)
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


def _point_results(prep: _Prepared, ans: _Answer, backend: Backend, lexicon: Lexicon | None):
    """(point, strength, evidence unit, features, example sentence) for each talking point."""
    coefs = _point_coefs(backend, len(prep.points), bool(prep.example_sents))
    feats = _unit_features(prep, ans, lexicon)
    if not prep.points:
        return []
    z = _point_z(feats, coefs)  # (k, u)
    temp = coefs.get("temperature", 1.0)
    results = []
    for i, point in enumerate(prep.points):
        u = int(np.argmax(z[i]))
        ex_idx = prep.exemplar[i]
        results.append((point, _sigmoid(float(z[i, u]) / temp), ans.units[u],
                        dict(zip(POINT_FEATURES, feats[i, u].tolist(), strict=True)),
                        prep.example_sents[ex_idx] if ex_idx is not None else None))
    return results


def _fit(prep: _Prepared, ans: _Answer) -> float:
    """How well the answer's best units match the question's points: mean over points of the
    best cosine of any unit to the point or its example sentences (model vectors only)."""
    if not prep.points or not len(ans.unit_vecs):
        return 0.0
    u = ans.unit_vecs.T
    sim = np.maximum(np.maximum(prep.point_vecs @ u, prep.core_vecs @ u),
                     np.maximum(prep.exemplar_vecs @ u, prep.exemplar2_vecs @ u))
    return float(sim.max(1).mean())


def _other_profile(q: Question, backend: Backend) -> np.ndarray:
    """Another bank question's profile vector: mean of its head and example-answer vectors."""
    sents = _text.sentences(_text.clean(q.example_answer or ""))
    vecs = backend.encode_cached([_head_text(q)] + sents)
    prof = _profile(vecs[0], vecs[1:])
    return 0.5 * (prof[0] + prof[1])


def _points_fit(point_vecs: np.ndarray, core_vecs: np.ndarray, ans: _Answer) -> float:
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
    cores = [_core(p) for p in points]
    vecs = backend.encode_cached(points + cores)
    return vecs[: len(points)], vecs[len(points):]


TOPIC_FEATURES = ("affinity", "head_margin", "other", "fit_margin", "lex_margin", "margin")


def _relevance(prep: _Prepared, q: Question, ans: _Answer, coverage: float | None,
               backend: Backend, lexicon: Lexicon | None) -> tuple[float, bool, dict]:
    aff_parts = prep.profile @ ans.vec
    affinity = float(0.5 * aff_parts[0] + 0.5 * aff_parts[1])
    detail: dict = {"affinity": round(affinity, 4)}
    feats = {"affinity": affinity, "head_margin": 0.0, "other": float(aff_parts[0]),
             "fit_margin": 0.0, "lex_margin": 0.0, "margin": 0.0}
    if lexicon is not None and len(lexicon.questions) > 1:
        # the model compares the answer with every bank question's head (question + points:
        # one short text each, encoded once per bank and backend); the closest few by that
        # and by word overlap are compared point by point (their points are encoded on
        # first use; no other question's example answer is ever encoded)
        hashes, keys = _bank_hashes(lexicon)
        own = _question_key(q)
        ans_hash = _HASHER.encode([ans.cleaned])[0]
        overlap = hashes @ ans_hash
        own_overlap = float(_HASHER.encode_cached([_bank_text(q)])[0] @ ans_hash)
        head_sim = _bank_heads(lexicon, backend) @ ans.vec
        others = [j for j in np.argsort(-head_sim, kind="stable") if keys[j] != own]
        by_words = [j for j in np.argsort(-overlap, kind="stable") if keys[j] != own]
        if others:
            shortlist = list(dict.fromkeys(others[:SHORTLIST_MODEL] + by_words[:SHORTLIST]))
            own_fit = _points_fit(prep.point_vecs, prep.core_vecs, ans) if prep.points else \
                float(aff_parts[0])
            best_fit = max(_points_fit(*_other_points(lexicon.questions[j], backend), ans)
                           for j in shortlist)
            feats["other"] = float(head_sim[others[0]])
            feats["head_margin"] = float(aff_parts[0]) - feats["other"]
            feats["fit_margin"] = own_fit - best_fit
            feats["lex_margin"] = own_overlap - float(overlap[by_words[0]])
            for name in ("head_margin", "fit_margin", "lex_margin"):
                detail[name] = round(feats[name], 4)
            if not backend.semantic:
                # without a model encoding is cheap: compare whole profiles (question, points
                # and example answer) too; a model backend never encodes other questions'
                # example answers (seconds on first use)
                best = max(float(_other_profile(lexicon.questions[j], backend) @ ans.vec)
                           for j in shortlist)
                feats["margin"] = affinity - best
            detail["margin"] = round(feats["margin"] or feats["head_margin"], 4)
            detail["closest_other_question"] = lexicon.questions[others[0]].text
        cal = _cal.TOPIC.get(backend.name, _cal.TOPIC["lexical"])
        detail["basis"] = "bank"
    else:
        cal = _cal.TOPIC_NO_BANK.get(backend.name, _cal.TOPIC_NO_BANK["lexical"])
        detail["basis"] = "absolute"
    p = _sigmoid(_logit(cal["coefs"], feats))
    detail["threshold"] = cal["threshold"]
    return p, p >= cal["threshold"], detail


# ---------------------------------------------------------------- report


def _grade(score: int, on_topic: bool) -> str:
    if not on_topic:
        return "off-topic"
    return next(name for floor, name in GRADES if score >= floor)


def _suggestions(points, structure, spec: Specificity, delivery, on_topic, detail, basis):
    out: list[Suggestion] = []
    if not on_topic:
        other = detail.get("closest_other_question")
        msg = "This answer does not seem to address the question asked."
        if other and detail.get("margin", 0) < 0:
            msg += f" It reads more like an answer to: “{other}”"
        out.append(Suggestion("off_topic", msg))
    for p in points:
        if not p.covered:
            what = "point" if basis == "talking_points" else "part of the example answer"
            msg = (f"Cover the {what} “{p.point}”" if basis == "talking_points"
                   else f"Cover this {what}: “{p.point}”")
            if p.strength >= 0.3 and p.evidence:
                msg += f": you touch on it (“{_short(p.evidence)}”) but give it no substance."
            else:
                msg += "."
            out.append(Suggestion("missed_point", msg, p.example))
    if structure.kind == "behavioural":
        missing = [k for k, v in (structure.star or {}).items() if not v]
        if missing:
            out.append(Suggestion("structure", "Use STAR: add the missing "
                                  + ", ".join(missing) + "."))
        if not structure.result_quantified:
            out.append(Suggestion("quantify_result", "Quantify the result: a number, a metric or "
                                  "a time frame that shows what changed."))
    elif structure.kind == "situational" and not structure.framework:
        out.append(Suggestion("structure", "Lay out your approach as steps (first…, then…, "
                              "finally…) or name the framework you would use."))
    if spec.score < 0.4:
        out.append(Suggestion("specificity", "Add specifics: numbers, time frames, and the "
                              "practices or tools you used."))
    if delivery.length_verdict == "short":
        out.append(Suggestion("length", f"Too short: about {delivery.speaking_seconds:.0f} s "
                              f"spoken; aim for {delivery.target_seconds[0]}–"
                              f"{delivery.target_seconds[1]} s."))
    elif delivery.length_verdict == "long":
        out.append(Suggestion("length", f"Too long: about {delivery.speaking_seconds:.0f} s "
                              f"spoken; keep it under {delivery.target_seconds[1]} s."))
    if (structure.kind == "behavioural" and delivery.we_share is not None
            and delivery.we_share > 0.6 and delivery.we_count >= 4):
        out.append(Suggestion("we", f"Too much “we” ({delivery.we_count} vs "
                              f"{delivery.i_count} “I”): say what you did yourself."))
    for label, counts in (("filler words", delivery.fillers), ("hedges", delivery.hedges)):
        if sum(counts.values()) >= 3:
            top = ", ".join(f"“{k}” ×{v}" for k, v in sorted(counts.items(), key=lambda kv: -kv[1]))
            out.append(Suggestion("delivery", f"Cut the {label}: {top}."))
    if delivery.cliches:
        out.append(Suggestion("delivery", "Replace clichés with specifics: "
                              + ", ".join(f"“{k}”" for k in delivery.cliches) + "."))
    return tuple(out)


def _short(s: str, n: int = 80) -> str:
    return s if len(s) <= n else s[: n - 1].rstrip() + "…"


def _engine_info(backend: Backend) -> dict:
    info = dict(backend.info())
    info["engine_version"] = ENGINE_VERSION
    reason = fallback_reason()
    if backend.name == "lexical" and reason:
        info["fallback_reason"] = reason
    return info


def _empty_report(q: Question, kind: str, kind_source: str, prep, backend) -> Report:
    points = tuple(TalkingPointResult(p, False, 0.0, None,
                                      prep.example_sents[e] if e is not None else None)
                   for p, e in zip(prep.points, prep.exemplar, strict=True))
    if prep.basis != "talking_points":
        points = ()
    structure = _sig.structure(kind, kind_source, [])
    spec = _sig.specificity("", None)
    delivery = _sig.delivery("", 0)
    weights = WEIGHTS if prep.basis != "none" else WEIGHTS_NO_RUBRIC
    breakdown = tuple(BreakdownItem(k, w, 0.0, 0.0, "no answer") for k, w in weights.items())
    return Report(0, "no answer", breakdown, 0.0 if prep.basis != "none" else None, prep.basis,
                  points, False, 0.0, {"basis": "empty answer"}, structure, spec, delivery,
                  (Suggestion("empty", "Write or say an answer: there is nothing to score yet."),),
                  _engine_info(backend))


def _check(answer: str) -> None:
    if not isinstance(answer, str):
        raise TypeError("answer must be a string")
    if len(answer) > MAX_ANSWER_CHARS:
        raise AnswerTooLong(len(answer))


def _report(q: Question, raw: str, cleaned: str, sents: list[str], sent_vecs, backend: Backend,
            lexicon: Lexicon | None) -> Report:
    kind_source = "question" if q.kind else "detected"
    kind = q.kind or _sig.detect_kind(q.text)
    prep = _prepare(q, backend, lexicon)
    if not sents:
        return _empty_report(q, kind, kind_source, prep, backend)
    ans = _answer(raw, cleaned, sents, sent_vecs)
    raw_points = _point_results(prep, ans, backend, lexicon)
    tps = tuple(TalkingPointResult(p, s >= 0.5, round(s, 3), ev if s >= 0.5 else
                                   (ev if s >= 0.3 else None), ex)
                for p, s, ev, _f, ex in raw_points)
    coverage = (sum(t.strength for t in tps) / len(tps)) if tps else None
    relevance, on_topic, detail = _relevance(prep, q, ans, coverage, backend, lexicon)
    structure = _sig.structure(kind, kind_source, sents)
    spec = _sig.specificity(cleaned, lexicon)
    delivery = _sig.delivery(cleaned, len(sents))
    values = {"coverage": coverage, "structure": structure.score, "specificity": spec.score,
              "delivery": delivery.score}
    weights = WEIGHTS if coverage is not None else WEIGHTS_NO_RUBRIC
    items = [BreakdownItem(k, w, round(values[k], 4), round(w * values[k], 2))
             for k, w in weights.items()]
    total = sum(i.points for i in items)
    if not on_topic:
        capped = min(total * OFF_TOPIC_FACTOR, OFF_TOPIC_CAP)
        items.append(BreakdownItem("off_topic", 0.0, 0.0, round(capped - total, 2),
                                   "answer judged off-topic: score capped"))
        total = capped
    score = int(round(max(0.0, min(100.0, total))))
    shown = tps if prep.basis == "talking_points" else ()
    suggestions = _suggestions(tps, structure, spec, delivery, on_topic, detail, prep.basis)
    return Report(score, _grade(score, on_topic), tuple(items),
                  None if coverage is None else round(coverage, 4), prep.basis, shown, on_topic,
                  round(relevance, 4), detail, structure, spec, delivery, suggestions,
                  _engine_info(backend))


def _split(answer: str) -> tuple[str, list[str]]:
    cleaned = _text.clean(answer)
    return cleaned, _text.sentences(cleaned)


def analyze(question: Question, answer: str, *, backend: Backend | None = None,
            lexicon: Lexicon | None = None) -> Report:
    """Score one answer against its question; see the package README for the report."""
    _check(answer)
    backend = backend or load_backend("auto")
    cleaned, sents = _split(answer)
    vecs = backend.encode(sents) if sents else None
    return _report(question, answer, cleaned, sents, vecs, backend, lexicon)


def analyze_many(pairs: Iterable[tuple[Question, str]], *, backend: Backend | None = None,
                 lexicon: Lexicon | None = None) -> list[Report]:
    """analyze() for many (question, answer) pairs, encoding all answers' sentences together."""
    pairs = list(pairs)
    for _, a in pairs:
        _check(a)
    backend = backend or load_backend("auto")
    split = [_split(a) for _, a in pairs]
    flat = [s for _, sents in split for s in sents]
    vecs = backend.encode(flat) if flat else None
    out, start = [], 0
    for (q, a), (cleaned, sents) in zip(pairs, split, strict=True):
        v = vecs[start : start + len(sents)] if sents else None
        start += len(sents)
        out.append(_report(q, a, cleaned, sents, v, backend, lexicon))
    return out
