"""The answer side: sentences, the units a talking point can be covered by, their vectors."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import signals as _sig
from . import text as _text
from .prepare import HASHER

CONCRETE_MARKERS = 3  # this many checkable specifics make a unit fully concrete
BUZZ_PER_WORDS = 8  # one buzzword in every 8 words makes a unit all buzz

# ---------------------------------------------------------------- answer side


@dataclass
class Answer:
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
    unit_concrete: np.ndarray  # checkable specifics in the unit (0-1)
    unit_unbuzzed: np.ndarray  # 1 minus the unit's buzzword density (0-1)
    concrete: float  # the same over the whole answer
    unbuzzed: float


def answer_units(sents: list[str]) -> list[str]:
    return sents + [sents[i] + " " + sents[i + 1] for i in range(len(sents) - 1)]


def build_answer(raw: str, cleaned: str, sents: list[str], sent_vecs: np.ndarray) -> Answer:
    units = answer_units(sents)
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
    raw_hash = HASHER.counts(sents)
    if len(sents) > 1:
        stems += [stems[i] | stems[i + 1] for i in range(len(sents) - 1)]
        substance += [substance[i] | substance[i + 1] for i in range(len(sents) - 1)]
        plain = np.vstack([plain, plain[:-1] + plain[1:]])
        raw_hash = np.vstack([raw_hash, raw_hash[:-1] + raw_hash[1:]])
    spec = np.array([_sig.concreteness(u) for u in sents], dtype=np.float64).reshape(-1, 3)
    total = spec.sum(0)
    if len(sents) > 1:
        spec = np.vstack([spec, spec[:-1] + spec[1:]])
    unit_concrete = np.minimum(spec[:, 0] / CONCRETE_MARKERS, 1.0)
    unit_unbuzzed = 1.0 - np.minimum(spec[:, 1] * BUZZ_PER_WORDS / np.maximum(spec[:, 2], 1.0), 1.0)
    concrete = float(min(total[0] / (CONCRETE_MARKERS * max(1, len(sents)) ** 0.5), 1.0))
    unbuzzed = float(1.0 - min(total[1] * BUZZ_PER_WORDS / max(total[2], 1.0), 1.0))
    unit_hash = np.sqrt(raw_hash)
    unit_hash /= np.maximum(np.linalg.norm(unit_hash, axis=1, keepdims=True), 1e-9)
    plain_share = plain[:, 0] / np.maximum(plain[:, 1], 1.0)
    return Answer(raw, cleaned, sents, units, unit_vecs, stems, substance, vec,
                   unit_hash.astype(np.float32), plain_share, unit_concrete, unit_unbuzzed, concrete, unbuzzed)


