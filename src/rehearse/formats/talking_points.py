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
    r"focus on|emphasi[sz]e|illustrate|provide|state|list)(?:\s*:)?\s+",
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


# Words that open a clause or a noun phrase of its own: an item that starts with one is a point by itself
# ("the situation, what you did, and the result"); an item that does not is a bare noun that continues a
# list governed by the item before it ("how you balance cost, safety, and patient preference").
_OWN_HEAD = re.compile(
    r"^(?:the|a|an|your|their|his|her|its|our|my|this|that|these|those|any|each|every|some|"
    r"how|what|why|when|where|whether|which|who|whom|if)\b",
    re.IGNORECASE,
)
_SUBJECTS = frozenset({"you", "you'd", "you'll", "you’d", "you’ll", "we", "they", "i", "he", "she", "it"})
_CLAUSE_HEAD = re.compile(r"^(?:how|what|why|when|where|whether|which|who)\b", re.IGNORECASE)
# "X while Y" is two points only when Y is a second thing the candidate does: "while ensuring quality",
# "while setting up ...", "while checking every item" (an -ing clause). "while the ward is shouting" is the
# circumstance of the first point and stays with it.
_WHILE_DOING = re.compile(r"\s+while\s+(?=\w+ing\b)(?![^()]*\))", re.IGNORECASE)
_AND = re.compile(r"\s+and\s+(?![^()]*\))", re.IGNORECASE)
_LINKS = frozenset({"in", "on", "at", "under", "over", "for", "to", "with", "without", "of", "from", "by", "during",
                    "across", "against", "when", "while", "if", "after", "before", "as", "so", "that"})


def _is_bare(item: str) -> bool:
    return not _OWN_HEAD.match(item)


def _governs_a_list(head: str, rest: list[str]) -> bool:
    """Whether `head` is a short clause whose verb's object is the first of a list of bare nouns: "how you
    balance cost" + ["safety", "patient preference when choosing a brand"]. Not a list of verbs ("how you
    diagnose, set expectations"), nor a clause that has its own object ("how you reset the roadmap", "who you
    involve in the launch decision")."""
    words = head.split()
    if not _CLAUSE_HEAD.match(head) or not 4 <= len(words) <= 5 or words[-2].casefold() in _SUBJECTS:
        return False
    if any(_OWN_HEAD.match(word) or word.casefold() in _LINKS for word in words[2:]):
        return False

    def noun_part(item: str) -> list[str]:  # "patient preference when choosing a brand" -> its first two words
        item_words = item.split()
        cut = next((i for i, word in enumerate(item_words) if word.casefold() in _LINKS), len(item_words))
        return item_words[:cut]

    return all(1 <= len(noun_part(item)) <= 3 for item in rest)


def _items(clause: str) -> list[str]:
    """Split "a, b, and c" / "a and b" into items, keeping parenthesised lists whole."""
    raw = [piece for piece in split_top_level(clause) if _clean(piece)]
    pieces = [_clean(piece) for piece in raw]
    merged = False  # a point whose own list was joined back is not split again at its "and"
    for index, piece in enumerate(pieces[:-1]):
        rest = pieces[index + 1 :]
        if not all(_is_bare(item) for item in rest):
            continue
        # "how you balance cost, safety, and patient preference when choosing a brand": a clause whose verb
        # governs a list of bare nouns (its own object bare too: not "how you reset the roadmap") is one point;
        # a list of verbs ("how you diagnose, set clear expectations, and support growth") is not.
        if _governs_a_list(piece, rest):
            pieces, merged = pieces[:index] + [_clean(",".join(raw[index:]))], True
            break
        # "practices that reinforce ownership, learning, and safety": a long item followed only by
        # short bare ones is one point whose object is a list, not several points.
        if len(piece.split()) >= 5 and all(len(item.split()) <= 3 for item in rest):
            if index == 0:
                # ...unless that list is all the guidance asks for: then each item is a point that can
                # be checked on its own ("practices that reinforce ownership", "... learning", ...).
                return _distribute(piece, rest) or [_clean(",".join(raw))]
            pieces, merged = pieces[:index] + [_clean(",".join(raw[index:]))], True
            break
    if len(pieces) == 1 and not merged:
        # "X and Y" (or "X while doing Y") with no commas: split only when both sides are substantial.
        for separator in (_AND, _WHILE_DOING):
            halves = separator.split(pieces[0], maxsplit=1)
            if len(halves) == 2 and all(len(half.split()) >= 3 for half in halves):
                return [_clean(half) for half in halves]
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
