"""Would a new feature make the e5 point model better? Cross-validated on the train split.

The experiment behind the README's "tried after 2.5" lines. Every train answer (and every
train question asked another question's strong answer) is turned into the point model's
features once; then, for each candidate, the multiple-instance point model is refitted on two
thirds of the train questions (3 folds by question) with the candidate's columns added, and
scored on the third it never saw. Printed per candidate, pooled over the folds: covered F1 at
the cut chosen on the fitting folds, point AUC, AUC between the points of one answer,
covered-fraction MAE and the share of strong answers' covered points found.

Candidates (--candidates, comma-separated):
  templates  more e5 query phrasings of each point ("The candidate talks about <point>", …),
             as lift over the unit's floor: free at answer time (queries are per rubric)
  minilm     MiniLM-L6's own point features beside e5's (a second encoder pass per answer)
  passages   the labelled passages of benchmarks/data/judge as extra short answers to fit on
             (their questions' folds only; never scored)
  adapter    a per-dimension reweighting of e5's query-passage product, fitted with torch
             (the `optimizer` extra) on the second labelling of answer sentences and the
             labelled passages of benchmarks/data/judge (no cost at answer time)

The held-out questions are never read. About 10 minutes on two cores, most of it encoding.

    python -m benchmarks.experiments.point_features_probe [--candidates templates,minilm,adapter]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _blind_data import load_blind, load_sentence_labels, load_sources  # noqa: E402
from _feedback_baselines import f1  # noqa: E402
from _feedback_calibrate import WORD_FEATURES, _covering_units, _features, fit_multiple_instance  # noqa: E402
from feedback_quality import auc, off_topic_pairs, within_answer_auc  # noqa: E402

from rehearse.feedback import Lexicon, load_backend  # noqa: E402
from rehearse.feedback import calibration as C  # noqa: E402
from rehearse.feedback.points import POINT_FEATURES  # noqa: E402
from rehearse.feedback.prepare import GENERIC_POINTS  # noqa: E402

FOLDS = 3
SEED_PASSAGES = 11
SNIPPETS = Path(__file__).resolve().parents[1] / "data" / "judge" / "snippets.jsonl"
TEMPLATES = ("The candidate talks about {}", "How did you handle {}?", "An example of {}",
             "The interviewee describes {}", "{} in practice", "Evidence of {}")
WORDLESS = [i for i, n in enumerate(POINT_FEATURES) if n not in WORD_FEATURES]


def fold_of(slug: str) -> int:
    return int(hashlib.md5(slug.encode()).hexdigest(), 16) % FOLDS


def collect(backend, train, lexicons) -> list[dict]:
    """Per answer: the point model's features, labels, unit vectors and the rubric's queries."""
    labels = load_sentence_labels()
    ids = {(q.slug, a.text): a.id for q in train for a in q.answers}
    pairs = [(q, a.text, a.covered, a.quality) for q in train for a in q.answers]
    pairs += [(q, text, (False,) * len(q.question.talking_points), "other question")
              for q, text in off_topic_pairs(train)]
    items = []
    for q, text, covered, quality in pairs:
        prep, ans, feats = _features(backend, q.question, text, lexicons[q.source])
        items.append(dict(question=q, text=text, fold=fold_of(q.slug), quality=quality,
                          feats=feats[..., WORDLESS], y=np.array(covered, float), prep=prep,
                          units=ans.unit_vecs, sentences=ans.sents,
                          marks=_covering_units(labels, ids, q, text, len(ans.sents), len(feats))))
    return items


def cross_validate(items, columns, label: str, fitting_only=()) -> None:
    """columns(item, fold) -> (points, units, extra) added to the point model's features;
    fitting_only: more items that join the fitting folds' rows but are never scored."""
    out = {"z": [], "y": [], "answer": [], "quality": [], "t": []}
    for fold in range(FOLDS):
        def features(it, fold=fold):
            extra = columns(it, fold)
            return it["feats"] if extra is None else np.concatenate([it["feats"], extra], -1)

        rows = [(x[i], it["y"][i], n) for n, it in enumerate([*items, *fitting_only]) if it["fold"] != fold
                for x in [features(it)] for i in range(len(x))]
        w, _ = fit_multiple_instance(rows)
        temp = 0.5
        if fitting_only:
            # the cut and the temperature are chosen on the fitting folds' answers, not the passages
            own = [(n, it, (w[0] + features(it) @ w[1:]).max(1)) for n, it in enumerate(items)
                   if it["fold"] != fold]
            zs = np.concatenate([z for _, _, z in own])
            ys = np.concatenate([it["y"] for _, it, _ in own])
            cut = max(np.unique(np.round(zs, 2)), key=lambda t: f1(list(zs >= t), list(ys > 0)))
            w[0] -= cut

            def fit_mae(t, own=own, cut=cut):
                return np.mean([abs((1 / (1 + np.exp(-(z - cut) / t))).mean() - it["y"].mean())
                                for _, it, z in own if it["quality"] != "other question"])

            temp = min(np.round(np.arange(0.5, 4.01, 0.1), 2), key=fit_mae)
        for n, it in enumerate(items):
            if it["fold"] == fold:
                z = (w[0] + features(it) @ w[1:]).max(1)
                out["t"] += [temp] * len(z)
                out["z"] += list(z)
                out["y"] += list(it["y"])
                out["answer"] += [n] * len(z)
                out["quality"] += [it["quality"]] * len(z)
    z, y, answer, quality = (np.array(out[k]) for k in ("z", "y", "answer", "quality"))
    own = quality != "other question"
    per_answer = [(z[answer == a], y[answer == a]) for a in np.unique(answer)]
    covered = 1 / (1 + np.exp(-z / np.array(out["t"])))
    mae = np.mean([abs(covered[answer == a].mean() - y[answer == a].mean()) for a in np.unique(answer[own])])
    strong = (quality == "strong") & (y > 0)
    print(f"{label:34s} F1 {f1(list(z[own] >= 0), list(y[own] > 0)):.3f}  AUC {auc(z, y):.3f}  "
          f"within {within_answer_auc(per_answer):.3f}  MAE {mae:.3f}  strong {np.mean(z[strong] >= 0):.1%}",
          flush=True)


