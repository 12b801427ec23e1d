"""Server-rendered SVG charts (pygal), readable without colour: values printed on the marks,
each line series with its own dash pattern and marker, and a data table beside every chart.

Charts are embedded as `<img src="data:image/svg+xml;base64,...">`: an image cannot run scripts, and the
page's Content-Security-Policy (no inline styles) does not have to be loosened for pygal's CSS.
"""

from __future__ import annotations

import math
from base64 import b64encode
from collections.abc import Sequence
from functools import lru_cache

import pygal
from pygal.style import Style

# Dark-on-light, WCAG AA colours; the dash patterns below carry the same distinction without colour.
STYLE = Style(
    background="#ffffff", plot_background="#ffffff", foreground="#1d2433", foreground_strong="#1d2433",
    foreground_subtle="#4f5868", colors=("#3142b8", "#a8231c", "#17693b", "#8a5a00", "#5b2a86"),
    font_family="system-ui, sans-serif", label_font_size=13, major_label_font_size=13, value_font_size=12,
    legend_font_size=13, title_font_size=15, value_colors=("#1d2433",),
)
# The same charts on a dark page. An SVG shown by <img> follows the colour scheme of the page that shows it
# (rehearse.css: color-scheme: light dark; screen only), so each chart carries these overrides in its own
# style sheet. Colours are rehearse.css's dark palette, each series' colour at least 7:1 on the background.
# "#CHART" becomes the chart's id: each rule is as specific as pygal's own and, coming later, wins.
DARK_COLORS = ("#9aa8ff", "#ff958c", "#6fd49a", "#eabb5b", "#c9a2f2")
DARK_CSS = """
@media (prefers-color-scheme: dark) {
  #CHART { background-color: #1b1f28 }
  #CHART .graph .background { fill: #1b1f28 }
  #CHART .graph, #CHART .title, #CHART text.no_data, #CHART .legends .legend text, #CHART .axis text.major,
  #CHART .series text { fill: #e4e7ee }
  #CHART .axis .line, #CHART .axis .major.line { stroke: #e4e7ee }
  #CHART .axis .guide.line, #CHART .axis .major.guide.line { stroke: #7a8294 }
  SERIES
  /* A bar carries its value in light text (6:1): a darker fill, edged in the series colour. */
  #CHART .horizontalbar-graph .color-0 .rect, #CHART .bar-graph .color-0 .rect {
    fill: #5060d0; fill-opacity: .7; stroke: #9aa8ff; stroke-opacity: .8; stroke-width: 1 }
  #CHART .text-overlay .color-0 text { fill: #e4e7ee }
}
"""
# On a light page a bar is a pale tint edged in its series colour (8.7:1 on white), so the value printed
# on it in dark text reads at 11:1; pygal's see-through blue left it at 4:1, under WCAG AA's 4.5:1.
BAR_FILL, BAR_EDGE = "#d6dbf7", "#3142b8"
LIGHT_BARS_CSS = f"""
#CHART .horizontalbar-graph .color-0 .rect, #CHART .bar-graph .color-0 .rect {{
  fill: {BAR_FILL}; fill-opacity: 1; stroke: {BAR_EDGE}; stroke-opacity: 1; stroke-width: 1.5 }}
"""
DASHES = ("0", "8,4", "2,4", "12,4,2,4", "4,8")
# The legend names each line's pattern: its swatch is a colour, which tells lines apart only by colour.
DASH_NAMES = ("solid line", "dashed line", "dotted line", "dash-dot line", "sparse dashes")
WIDTH, HEIGHT = 760, 320
MAX_X_LABELS = 12  # more labels than this overlap at the chart's width
DOTS_UP_TO = 30  # points in a line chart up to which each point gets a marker


def _common(**extra) -> dict:
    return {"style": STYLE, "js": [], "width": WIDTH, "height": HEIGHT, "explicit_size": True,
            "show_legend": True, "legend_at_bottom": True, "truncate_label": 40, "truncate_legend": -1,
            "print_values": False, **extra}


def bar(title: str, labels: Sequence[str], values: Sequence[float | None], *, unit: str = "",
        max_value: float | None = 100, horizontal: bool = True, counts: bool = False,
        size: tuple[int, int] = (WIDTH, HEIGHT)) -> str:
    """A bar chart with each bar's value written on it. `counts`: whole numbers on the value axis
    (no "0.2 reviews"); `size`: draw it at the size it is shown, so its text stays readable."""
    return _bar(title, tuple(labels), tuple(values), unit, max_value, horizontal, counts, size)


CACHED_CHARTS = 256  # a chart changes only when its user practises again; rendering one takes milliseconds


