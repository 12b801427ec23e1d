"""From the progress figures to the dashboard's charts (each with the rows of its data table)."""

from __future__ import annotations

from datetime import date
from typing import Any

from . import charts


def _label(week: str) -> str:
    return date.fromisoformat(week).strftime("%d %b")


MIN_WEEKS_SHOWN = 8  # a new user's first weeks are drawn over two months, not over a year of nothing
DUE_CHART_SIZE = (440, 300)  # shown in half a row: drawn at that size, its text stays readable


def shown_weeks(weeks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The weeks the time charts draw: from the week before the first practised one (at least
    the last MIN_WEEKS_SHOWN) to now; the table and the API keep every week."""
    practised = [i for i, w in enumerate(weeks) if w["attempts"]]
    start = min(max(0, practised[0] - 1) if practised else len(weeks), len(weeks) - MIN_WEEKS_SHOWN)
    return weeks[max(0, start):]


def charts_for(figures: dict[str, Any]) -> dict[str, str | None]:
    """Image addresses of the dashboard's charts; None where there is nothing to draw."""
    weeks = shown_weeks(figures["weeks"])
    labels = [_label(w["week"]) for w in weeks]
    practised = any(w["attempts"] for w in weeks)
    coverage = [c for c in figures["coverage_by_competency"] if c["coverage"] is not None]
    paces = [w["words_per_minute"] for w in weeks]
    delivery = {"words per answer": [w["mean_words"] for w in weeks]}
    filler = {"fillers per 100 words": [w["fillers_per_100_words"] for w in weeks]}
    if any(paces):
        filler["pace, words a minute ÷ 10 (spoken)"] = [p / 10 if p else None for p in paces]
    due = figures["due_by_day"]
    return {
        "score": charts.data_uri(charts.line("Mean score by week (out of 100)", labels,
                                             {"mean score": [w["mean_score"] for w in weeks]}, max_value=100))
        if practised else None,
        "coverage": charts.data_uri(charts.bar("Talking points covered, by competency (%)",
                                               [c["competency"].replace("-", " ") for c in coverage],
                                               [round(100 * c["coverage"]) for c in coverage], unit="%"))
        if coverage else None,
        "length": charts.data_uri(charts.line("Answer length by week (words)", labels, delivery))
        if practised else None,
        "fillers": charts.data_uri(charts.line("Filler words by week", labels, filler)) if practised else None,
        "due": charts.data_uri(charts.bar("Reviews due, next 14 days", [date.fromisoformat(d["date"]).strftime("%a %d")
                                                                        for d in due],
                                          [d["due"] for d in due], horizontal=False, max_value=None,
                                          counts=True, size=DUE_CHART_SIZE))
        if any(d["due"] for d in due) else None,
    }
