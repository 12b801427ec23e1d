"""Whether an intent that lists the talking points ("In your answer, X, Y and Z") still says them after a
change to the points: points are often derived from that sentence (an import does so), and a new point the
intent does not name leaves the two out of step. The editor is told; the intent is never rewritten, since
its wording is the editor's to choose."""

from __future__ import annotations

from collections.abc import Sequence

from rehearse.formats import parse_talking_points
from rehearse.formats.model import same_text
from rehearse.formats.talking_points import guidance_clause

from .rules import shorten


def listed_points(intent: str | None) -> tuple[str, ...]:
    """The points an intent lists in its "In your answer, …" sentence; none when it has no such sentence."""
    if not intent or guidance_clause(intent) is None:
        return ()
    return parse_talking_points(intent)


def intent_warning(intent: str | None, old_points: Sequence[str], new_points: Sequence[str]) -> str | None:
    """A sentence for the editor when the points change and the intent's list no longer matches them: a new
    point it does not name, or a removed point it still names; None when the points are unchanged, the
    intent lists no points, or it says the same change already."""
    listed = {same_text(point) for point in listed_points(intent)}
    if not listed:
        return None
    old, new = {same_text(p) for p in old_points}, {same_text(p) for p in new_points}
    missing = [p for p in new_points if same_text(p) not in old and same_text(p) not in listed]
    still_named = [p for p in old_points if same_text(p) not in new and same_text(p) in listed]
    if not missing and not still_named:
        return None
    problems = []
    if missing:
        problems.append("does not name " + _quoted(missing))
    if still_named:
        problems.append("still names " + _quoted(still_named) + ", which the points no longer have")
    return (f"The intent lists the talking points, and {' and '.join(problems)}: it may need the same change. "
            "Edit the intent if it should say it; it is not changed for you.")


def _quoted(points: Sequence[str]) -> str:
    quoted = [f"“{shorten(p, 60)}”" for p in points]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