@lru_cache(maxsize=CACHED_CHARTS)
def _bar(title: str, labels: tuple[str, ...], values: tuple[float | None, ...], unit: str,
         max_value: float | None, horizontal: bool, counts: bool, size: tuple[int, int]) -> str:
    kind = pygal.HorizontalBar if horizontal else pygal.Bar
    extra = {}
    if counts:
        top = max([int(v) for v in values if v is not None] + [1])
        step = max(1, -(-top // 5))  # at most about five ticks
        ticks = list(range(0, top + step, step))
        extra = {"y_labels": ticks, "range": (0, ticks[-1]),
                 "x_label_rotation": 45 if not horizontal and len(labels) > 7 else 0,
                 "formatter": lambda v: f"{v:g}{unit}" if v else ""}  # the table says 0; the bars need not
    chart = kind(**_common(title=title, print_values=True, show_legend=False, width=size[0],
                           height=max(HEIGHT // 2, 48 * len(labels) + 80) if horizontal else size[1],
                           range=(0, max_value) if max_value else None,
                           formatter=lambda v: "" if v is None else f"{v:g}{unit}") | extra)
    if horizontal:  # pygal stacks the first bar at the bottom: reversed, the bars read top down as the table
        labels, values = labels[::-1], values[::-1]
    chart.x_labels = list(labels)
    chart.add(title, list(values))
    return _with_dark(chart.render(is_unicode=True))


def ticks(top: float) -> list[float]:
    """Round value-axis ticks from 0 to at least `top`, about five of them (steps of 1, 2 or 5 × 10^n)."""
    if top <= 0:
        return [0, 1]
    raw = top / 5
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    count = math.ceil(top / step - 1e-9)
    return [round(i * step, 10) for i in range(count + 1)]


def line(title: str, x_labels: Sequence[str], series: dict[str, Sequence[float | None]], *, unit: str = "",
         max_value: float | None = None) -> str:
    """Lines over time; each series dashed differently, and the legend names its pattern."""
    return _line(title, tuple(x_labels), tuple((name, tuple(values)) for name, values in series.items()), unit,
                 max_value)


@lru_cache(maxsize=CACHED_CHARTS)
def _line(title: str, x_labels: tuple[str, ...], series: tuple[tuple[str, tuple[float | None, ...]], ...],
          unit: str, max_value: float | None) -> str:
    points = sum(v is not None for _, values in series for v in values)
    # pygal's own ticks can stop below the highest point (48 words under a top tick of 40): set them
    scale = ticks(max_value or max([v for _, values in series for v in values if v is not None] + [0]))
    # Dots only where there are few points: one lonely week is otherwise invisible; many dots only cost time.
    # the value axis starts at zero: a lone week of 27 words is otherwise drawn as the only tick
    chart = pygal.Line(**_common(title=title, show_minor_x_labels=False, allow_interruptions=True,
                                 show_dots=points <= DOTS_UP_TO, tooltip_fancy_mode=False,
                                 x_label_rotation=0, range=(0, scale[-1]), y_labels=scale,
                                 include_x_axis=True,
                                 formatter=lambda v: "" if v is None else f"{v:g}{unit}"))
    chart.x_labels = list(x_labels)
    step = max(1, len(x_labels) // MAX_X_LABELS)
    chart.x_labels_major = list(x_labels)[::step]
    for index, (name, values) in enumerate(series):
        if len(series) > 1:
            name = f"{name} ({DASH_NAMES[index % len(DASH_NAMES)]})"
        chart.add(name, list(values), stroke_style={"width": 2.5, "dasharray": DASHES[index % len(DASHES)]},
                  dots_size=3 + index)
    return _with_dark(chart.render(is_unicode=True))


def _with_dark(svg: str) -> str:
    """The rendered chart with LIGHT_BARS_CSS and DARK_CSS added to its style sheet (after pygal's: they win)."""
    chart_id = "#" + svg.split(' id="', 1)[1].split('"', 1)[0]
    series = "\n  ".join(f"#CHART .color-{i}, #CHART .color-{i} a:visited {{ stroke: {color}; fill: {color} }}"
                         for i, color in enumerate(DARK_COLORS))
    css = (LIGHT_BARS_CSS + DARK_CSS).replace("SERIES", series).replace("#CHART", chart_id)
    return svg.replace("</style>", css + "</style>", 1)


@lru_cache(maxsize=CACHED_CHARTS)
def data_uri(svg: str) -> str:
    """The SVG as an image address (base64: percent-encoding it in Python costs more than drawing it)."""
    return "data:image/svg+xml;base64," + b64encode(svg.encode()).decode("ascii")
