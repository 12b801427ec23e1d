"""What every sentence-vector backend shares: the engine's version, the backend protocol, the
thread-safe vector cache (and giving it vectors kept from an earlier process), and finding the
files of installed model packages."""

from __future__ import annotations

import hashlib
import importlib.util
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Protocol

import numpy as np

ENGINE_VERSION = "2.15"  # bump when scoring changes, so stored reports say what scored them
# bump when a text's vector changes (model, prefixes, normalisation), not when scoring does: stored
# rubric and question vectors are labelled with it, so a new engine version re-encodes nothing
VECTORS_VERSION = "1"
_CACHE_SIZE = 8192  # vectors of question-side texts kept per backend (384 floats each: ~12 MB)


class BackendUnavailable(RuntimeError):
    """The requested backend cannot be loaded (package or file missing)."""


class Backend(Protocol):
    name: str
    version: str  # what scored a report: the model and ENGINE_VERSION
    vectors_version: str  # what made a vector: the model and VECTORS_VERSION
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
