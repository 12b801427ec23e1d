"""Mark the evidence sentences of a report inside the user's own answer, safely.

The engine quotes evidence from a cleaned copy of the answer (markup stripped,
whitespace collapsed, a cut marked "…"), so it is found again in the raw answer word by
word, allowing any punctuation or spacing in between. Everything is HTML-escaped; the only
markup added is <mark> around escaped substrings and, after each, the hidden words that say
which points it covers (the small numbers beside it are CSS, which screen readers skip).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from rehearse.feedback.text import HTML_TAG

_WORD = re.compile(r"\w+")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+")
_LINE = re.compile(r"[^\r\n]+")
_LIST_MARKER = re.compile(r"[ \t]*(?:[-*+•]|\d+[.)])[ \t]+")  # "1. ", "- ": the list's, not the evidence's
CUT = "…"  # how the engine marks evidence cut from a longer sentence
MAX_EVIDENCE_WORDS = 200  # an evidence unit is one or two sentences; longer is not worth a regex


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    points: tuple[int, ...]  # indexes of the talking points this text is evidence for


_TAG = HTML_TAG  # the tags the engine strips: real HTML only ("< 200 ms" is text)


def _answer_words(answer: str) -> list[tuple[str, int, int]]:
    """(lowercased word, start, end) for every word of the answer outside markup tags."""
    tags = [match.span() for match in _TAG.finditer(answer)]
    words, tag = [], 0
    for match in _WORD.finditer(answer):
        while tag < len(tags) and tags[tag][1] <= match.start():
            tag += 1
        if tag < len(tags) and tags[tag][0] <= match.start():
            continue  # a word inside <tag ...>, which the engine stripped
        words.append((match.group().lower(), match.start(), match.end()))
    return words


def _locate(answer: str, words: list[tuple[str, int, int]], evidence: str) -> tuple[int, int] | None:
    """The span of the answer whose words are the evidence's words, in order.

    A plain word-sequence search rather than one big regular expression: the user writes
    the answer, and a pattern with optional separators between 200 words can take
    exponential time on crafted punctuation.
    """
    target = [word.lower() for word in _WORD.findall(evidence)]
    if not target or len(target) > MAX_EVIDENCE_WORDS:
        return None
    tokens = [word for word, _, _ in words]
    size = len(target)
    for index in range(len(tokens) - size + 1):
        if tokens[index] == target[0] and tokens[index : index + size] == target:
            start, end = words[index][1], words[index + size - 1][2]
            if not evidence.rstrip().endswith(CUT):  # cut mid-sentence: the comma after it is not its own
                end = _past_closing_punctuation(answer, end)
            return start, end
    return None


def _past_closing_punctuation(answer: str, end: int) -> int:
    """Where the sentence ending at `end` really ends: after its closing punctuation ("30%!")."""
    while end < len(answer) and not answer[end].isspace() and not _WORD.match(answer[end]) and answer[end] != "<":
        end += 1
    return end


def find(answer: str, evidence: str, words: list[tuple[str, int, int]] | None = None) -> list[tuple[int, int]]:
    """Where the evidence stands in the answer: one span, or one per sentence, or none."""
    words = _answer_words(answer) if words is None else words
    for parts in ([evidence], _SENTENCE_BREAK.split(evidence)):
        spans = [span for part in parts if (span := _locate(answer, words, part))]
        if spans:
            return spans
    return []


def evidence_spans(answer: str, evidence: Sequence[str | None]) -> list[Span]:
    """Non-overlapping spans of the answer, each labelled with the points it is evidence for."""
    cuts = {0, len(answer)}
    located = []
    words = _answer_words(answer)
    for index, text in enumerate(evidence):
        if not text:
            continue
        for start, end in find(answer, text, words):
            located.append((start, end, index))
            cuts.update((start, end))
    if not located:
        return []
    ordered = sorted(cuts)
    spans = []
    for start, end in zip(ordered, ordered[1:], strict=False):
        points = tuple(sorted(i for s, e, i in located if s <= start and end <= e))
        if points:
            if spans and spans[-1].end == start and spans[-1].points == points:
                spans[-1] = Span(spans[-1].start, end, points)
            else:
                spans.append(Span(start, end, points))
    return [piece for span in spans for piece in _line_pieces(answer, span)]


def _line_pieces(answer: str, span: Span) -> list[Span]:
    """The span cut at its line breaks and trimmed of blank space: a highlight stays inside one
    paragraph or list item, each piece numbered, and never marks a space between two others."""
    pieces = []
    for line in _LINE.finditer(answer, span.start, span.end):
        text = line.group()
        marker = _LIST_MARKER.match(text) if line.start() > span.start else None
        start = line.start() + (marker.end() if marker else len(text) - len(text.lstrip()))
        end = line.end() - len(text) + len(text.rstrip())
        if start < end:
            pieces.append(Span(start, end, span.points))
    return pieces


def points_phrase(points: Sequence[int]) -> str:
    """What a highlight's numbers mean, in words: "point 1", "points 1 and 3", "points 1, 3 and 4"."""
    numbers = [str(i + 1) for i in points]
    if len(numbers) == 1:
        return f"point {numbers[0]}"
    return f"points {', '.join(numbers[:-1])} and {numbers[-1]}"


def highlight(answer: str, evidence: Sequence[str | None]) -> Markup:
    """The answer as safe HTML, evidence wrapped in <mark data-evidence-for="1 2"> and followed by
    hidden words for screen readers (" (covers points 1 and 2)"), which read CSS numbers as bare digits."""
    out = []
    position = 0
    for span in evidence_spans(answer, evidence):
        out.append(escape(answer[position : span.start]))
        labels = " ".join(str(i + 1) for i in span.points)
        out.append(
            Markup('<mark class="evidence" data-evidence data-evidence-for="{}">{}</mark>'
                   '<span class="visually-hidden"> (covers {})</span>').format(
                labels, answer[span.start : span.end], points_phrase(span.points)
            )
        )
        position = span.end
    out.append(escape(answer[position:]))
    return Markup("").join(out)


def covered_evidence(points: Sequence[dict]) -> list[str | None]:
    """Each talking point's evidence where it is covered, else None: a missed point's near
    miss is quoted in the checklist, not highlighted as a sentence that covers it."""
    return [p.get("evidence") if p.get("covered") else None for p in points]
