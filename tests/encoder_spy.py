"""A spy on a feedback backend's model: which texts it is asked to encode."""

from __future__ import annotations


def encoded_texts(backend) -> list[str]:
    """Every text the backend's model encodes from now on, passages and queries (a list that grows)."""
    seen: list[str] = []
    passage, query = backend.encode, getattr(backend, "_queries", None)
    backend.encode = lambda texts: (seen.extend(texts), passage(texts))[1]
    if query is not None:
        backend._queries = lambda texts: (seen.extend(texts), query(texts))[1]
    return seen
