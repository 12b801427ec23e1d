"""Word-level differences and three-way merges of text and of talking-point lists (pure; difflib only)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

# A word or a punctuation mark, with the white space after it: half as many tokens as splitting the
# spaces off, and no token as common as " " (which makes difflib's matching slow on long answers).
_TOKEN = re.compile(r"\w+(?:['’]\w+)*\s*|[^\w\s]\s*|\s+")


def tokens(text: str | None) -> list[str]:
    """Words and single punctuation marks with their trailing white space; they join back into the text."""
    return _TOKEN.findall(text or "")


@dataclass(frozen=True)
class Chunk:
    op: str  # "equal" | "insert" | "delete"
    text: str


def word_diff(old: str | None, new: str | None) -> list[Chunk]:
    """The change from old to new, word by word, as chunks to render with <del> and <ins>."""
    a, b = tokens(old), tokens(new)
    chunks: list[Chunk] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            chunks.append(Chunk("equal", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            chunks.append(Chunk("delete", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            chunks.append(Chunk("insert", "".join(b[j1:j2])))
    return chunks


def list_diff(old: Sequence[str] | None, new: Sequence[str] | None) -> list[Chunk]:
    """Talking points added, removed or kept, one chunk per point."""
    a, b = list(old or ()), list(new or ())
    chunks: list[Chunk] = []
    for op, i1, i2, j1, j2 in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            chunks += [Chunk("equal", item) for item in a[i1:i2]]
            continue
        if op in ("delete", "replace"):
            chunks += [Chunk("delete", item) for item in a[i1:i2]]
        if op in ("insert", "replace"):
            chunks += [Chunk("insert", item) for item in b[j1:j2]]
    return chunks


def changed(chunks: Sequence[Chunk]) -> bool:
    return any(chunk.op != "equal" for chunk in chunks)


class MergeConflict(ValueError):
    """Both sides changed the same words."""


def _changes(base: list, other: list) -> list[tuple[int, int, list]]:
    """(start, end, replacement) in base coordinates for every change from base to other."""
    return [(i1, i2, other[j1:j2]) for op, i1, i2, j1, j2 in
            SequenceMatcher(None, base, other, autojunk=False).get_opcodes() if op != "equal"]


def merge3(base: list, mine: list, theirs: list) -> list:
    """Apply both sides' changes to base; raises MergeConflict where they touch the same place."""
    ours, their = _changes(base, mine), _changes(base, theirs)
    merged: list = []
    position = 0
    events = sorted([(s, e, r, 0) for s, e, r in ours] + [(s, e, r, 1) for s, e, r in their],
                    key=lambda c: (c[0], c[1]))
    last_end, last_side, last_change = -1, None, None
    for start, end, replacement, side in events:
        if last_side is not None and last_side != side and (
                start < last_end or (start == last_end and (start == end or last_change[0] == last_end))):
            if (last_change[0], last_end, last_change[2]) == (start, end, replacement):
                continue  # both sides made the same change
            raise MergeConflict("both versions change the same words")
        merged += base[position:start] + replacement
        position = end
        last_end, last_side, last_change = end, side, (start, end, replacement)
    return merged + base[position:]


def merge_text(base: str | None, mine: str | None, theirs: str | None) -> str:
    return "".join(merge3(tokens(base), tokens(mine), tokens(theirs)))


def merge_list(base: Sequence[str] | None, mine: Sequence[str] | None, theirs: Sequence[str] | None) -> list[str]:
    return merge3(list(base or ()), list(mine or ()), list(theirs or ()))