def template_columns(backend, items):
    generic = {t: backend.encode_queries(list(GENERIC_POINTS), template=t) for t in TEMPLATES}
    for it in items:
        units = it["units"].T
        it["templates"] = np.stack([backend.encode_queries(list(it["prep"].points), template=t) @ units
                                    - (generic[t] @ units).mean(0)[None, :] for t in TEMPLATES], -1)
    return lambda it, fold: it["templates"]


def minilm_columns(lexicons, items):
    minilm = load_backend("onnx")
    keep = [POINT_FEATURES.index(n) for n in C.POINT["onnx"] if n in POINT_FEATURES]  # MiniLM's own model's
    for it in items:
        q = it["question"]
        it["minilm"] = _features(minilm, q.question, it["text"], lexicons[q.source])[2][..., keep]
    return lambda it, fold: it["minilm"]


def adapter_columns(backend, items, steps: int = 300, l2: float = 1e-3):
    """Per fold: logit = b + a1 (q * w1 . u - floor) + a2 (bare q * w2 . u - floor), w1 and w2
    per dimension (starting from 1: the plain cosine), fitted on covering / not covering
    sentences and labelled passages of the fitting folds' questions."""
    import torch

    torch.manual_seed(0)
    passages = [json.loads(line) for line in SNIPPETS.read_text(encoding="utf-8").splitlines() if line.strip()]
    slugs = {it["question"].slug: it for it in items}
    generic_q = backend.encode_queries(list(GENERIC_POINTS))
    generic_b = backend.encode_queries(list(GENERIC_POINTS), template="{}")
    rows = []  # (query, bare query, unit vector, label, fold)
    for it in items:
        n = len(it["sentences"])
        if it["marks"] is None:
            continue
        for i in range(len(it["y"])):
            for j in range(n):
                rows.append((it["prep"].query_vecs[i], it["prep"].bare_query_vecs[i], it["units"][j],
                             float(it["marks"][i, j]), it["fold"]))
    for p in passages:
        it = slugs.get(p["slug"])
        if it is None or len(p["labels"]) != len(it["y"]):
            continue
        vec = backend.encode([p["text"]])[0]
        for i, lab in enumerate(p["labels"]):
            rows.append((it["prep"].query_vecs[i], it["prep"].bare_query_vecs[i], vec, float(lab >= 1), it["fold"]))
    q, b, u = (torch.tensor(np.array([r[k] for r in rows]), dtype=torch.float32) for k in range(3))
    y = torch.tensor([r[3] for r in rows])
    folds = np.array([r[4] for r in rows])
    fq = u @ torch.tensor(generic_q, dtype=torch.float32).T
    fb = u @ torch.tensor(generic_b, dtype=torch.float32).T
    fq, fb = fq.mean(1), fb.mean(1)
    models = {}
    for fold in range(FOLDS):
        sel = torch.tensor(folds != fold)
        bias, scale = torch.tensor(-3.0, requires_grad=True), torch.tensor([20.0, 20.0], requires_grad=True)
        dq, db = torch.zeros(q.shape[1], requires_grad=True), torch.zeros(q.shape[1], requires_grad=True)
        pos = y[sel].mean()
        weight = torch.where(y[sel] > 0, 0.5 / pos, 0.5 / (1 - pos))
        opt = torch.optim.Adam([bias, scale, dq, db], lr=0.01)
        for _ in range(steps):
            opt.zero_grad()
            z = (bias + scale[0] * (((q[sel] * (1 + dq)) * u[sel]).sum(1) - fq[sel])
                 + scale[1] * (((b[sel] * (1 + db)) * u[sel]).sum(1) - fb[sel]))
            loss = (torch.nn.functional.binary_cross_entropy_with_logits(z, y[sel], weight=weight)
                    + l2 * ((dq ** 2).sum() + (db ** 2).sum()))
            loss.backward()
            opt.step()
        models[fold] = [t.detach().numpy() for t in (bias, scale, 1 + dq, 1 + db)]

    def columns(it, fold):
        bias, scale, wq, wb = models[fold]
        units = it["units"].T
        z = (bias + scale[0] * ((it["prep"].query_vecs * wq) @ units - (generic_q @ units).mean(0))
             + scale[1] * ((it["prep"].bare_query_vecs * wb) @ units - (generic_b @ units).mean(0)))
        return z[..., None] / 10

    return columns


