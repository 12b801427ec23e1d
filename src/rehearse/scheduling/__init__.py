"""rehearse.scheduling: pure spaced-repetition logic over the `fsrs` package.

No database, no web, no clock: card state, rating and the moment of review in; the next
card state out. See README.md in this folder for the score-to-rating mapping.
"""

from .fsrs_card import CardState, Rating, recompute, review, scheduler_for
from .rating import RATING_NAMES, parse_rating, rating_for_score

__all__ = [
    "RATING_NAMES",
    "CardState",
    "Rating",
    "parse_rating",
    "rating_for_score",
    "recompute",
    "review",
    "scheduler_for",
]
