"""PURE: rank stories for a question by meaning (sentence vectors) and shared competencies, and keep
those that fit: the feedback engine, scoring the story told as the answer, finds it on topic and worth
at least MIN_STORY_SCORE. None fitting is a fine answer: the question then needs a story of its own.

Vectors come from whatever feedback backend is configured; without one, word overlap ranks them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

MIN_STORY_SCORE = 40  # as an answer it would be rated Hard at least: under 40 (Again) it answers too little
CANDIDATES = 6  # the closest stories scored by the engine to find the two or three that fit
# A story whose words match another question of the bank this much more closely (the engine's bm25_ratio,
# log((1 + own) / (1 + best other))) is that question's story, whatever points it seems to touch here. On an
# outside tester's three stories against the built-in bank, stories told for another question were -0.22 to
# -0.50 (a tech-debt story offered for "why management?" at -0.50, scored 69), the fitting ones -0.01 to 0.57:
# the tech-debt story against its own question's near twin ("convince leadership" / "convince your PM").
OTHER_QUESTION_RATIO = -0.1
# ... unless, by meaning, the question is among the story's closest in its bank: the word ratio is crude, and
# a story told in its own words for the very question it was written for once read as another question's
# (-0.27 against a career-framework question) and was never suggested. By e5, the story (as a passage) against
# every question of the bank (as queries) put its own question first and the question it was wrongly offered
# for (a missed deadline, -0.43) eleventh.
MEANING_RANK_WAIVES = 5
COMPETENCY_BONUS = 0.05  # a shared competency tag lifts a story as much as a clearly closer meaning
_WORD = re.compile(r"[a-z0-9]+")
_STOP = frozenset(("a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "how", "i", "in",
                   "is", "it", "its", "of", "on", "or", "our", "that", "the", "their", "this", "to", "was", "we",
                   "were", "what", "when", "which", "who", "why", "will", "with", "would", "you", "your"))


@dataclass(frozen=True)
class Ranked:
    index: int  # the story's position in the input
    similarity: float
    shared: tuple[str, ...]  # competencies the story and the question share


def _words(text: str) -> set[str]:
    return {w[:6] for w in _WORD.findall(text.lower()) if w not in _STOP}  # a crude stem: the first six letters


def word_similarity(a: str, b: str) -> float:
    """Share of words in common (Jaccard), for when no sentence vectors are available."""
    left, right = _words(a), _words(b)
    return len(left & right) / len(left | right) if left and right else 0.0


def cosine(query: np.ndarray, rows: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(rows, axis=1) * (np.linalg.norm(query) or 1.0)
    return (rows @ query) / np.where(norms == 0, 1.0, norms)


def rank(similarities: Sequence[float], story_competencies: Sequence[Sequence[str]],
         question_competencies: Sequence[str], limit: int = 3) -> list[Ranked]:
    """The best `limit` stories: similarity plus a bonus per shared competency; ties keep input order."""
    wanted = set(question_competencies)
    scored = []
    for index, (similarity, names) in enumerate(zip(similarities, story_competencies, strict=True)):
        shared = tuple(n for n in names if n in wanted)
        scored.append((-(similarity + COMPETENCY_BONUS * len(shared)), index, Ranked(index, similarity, shared)))
    return [item for *_, item in sorted(scored)[:limit]]


def worth_it(report: dict) -> bool:
    """On topic and MIN_STORY_SCORE or more, as the engine scored the story told as the answer."""
    return bool(report.get("on_topic", True)) and (report.get("score") or 0) >= MIN_STORY_SCORE


def told_for_another_question(report: dict) -> bool:
    """Whether the story's words match another question of the bank clearly better than this one (a specific,
    well-told story passed the score on specificity and structure alone, and "covered" points its sentences only
    brushed)."""
    ratio = (report.get("relevance_detail") or {}).get("bm25_ratio")
    return ratio is not None and ratio < OTHER_QUESTION_RATIO


def fits(report: dict, meaning_rank: int | None = None) -> bool:
    """Whether a story fits the question: worth it, and not another question's story unless its meaning says
    otherwise (`meaning_rank`: this question's place among the bank's questions closest to the story, 1 the
    closest; None when no sentence vectors are at hand)."""
    if not worth_it(report):
        return False
    return not told_for_another_question(report) or (meaning_rank is not None and meaning_rank <= MEANING_RANK_WAIVES)


def rank_of(similarities: Sequence[float], index: int) -> int:
    """The place (1 the first) of item `index` when the similarities are sorted from the highest; ties count
    for it."""
    own = similarities[index]
    return 1 + sum(1 for i, value in enumerate(similarities) if i != index and value > own)
