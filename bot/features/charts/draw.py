"""Chart specs painted into PNG files with matplotlib's Agg backend.

This module is imported only when the first chart is drawn: matplotlib takes
most of a second to import, and the bot should start without it. Figures are
built with the object API, never pyplot, so nothing outlives a chart; a lock
keeps drawing to one thread at a time, since matplotlib's font and text caches
are shared.

Layout is computed in inches from measured text, not left to chance: names sit
on their own line above each bar (long Cyrillic names never get clipped at the
left edge), the value sits at the bar's end, and the axis leaves room for it.
DejaVu Sans, which ships with matplotlib, draws Cyrillic, the Kazakh letters
(ә ғ қ ң ө ұ ү һ і) and the tenge sign.
"""

from __future__ import annotations

import textwrap
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO
from typing import Any, cast

import matplotlib

matplotlib.use("Agg")

from babel.dates import format_skeleton
from matplotlib import dates as mdates
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from bot.features.charts.spec import Bar, BarChart, ChartSpec, Legend, Panel, Point, TimelineChart
from bot.render.format import (
    CURRENCIES,
    babel_locale,
    compact_number,
    format_money,
    format_number,
)

FONT = "DejaVu Sans"
DPI = 150
WIDTH = 8.0  # inches: 1200 px, under the 1280 px Telegram keeps for a photo
MARGIN = 0.35
TEXT = "#1a202c"
MUTED = "#5a6472"
GRID = "#e2e8f0"
ACTUAL = "#1f5a96"
PLAN = "#e69f00"
PLAN_EDGE = "#a86f00"
# Okabe–Ito colours: told apart by colour-blind readers too.
SERIES = ("#0072b2", "#d55e00", "#009e73", "#cc79a7", "#56b4e9", "#e69f00")

TITLE_SIZE = 15.0
SUBTITLE_SIZE = 10.5
NAME_SIZE = 10.5
DETAIL_SIZE = 10.0
VALUE_SIZE = 10.0
TICK_SIZE = 9.0
FOOTER_SIZE = 8.5

LABEL_SIZE = 9.0

# Geometry, inches.
HEADER = 0.95
LINE = 0.21  # one line of a bar's label
BAR = 0.24
ROW_GAP = 0.12
GROUP_GAP = 0.14  # more space above the first bar of a subject
PANEL_TITLE = 0.36
AXIS = 0.36
PANEL_GAP = 0.12
VALUE_PAD = 0.06
PLOT = 2.8  # the plot area of a timeline
LEGEND_COLUMNS = 3
DETAIL_SEPARATOR = "   "

STYLE: dict[str, Any] = {
    "font.family": FONT,
    "font.size": 10,
    "text.color": TEXT,
    "axes.edgecolor": "#a0aec0",
    "axes.labelcolor": MUTED,
    "xtick.color": MUTED,
    "ytick.color": MUTED,
    "xtick.labelsize": TICK_SIZE,
    "ytick.labelsize": TICK_SIZE,
    "hatch.linewidth": 0.8,
}

_LOCK = threading.Lock()


def render(chart: ChartSpec) -> bytes:
    """The chart as PNG bytes."""
    with drawing():
        buffer = BytesIO()
        build_figure(chart).savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


@contextmanager
def drawing() -> Iterator[None]:
    """One chart at a time, in the charts' style."""
    with _LOCK, matplotlib.rc_context(cast(Any, STYLE)):
        yield


def build_figure(chart: ChartSpec) -> Figure:
    """The chart as a matplotlib figure on an Agg canvas; call it inside `drawing()`."""
    return _timeline_figure(chart) if isinstance(chart, TimelineChart) else _bar_figure(chart)


# ---- bars ---------------------------------------------------------------------


