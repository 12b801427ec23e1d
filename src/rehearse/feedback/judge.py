"""The point judge: a small cross-encoder that reads a talking point and one answer sentence
together and says how likely the sentence covers the point.

A sentence encoder compares two vectors made apart; the judge reads both texts at once, so it
can tell "I asked Priya what a good quarter looked like for her" covers "seeks shared
outcomes" though no word is shared. It is MiniLM-L6 (all-MiniLM-L6-v2's weights, Apache-2.0)
fine-tuned on labelled (point, sentence) pairs, exported to ONNX with int8 weights and
shipped inside this package (`judge_model/`, with its model card); `make train-judge`
rebuilds it. Its output is one feature of the point model (calibration.POINT), not a verdict
of its own.

Pairs are scored one answer at a time, in a fixed order, so an answer's figures never depend
on what else was scored with it (dynamic int8 quantisation reads the whole batch). One
onnxruntime session is shared: its `run` is safe to call from several threads.
"""

from __future__ import annotations

import importlib.util
import os
import threading
from collections.abc import Sequence
from pathlib import Path

import numpy as np

MODEL_DIR = Path(__file__).with_name("judge_model")
MODEL_FILE = MODEL_DIR / "point-judge.onnx"
TOKENIZER_FILE = MODEL_DIR / "tokenizer.json"
MAX_TOKENS = 96  # point and sentence together; the longer of the two is cut
CHUNK = 32  # pairs per run: similar lengths together, little padding


class PointJudge:
    def __init__(self, model: Path = MODEL_FILE, tokenizer: Path = TOKENIZER_FILE) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        so = ort.SessionOptions()
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        so.intra_op_num_threads = min(4, os.cpu_count() or 1)
        so.inter_op_num_threads = 1
        so.log_severity_level = 3
        self._session = ort.InferenceSession(str(model), so, providers=["CPUExecutionProvider"])
        tok = Tokenizer.from_file(str(tokenizer))
        tok.no_padding()
        tok.enable_padding(pad_id=0, pad_token="[PAD]")
        tok.enable_truncation(max_length=MAX_TOKENS, strategy="longest_first")
        self._tok = tok
        self.version = f"point judge {_card_version()}"

    def probabilities(self, points: Sequence[str], sentences: Sequence[str]) -> np.ndarray:
        """(points, sentences) probability that each sentence covers each point."""
        pairs = [(p, s) for p in points for s in sentences]
        return self.pair_probabilities(pairs).reshape(len(points), len(sentences))

    def pair_probabilities(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """Probability that each (point, sentence) pair's sentence covers its point."""
        pairs = [(p, s or " ") for p, s in pairs]
        out = np.zeros(len(pairs), dtype=np.float64)
        order = sorted(range(len(pairs)), key=lambda i: (len(pairs[i][0]) + len(pairs[i][1]), i))
        for start in range(0, len(order), CHUNK):
            idx = order[start : start + CHUNK]
            enc = self._tok.encode_batch([pairs[i] for i in idx])
            feed = {"input_ids": np.array([e.ids for e in enc], dtype=np.int64),
                    "token_type_ids": np.array([e.type_ids for e in enc], dtype=np.int64),
                    "attention_mask": np.array([e.attention_mask for e in enc], dtype=np.int64)}
            out[idx] = self._session.run(None, feed)[0].reshape(-1)
        return 1.0 / (1.0 + np.exp(-out))


def _card_version() -> str:
    """The version line of the model card ("version: 1 (2026-11-27)")."""
    try:
        for line in (MODEL_DIR / "MODEL_CARD.md").read_text(encoding="utf-8").splitlines():
            if line.lower().startswith("version:"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return "unknown"


_JUDGE: PointJudge | None = None
_UNAVAILABLE: str | None = None
_LOCK = threading.Lock()


def load_judge() -> PointJudge | None:
    """The shared judge, or None when it cannot load here (the point model then does without:
    see calibration.POINT_NO_JUDGE); why is in `unavailable_reason()`."""
    global _JUDGE, _UNAVAILABLE
    if _JUDGE is not None or _UNAVAILABLE is not None:
        return _JUDGE
    with _LOCK:
        if _JUDGE is None and _UNAVAILABLE is None:
            missing = [m for m in ("onnxruntime", "tokenizers") if importlib.util.find_spec(m) is None]
            if missing:
                _UNAVAILABLE = "the point judge needs: " + ", ".join(missing)
            elif not MODEL_FILE.is_file():
                _UNAVAILABLE = f"the point judge's model is missing: {MODEL_FILE}"
            else:
                try:
                    _JUDGE = PointJudge()
                except Exception as exc:  # a broken model file must never stop feedback
                    _UNAVAILABLE = f"the point judge does not load: {exc}"
    return _JUDGE


def unavailable_reason() -> str | None:
    return _UNAVAILABLE
