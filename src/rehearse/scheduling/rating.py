"""From a feedback score (0-100) to an FSRS rating, and the names a user may choose.

The mapping (documented in the README):

| score    | rating |
|----------|--------|
| 0-39     | Again  |
| 40-59    | Hard   |
| 60-84    | Good   |
| 85-100   | Easy   |

The score already weighs coverage, structure, specificity and delivery, so an answer the
engine calls weak is one the user could not yet recall well: Again brings it back soon.
"""

from __future__ import annotations

from fsrs import Rating

# Lower bounds of each rating, checked from the top; the comments say why each sits where it does.
EASY_FROM = 85  # the engine's "strong" band: every point covered and well delivered
GOOD_FROM = 60  # most talking points covered: recalled, with some effort
HARD_FROM = 40  # about half covered: recalled only in part
RATING_NAMES = {"again": Rating.Again, "hard": Rating.Hard, "good": Rating.Good, "easy": Rating.Easy}


def rating_for_score(score: int | float) -> Rating:
    """The FSRS rating a feedback score stands for."""
    if not 0 <= score <= 100:
        raise ValueError(f"a feedback score is between 0 and 100, not {score!r}")
    if score >= EASY_FROM:
        return Rating.Easy
    if score >= GOOD_FROM:
        return Rating.Good
    if score >= HARD_FROM:
        return Rating.Hard
    return Rating.Again


def parse_rating(value: str | int) -> Rating:
    """A rating from its name (again/hard/good/easy) or number (1-4); ValueError otherwise (True is no 1)."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a rating; use one of again, hard, good, easy (or 1-4)")
    if isinstance(value, int) or (isinstance(value, str) and value.strip().isdigit()):
        number = int(value)
        if number in (1, 2, 3, 4):
            return Rating(number)
    elif isinstance(value, str) and value.strip().lower() in RATING_NAMES:
        return RATING_NAMES[value.strip().lower()]
    raise ValueError(f"{value!r} is not a rating; use one of again, hard, good, easy (or 1-4)")
