"""The dashboard's charts are readable without colour: lines differ by dash pattern and the legend
names each pattern (its swatch is only a colour), bars carry their values as text."""

import re
from base64 import b64decode

import pytest

from rehearse.progress.charts import ticks
from rehearse.progress.dashboard import charts_for, shown_weeks


def week(day: str, score: float, words: int, fillers: float, pace: int | None) -> dict:
    return {"week": day, "attempts": 2, "mean_score": score, "mean_words": words, "fillers_per_100_words": fillers,
            "words_per_minute": pace}


FIGURES = {
    "weeks": [week("2026-10-05", 55.0, 180, 2.5, None), week("2026-10-12", 61.5, 210, 1.8, 131),
              week("2026-10-19", 70.0, 240, 1.2, 142)],
    "coverage_by_competency": [{"competency": "stakeholder-management", "attempts": 3, "coverage": 0.5,
                                "mean_score": 60.0},
                               {"competency": "hiring", "attempts": 2, "coverage": 0.75, "mean_score": 72.0}],
    "due_by_day": [{"date": "2026-10-20", "due": 3}, {"date": "2026-10-21", "due": 0}],
}


def svg(address: str) -> str:
    return b64decode(address.removeprefix("data:image/svg+xml;base64,")).decode()


def series_styles(drawn: str) -> list[str]:
    return re.findall(r"\.series\.serie-\d+\{[^}]*stroke-dasharray:([0-9,]+)", drawn)


def test_two_lines_in_one_chart_differ_by_pattern_and_the_legend_says_which_is_which():
    drawn = svg(charts_for(FIGURES)["fillers"])  # fillers and, for spoken answers, pace
    assert len(set(series_styles(drawn))) == 2
    texts = re.findall(r">([^<>]+)</text>", drawn)
    assert "fillers per 100 words (solid line)" in texts
    assert any(t.startswith("pace") and t.endswith("(dashed line)") for t in texts), texts


@pytest.mark.parametrize("name", ["score", "length"])
def test_a_single_line_needs_no_pattern_named(name):
    texts = re.findall(r">([^<>]+)</text>", svg(charts_for(FIGURES)[name]))
    assert not any(t.endswith(" line)") for t in texts)


@pytest.mark.parametrize(("name", "values"), [("coverage", ["50%", "75%"]), ("due", ["3"])])
def test_bars_carry_their_values_as_text(name, values):
    texts = re.findall(r">([^<>]+)</text>", svg(charts_for(FIGURES)[name]))
    for value in values:
        assert value in texts, (name, value)


def test_without_spoken_answers_the_filler_chart_has_one_line():
    typed_only = {**FIGURES, "weeks": [{**w, "words_per_minute": None} for w in FIGURES["weeks"]]}
    assert len(series_styles(svg(charts_for(typed_only)["fillers"]))) == 1


def year_of_weeks(practised: dict[int, float]) -> list[dict]:
    """52 weeks ending this week, practised (with that mean score) at the given indexes."""
    return [{**week(f"2025-{1 + i // 5:02d}-{1 + i % 5:02d}", practised.get(i, 0.0), 150, 1.0, None),
             "attempts": 1 if i in practised else 0} for i in range(52)]


@pytest.mark.parametrize(("practised", "first_shown", "count"), [
    ({51: 40.0}, 44, 8),           # a new user: the last eight weeks, not a year with one dot at its end
    ({30: 50.0, 51: 60.0}, 29, 23),  # from the week before the first practised one
    ({0: 50.0}, 0, 52),
])
def test_time_charts_start_near_the_first_practised_week(practised, first_shown, count):
    weeks = year_of_weeks(practised)
    shown = shown_weeks(weeks)
    assert len(shown) == count and shown[0] is weeks[first_shown]


def test_the_due_chart_counts_in_whole_reviews():
    drawn = svg(charts_for({**FIGURES, "due_by_day": [{"date": "2026-10-20", "due": 2},
                                                      {"date": "2026-10-21", "due": 0}]})["due"])
    ticks = {float(t) for t in re.findall(r'<text[^>]*class="[^"]*"?[^>]*>(\d+(?:\.\d+)?)</text>', drawn)}
    assert ticks and all(t == int(t) for t in ticks), ticks


@pytest.mark.parametrize(("top", "expected"), [
    (48, [0, 10, 20, 30, 40, 50]),  # the lone week of 48 words is under the top tick, not above it
    (100, [0, 20, 40, 60, 80, 100]),
    (7, [0, 2, 4, 6, 8]),
    (0, [0, 1]),
])
def test_the_value_axis_covers_the_highest_point(top, expected):
    assert ticks(top) == expected


def test_a_lone_answer_length_is_drawn_below_the_top_of_its_axis():
    one = {**FIGURES, "weeks": [week("2026-10-19", 70.0, 48, 1.0, None)]}
    labels = re.findall(r'class="axis y[^"]*".*?</g></g>', svg(charts_for(one)["length"]), re.S)
    values = [float(v) for v in re.findall(r">(\d+(?:\.\d+)?)</text>", labels[0])] if labels else []
    assert values and max(values) >= 48


def luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def over_white(colour: str, opacity: float) -> str:
    return "#" + "".join(f"{round(opacity * int(colour[i:i + 2], 16) + (1 - opacity) * 255):02x}" for i in (1, 3, 5))


def contrast(a: str, b: str) -> float:
    lighter, darker = sorted((luminance(a), luminance(b)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def light_value(drawn: str, selectors: tuple[str, ...], prop: str) -> str:
    """The last value a light-page rule for one of these selectors gives the property (pygal's rules, then ours)."""
    css = re.sub(r"#chart-[\w-]+ ?", "", drawn.split("<style", 1)[1].split("@media", 1)[0].replace("&gt;", ">"))
    found = []
    for chosen, body in re.findall(r"([^{}]+)\{([^}]*)\}", css):
        if {s.strip() for s in chosen.split(",")} & set(selectors):
            found += re.findall(rf"(?:^|;)\s*{prop}\s*:\s*([^;]+)", body.strip())
    return found[-1].strip()


@pytest.mark.parametrize("name", ["coverage", "due"])
def test_a_bars_value_reads_at_aa_contrast_on_a_light_page(name):
    """pygal's see-through blue under dark text gave 4:1; WCAG AA asks 4.5:1 of text this size."""
    drawn = svg(charts_for(FIGURES)[name])
    bar = (".color-0", ".reactive", ".horizontalbar-graph .color-0 .rect", ".bar-graph .color-0 .rect")
    fill = over_white(light_value(drawn, bar, "fill"), float(light_value(drawn, bar, "fill-opacity")))
    text = light_value(drawn, (".text-overlay .color-0 text",), "fill")
    assert contrast(text, fill) >= 4.5
    assert contrast(light_value(drawn, bar, "stroke"), "#ffffff") >= 3  # the bar's edge still shows on white


def test_horizontal_bars_read_top_down_in_the_order_of_the_table_under_them():
    drawn = svg(charts_for(FIGURES)["coverage"])
    heights = {label: float(y) for y, label in re.findall(r'<text x="-5" y="([0-9.]+)"[^>]*>([^<>]+)</text>', drawn)}
    shown = sorted(heights, key=heights.get)  # smaller y: higher on the page
    assert shown == ["stakeholder management", "hiring"]  # the figures' (and the table's) order