def passage_items(backend, train, lexicons, share: float) -> list[dict]:
    """The labelled passages of benchmarks/data/judge as short answers of their train question
    (covered where labelled 1 or 2), a seeded share of them: rows for fitting only."""
    rng = np.random.default_rng(SEED_PASSAGES)
    by_slug = {q.slug: q for q in train}
    out = []
    for line in SNIPPETS.read_text(encoding="utf-8").splitlines():
        p = json.loads(line) if line.strip() else None
        q = by_slug.get(p["slug"]) if p else None
        if q is None or len(p["labels"]) != len(q.question.talking_points) or rng.random() >= share:
            continue
        _, ans, feats = _features(backend, q.question, p["text"], lexicons[q.source])
        out.append(dict(feats=feats[..., WORDLESS], y=np.array([lab >= 1 for lab in p["labels"]], float),
                        fold=fold_of(q.slug)))
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--candidates", default="templates,minilm,adapter")
    args = ap.parse_args(argv)
    sources, missing = load_sources()
    if missing:
        print("skipped sources: " + "; ".join(missing))
    lexicons = {name: Lexicon.from_questions(bank.values()) for name, bank in sources.items()}
    train = [q for q in load_blind(sources) if q.split == "train"]
    backend = load_backend("e5")
    items = collect(backend, train, lexicons)
    print(f"{len(train)} train questions, {len(items)} answers, {FOLDS} folds by question")
    cross_validate(items, lambda it, fold: None, "engine 2.5's features")
    chosen = args.candidates.split(",")
    if "templates" in chosen:
        cols = template_columns(backend, items)
        for k, t in enumerate(TEMPLATES):
            cross_validate(items, lambda it, fold, k=k: cols(it, fold)[..., k:k + 1], f"+ query {t!r}")
        cross_validate(items, cols, "+ all six phrasings")
    if "minilm" in chosen:
        cross_validate(items, minilm_columns(lexicons, items), "+ MiniLM's point features")
    if "passages" in chosen:
        everything = passage_items(backend, train, lexicons, 1.0)
        for share in (1.0, 0.5, 0.25, 0.1):
            some = [it for k, it in enumerate(everything) if k % round(1 / share) == 0]
            cross_validate(items, lambda it, fold: None, f"+ {len(some)} passages as answers", some)
    if "adapter" in chosen:
        cross_validate(items, adapter_columns(backend, items), "+ reweighted e5 product")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
