"""Quoting the answer in the report: evidence as the candidate wrote it, cut where it was cut."""

from __future__ import annotations

import re

from . import text as _text


def short(s: str, n: int = 80) -> str:
    """At most n characters, cut at a word boundary ("…I was on call", not "…I was on ca…")."""
    if len(s) <= n:
        return s
    cut = s[: n - 1]
    if not s[n - 1].isspace() and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


# what may stand between two units as written: the punctuation a clause split or a line break left out
_BETWEEN_UNITS = re.compile(r"[\s;:,.!?\u2014\u2013-]*")


def excerpt(evidence: str, point: str, n: int = 80) -> str:
    """At most about n characters of the evidence, around the words it shares with the point ("…then
    actually reduce their workload…" for "changes to workload"), not always its opening."""
    if len(evidence) <= n:
        return evidence
    wanted = set(_text.content_stems(point))
    words = evidence.split(" ")
    best, best_hits = 0, -1
    for start in range(len(words)):
        end, size = start, 0
        while end < len(words) and size + len(words[end]) + 1 <= n - 2:
            size += len(words[end]) + 1
            end += 1
        hits = len(wanted & set(_text.content_stems(" ".join(words[start:end]))))
        if hits > best_hits:
            best, best_hits = start, hits
        if end == len(words):
            break
    if best == 0:
        return short(evidence, n)
    rest = " ".join(words[best:])
    return "…" + (short(rest, n - 1) if len(rest) > n - 1 else rest)


def quoted(unit: str | None, cleaned: str = "") -> str | None:
    """A unit as the report quotes it: a pair of sentences as written ("…in three months; I took it
    to him", not "…in three months I took it to him"), a line break as " / "; a piece of a sentence
    (a clause, or a window of a run-on) is marked "…" where it was cut ("We paired for a quarter…",
    "…with three options"), a dangling comma or colon dropped, so the quote never reads as the whole."""
    if not unit:
        return unit
    text, span = _as_written(unit, cleaned)
    text = text.rstrip(" ,;:")
    if span is None:
        return text
    start, end = span
    if start > 0 and not _SENTENCE_BEFORE.search(cleaned, 0, start):
        text = "…" + text
    if not (_SENTENCE_CLOSE.search(text) or _SENTENCE_AFTER.match(cleaned, end)):
        text += "…"
    return text


# what stands before a sentence's first word (the text's start, a sentence's end, a line break), and
# how a sentence ends (its punctuation, a closing quote or bracket after it)
_SENTENCE_BEFORE = re.compile(r"(?:^|[.!?][\"'”’)\]]*|\n)\s*$")
_SENTENCE_CLOSE = re.compile(r"[.!?][\"'”’)\]]*$")
_SENTENCE_AFTER = re.compile(r"[.!?]*[\"'”’)\]]*[ \t]*(?:\n|$)|[.!?][\"'”’)\]]*\s")


def _as_written(unit: str, cleaned: str) -> tuple[str, tuple[int, int] | None]:
    """The unit as the cleaned answer has it, and where it stands there (None: not found)."""
    if not cleaned:
        return unit, None
    if (at := cleaned.find(unit)) >= 0:
        return unit, (at, at + len(unit))
    words = unit.split(" ")
    for cut in range(1, len(words)):  # a pair of units: where the first ends, the second begins
        first, second = " ".join(words[:cut]), " ".join(words[cut:])
        start = cleaned.find(first)
        if start < 0:
            continue
        end = start + len(first)
        gap = _BETWEEN_UNITS.match(cleaned, end)
        if gap and cleaned.startswith(second, gap.end()):
            between = cleaned[end:gap.end()]
            if "\n" in between:
                between = between.replace("\n", " ").rstrip() + " / " if between.strip() else " / "
            return first + between + second, (start, gap.end() + len(second))
    return unit, None
