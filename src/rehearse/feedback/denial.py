"""Denials: a sentence that says the candidate did *not* do what a talking point asks.

"I did not confirm the problem with evidence" sits as close to the point "how you confirmed
it with evidence" as the sentence that does it: a sentence encoder reads topic, not
polarity. So a rule reads polarity: where the clauses in which the candidate (or "there")
is negated — "I never…", "we didn't…", "I avoided…", "there was no…" — carry most of a
point's own words, the sentence denies that point, unless its other clauses restate the point
as much without a negation. A denying sentence is never evidence for
the point it denies (nor is a pair of sentences that holds it), so a point is covered only
by what the answer affirms. Only echoed wording is caught: a denial in other words ("I went
with my gut") is left to the model, and a scene that names what was missing ("we had no
monitoring, so I set it up") rarely carries most of a point's words in the negated clause.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from . import text as _text

DENIED_SHARE = 0.5  # the negated clause holds at least this share of the point's weighted words
_CLAUSES = re.compile(r"\s*[,;:]\s*|\s+(?:but|and|so|because|although|though|while|whereas|until|unless)\s+",
                      re.I)
_NEGATIONS = frozenset(("never", "not", "no", "none", "nothing", "without", "avoided", "avoid",
                        "avoiding", "neither", "nor", "cannot", "failed", "refused", "skipped",
                        "barely", "hardly"))
_SUBJECTS = frozenset(("i", "we", "there"))
_SUBJECT_REACH = 3  # the negation follows its subject within this many words ("I really never")


def _negated(clause: str) -> bool:
    """The clause negates the candidate ("I never…", "we didn't…") or says "there was no…"."""
    words = _text.words(clause)
    for j, w in enumerate(words):
        if (w in _NEGATIONS or w.endswith("n't")) and any(
                b in _SUBJECTS for b in words[max(0, j - _SUBJECT_REACH) : j]):
            return True
    return False


# "I can't think of a decision I made that was wrong": the question's premise denied, which
# covers none of its points however close it sits to them
_NO_EXAMPLE = re.compile(
    r"\b(i|we)\s+(can(no|')t|can not|could(n't| not)|do(n't| not)|honestly (can't|cannot|don't))\s+"
    r"(really\s+)?(think of|recall|remember|come up with)\s+(a|an|any|one|anything|such)\b"
    r"|\b(i|we)\s+(do(n't| not)|didn't|did not)\s+(really\s+)?have\s+(a|an|any)\s+(good\s+|real\s+)?"
    r"(example|story|instance|case)\b", re.I)


def no_example(sentence: str) -> bool:
    """The sentence says the candidate has no such experience to tell."""
    return bool(_NO_EXAMPLE.search(sentence.replace("’", "'")))


def denied_points(sentence: str, point_stem_lists: Sequence[Sequence[str]], overlap) -> list[bool]:
    """For each point (its content stems), whether this sentence denies it. `overlap(stems,
    unit_stems)` is the engine's weighted share of a point's stems found in a set."""
    negated: set[str] = set()
    affirmed: set[str] = set()
    for clause in _CLAUSES.split(sentence):
        (negated if _negated(clause) else affirmed).update(_text.content_stems(clause))
    if not negated:
        return [False] * len(point_stem_lists)
    out = []
    for stems in point_stem_lists:
        denied = overlap(stems, negated)
        out.append(bool(stems) and denied >= DENIED_SHARE and overlap(stems, affirmed) < denied)
    return out


def denial_mask(sents: Sequence[str], point_stem_lists: Sequence[Sequence[str]], overlap) -> np.ndarray:
    """(points, units) True where the unit holds a sentence that denies the point; units are
    the sentences, then each adjacent pair (answer.answer_units)."""
    k, ns = len(point_stem_lists), len(sents)
    per_sentence = np.zeros((k, ns), dtype=bool)
    for j, s in enumerate(sents):
        per_sentence[:, j] = True if no_example(s) else denied_points(s, point_stem_lists, overlap)
    if ns < 2:
        return per_sentence
    pairs = per_sentence[:, :-1] | per_sentence[:, 1:]
    return np.hstack([per_sentence, pairs])
