"""Denials: a sentence that says the candidate did *not* do what a talking point asks.

"I did not confirm the problem with evidence" sits as close to the point "how you confirmed
it with evidence" as the sentence that does it: a sentence encoder reads topic, not
polarity. So a rule reads polarity: where the clauses in which the candidate (or "there")
is negated — "I never…", "we didn't…", "I avoided…", "there was no…" — carry most of a
point's own words, the sentence denies that point, unless its other clauses restate the point
as much without a negation. A clause in which the candidate denies an action of their own
("I never backfilled the old days", "we did not add any tests") needs fewer of the point's
words (CANDIDATE_DENIED_SHARE): it can only mean the candidate did not do it, where "we had
no data" or "nobody knew" may be the scene an answer starts from. A denying sentence is never evidence for
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
from .star import names_an_action

DENIED_SHARE = 0.5  # the negated clause holds at least this share of the point's weighted words
CANDIDATE_DENIED_SHARE = 0.3  # the same where the candidate denies an action of their own
DENYING_SENTENCE = 0.7  # a sentence this much made of the candidate's denials covers no point...
DENYING_WITHOUT_ACTION = 0.4  # ...or this much, when nothing else in it is something they did
_CLAUSES = re.compile(r"\s*[,;:]\s*|\s+(?:but|and|so|because|although|though|while|whereas|until|unless)\s+",
                      re.I)
_NEGATIONS = frozenset(("never", "not", "no", "none", "nothing", "without", "avoided", "avoid",
                        "avoiding", "neither", "nor", "cannot", "failed", "refused", "skipped", "skip",
                        "skipping", "bypass", "bypassed", "barely", "hardly"))
# "I'd skip any operational prerequisites", "we'd never…": the subject with its auxiliary in one word
_SUBJECTS = frozenset(("i", "we", "there", "i'd", "we'd", "i'll", "we'll", "i've", "we've", "i'm", "we're"))
_SUBJECT_REACH = 3  # the negation follows its subject within this many words ("I really never")


# "we had no data", "I was not sure", "we didn't have monitoring": a state, often the scene
_STATES = frozenset(("have", "has", "had", "having", "be", "been", "being", "was", "were", "is", "are", "am",
                     "i'm", "we're", "i've", "we've"))
_OBJECT_NEGATIONS = frozenset(("no", "none", "nothing", "without", "neither", "nor", "barely", "hardly"))
_ADVERBS = frozenset(("really", "even", "actually", "ever", "just", "properly", "honestly", "once"))
# "I don't think one method fits all": an opinion, not a denial
# "I didn't want to stop there", "I don't remember how long": a wish or a memory, not an action denied
_OPINIONS = frozenset(("think", "believe", "feel", "suppose", "expect", "mind", "doubt", "want", "wanted", "wish",
                       "remember", "recall", "like", "know", "knew", "mean", "care"))
# "separate “I don't like change” from …": words the candidate quotes deny nothing of theirs
_QUOTED = re.compile(r'“[^”]*”|"[^"]*"')
_REASONS = frozenset(("because", "since", "as", "given", "due"))
# "I didn't blame anyone", "I did not wait for the review": not doing these is the good part
_FAULTS = frozenset(("blame", "blamed", "punish", "shame", "micromanage", "panic", "rush", "overrule", "interrupt",
                     "ignore", "dismiss", "criticise", "criticize", "judge", "hide", "wait", "guess", "assume"))
# "what I didn't compromise on: security": the clause names a thing, it denies nothing
_RELATIVES = frozenset(("what", "which", "that", "where", "whatever", "something", "everything", "anything"))


def _negation(clause: str) -> str | None:
    """None, "candidate" where the candidate denies an action ("I never…", "we didn't add…"),
    or "other" for the rest ("there was no…", "we had no…", "I was not…")."""
    words = _text.words(clause)
    found = None
    for j, w in enumerate(words):
        if not (w in _NEGATIONS or w.endswith("n't")) or not any(
                b in _SUBJECTS for b in words[max(0, j - _SUBJECT_REACH) : j]):
            continue
        if words[j + 1 : j + 2] and words[j + 1] in ("only", "just", "merely", "simply"):
            return None  # "we checked not only his boss but two reports", "I didn't just write a doc": more, not less
        after = next((a for a in words[j + 1 :] if a not in _ADVERBS), "")
        before = words[j - 1] if j else ""
        if any(a in _NEGATIONS for a in words[j + 1 :]) or after in _OPINIONS or after in _FAULTS:
            return None  # "I never shipped without a canary": a double negation affirms
        if (any(b in _RELATIVES for b in words[max(0, j - _SUBJECT_REACH - 1) : j])
                or "there" in words[max(0, j - _SUBJECT_REACH) : j] or w in _OBJECT_NEGATIONS or before in _STATES
                or after in _STATES or w.startswith(("was", "were", "is", "are", "had", "has", "have"))):
            found = found or "other"
        else:
            return "candidate"
    return found


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


def candidate_denies(sentence: str) -> bool:
    """Whether some clause of the sentence has the candidate deny an action of their own ("I did
    not lead the response", "we never held a postmortem"), whatever it denies."""
    return any(_negation(clause) == "candidate" for clause in _CLAUSES.split(sentence))


def denying(sentence: str) -> bool:
    """Whether the sentence is mostly the candidate's denials: evidence of nothing they did.

    "I did not write a postmortem, I did not look for the root cause, and we never added
    monitoring"; or a denial with only a scene or a reason beside it, no action of theirs: "I
    didn't write a postmortem, honestly, because we were in the middle of a launch"."""
    by_candidate: set[str] = set()
    every: set[str] = set()
    acted = False
    for clause in _CLAUSES.split(_QUOTED.sub(" ", sentence)):
        words = _text.words(clause)
        if len(words) < 2 or words[0] in _REASONS:
            continue  # "honestly", "because we were mid-launch": an aside or a reason, not a thing done
        stems = _text.content_stems(clause)
        every.update(stems)
        kind = _negation(clause)
        if kind == "candidate":
            by_candidate.update(stems)
        elif kind is None and names_an_action(clause):
            acted = True
    if not by_candidate:
        return False
    share = len(by_candidate) / len(every)
    return share >= DENYING_SENTENCE or (not acted and share >= DENYING_WITHOUT_ACTION)


def denied_points(sentence: str, point_stem_lists: Sequence[Sequence[str]], overlap) -> list[bool]:
    """For each point (its content stems), whether this sentence denies it. `overlap(stems,
    unit_stems)` is the engine's weighted share of a point's stems found in a set."""
    negated: set[str] = set()
    by_candidate: set[str] = set()
    affirmed: set[str] = set()
    for clause in _CLAUSES.split(sentence):
        kind = _negation(clause)
        stems = _text.content_stems(clause)
        (affirmed if kind is None else negated).update(stems)
        if kind == "candidate":
            by_candidate.update(stems)
    if not negated:
        return [False] * len(point_stem_lists)
    out = []
    for stems in point_stem_lists:
        denied = overlap(stems, negated)
        enough = denied >= DENIED_SHARE or overlap(stems, by_candidate) >= CANDIDATE_DENIED_SHARE
        out.append(bool(stems) and enough and overlap(stems, affirmed) < denied)
    return out


# "how the team uses the metrics without gaming them", "decisions made rather than deferred":
# a point that asks the candidate not to do something is covered by a negation, not denied by one
_AVOIDANCE = re.compile(r"\b(without|rather than|instead of|avoid\w*|never|not|no longer|refus\w*|resist\w*)\b",
                        re.I)


def asks_to_avoid(point: str) -> bool:
    """Whether the talking point is about not doing something (so "I never rank people" may cover it)."""
    return bool(_AVOIDANCE.search(point))


def denial_mask(sents: Sequence[str], point_stem_lists: Sequence[Sequence[str]],
                overlap, avoiding: Sequence[bool] | None = None,
                denies: Sequence[bool] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(points, units) True where the unit holds a sentence that denies the point, or that is
    evidence of nothing (no example to tell, a list of what the candidate did not do); and
    (points,) True for the points some sentence denies in the point's own words. Units are the
    sentences, then each adjacent pair (answer.answer_units). A point that asks to avoid
    something (`avoiding`, see asks_to_avoid) is denied only by a sentence with no example to tell:
    "I never use them to rank individuals" is what "using metrics without gaming them" looks like.
    `denies`: `denying` of each sentence, where the caller has it already."""
    k, ns = len(point_stem_lists), len(sents)
    per_sentence = np.zeros((k, ns), dtype=bool)
    for j, s in enumerate(sents):
        per_sentence[:, j] = denied_points(s, point_stem_lists, overlap)
    keep = np.ones(k, dtype=bool) if avoiding is None else ~np.asarray(avoiding, dtype=bool)
    per_sentence &= keep[:, None]
    named = per_sentence.any(axis=1)
    if denies is None:
        denies = [denying(s) for s in sents]
    for j, s in enumerate(sents):
        if no_example(s):
            per_sentence[:, j] = True
        elif denies[j]:
            per_sentence[:, j] = keep
    if ns < 2:
        return per_sentence, named
    pairs = per_sentence[:, :-1] | per_sentence[:, 1:]
    return np.hstack([per_sentence, pairs]), named
