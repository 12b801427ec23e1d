"""Turn the guidance that accompanies a question into an ordered list of talking points.

The guidance usually ends with a sentence such as "In your answer, outline a
phased approach (e.g., MVP hardening, scalability, hiring), key trade-offs, and
how you'll tie engineering goals to company OKRs." Each item of that list is a
talking point; commas inside parentheses do not split.
"""

from __future__ import annotations

import re

_CLAUSE = re.compile(
    r"\b(?:in|with|for) your (?:answer|response|reply)\s*[,:]?\s*(?P<rest>.+)", re.IGNORECASE | re.DOTALL
)
# Verbs that introduce the list; they are dropped from the first point only when
# the clause is a bare instruction such as "cover X, Y and Z".
_LEADING_VERBS = re.compile(
    r"^(?:be sure to |make sure to |try to |you should |aim to )?"
    r"(?:cover|mention|include|address|discuss|touch on|explain|describe|show|share|outline|"
    r"highlight|detail|demonstrate|name|give|articulate|walk through|talk about|set out|"
    r"focus on|emphasi[sz]e|illustrate|provide|state|list)\s+",
    re.IGNORECASE,
)
_PREAMBLE = re.compile(
    r"^(?:employers|interviewers|they|hiring managers|companies)\s+"
    r"(?:asks?\s+(?:this(?:\s+question)?\s+)?(?:to\s+)?|want\s+to\s+|are\s+looking\s+for\s+|look\s+for\s+)"
    r"(?:(?:see|understand|learn|know|gauge|assess|evaluate|test|find out)\s+)?(?:if\s+|whether\s+)?",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")


def split_top_level(text: str, separators: str = ",;") -> list[str]:
    """Split on separators that are not inside (), [] or quotes."""
    parts, depth, current = [], 0, []
    for char in text:
        if char in "([{":
            depth += 1
        elif char in ")]}" and depth:
            depth -= 1
        if char in separators and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def _clean(point: str) -> str:
    point = point.strip().strip(".;:").strip()
    point = re.sub(r"^(?:and|or|plus|as well as|then)\s+", "", point, flags=re.IGNORECASE)
    return point.strip()


def _items(clause: str) -> list[str]:
    """Split "a, b, and c" / "a and b" into items, keeping parenthesised lists whole."""
    raw = [piece for piece in split_top_level(clause) if _clean(piece)]
    pieces = [_clean(piece) for piece in raw]
    # "practices that reinforce ownership, learning, and safety": a long item followed only by
    # short ones is one point whose object is a list, not several points.
    for index, piece in enumerate(pieces[:-1]):
        if len(piece.split()) >= 5 and all(len(rest.split()) <= 3 for rest in pieces[index + 1 :]):
            if index == 0:
                # ...unless that list is all the guidance asks for: then each item is a point that can
                # be checked on its own ("practices that reinforce ownership", "... learning", ...).
                return _distribute(piece, pieces[1:]) or [_clean(",".join(raw))]
            pieces = pieces[:index] + [_clean(",".join(raw[index:]))]
            break
    if len(pieces) == 1:
        # "X and Y" (or "X while Y") with no commas: split only when both sides are substantial.
        halves = re.split(r"\s+(?:and|while)\s+(?![^()]*\))", pieces[0], maxsplit=1)
        if len(halves) == 2 and all(len(half.split()) >= 3 for half in halves):
            pieces = [_clean(half) for half in halves]
    return pieces


_EXAMPLES_LEAD = re.compile(r"\b(?:such as|like|e\.g\.|including|for example)$", re.IGNORECASE)


def _distribute(head_item: str, rest: list[str]) -> list[str] | None:
    """"practices that reinforce ownership", ["learning", "safety"] -> one point per list item.

    None when the list is a list of examples ("tools such as A, B"), which stays one point.
    """
    head, _, first = head_item.rpartition(" ")
    if not head or _EXAMPLES_LEAD.search(head):
        return None
    items = [first] + [_clean(item) for item in rest]
    return [f"{head} {item}" for item in items if item]


def guidance_clause(intent: str) -> str | None:
    """The text after "In your answer," up to the end of that sentence, or None."""
    match = _CLAUSE.search(intent)
    if not match:
        return None
    rest = match.group("rest").strip()
    return _SENTENCE_END.split(rest, maxsplit=1)[0].strip()


def parse_talking_points(intent: str | None) -> tuple[str, ...]:
    """Talking points from guidance text; falls back to the guidance's own wording."""
    if not intent or not intent.strip():
        return ()
    clause = guidance_clause(intent)
    if clause is None:
        # No "In your answer" clause: use the last sentence that says what is wanted,
        # dropping the "Employers ask this to ..." preamble.
        sentences = [s.strip() for s in _SENTENCE_END.split(intent.strip()) if s.strip()]
        clause = sentences[-1]
        clause = _PREAMBLE.sub("", clause)
        clause = _LEADING_VERBS.sub("", clause, count=1)
        point = _clean(clause)
        # Without a list to split, the sentence itself is the one point an editor can refine.
        return (point,) if point else ()
    clause = _LEADING_VERBS.sub("", clause, count=1)
    points = _items(clause)
    return tuple(points)  # the source's own wording and case, kept exactly