class _Measure:
    """Text widths in inches, as the Agg renderer will draw them."""

    def __init__(self, renderer: RendererBase) -> None:
        self._renderer = renderer

    def width(self, text: str, size: float, *, bold: bool = False) -> float:
        font = FontProperties(family=FONT, size=size, weight="bold" if bold else "normal")
        width, _height, _descent = self._renderer.get_text_width_height_descent(
            text, font, ismath=False
        )
        return float(width) / DPI


@dataclass(frozen=True, slots=True)
class _Row:
    """One bar with its label lines: the subject's name on its first bar only, the
    detail after the name when both fit on a line, else on a line of its own."""

    bar: Bar
    name: bool
    detail: int  # 0: none, 1: after the name, 2: a line of its own
    lines: int
    gap: float  # space above the row: subjects are set apart

    @property
    def height(self) -> float:
        return self.gap + LINE * self.lines + BAR + ROW_GAP


def _rows(panel: Panel, measure: _Measure, inner: float) -> list[_Row]:
    rows = []
    previous: str | None = None
    for bar in panel.bars:
        name = bar.name != previous
        if not bar.detail:
            detail = 0
        elif not name:
            detail = 2
        else:
            width = measure.width(bar.name, NAME_SIZE, bold=True)
            width += measure.width(DETAIL_SEPARATOR + bar.detail, DETAIL_SIZE)
            detail = 1 if width <= inner else 2
        lines = int(name) + int(detail == 2)
        gap = GROUP_GAP if name and previous is not None else 0.0
        rows.append(_Row(bar, name, detail, lines, gap))
        previous = bar.name
    return rows


def _bar_figure(chart: BarChart) -> Figure:
    figure = Figure(figsize=(WIDTH, 4), dpi=DPI, facecolor="white")
    measure = _Measure(FigureCanvasAgg(figure).get_renderer())
    inner = WIDTH - 2 * MARGIN
    footer = _wrap(chart.footer, measure, inner, FOOTER_SIZE)
    footer_height = _footer_height(footer)

    layouts = [_rows(panel, measure, inner) for panel in chart.panels]
    heights = [
        (PANEL_TITLE if panel.title else 0.08) + sum(row.height for row in rows) + AXIS
        for panel, rows in zip(chart.panels, layouts, strict=True)
    ]
    height = HEADER + sum(heights) + PANEL_GAP * (len(heights) - 1) + footer_height
    figure.set_size_inches(WIDTH, height)

    _header(figure, chart.title, chart.subtitle, height)
    _legend(figure, chart.legend, [bar.plan for p in chart.panels for bar in p.bars], height)
    top = height - HEADER
    for panel, rows, panel_height in zip(chart.panels, layouts, heights, strict=True):
        title_height = PANEL_TITLE if panel.title else 0.08
        axes_height = sum(row.height for row in rows)
        bottom = top - title_height - axes_height
        axes = figure.add_axes(
            (MARGIN / WIDTH, bottom / height, inner / WIDTH, axes_height / height)
        )
        _draw_panel(axes, panel, rows, measure, inner)
        top -= panel_height + PANEL_GAP
    _footer(figure, footer, height)
    return figure


