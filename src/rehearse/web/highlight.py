"""Mark the evidence sentences of a report inside the user's own answer, safely.

The engine quotes evidence from a cleaned copy of the answer (markup stripped,
whitespace collapsed), so it is found again in the raw answer word by word, allowing
any punctuation or spacing in between. Everything is HTML-escaped; the only markup
added is <mark> around escaped substrings.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

_WORD = re.compile(r"\w+")
_SENTENCE_BREAK = re.compile(r"(?<=[.!?])\s+")
MAX_EVIDENCE_WORDS = 200  # an evidence unit is one or two sentences; longer is not worth a regex


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    points: tuple[int, ...]  # indexes of the talking points this text is evidence for


def _pattern(evidence: str) -> re.Pattern[str] | None:
    words = _WORD.findall(evidence)
    if not words or len(words) > MAX_EVIDENCE_WORDS:
        return None
    # Between words: punctuation, spaces or markup the engine stripped; after the last word,
    # its closing punctuation ("30%!"), so the highlight ends where the sentence does.
    between = r"(?:<[^<>]{0,200}>|\W)+?"
    body = between.join(re.escape(w) for w in words)
    return re.compile(r"(?<!\w)" + body + r"(?!\w)[^\w\s<]*", re.IGNORECASE)


def find(answer: str, evidence: str) -> list[tuple[int, int]]:
    """Where the evidence stands in the answer: one span, or one per sentence, or none."""
    for parts in ([evidence], _SENTENCE_BREAK.split(evidence)):
        spans = []
        for part in parts:
            pattern = _pattern(part)
            match = pattern.search(answer) if pattern else None
            if match:
                spans.append(match.span())
        if spans:
            return spans
    return []


def evidence_spans(answer: str, evidence: Sequence[str | None]) -> list[Span]:
    """Non-overlapping spans of the answer, each labelled with the points it is evidence for."""
    cuts = {0, len(answer)}
    located = []
    for index, text in enumerate(evidence):
        if not text:
            continue
        for start, end in find(answer, text):
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
    return spans


def highlight(answer: str, evidence: Sequence[str | None]) -> Markup:
    """The answer as safe HTML, evidence wrapped in <mark data-evidence-for="1 2">."""
    out = []
    position = 0
    for span in evidence_spans(answer, evidence):
        out.append(escape(answer[position : span.start]))
        labels = " ".join(str(i + 1) for i in span.points)
        out.append(
            Markup('<mark class="evidence" data-evidence data-evidence-for="{}">{}</mark>').format(
                labels, answer[span.start : span.end]
            )
        )
        position = span.end
    out.append(escape(answer[position:]))
    return Markup("").join(out)
