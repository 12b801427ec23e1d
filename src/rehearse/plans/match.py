"""PURE: match a job posting's responsibilities to questions, by meaning and by shared job terms.

The posting is cut into phrases (its lines and sentences); each question is compared with every
phrase (cosine of sentence vectors, given by the caller, lifted by how much closer it is than the
other questions: PHRASE_LIFT) and with the posting's job terms (stemmed
words and word pairs that are not everyday words). Its relevance mixes the two; the phrase it is
closest to, and the terms it shares, are kept to show the user why the question is there.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import snowballstemmer

MAX_PHRASES = 150  # a long posting's first 150 lines and sentences carry its responsibilities
MIN_PHRASE_WORDS = 3  # "Benefits", "Apply now": headings, not responsibilities
MEANING_WEIGHT = 0.7  # relevance = 0.7 × closeness in meaning + 0.3 × share of the question's terms found
# A question's closeness to a phrase counts, besides, twice what it is above the mean closeness of
# every question to that phrase: "You have managed engineers, handled underperformance and can
# explain trade-offs to executives" is close to every leadership question and, read raw, took 24
# of a plan's 25 questions from the posting's responsibilities (incidents, roadmap, debt...).
PHRASE_LIFT = 2.0
_SPLIT = re.compile(r"(?:\n+|(?<=[.!?;])\s+)")
_BULLET = re.compile(r"^\s*(?:[-*•·–]|\d+[.)])\s*")
_WORD = re.compile(r"[a-z][a-z0-9+#-]*")
_STOP_WORDS = """
a an and are as at be been being but by can could did do does for from had has have how i if in  into is it
its may more most must no not of on or our out over should so some such than that  the their them then there
these they this those through to under up us very was we were what  when where which while who why will with
within without would you your yours about across  after also all any both each every few like make made many
much new other own same well able  ability work working strong experience years year team teams role company
help including  tell time describe give example
"""
STOP = frozenset(_STOP_WORDS.split())


def phrases(posting: str) -> list[str]:
    """The posting's lines and sentences that are long enough to say something, bullets removed."""
    out = []
    for piece in _SPLIT.split(posting):
        text = _BULLET.sub("", piece).strip()
        if len(text.split()) >= MIN_PHRASE_WORDS and text not in out:
            out.append(text)
        if len(out) == MAX_PHRASES:
            break
    return out


_local = threading.local()  # a snowball stemmer keeps state while it works: one per thread


@lru_cache(maxsize=50_000)  # words seen across banks and postings; a stem is ~1 µs cached, ~25 µs not
def _stem(word: str) -> str:
    stemmer = getattr(_local, "stemmer", None)
    if stemmer is None:
        stemmer = _local.stemmer = snowballstemmer.stemmer("english")
    return stemmer.stemWord(word)


def _content_words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if w not in STOP and len(w) > 2]


def terms(text: str) -> set[str]:
    """Stemmed content words and adjacent pairs of them."""
    stems = [_stem(w) for w in _content_words(text)]
    return set(stems) | {f"{a} {b}" for a, b in zip(stems, stems[1:], strict=False)}


def written_forms(text: str) -> dict[str, str]:
    """Each stem of `terms(text)`'s single words with the word as the text first wrote it
    ("engin" -> "engineers"): what the user is shown."""
    out: dict[str, str] = {}
    for w in _content_words(text):
        out.setdefault(_stem(w), w)
    return out


def _title_words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower()) if w not in STOP]


def role_in_title(title: str, roles: dict[int, str]) -> int | None:
    """The role whose name the posting's title says ("Senior Engineering Manager, Payments" names
    Engineering Manager), the longest name where several fit; None where none does."""
    words = _title_words(title)
    named = []
    for role_id, name in roles.items():
        wanted = _title_words(name)
        if wanted and any(words[i:i + len(wanted)] == wanted for i in range(len(words) - len(wanted) + 1)):
            named.append((len(wanted), -role_id))
    return -max(named)[1] if named else None


@dataclass(frozen=True)
class Match:
    index: int  # the question's position in the input
    relevance: float
    meaning: float
    phrase: str | None  # the posting's phrase closest in meaning
    shared_terms: tuple[str, ...]


def match(posting_phrases: Sequence[str], phrase_vectors: np.ndarray | None, question_texts: Sequence[str],
          question_vectors: np.ndarray | None, posting_terms: set[str], question_terms: Sequence[set[str]]
          ) -> list[Match]:
    """Every question with its relevance to the posting, most relevant first (ties keep input order)."""
    meaning = np.zeros((len(question_texts), max(1, len(posting_phrases))), dtype=np.float32)
    if phrase_vectors is not None and question_vectors is not None and len(posting_phrases):
        q = question_vectors / np.maximum(np.linalg.norm(question_vectors, axis=1, keepdims=True), 1e-9)
        p = phrase_vectors / np.maximum(np.linalg.norm(phrase_vectors, axis=1, keepdims=True), 1e-9)
        meaning = q @ p.T
    lifted = meaning + PHRASE_LIFT * (meaning - meaning.mean(0, keepdims=True)) if len(meaning) > 1 else meaning
    results = []
    for index, own in enumerate(question_terms):
        best = int(np.argmax(lifted[index])) if len(posting_phrases) else 0
        closeness = float(meaning[index, best]) if len(posting_phrases) else 0.0
        shared = own & posting_terms
        term_share = len(shared) / len(own) if own else 0.0
        fit = min(1.0, max(0.0, float(lifted[index, best]))) if len(posting_phrases) and closeness > 0 else 0.0
        relevance = MEANING_WEIGHT * fit + (1 - MEANING_WEIGHT) * term_share
        results.append(Match(index, round(relevance, 4), round(closeness, 4),
                             posting_phrases[best] if len(posting_phrases) and closeness > 0 else None,
                             tuple(sorted(t for t in shared if " " not in t))[:8]))
    return sorted(results, key=lambda m: (-m.relevance, m.index))


def order(relevance: Sequence[float], weakness: Sequence[float]) -> list[int]:
    """Positions in the order to practise: relevant questions in the user's weakest competencies first."""
    priority = [r * (0.5 + w) for r, w in zip(relevance, weakness, strict=True)]  # weakness 0-1 lifts up to 3×
    return sorted(range(len(priority)), key=lambda i: (-priority[i], i))