def _draw_panel(
    axes: Axes, panel: Panel, rows: list[_Row], measure: _Measure, inner: float
) -> None:
    money = panel.unit in CURRENCIES
    # Room at the right for each value's text after its bar.
    limit = max(bar.value for bar in panel.bars)
    for bar in panel.bars:
        text = measure.width(bar.text, VALUE_SIZE, bold=True) + VALUE_PAD + 0.05
        if text < inner:
            limit = max(limit, bar.value * inner / (inner - text))
    axes.set_xlim(0, limit * 1.02)
    axes.set_ylim(sum(row.height for row in rows), 0)

    y = 0.0
    for row in rows:
        bar = row.bar
        top = y + row.gap
        line = 1
        if row.name:
            name = axes.text(
                0, top + LINE - 0.05, bar.name, fontsize=NAME_SIZE, fontweight="bold",
                va="baseline", ha="left", color=TEXT,
            )  # fmt: skip
            line += 1
            if row.detail == 1:
                axes.annotate(
                    DETAIL_SEPARATOR + bar.detail, xy=(1, 0), xycoords=name, va="bottom",
                    ha="left", fontsize=DETAIL_SIZE, color=MUTED,
                )  # fmt: skip
        if row.detail == 2:
            axes.text(
                0, top + LINE * line - 0.05, bar.detail, fontsize=DETAIL_SIZE,
                va="baseline", ha="left", color=MUTED,
            )  # fmt: skip
        centre = top + LINE * row.lines + BAR / 2
        axes.barh(
            centre, bar.value, height=BAR, left=0,
            color=PLAN if bar.plan else ACTUAL,
            edgecolor=PLAN_EDGE if bar.plan else ACTUAL,
            hatch="///" if bar.plan else None, linewidth=0.6,
        )  # fmt: skip
        axes.annotate(
            bar.text, xy=(bar.value, centre), xytext=(VALUE_PAD * 72, 0),
            textcoords="offset points", va="center", ha="left", fontsize=VALUE_SIZE,
            fontweight="bold", color=TEXT,
        )  # fmt: skip
        y += row.height

    axes.xaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 2.5, 5, 10], integer=not money))
    axes.xaxis.set_major_formatter(FuncFormatter(_tick_formatter(panel.unit)))
    axes.tick_params(axis="y", left=False, labelleft=False)
    axes.tick_params(axis="x", length=0, pad=4)
    axes.grid(axis="x", color=GRID, linewidth=0.8)
    axes.set_axisbelow(True)
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    if panel.title:
        axes.set_title(panel.title, loc="left", fontsize=12, fontweight="bold", pad=8)


def _tick_formatter(unit: str) -> Callable[[float, int | None], str]:
    money = unit in CURRENCIES

    def tick(value: float, _position: int | None = None) -> str:
        number = Decimal(round(value)) if abs(value) >= 1 else Decimal(str(round(value, 3)))
        if money:
            return format_money(number, unit)
        if abs(number) >= 1_000_000:
            return compact_number(number) or format_number(number)
        return format_number(number)

    return tick


# ---- timelines ----------------------------------------------------------------


