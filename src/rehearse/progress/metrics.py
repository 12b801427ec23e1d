"""PURE: the few numbers of a feedback report that the dashboard aggregates."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Metrics:
    score: int
    points_total: int
    points_covered: int
    words: int
    fillers: int
    hedges: int
    words_per_minute: float | None


def metrics_of(report: dict[str, Any], speech: dict[str, Any] | None = None) -> Metrics:
    """Counts from a report (and the measured pace of a spoken answer, when there is one)."""
    points = report.get("talking_points") or []
    delivery = report.get("delivery") or {}
    pace = (speech or {}).get("words_per_minute")
    return Metrics(
        score=int(report.get("score", 0)),
        points_total=len(points),
        points_covered=sum(1 for p in points if p.get("covered")),
        words=int(delivery.get("words") or 0),
        fillers=sum(int(n) for n in (delivery.get("fillers") or {}).values()),
        hedges=sum(int(n) for n in (delivery.get("hedges") or {}).values()),
        words_per_minute=float(pace) if isinstance(pace, (int, float)) and pace > 0 else None,
    )
