"""Fit the engine's constants (calibration.py) on the blind set's train split.

Only train questions are used; held-out questions, the team's dev set, Mohler and chitamoor
never are. Every model is a logistic regression with non-negative weights (a feature can only
raise a strength), so each constant can be read and explained.
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import numpy as np
from _blind_data import BlindQuestion, load_sentence_labels
from _feedback_baselines import TfidfBaseline, f1, fit_logistic
from feedback_quality import off_topic_pairs

from rehearse.feedback import Question
from rehearse.feedback import calibration as C
from rehearse.feedback.answer import build_answer
from rehearse.feedback.engine import split_answer
from rehearse.feedback.points import POINT_FEATURES, unit_features
from rehearse.feedback.prepare import prepare
from rehearse.feedback.relevance import HEAD_FEATURES, TOPIC_FEATURES, judge_relevance

SEED = 7
NEAREST = 3  # the closest questions by wording are the hardest negatives for relevance
RANDOM_OTHERS = 5
NEGATIVE_QUALITIES = ("strong", "partial")  # others' answers that are clearly about their question


def _bare(q: Question) -> Question:
    """The question without its example answer (banks without examples exist)."""
    return Question(text=q.text, talking_points=q.talking_points, kind=q.kind)


def _items(train: list[BlindQuestion]):
    """(question, answer text, covered point indexes, covered fraction) for fitting: every train
    answer, and each train question asked other questions' strong answers (covers nothing)."""
    items = [(q, a.text, {i for i, c in enumerate(a.covered) if c}, a.covered_fraction)
             for q in train for a in q.answers]
    items += [(q, text, set(), 0.0) for q, text in off_topic_pairs(train)]
    return items


_SENTENCES: dict[str, np.ndarray] = {}  # every answer sentence is encoded once per run


def _encode(backend, sents: list[str]) -> np.ndarray:
    missing = [s for s in dict.fromkeys(sents) if (backend.name, s) not in _SENTENCES]
    if missing:
        for s, v in zip(missing, backend.encode(missing), strict=True):
            _SENTENCES[(backend.name, s)] = v
    return np.stack([_SENTENCES[(backend.name, s)] for s in sents]) if sents else np.zeros((0, 1))


def _features(backend, question, text, lexicon):
    prep = prepare(question, backend, lexicon)
    cleaned, sents = split_answer(text)
    ans = build_answer(text, cleaned, sents, _encode(backend, sents))
    return prep, ans, unit_features(prep, ans, lexicon)


# English word-overlap features, left out of the multilingual e5 point judge (a one-point
# reference answer keeps them: restating a technical reference is word overlap): chosen by 3-fold
# cross-validation by question on the train split (F1 0.744 without them, 0.730 with; AUC
# within partly covered answers 0.713 and 0.686), and they cannot read other languages.
WORD_FEATURES = ("lexical", "hash_example", "lexical_answer", "substance", "plain")


def _without_words(rows, backend):
    if backend.name != "e5":
        return rows
    drop = [POINT_FEATURES.index(n) for n in WORD_FEATURES]
    out = []
    for f, *rest in rows:
        f = f.copy()
        f[..., drop] = 0.0
        out.append((f, *rest))
    return out


def fit_multiple_instance(rows, l2: float = 0.05) -> tuple[np.ndarray, np.ndarray]:
    """Multiple-instance logistic regression on (units x features, label, answer id) rows: each
    point's best unit under the current weights, refitted six times; the bias is shifted to the
    F1-best cut. Returns [bias, weights...] and each row's logit at its best unit."""
    y = np.array([lab for _, lab, _ in rows])
    w = np.zeros(rows[0][0].shape[-1] + 1)
    for _ in range(6):
        x = np.array([f[int(np.argmax(w[0] + f @ w[1:]))] for f, _, _ in rows])
        w = fit_logistic(x, y, l2=l2)
    z = np.array([(w[0] + f @ w[1:]).max() for f, _, _ in rows])
    cut = max(np.unique(np.round(z, 2)), key=lambda t: f1(list(z >= t), list(y > 0)))
    w[0] -= cut
    return w, z - cut


def _fit_points(rows, name: str, backend) -> dict:
    """The point model (fit_multiple_instance) and the temperature that best matches covered fractions."""
    rows = _without_words(rows, backend)
    y = np.array([lab for _, lab, _ in rows])
    ids = np.array([a for _, _, a in rows])
    w, z = fit_multiple_instance(rows)
    answers = np.unique(ids)

    def mae(t):
        s = 1 / (1 + np.exp(-z / t))
        return np.mean([abs(s[ids == a].mean() - y[ids == a].mean()) for a in answers])

    temp = min(np.round(np.arange(0.5, 4.01, 0.1), 2), key=mae)
    point = {"bias": round(float(w[0]), 3)} | {
        n: round(float(v), 3) for n, v in zip(POINT_FEATURES, w[1:], strict=True)}
    point["temperature"] = float(temp)
    print(f"{name}[{backend.name!r}] = {point}")
    print(f"   train: F1 {f1(list(z >= 0), list(y > 0)):.3f}, coverage MAE {mae(temp):.3f}")
    return point


