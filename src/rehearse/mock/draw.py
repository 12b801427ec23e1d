"""PURE: draw a mock interview's questions, balanced across competencies and kinds, from a seed.

The same candidates, seed, count and set-aside questions always give the same draw, so a mock that
stores its seed and what it set aside can be replayed.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    id: int
    competencies: tuple[str, ...]
    kind: str  # behavioural | situational | other


def draw(candidates: Sequence[Candidate], count: int, seed: int, avoid: Collection[int] = ()) -> list[int]:
    """`count` question ids: each pick favours the competencies and the kind drawn least so far.

    Questions in `avoid` (answered in recent mocks) are used only when the rest run out.
    """
    if count < 1:
        raise ValueError("a mock needs at least one question")
    rng = random.Random(seed)
    ordered = sorted(candidates, key=lambda c: c.id)  # the input order must not change the draw
    rng.shuffle(ordered)
    fresh = [c for c in ordered if c.id not in avoid]
    stale = [c for c in ordered if c.id in avoid]
    picked: list[Candidate] = []
    for pool in (fresh, stale):
        remaining = list(pool)
        while remaining and len(picked) < count:
            by_competency = Counter(name for c in picked for name in (c.competencies or ("",)))
            by_kind = Counter(c.kind for c in picked)

            def need(c: Candidate, by_competency=by_competency, by_kind=by_kind) -> tuple[int, int, int]:
                names = c.competencies or ("",)
                # least-drawn competency first, then the rarer kind, then fewer already-covered tags
                return (min(by_competency[n] for n in names), by_kind[c.kind], sum(by_competency[n] for n in names))

            best = min(remaining, key=need)  # min keeps the first of equals: the shuffled order breaks ties
            picked.append(best)
            remaining.remove(best)
    return [c.id for c in picked]
