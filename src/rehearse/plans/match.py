"""PURE: match a job posting's responsibilities to questions, by meaning, and show the job terms they share.

The posting is cut into phrases (its lines and sentences); each question is compared with every
phrase (cosine of sentence vectors, given by the caller); the phrase it matches is the one it is
closest to, lifted by how much closer it is than the other questions (PHRASE_LIFT). Its relevance is
that closeness calibrated against the banks themselves: the share of the banks' other questions that
are less close to it than the posting is. 50% means the posting says what this question asks as
closely as a typical other question of the banks does, whatever the model's own scale (a small e5
model puts unrelated sentences at a cosine of 0.8). Without sentence vectors (or with word-count
ones, which put any two questions near 0 and so any shared word far above them), the question's
distinctive job terms found in one line of the posting stand in: TERMS_FOR_FULL make it fully relevant.
The shared job terms shown are the distinctive ones (in few questions of the banks) that the question
shares with the phrase it matched.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import snowballstemmer

MAX_PHRASES = 150  # a long posting's first 150 lines and sentences carry its responsibilities
MIN_PHRASE_WORDS = 3  # "Benefits", "Apply now": headings, not responsibilities
CALIBRATION_SAMPLE = 400  # other questions each question is calibrated against: enough for a steady share
MIN_RELEVANCE = 0.5  # below this the posting is further from the question than a typical other question is
TERMS_FOR_FULL = 4  # without vectors: two distinctive terms in one line (50%) are the minimum, four the most
DISTINCTIVE_SHARE = 0.05  # a job term in more than 5% of the questions ("engineering", "team") explains nothing
# A question's closeness to a phrase counts, besides, twice what it is above the mean closeness of
# every question to that phrase: "You have managed engineers, handled underperformance and can
# explain trade-offs to executives" is close to every leadership question and, read raw, took 24
# of a plan's 25 questions from the posting's responsibilities (incidents, roadmap, debt...).
PHRASE_LIFT = 2.0
_SPLIT = re.compile(r"(?:\n+|(?<=[.!?;])\s+)")
_CLAUSE = re.compile(r",\s+(?:and\s+)?")
_BULLET = re.compile(r"^\s*(?:[-*•·–]|\d+[.)])\s*")
_WORD = re.compile(r"[a-z][a-z0-9+#-]*")
_STOP_WORDS = """
a an and are as at be been being but by can could did do does for from had has have how i if in  into is it
its may more most must no not of on or our out over should so some such than that  the their them then there
these they this those through to under up us very was we were what  when where which while who why will with
within without would you your yours about across  after also all any both each every few like make made many
much new other own same well able  ability work working strong experience years year team teams role company
help including  tell time describe give example
report reports reporting join joining looking ideal candidate candidates salary benefits apply hybrid remote
office location based
"""  # the last two lines: a posting's boilerplate ("you report to the Director", "apply now"), not duties
STOP = frozenset(_STOP_WORDS.split())


def phrases(posting: str) -> list[str]:
    """The posting's lines and sentences that are long enough to say something, bullets removed, each
    followed by its comma-separated clauses where it lists several duties ("set the strategy, grow the
    team, run incidents well": one sentence is far from each question about one of them)."""
    out = []
    for piece in _SPLIT.split(posting):
        text = _BULLET.sub("", piece).strip()
        if len(text.split()) < MIN_PHRASE_WORDS:
            continue
        clauses = [c.strip() for c in _CLAUSE.split(text)]
        for part in [text, *(clauses if len(clauses) > 1 else [])]:
            if len(part.split()) >= MIN_PHRASE_WORDS and part not in out:
                out.append(part)
            if len(out) == MAX_PHRASES:
                return out
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
    relevance: float  # calibrated, 0-1: see the module's docstring
    meaning: float  # the raw cosine to the phrase matched
    phrase: str | None  # the posting's phrase it matched
    shared_terms: tuple[str, ...]


def distinctive(question_terms: Sequence[set[str]]) -> set[str]:
    """The single-word terms found in few of the questions: those that say what a question is about."""
    counts = Counter(t for own in question_terms for t in own if " " not in t)
    limit = max(2, DISTINCTIVE_SHARE * len(question_terms))
    return {t for t, n in counts.items() if n <= limit}


def calibrate(closeness: np.ndarray, question_vectors: np.ndarray) -> np.ndarray:
    """Each question's closeness to the posting as the share of (a sample of) the other questions that
    are less close to it: a closeness every model and bank puts on the same scale."""
    q = question_vectors / np.maximum(np.linalg.norm(question_vectors, axis=1, keepdims=True), 1e-9)
    step = max(1, len(q) // CALIBRATION_SAMPLE)
    sample = np.arange(0, len(q), step)[:CALIBRATION_SAMPLE]  # evenly spread: the same sample every time
    others = q @ q[sample].T  # (questions, sample)
    itself = sample[None, :] == np.arange(len(q))[:, None]
    below = ((others < closeness[:, None]) & ~itself).sum(1)
    return below / np.maximum(1, (~itself).sum(1))


def match(posting_phrases: Sequence[str], phrase_vectors: np.ndarray | None, question_texts: Sequence[str],
          question_vectors: np.ndarray | None, posting_terms: set[str], question_terms: Sequence[set[str]]
          ) -> list[Match]:
    """Every question with its relevance to the posting, most relevant first (ties keep input order)."""
    has_vectors = phrase_vectors is not None and question_vectors is not None and len(posting_phrases) > 0
    meaning = np.zeros((len(question_texts), max(1, len(posting_phrases))), dtype=np.float32)
    if has_vectors:
        q = question_vectors / np.maximum(np.linalg.norm(question_vectors, axis=1, keepdims=True), 1e-9)
        p = phrase_vectors / np.maximum(np.linalg.norm(phrase_vectors, axis=1, keepdims=True), 1e-9)
        meaning = q @ p.T
    lifted = meaning + PHRASE_LIFT * (meaning - meaning.mean(0, keepdims=True)) if len(meaning) > 1 else meaning
    best = lifted.argmax(1)
    closeness = meaning[np.arange(len(meaning)), best]
    calibrated = calibrate(closeness, question_vectors) if has_vectors and len(question_texts) > 1 else None
    telling = distinctive(question_terms)
    phrase_terms = [terms(p) for p in posting_phrases]
    results = []
    for index, own in enumerate(question_terms):
        own_telling = own & telling
        shared = own_telling & posting_terms
        if calibrated is not None:
            relevance = float(calibrated[index]) if closeness[index] > 0 else 0.0
            phrase = posting_phrases[int(best[index])] if closeness[index] > 0 else None
        else:  # no meaning to go by: the distinctive terms of the line that has the most of them
            counts = [len(own_telling & t) for t in phrase_terms]
            relevance = min(1.0, max(counts, default=0) / TERMS_FOR_FULL)
            phrase = posting_phrases[counts.index(max(counts))] if counts and max(counts) else None
        said = phrase_terms[posting_phrases.index(phrase)] if phrase is not None else set()
        results.append(Match(index, round(relevance, 4), round(float(closeness[index]), 4), phrase,
                             tuple(sorted(shared & said))[:8]))
    return sorted(results, key=lambda m: (-m.relevance, m.index))


def order(relevance: Sequence[float], weakness: Sequence[float]) -> list[int]:
    """Positions in the order to practise: relevant questions in the user's weakest competencies first."""
    priority = [r * (0.5 + w) for r, w in zip(relevance, weakness, strict=True)]  # weakness 0-1 lifts up to 3×
    return sorted(range(len(priority)), key=lambda i: (-priority[i], i))