def _timeline_figure(chart: TimelineChart) -> Figure:
    figure = Figure(figsize=(WIDTH, 4), dpi=DPI, facecolor="white")
    measure = _Measure(FigureCanvasAgg(figure).get_renderer())
    inner = WIDTH - 2 * MARGIN
    footer = _wrap(chart.footer, measure, inner, FOOTER_SIZE)
    footer_height = _footer_height(footer)
    points = [p for s in chart.series for p in s.points]
    handles = _timeline_handles(chart, points)
    legend_height = 0.24 * -(-len(handles) // LEGEND_COLUMNS)
    height = HEADER + PLOT + AXIS + legend_height + 0.12 + footer_height
    figure.set_size_inches(WIDTH, height)
    _header(figure, chart.title, chart.subtitle, height)

    largest = max(p.value for p in points)
    tick = _tick_formatter(chart.unit)
    top_value = largest * 1.25
    ticks = MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10]).tick_values(0, top_value)
    left = max(measure.width(tick(t, None), TICK_SIZE) for t in ticks if t <= top_value) + 0.12
    # The last date label is centred on its tick: leave it room at the right.
    box = (MARGIN + left, height - HEADER - PLOT, inner - left - 0.3, PLOT)  # inches
    axes = figure.add_axes((box[0] / WIDTH, box[1] / height, box[2] / WIDTH, box[3] / height))

    first = min(p.start for p in points)
    last = max(p.end for p in points)
    span = max((last - first).days, 30)
    x_limits = (
        mdates.date2num(first - timedelta(days=span * 0.12)),
        mdates.date2num(last + timedelta(days=span * 0.12)),
    )
    axes.set_xlim(*x_limits)
    axes.set_ylim(0, top_value)

    def inches(x: float, y: float) -> tuple[float, float]:
        return (
            box[0] + (x - x_limits[0]) / (x_limits[1] - x_limits[0]) * box[2],
            box[1] + y / top_value * box[3],
        )

    labels = _LabelPlacer(measure, box, [inches(mdates.date2num(p.when), p.value)
                                         for p in points])  # fmt: skip
    for index, series in enumerate(chart.series):
        colour = SERIES[index % len(SERIES)]
        xs = [mdates.date2num(p.when) for p in series.points]
        if len(series.points) > 1:
            axes.plot(xs, [p.value for p in series.points], color=colour, linewidth=1.8,
                      zorder=2)  # fmt: skip
        for point, x in zip(series.points, xs, strict=True):
            if point.start != point.end:
                axes.plot(
                    [mdates.date2num(point.start), mdates.date2num(point.end)],
                    [point.value, point.value], color=colour, alpha=0.3, linewidth=6,
                    solid_capstyle="round", zorder=1,
                )  # fmt: skip
            axes.plot(
                [x], [point.value], marker="o", markersize=8, linestyle="none",
                markerfacecolor="white" if point.plan else colour, markeredgecolor=colour,
                markeredgewidth=2, zorder=3,
            )  # fmt: skip
            dx, dy, ha, va = labels.place(point.text, *inches(x, point.value))
            axes.annotate(
                point.text, xy=(x, point.value), xytext=(dx * 72, dy * 72),
                textcoords="offset points", ha=ha, va=va, fontsize=LABEL_SIZE, color=colour,
                fontweight="bold", zorder=4,
            )  # fmt: skip

    axes.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=6))
    axes.xaxis.set_major_formatter(FuncFormatter(_date_formatter(span)))
    axes.yaxis.set_major_locator(MaxNLocator(nbins=4, steps=[1, 2, 2.5, 5, 10]))
    axes.yaxis.set_major_formatter(FuncFormatter(tick))
    axes.tick_params(length=0, pad=5)
    axes.grid(axis="y", color=GRID, linewidth=0.8)
    axes.set_axisbelow(True)
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)

    legend_top = height - HEADER - PLOT - AXIS
    figure.legend(
        handles=handles, loc="upper left", bbox_to_anchor=(MARGIN / WIDTH, legend_top / height),
        frameon=False, fontsize=9.5, ncols=LEGEND_COLUMNS, handlelength=1.8,
        columnspacing=1.6, borderaxespad=0, borderpad=0,
    )  # fmt: skip
    _footer(figure, footer, height)
    return figure


def _timeline_handles(chart: TimelineChart, points: list[Point]) -> list[Any]:
    handles: list[Any] = [
        Line2D([], [], color=SERIES[i % len(SERIES)], marker="o", linewidth=1.8,
               markersize=6, label=series.label)
        for i, series in enumerate(chart.series)
    ]  # fmt: skip
    handles += _status_handles(chart.legend, [p.plan for p in points])
    if any(p.start != p.end for p in points):
        handles.append(
            Line2D([], [], color=MUTED, alpha=0.35, linewidth=6, label=chart.legend.estimated)
        )
    return handles