def calibrate(backend, train: list[BlindQuestion], lexicons: dict, write: bool = False) -> None:
    items = _items(train)
    labels, ids = load_sentence_labels(), {(q.slug, a.text): a.id for q in train for a in q.answers}
    rows, bare_rows, ref_rows, ref_y, unit_x, unit_y = [], [], [], [], [], []
    for aid, (q, text, covers, frac) in enumerate(items):
        lexicon = lexicons[q.source]
        _, ans, feats = _features(backend, q.question, text, lexicon)
        rows.extend((feats[i], float(i in covers), aid) for i in range(len(feats)))
        marks = _covering_units(labels, ids, q, text, len(ans.sents), len(feats))
        if marks is not None:
            unit_x.append(feats.reshape(-1, feats.shape[-1]))
            unit_y.append(marks.reshape(-1))
        _, _, feats = _features(backend, _bare(q.question), text, lexicon)
        bare_rows.extend((feats[i], float(i in covers), aid) for i in range(len(feats)))
        if q.question.example_answer:
            one = Question(text=q.question.text, talking_points=(q.question.example_answer,),
                           example_answer=q.question.example_answer, kind=q.question.kind)
            ref_rows.append(_features(backend, one, text, None)[2][0])
            ref_y.append(frac)
    point = _fit_points(rows, "POINT", backend)
    evidence = _fit_evidence(np.vstack(unit_x), np.concatenate(unit_y), backend)
    bare = _fit_points(bare_rows, "BARE", backend)
    reference = _fit_reference(ref_rows, np.array(ref_y), backend)
    C.POINT[backend.name], C.BARE[backend.name], C.REFERENCE[backend.name] = point, bare, reference
    C.EVIDENCE[backend.name] = evidence
    topic = _fit_topic(backend, train, lexicons)
    if write:
        _write(backend.name, {"POINT": point, "BARE": bare, "REFERENCE": reference, "EVIDENCE": evidence} | topic)


def _covering_units(labels, ids, q, text: str, n_sents: int, n_points: int) -> np.ndarray | None:
    """(points, units) True where the second labelling marks one of the unit's sentences as
    covering the point; all False for another question's answer; None when unlabelled."""
    if (q.slug, text) not in ids:
        return np.zeros((n_points, n_sents + max(n_sents - 1, 0)), bool)
    marks = labels.get((q.slug, ids[(q.slug, text)]))
    if marks is None or len(marks) != n_sents:
        return None
    s = np.array([[marks[j][i] >= 1 for j in range(n_sents)] for i in range(n_points)]).reshape(n_points, n_sents)
    return np.hstack([s, s[:, :-1] | s[:, 1:]])


def _fit_evidence(x: np.ndarray, y: np.ndarray, backend) -> dict:
    """Which unit to show as a point's evidence: a logistic regression on every (point, unit)
    of the train answers, a unit being positive when the second labelling marks one of its
    sentences as covering the point (another question's answer: no unit is). The point model
    learns only from whole-answer labels and picks its best unit for itself; this one is told
    which sentences cover what."""
    x = _without_words([(x, None, None)], backend)[0][0]
    w = fit_logistic(x, y.astype(float), l2=0.05)
    table = {"bias": round(float(w[0]), 3)} | {
        n: round(float(v), 3) for n, v in zip(POINT_FEATURES, w[1:], strict=True) if v}
    print(f"EVIDENCE[{backend.name!r}] = {table}  ({int(y.sum())} covering units of {len(y)})")
    return table


def _fit_reference(rows, y, backend) -> dict:
    """The one-point (reference answer) model; soft target = the labelled covered fraction."""
    w = np.zeros(len(POINT_FEATURES) + 1)
    for _ in range(6):
        x = np.array([f[int(np.argmax(w[0] + f @ w[1:]))] for f in rows])
        w = fit_logistic(x, y, l2=0.05)
    p = 1 / (1 + np.exp(-(w[0] + x @ w[1:])))
    ref = {"bias": round(float(w[0]), 3)} | {
        n: round(float(v), 3) for n, v in zip(POINT_FEATURES, w[1:], strict=True) if v}
    print(f"REFERENCE[{backend.name!r}] = {ref}")
    print(f"   train: r(strength, covered fraction) {np.corrcoef(p, y)[0, 1]:.3f}, MAE {np.abs(p - y).mean():.3f}")
    return ref


