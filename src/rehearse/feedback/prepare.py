"""The question side of a report, prepared once per question revision and cached.

A question's rubric (talking points, their core phrases, the example answer's sentences and
which of them shows each point) is encoded once and kept in an LRU keyed by a hash of the
question's text, points and example answer, so a new revision is prepared afresh.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from . import text as _text
from .backends import Backend, LexicalBackend, cache_key
from .lexicon import Lexicon
from .models import Question
from .specifics import DIGIT

EXEMPLAR_SPECIFIC = 1.0  # weight of a sentence's specificity to a point when choosing exemplars
# The example sentence *shown* for a missed point ("the example answer covers it like this") is
# chosen apart from the judge's exemplars (whose features are fitted as they are): by the point
# read as both e5 queries, a little word overlap, how much more the sentence is about this point
# than the others, order (a rubric lists its points in the order a model answer makes them), and
# one sentence per point while there are enough. Chosen on the blind train questions against a
# labelling of which example sentence shows each point (benchmarks/data/blind/example_labels.jsonl):
# the shown sentence is one the labeller named 72.1% -> 80.6% of the time; held out 70.4% -> 78.0%.
SHOWN_EXAMPLE_WORDS = 0.25  # weight of word overlap beside the two query cosines
SHOWN_EXAMPLE_SPECIFIC = 0.5  # weight of "this point rather than the others"
SHOWN_EXAMPLE_ORDER = 0.3  # per unit of distance between the point's and the sentence's places (0-1)
MAX_PSEUDO_POINTS = 6  # example-answer sentences used as the rubric when a question has none
SHORT_POINT = 8  # content words: talking points are short phrases, references are longer
HASHER = LexicalBackend()  # word-overlap vectors, used next to any backend
# Sentences that say nothing: a point's query cosine to them is its floor (some points sit
# closer to everything than others), so q_lift is how far above saying nothing a unit rises.
NOTHING_SAID = (
    "I think this is really important and we always try to do our best.",
    "It depends on the situation, there are many factors to consider.",
    "We worked hard as a team and in the end it went well.",
    "Communication and collaboration are key for success.",
    "I have a lot of experience with this kind of thing.",
    "That is a good question, I would say it is about finding the right balance.",
)

# Talking points of no question in particular. A unit's mean cosine to them is its floor: how
# close it sits to any talking point at all. Cosines between languages run lower than within
# one (an answer in Portuguese to English points: about 0.045 lower, three standard
# deviations of the English spread); a unit's lift over its own floor mostly cancels that.
GENERIC_POINTS = (
    "how the work was planned and tracked", "the people involved and their roles",
    "a decision and the reasons for it", "a measurable result", "what was learned afterwards",
    "communication with stakeholders", "a risk and how it was handled",
    "the technical approach taken", "how priorities were set", "feedback given or received",
    "a process that was changed", "the cost or budget involved", "hiring or growing the team",
    "quality and testing practices", "a timeline with milestones",
    "a conflict and how it was resolved",
)

# ---------------------------------------------------------------- question side (cached)


@dataclass(frozen=True)
class Prepared:
    points: tuple[str, ...]
    point_vecs: np.ndarray  # (k, d)
    core_vecs: np.ndarray  # (k, d): the point without its parenthetical examples
    query_vecs: np.ndarray  # (k, d): the point as a query an answer sentence satisfies (e5), else point_vecs
    core_query_vecs: np.ndarray  # (k, d): the same for the core phrase
    query_floor: np.ndarray  # (k,): the point's best query cosine to sentences that say nothing
    point_stems: tuple[frozenset[str], ...]
    point_stem_lists: tuple[tuple[str, ...], ...]
    rubric_stems: frozenset[str]  # the question's and its short points' own content stems
    example_sents: tuple[str, ...]
    exemplar: tuple[int | None, ...]  # index into example_sents for each point
    shown_exemplar: tuple[int | None, ...]  # the example sentence shown for each point (order-aware)
    exemplar_vecs: np.ndarray  # (k, d); zeros where no exemplar
    exemplar2_vecs: np.ndarray  # (k, d): the second-best example sentence for each point
    exemplar_hash: np.ndarray  # (2, k, h): lexical (hashed-stem) vectors of both sentences
    profile: np.ndarray  # (2, d): question+points, example answer
    basis: str
    generic_vecs: np.ndarray  # (g, d): GENERIC_POINTS as passages
    generic_query_vecs: np.ndarray  # (g, d): and as queries (e5), else the same
    bare_query_vecs: np.ndarray  # (k, d): the bare point as a query ("query: <point>"), else point_vecs
    generic_bare_query_vecs: np.ndarray  # (g, d): GENERIC_POINTS the same way
    example_display: tuple[str, ...] = ()  # each example sentence as shown: the whole sentence it is part of

    def example_shown(self, index: int | None) -> str | None:
        """The example sentence at `index` as a reader sees it: whole, without a "Task:" label.

        A short sentence with nothing concrete in it ("First I'd ask what problem we are really
        solving.", "Within four months the signals were bad.") introduces what the next one shows,
        so the next comes with it, unless the next is another point's own example."""
        if index is None:
            return None
        sents = self.example_display or self.example_sents
        shown = _text.without_label(sents[index])
        after = index + 1
        if _introduces(shown) and after < len(sents) and after not in self.shown_exemplar:
            shown = f"{shown} {_text.without_label(sents[after])}"
        return shown


THIN_EXAMPLE_WORDS = 12  # an example sentence shorter than this, with no number, introduces the next


def _introduces(sentence: str) -> bool:
    """Whether an example sentence only leads into the next: it ends in a colon, or it is short and
    holds no number."""
    if sentence.rstrip().endswith(":"):
        return True
    return len(_text.words(sentence)) < THIN_EXAMPLE_WORDS and not DIGIT.search(sentence)


_PREPARED: OrderedDict[tuple, Prepared] = OrderedDict()
_BANKS: OrderedDict[tuple, object] = OrderedDict()
_PREP_LOCK = threading.Lock()
_PREPARED_MAX = 512  # questions whose rubric vectors stay prepared
_BANKS_MAX = 8


def question_key(q: Question) -> str:
    h = hashlib.blake2b(digest_size=16)
    for part in (q.text, q.intent or "", "\x1f".join(q.talking_points), q.example_answer or ""):
        h.update(part.encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()


def head_text(q: Question) -> str:
    head = q.text.strip()
    if q.talking_points:
        head += " " + "; ".join(q.talking_points)
    return head


def profile(head_vec: np.ndarray, example_vecs: np.ndarray) -> np.ndarray:
    """(2, d): the question+points vector and the mean of the example sentences' vectors."""
    if len(example_vecs):
        ex = example_vecs.mean(0)
        ex = ex / max(float(np.linalg.norm(ex)), 1e-9)
    else:
        ex = head_vec
    return np.stack([head_vec, ex]).astype(np.float32)


def _shown_examples(closeness: np.ndarray) -> list[int]:
    """The example sentence shown for each point, from (points, sentences) closeness: leaning on
    what sets the sentence apart for this point and on order, then one sentence per point while
    there are enough (best pair first) — a sentence that shares a word with several points ("my
    team ran sprints", "ran it as a trial") must not stand for all of them."""
    k, m = closeness.shape
    score = closeness
    if k > 1:
        others = (closeness.sum(0) - closeness) / (k - 1)
        score = closeness + SHOWN_EXAMPLE_SPECIFIC * (closeness - others)
        placed = np.abs((np.arange(k)[:, None] + 0.5) / k - (np.arange(m)[None, :] + 0.5) / m)
        score = score - SHOWN_EXAMPLE_ORDER * placed
    shown = [-1] * k
    free_points, free_sents = set(range(k)), set(range(m))
    for i, j in sorted(np.ndindex(k, m), key=lambda ij: (-score[ij], ij)):
        if i in free_points and j in free_sents:
            shown[i] = j
            free_points.discard(i)
            free_sents.discard(j)
            if not free_sents:  # more points than sentences: the rest take their closest
                break
    return [j if j >= 0 else int(np.argmax(score[i])) for i, j in enumerate(shown)]


def lexical_overlap(point_stems: Sequence[str], unit_stems: set[str], lexicon) -> float:
    if not point_stems:
        return 0.0
    weights = [lexicon.weight(s) if lexicon else 1.0 for s in point_stems]
    hit = sum(w for s, w in zip(point_stems, weights, strict=True) if s in unit_stems)
    return hit / sum(weights)


_PAREN = re.compile(r"\s*\([^()]{3,}\)")


def core(point: str) -> str:
    core = _PAREN.sub("", point).strip()
    return core if len(_text.content_stems(core)) >= 2 else point


def prepare(q: Question, backend: Backend, lexicon: Lexicon | None) -> Prepared:
    key = (id(backend), question_key(q), lexicon.key if lexicon else None)
    with _PREP_LOCK:
        hit = _PREPARED.get(key)
        if hit is not None:
            _PREPARED.move_to_end(key)
            return hit
    prep = _build(q, backend, lexicon)
    with _PREP_LOCK:
        _PREPARED[key] = prep
        while len(_PREPARED) > _PREPARED_MAX:
            _PREPARED.popitem(last=False)
    return prep


class _Recorder:
    """Stands in for a backend while a rubric is prepared, keeping every vector handed out."""

    def __init__(self, backend: Backend) -> None:
        self._backend = backend
        self.name, self.semantic = backend.name, backend.semantic
        self.vectors: dict[str, dict[str, np.ndarray]] = {"passage": {}, "query": {}}
        if hasattr(backend, "encode_queries"):
            self.encode_queries = self._encode_queries

    def encode_cached(self, texts: Sequence[str]) -> np.ndarray:
        vecs = self._backend.encode_cached(texts)
        self.vectors["passage"].update(zip(map(cache_key, texts), vecs, strict=True))
        return vecs

    def _encode_queries(self, points: Sequence[str], template: str | None = None) -> np.ndarray:
        vecs = self._backend.encode_queries(points, template)
        template = self._backend.QUERY_TEMPLATE if template is None else template
        self.vectors["query"].update(zip((cache_key(template.format(p)) for p in points), vecs, strict=True))
        return vecs


def rubric_vectors(q: Question, backend: Backend, lexicon: Lexicon | None = None) -> dict[str, dict[str, np.ndarray]]:
    """Every vector the model computes for this question's rubric ({"passage" | "query": {key:
    vector}}): kept by the caller, given back with `backends.remember` in a later process, they
    spare it the encoding (about half of a cold batch's time). Rubric text only, never answers."""
    recorder = _Recorder(backend)
    _build(q, recorder, lexicon)  # type: ignore[arg-type]: records, then hands on to the backend
    return recorder.vectors


def _build(q: Question, backend: Backend, lexicon: Lexicon | None) -> Prepared:
    example_sents = tuple(_text.sentences(_text.clean(q.example_answer or "")))
    points = tuple(_text.clean(p) for p in q.talking_points if _text.clean(p))
    basis = "talking_points"
    if not points and example_sents:
        # no rubric: the example answer's most contentful sentences stand in for it
        ranked = sorted(example_sents, key=lambda s: -len(_text.content_stems(s)))
        keep = set(ranked[:MAX_PSEUDO_POINTS])
        points = tuple(s for s in example_sents if s in keep)
        basis = "example_answer"
    elif not points:
        basis = "none"
    texts = list(points) + list(example_sents) + [head_text(q)]
    vecs = backend.encode_cached(texts) if texts else np.zeros((0, 1), dtype=np.float32)
    k, m = len(points), len(example_sents)
    dim = vecs.shape[1] if len(texts) else 1
    pv, ev = vecs[:k], vecs[k : k + m]
    # "a framework (e.g., impact vs effort, RICE)": the core phrase is encoded on its own too
    cores = [core(p) for p in points]
    core_vecs = pv.copy()
    with_core = [i for i, c in enumerate(cores) if c != points[i]]
    if with_core:
        core_vecs[with_core] = backend.encode_cached([cores[i] for i in with_core])
    query_vecs, core_query_vecs = pv, core_vecs
    if k and hasattr(backend, "encode_queries"):
        query_vecs = backend.encode_queries(list(points))
        core_query_vecs = query_vecs.copy()
        if with_core:
            core_query_vecs[with_core] = backend.encode_queries([cores[i] for i in with_core])
    generic = backend.encode_cached(list(GENERIC_POINTS))
    generic_queries = generic_bare = generic
    bare_queries = pv
    if hasattr(backend, "encode_queries"):
        generic_queries = backend.encode_queries(list(GENERIC_POINTS))
        # the bare point as a query reads differently from "The answer covers <point>": each
        # misses points the other finds (cross-validated on the blind train split)
        generic_bare = backend.encode_queries(list(GENERIC_POINTS), template="{}")
        if k:
            bare_queries = backend.encode_queries(list(points), template="{}")
    nothing = backend.encode_cached(list(NOTHING_SAID))
    query_floor = (np.maximum(query_vecs @ nothing.T, core_query_vecs @ nothing.T).max(1) if k
                   else np.zeros(0, dtype=np.float32))
    prof = profile(vecs[k + m], ev) if len(texts) else np.zeros((2, 1), dtype=np.float32)
    stem_lists = tuple(tuple(dict.fromkeys(_text.content_stems(p))) for p in points)
    exemplar: list[int | None] = []
    shown: list[int | None] = []
    ex_vecs = np.zeros((k, dim), dtype=np.float32)
    ex2_vecs = np.zeros((k, dim), dtype=np.float32)
    first, second = [], []
    if m and k and basis == "talking_points":
        sim = np.maximum(pv @ ev.T, query_vecs @ ev.T) if query_vecs is not pv else pv @ ev.T
        ex_stems = [set(_text.content_stems(s)) for s in example_sents]
        lexs = np.array([[lexical_overlap(stem_lists[i], st, lexicon) for st in ex_stems]
                         for i in range(k)])
        score = sim + 0.5 * lexs
        if k > 1:  # a sentence that shows this point rather than every point
            score = score + EXEMPLAR_SPECIFIC * (score - (score.sum(0) - score) / (k - 1))
        shown = _shown_examples(query_vecs @ ev.T + bare_queries @ ev.T + SHOWN_EXAMPLE_WORDS * lexs)
        for i in range(k):
            order = np.argsort(-score[i], kind="stable")
            exemplar.append(int(order[0]))
            ex_vecs[i] = ev[order[0]]
            ex2_vecs[i] = ev[order[1]] if m > 1 else ev[order[0]]
            first.append(int(order[0]))
            second.append(int(order[1]) if m > 1 else int(order[0]))
    elif basis == "example_answer":
        exemplar = [example_sents.index(p) for p in points]
        shown = list(exemplar)
        ex_vecs = pv.copy()
        ex2_vecs = pv.copy()
    else:
        exemplar = [None] * k
        shown = list(exemplar)
    ex_hash = np.zeros((2, k, HASHER.DIM), dtype=np.float32)
    if m and k and basis == "talking_points":
        hv = HASHER.encode_cached(list(example_sents))
        ex_hash[0], ex_hash[1] = hv[first], hv[second]
    elif k:
        ex_hash[0] = ex_hash[1] = HASHER.encode_cached(list(points))
    rubric = set(_text.content_stems(q.text))
    for st in stem_lists:
        if len(st) <= SHORT_POINT:
            rubric.update(st)
    prep = Prepared(points, pv, core_vecs, query_vecs, core_query_vecs, query_floor,
                    tuple(frozenset(s) for s in stem_lists), stem_lists,
                     frozenset(rubric),
                     example_sents, tuple(exemplar), tuple(shown), ex_vecs, ex2_vecs, ex_hash, prof, basis,
                     generic, generic_queries, bare_queries, generic_bare, _whole(example_sents, q.example_answer))
    return prep


def _whole(pieces: Sequence[str], text: str | None) -> tuple[str, ...]:
    """Each piece of a run-on sentence mapped back to the whole sentence, for display."""
    wholes = _text.whole_sentences(_text.clean(text or ""))
    return tuple(next((w for w in wholes if piece in w), piece) for piece in pieces)


def bank_text(q: Question) -> str:
    return head_text(q) + " " + _text.clean(q.example_answer or "")


def bank_hashes(lexicon: Lexicon) -> tuple[np.ndarray, tuple[str, ...]]:
    """(n, h) word-overlap vectors of the whole bank (question, points and example answer)
    and the questions' keys."""
    key = ("hash", lexicon.key)
    with _PREP_LOCK:
        hit = _BANKS.get(key)
        if hit is not None:
            return hit
    texts = [bank_text(q) for q in lexicon.questions]
    out = (HASHER.encode(texts), tuple(question_key(q) for q in lexicon.questions))
    with _PREP_LOCK:
        _BANKS[key] = out
        while len(_BANKS) > _BANKS_MAX:
            _BANKS.popitem(last=False)
    return out


def bank_heads(lexicon: Lexicon, backend: Backend) -> np.ndarray:
    """(n, d) model vectors of every bank question's question + points (cached)."""
    key = ("heads", id(backend), lexicon.key)
    with _PREP_LOCK:
        hit = _BANKS.get(key)
        if hit is not None:
            return hit
    out = backend.encode_cached([head_text(q) for q in lexicon.questions])
    with _PREP_LOCK:
        _BANKS[key] = out
        while len(_BANKS) > _BANKS_MAX:
            _BANKS.popitem(last=False)
    return out