class _LabelPlacer:
    """Puts each value label next to its point where it covers no other label, no
    point and stays inside the plot: above, below, right or left, in that order."""

    HEIGHT = 0.17
    PAD = 0.1

    def __init__(
        self,
        measure: _Measure,
        box: tuple[float, float, float, float],
        points: list[tuple[float, float]],
    ) -> None:
        self._measure = measure
        self._box = box
        r = 0.07
        self._taken = [(x - r, y - r, x + r, y + r) for x, y in points]

    def place(self, text: str, x: float, y: float) -> tuple[float, float, str, str]:
        width = self._measure.width(text, LABEL_SIZE, bold=True)
        h, pad = self.HEIGHT, self.PAD
        candidates = (
            (0.0, pad, "center", "bottom", (x - width / 2, y + pad, x + width / 2, y + pad + h)),
            (0.0, -pad, "center", "top", (x - width / 2, y - pad - h, x + width / 2, y - pad)),
            (pad, 0.0, "left", "center", (x + pad, y - h / 2, x + pad + width, y + h / 2)),
            (-pad, 0.0, "right", "center", (x - pad - width, y - h / 2, x - pad, y + h / 2)),
        )
        for dx, dy, ha, va, rect in candidates:
            if self._inside(rect) and not any(_overlap(rect, t) for t in self._taken):
                self._taken.append(rect)
                return dx, dy, ha, va
        dx, dy, ha, va, rect = candidates[0]
        self._taken.append(rect)
        return dx, dy, ha, va

    def _inside(self, rect: tuple[float, float, float, float]) -> bool:
        left, bottom, width, height = self._box
        return (
            rect[0] >= left - 0.3
            and rect[2] <= left + width + 0.3
            and rect[1] >= bottom
            and rect[3] <= bottom + height
        )


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _date_formatter(span_days: int) -> Callable[[float, int | None], str]:
    skeleton = "MMMd" if span_days < 75 else "yMMM"
    locale = babel_locale()

    def tick(value: float, _position: int | None = None) -> str:
        day: date = mdates.num2date(value).date()
        return format_skeleton(skeleton, day, locale=locale)

    return tick


def _status_handles(legend: Legend, plans: list[bool]) -> list[Any]:
    handles: list[Any] = []
    if not all(plans):
        handles.append(
            Line2D([], [], color=MUTED, marker="o", markersize=6, linestyle="none",
                   markeredgewidth=2, label=legend.actual)
        )  # fmt: skip
    if any(plans):
        handles.append(
            Line2D([], [], color=MUTED, marker="o", markersize=6, linestyle="none",
                   markerfacecolor="white", markeredgewidth=2, label=legend.plan)
        )  # fmt: skip
    return handles


# ---- shared pieces ------------------------------------------------------------


def _header(figure: Figure, title: str, subtitle: str, height: float) -> None:
    x = MARGIN / WIDTH
    figure.text(
        x, 1 - 0.22 / height, title, fontsize=TITLE_SIZE, fontweight="bold", va="top",
        ha="left", color=TEXT,
    )  # fmt: skip
    figure.text(
        x, 1 - 0.6 / height, subtitle, fontsize=SUBTITLE_SIZE, va="top", ha="left",
        color=MUTED,
    )  # fmt: skip


def _legend(figure: Figure, legend: Legend, plans: list[bool], height: float) -> None:
    handles: list[Any] = []
    if not all(plans):
        handles.append(Patch(facecolor=ACTUAL, edgecolor=ACTUAL, label=legend.actual))
    if any(plans):
        handles.append(Patch(facecolor=PLAN, edgecolor=PLAN_EDGE, hatch="///", label=legend.plan))
    figure.legend(
        handles=handles, loc="upper right", bbox_to_anchor=(1 - MARGIN / WIDTH, 1 - 0.5 / height),
        ncols=len(handles), frameon=False, fontsize=10, handlelength=1.6, borderaxespad=0,
    )  # fmt: skip


def _footer_height(footer: str) -> float:
    return 0.22 + 0.16 * (footer.count("\n") + 1)


def _footer(figure: Figure, footer: str, height: float) -> None:
    figure.text(
        MARGIN / WIDTH, 0.14 / height, footer, fontsize=FOOTER_SIZE, color=MUTED,
        va="bottom", ha="left", linespacing=1.35,
    )  # fmt: skip


def _wrap(text: str, measure: _Measure, width: float, size: float) -> str:
    """Wrap `text` to lines that fit `width` inches."""
    if measure.width(text, size) <= width:
        return text
    average = measure.width(text, size) / max(len(text), 1)
    return textwrap.fill(text, width=max(int(width / average) - 2, 20))