def topic_items(train: list[BlindQuestion]) -> list[tuple[BlindQuestion, str, float]]:
    """(question, answer, on topic?) for fitting relevance. On topic = a question's own answers;
    off topic = the strong and partial answers of other train questions of the same bank: the
    NEAREST by wording and RANDOM_OTHERS more."""
    by_source: dict[str, list[BlindQuestion]] = {}
    for q in train:
        by_source.setdefault(q.source, []).append(q)
    items = [(q, a.text, 1.0) for q in train for a in q.answers if a.on_topic]
    rng = random.Random(SEED)
    for group in by_source.values():
        tfidf = TfidfBaseline([q.question.text for q in group])
        for q in group:
            others = [o for o in group if o is not q]
            nearest = sorted(others, key=lambda o: -tfidf.sim(q.question.text, o.question.text))[:NEAREST]
            rest = [o for o in others if o not in nearest]
            chosen = nearest + rng.sample(rest, min(RANDOM_OTHERS, len(rest)))
            items += [(q, a.text, 0.0) for o in chosen for a in o.answers if a.quality in NEGATIVE_QUALITIES]
    return items


def _fit_topic(backend, train, lexicons) -> dict:
    """Relevance on topic_items(train); the threshold flags about 3% of own answers on train."""
    items = topic_items(train)
    # the e5 judge reads no bank heads (relevance.HEAD_FEATURES): encoding a whole bank's heads
    # cost a cold process seconds, and with the BM25 margin they added nothing on train
    used = tuple(n for n in TOPIC_FEATURES if backend.name != "e5" or n not in HEAD_FEATURES)
    C.TOPIC[backend.name] = {"coefs": {"bias": 0.0} | {n: 0.0 for n in used}, "threshold": 0.0}  # decides heads
    feats_bank, feats_abs, ys = [], [], []
    for q, text, lab in items:
        lexicon = lexicons[q.source]
        prep = prepare(q.question, backend, lexicon)
        cleaned, sents = split_answer(text)
        if not sents:
            continue
        ans = build_answer(text, cleaned, sents, _encode(backend, sents))
        _, _, detail = judge_relevance(prep, q.question, ans, None, backend, lexicon)
        hm = detail.get("head_margin", 0.0)
        values = {"affinity": detail["affinity"], "head_margin": hm,
                  "other": float(prep.profile[0] @ ans.vec) - hm,
                  "fit_margin": detail.get("fit_margin", 0.0), "lex_margin": detail.get("lex_margin", 0.0),
                  "margin": detail.get("margin", 0.0) if not backend.semantic else 0.0,
                  "bm25_margin": detail.get("bm25_margin", 0.0)}
        feats_bank.append([values[n] for n in used])
        feats_abs.append([detail["affinity"]])
        ys.append(lab)
    yt = np.array(ys)
    topic = {}
    for name, names, x in (("TOPIC", used, np.array(feats_bank)),
                           ("TOPIC_NO_BANK", ("affinity",), np.array(feats_abs))):
        w = fit_logistic(x, yt, l2=0.1, nonneg=False)
        p = 1 / (1 + np.exp(-(w[0] + x @ w[1:])))
        t = float(np.quantile(p[yt == 1], 0.03))
        coefs = {"bias": round(float(w[0]), 3)} | {
            n: round(float(v), 3) for n, v in zip(names, w[1:], strict=True)}
        topic[name] = {"coefs": coefs, "threshold": round(t, 3)}
        getattr(C, name)[backend.name] = topic[name]
        print(f"{name}[{backend.name!r}] = {topic[name]}")
        print(f"   train: caught {np.mean(p[yt == 0] < t):.1%}, false alarms {np.mean(p[yt == 1] < t):.1%}")
    return topic


def _write(name: str, tables: dict[str, dict]) -> None:
    """Replace (or add) this backend's entry in each table of calibration.py."""
    path = Path(C.__file__)
    src = path.read_text(encoding="utf-8")
    for var, value in tables.items():
        head = re.search(rf"^{var} = \{{\n", src, re.M)
        if not head:
            raise SystemExit(f"cannot find {var} in {path}")
        end = _balanced_end(src, head.end() - 2)
        table = dict(getattr(C, var))
        table[name] = value
        body = "{\n" + "".join(f"    {json.dumps(k)}: {_format(v, len(k) + 8)},\n" for k, v in table.items()) + "}"
        src = src[: head.end() - 2] + body + src[end:]
    path.write_text(src, encoding="utf-8")
    print(f"wrote {path}")


def _format(value: dict, indent: int) -> str:
    """A dict literal in double quotes, wrapped at 110 columns."""
    items = [f"{json.dumps(k)}: " + (_format(v, indent + len(k) + 4) if isinstance(v, dict) else json.dumps(v))
             for k, v in value.items()]
    lines, cur = [], "{"
    for i, it in enumerate(items):
        piece = it + ("," if i < len(items) - 1 else "}")
        if len(cur) + len(piece) + 1 + indent > 110 and cur != "{":
            lines.append(cur.rstrip())
            cur = " " * (indent + 1)
        cur += piece + " "
    lines.append(cur.rstrip())
    return "\n".join(lines)


def _balanced_end(src: str, start: int) -> int:
    depth = 0
    for i in range(start, len(src)):
        depth += {"{": 1, "}": -1}.get(src[i], 0)
        if depth == 0:
            return i + 1
    raise ValueError("unbalanced braces")
