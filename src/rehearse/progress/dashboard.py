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
    practised = [i for i, w in enumerate(weeks) if w["attempts"] or w.get("ran_out")]
    start = min(max(0, practised[0] - 1) if practised else len(weeks), len(weeks) - MIN_WEEKS_SHOWN)
    return weeks[max(0, start):]


# Each chart's title, shown above the chart by the page rather than drawn in it: on a phone the chart scrolls
# sideways in its own region, and a title drawn at its middle was cut off.
TITLES = {
    "score": "Mean score by week (out of 100)",
    "coverage": "Talking points covered, by competency (%)",
    "length": "Answer length by week (words)",
    "fillers": "Filler words by week",
    "due": "Reviews due, next 14 days",
}
UNTITLED = ""  # the page shows each TITLES entry above its chart
# The charts over past weeks: their regions open at the right, most recent end (the oldest weeks are empty).
LATEST_AT_RIGHT = frozenset({"score", "length", "fillers"})


def charts_for(figures: dict[str, Any]) -> dict[str, str | None]:
    """Image addresses of the dashboard's charts, untitled (TITLES); None where there is nothing to draw."""
    weeks = shown_weeks(figures["weeks"])
    labels = [_label(w["week"]) for w in weeks]
    practised = any(w["attempts"] or w.get("ran_out") for w in weeks)
    coverage = [c for c in figures["coverage_by_competency"] if c["coverage"] is not None]
    paces = [w["words_per_minute"] for w in weeks]
    delivery = {"words per answer": [w["mean_words"] for w in weeks]}
    filler = {"fillers per 100 words": [w["fillers_per_100_words"] for w in weeks]}
    if any(paces):
        filler["pace, words a minute ÷ 10 (spoken)"] = [p / 10 if p else None for p in paces]
    due = figures["due_by_day"]
    return {
        "score": charts.data_uri(charts.line(UNTITLED, labels,
                                             {"mean score": [w["mean_score"] for w in weeks]}, max_value=100))
        if practised else None,
        "coverage": charts.data_uri(charts.bar(UNTITLED,
                                               [c["competency"].replace("-", " ") for c in coverage],
                                               [round(100 * c["coverage"]) for c in coverage], unit="%"))
        if coverage else None,
        "length": charts.data_uri(charts.line(UNTITLED, labels, delivery))
        if practised else None,
        "fillers": charts.data_uri(charts.line(UNTITLED, labels, filler)) if practised else None,
        "due": charts.data_uri(charts.bar(UNTITLED, [date.fromisoformat(d["date"]).strftime("%a %d")
                                                                        for d in due],
                                          [d["due"] for d in due], horizontal=False, max_value=None,
                                          counts=True, size=DUE_CHART_SIZE))
        if any(d["due"] for d in due) else None,
    }
