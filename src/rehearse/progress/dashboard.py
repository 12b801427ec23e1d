"""From the progress figures to the dashboard's charts (each with the rows of its data table)."""

from __future__ import annotations

from datetime import date
from typing import Any

from . import charts


def _label(week: str) -> str:
    return date.fromisoformat(week).strftime("%d %b")


def charts_for(figures: dict[str, Any]) -> dict[str, str | None]:
    """Image addresses of the dashboard's charts; None where there is nothing to draw."""
    weeks = figures["weeks"]
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
                                          [d["due"] for d in due], horizontal=False, max_value=None))
        if any(d["due"] for d in due) else None,
    }
