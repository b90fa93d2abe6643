"""What a chart shows, chosen from the facts and worded in the current language.

A spec is plain data — titles, bars or points with their texts, the sources —
so the choice of figures can be tested without drawing, and `bot.features.charts.draw`
only paints. Every word comes from gettext or from `bot.render`, so a chart
reads like the bot's text answers: the same labels, the same exact figures.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from aiogram.utils.i18n import gettext as _

from bot.domain import DatePrecision, Fact, Source, Status
from bot.domain.charts import ChartKind
from bot.domain.metrics import Metric
from bot.queries.facts import SubjectFacts, Timeline, subject_key
from bot.render.facts import outlet_name, source_html
from bot.render.format import (
    CURRENCIES,
    format_date,
    format_month_window,
    format_number,
    format_period,
    format_quantity,
    format_value,
)
from bot.render.html import escape, shorten, telegram_length
from bot.render.labels import (
    entity_name,
    indicator_label,
    metric_label,
    qualified,
    region_name,
    status_label,
    subject_name,
    unit_symbol,
)

CAPTION_LIMIT = 1024
MAX_BARS = 12
# A timeline earns a chart from this many dated figures on.
TIMELINE_MIN_POINTS = 3
MONEY_METRICS = (Metric.INVESTMENT, Metric.FIXED_CAPITAL_INVESTMENT, Metric.PROJECT_COST)
ZONE_METRICS = (Metric.INVESTMENT, Metric.PARTICIPANTS, Metric.JOBS)
NAME_LIMIT = 60


@dataclass(frozen=True, slots=True)
class Legend:
    plan: str
    actual: str
    estimated: str


@dataclass(frozen=True, slots=True)
class Bar:
    name: str  # the subject, in the current language
    detail: str  # what the figure is: metric, period
    value: float
    text: str  # the figure exactly as the bot writes it
    plan: bool


@dataclass(frozen=True, slots=True)
class Panel:
    title: str
    unit: str  # the stored unit: ticks are money for a currency, plain numbers otherwise
    bars: tuple[Bar, ...]


@dataclass(frozen=True, slots=True)
class BarChart:
    title: str
    subtitle: str
    panels: tuple[Panel, ...]
    legend: Legend
    footer: str
    facts: tuple[Fact, ...]


@dataclass(frozen=True, slots=True)
class Point:
    when: date  # the publication date; the middle of the window when it is estimated
    start: date
    end: date
    value: float
    text: str
    plan: bool


@dataclass(frozen=True, slots=True)
class Series:
    label: str
    points: tuple[Point, ...]


@dataclass(frozen=True, slots=True)
class TimelineChart:
    title: str
    subtitle: str
    unit: str
    series: tuple[Series, ...]
    legend: Legend
    footer: str
    facts: tuple[Fact, ...]


ChartSpec = BarChart | TimelineChart


# ---- the charts ---------------------------------------------------------------


def investments_chart(facts: Iterable[Fact]) -> BarChart | None:
    """Money invested or to be invested, one bar per subject and figure, largest first."""
    money = [f for f in facts if f.metric in MONEY_METRICS and f.unit == "KZT" and f.value > 0]
    chosen = _distinct_figures(money)
    if not chosen:
        return None
    largest: dict[str, Decimal] = {}
    for fact in chosen:
        key = subject_key(fact)
        largest[key] = max(largest.get(key, Decimal(0)), fact.value)
    chosen.sort(key=lambda f: (-largest[subject_key(f)], subject_key(f), -f.value))
    chosen = chosen[:MAX_BARS]
    bars = tuple(
        _bar(fact, _join(indicator_label(fact), format_period(fact.period))) for fact in chosen
    )
    panel = Panel(title="", unit="KZT", bars=bars)
    return _bar_chart(_("Investments by subject"), (panel,), chosen)


def cargo_chart(facts: Iterable[Fact]) -> BarChart | None:
    """For each subject, the latest actual volume of cargo next to its target."""
    cargo = [f for f in facts if f.metric == Metric.CARGO and f.value > 0]
    if not cargo:
        return None
    unit = Counter(f.unit for f in cargo).most_common(1)[0][0]
    by_subject: dict[str, list[Fact]] = {}
    for fact in cargo:
        if fact.unit == unit:
            by_subject.setdefault(subject_key(fact), []).append(fact)
    bars: list[Bar] = []
    shown: list[Fact] = []
    for group in by_subject.values():
        now = next((f for f in group if f.status == Status.ACTUAL), None)
        plans = [f for f in group if f.status == Status.PLAN]
        # The farthest target; among equal years, the newest document's.
        target = max(plans, key=lambda f: f.period.sort_year if f.period else 0, default=None)
        if now is not None:
            when = format_period(now.period) or _as_of(now.source)
            bars.append(_bar(now, _join(_("now"), when), with_unit=True))
            shown.append(now)
        if target is not None:
            growth = _growth(now, target)
            detail = _join(_("target"), format_period(target.period), growth)
            bars.append(_bar(target, detail, with_unit=True))
            shown.append(target)
    if not bars:
        return None
    symbol = unit_symbol(unit)
    title = metric_label(Metric.CARGO) + (f", {symbol}" if symbol else "")
    panel = Panel(title=title, unit=unit, bars=tuple(bars[:MAX_BARS]))
    return _bar_chart(_("Cargo: now and target"), (panel,), shown)


def zones_chart(facts: Iterable[Fact]) -> BarChart | None:
    """Zones side by side: a panel each for investment, participants and jobs."""
    newest: dict[tuple[str, str], Fact] = {}
    for fact in facts:
        if fact.metric not in ZONE_METRICS or fact.value <= 0:
            continue
        if fact.metric == Metric.INVESTMENT and fact.unit != "KZT":
            continue
        newest.setdefault((subject_key(fact), fact.metric), fact)
    if not newest:
        return None
    # The same order of zones in every panel: the largest investment first.
    order: dict[str, tuple[Decimal, str]] = {}
    for (key, metric), fact in newest.items():
        money = fact.value if metric == Metric.INVESTMENT else Decimal(0)
        previous = order.get(key, (Decimal(0), subject_name(fact)))
        order[key] = (max(previous[0], money), previous[1])
    keys = sorted(order, key=lambda k: (-order[k][0], order[k][1]))[:MAX_BARS]
    panels = []
    shown: list[Fact] = []
    for metric in ZONE_METRICS:
        chosen = [newest[(k, metric)] for k in keys if (k, metric) in newest]
        if not chosen:
            continue
        bars = tuple(_bar(f, format_period(f.period)) for f in chosen)
        panels.append(Panel(title=metric_label(metric), unit=chosen[0].unit, bars=bars))
        shown.extend(chosen)
    return _bar_chart(_("Economic zones compared"), tuple(panels), shown)


def timeline_series(timeline: Timeline) -> dict[str, list[Fact]]:
    """The figures of a timeline that show a change, by the period they speak of.

    Only figures for the same period ("in 2025", "by 2030", or none stated) are
    comparable, so each period is a series of its own: one figure per document
    (the first the document gives: later ones in the same sentence are usually
    its parts), dated, in the newest figure's unit. A period that only one
    document gives shows no change and is left to the text.
    """
    facts = timeline.facts
    if not facts:
        return {}
    unit = facts[0].unit
    series: dict[str, dict[int, Fact]] = {}
    for fact in facts:
        key = fact.period.key() if fact.period else ""
        # A figure several documents state is a point at each of their dates.
        for citation in fact.all_citations:
            if fact.unit != unit or _dates(citation.source) is None:
                continue
            said = (
                fact
                if citation.source == fact.source
                else replace(fact, source=citation.source, quote=citation.quote, lang=citation.lang)
            )
            series.setdefault(key, {}).setdefault(citation.source.id, said)
    return {key: list(found.values()) for key, found in series.items() if len(found) >= 2}


def timeline_points(timeline: Timeline) -> list[Fact]:
    return [fact for members in timeline_series(timeline).values() for fact in members]


def is_chartable(timeline: Timeline) -> bool:
    """Three or more figures that documents of different dates give for the same thing."""
    return len(timeline_points(timeline)) >= TIMELINE_MIN_POINTS


def chartable_metrics(group: SubjectFacts) -> list[str]:
    return list(dict.fromkeys(t.metric for t in group.timelines if is_chartable(t)))


def timeline_chart(group: SubjectFacts, metric: str) -> TimelineChart | None:
    """One metric of one subject over the dates of the documents that give it;
    a line joins the figures for one period."""
    timeline = next((t for t in group.timelines if t.metric == metric and is_chartable(t)), None)
    if timeline is None:
        return None
    series = []
    facts: list[Fact] = []
    for key, members in timeline_series(timeline).items():
        label = format_period(members[0].period) if key else _("period not stated")
        points = sorted((_point(f) for f in members), key=lambda p: p.when)
        series.append(Series(label=label, points=tuple(points)))
        facts.extend(members)
    series.sort(key=lambda s: (-len(s.points), s.points[0].when))
    name = shorten(entity_name(group.entity_key, group.subject), NAME_LIMIT)
    unit = facts[0].unit
    symbol = unit_symbol(unit)
    return TimelineChart(
        title=_join(name, indicator_label(facts[0])),
        subtitle=_join(_("by publication date"), symbol or ""),
        unit=unit,
        series=tuple(series),
        legend=_legend(),
        footer=_footer(facts),
        facts=tuple(facts),
    )


def build_topic_chart(kind: ChartKind, facts: Sequence[Fact]) -> BarChart | None:
    match kind:
        case ChartKind.INVESTMENTS:
            return investments_chart(facts)
        case ChartKind.CARGO:
            return cargo_chart(facts)
        case ChartKind.ZONES:
            return zones_chart(facts)
    return None


# ---- captions -----------------------------------------------------------------


def caption(chart: ChartSpec, limit: int = CAPTION_LIMIT) -> str:
    """The title and the documents the figures come from, within Telegram's limit:
    as many sources as fit, then how many more there are."""
    head = f"📊 <b>{escape(chart.title)}</b>"
    sources = [source_html(source) for source in unique_sources(chart.facts)]
    label = _("Source: {source}") if len(sources) == 1 else _("Sources: {sources}")
    shown = len(sources)
    while shown > 0:
        text = _caption_text(head, label, sources[:shown], len(sources) - shown)
        if telegram_length(text) <= limit:
            return text
        shown -= 1
    return head


def unique_sources(facts: Iterable[Fact]) -> list[Source]:
    """The documents behind the facts, newest first."""
    sources = {fact.source.id: fact.source for fact in facts}
    return sorted(
        sources.values(),
        key=lambda s: (s.published is None, -(s.published or date.min).toordinal(), s.id),
    )


def _caption_text(head: str, label: str, listed: Sequence[str], more: int) -> str:
    text = "; ".join(listed)
    if more:
        text += "; " + escape(_("and {count} more").format(count=more))
    return f"{head}\n<i>{escape(label).format(source=text, sources=text)}</i>"


# ---- pieces -------------------------------------------------------------------


def _distinct_figures(facts: Iterable[Fact]) -> list[Fact]:
    """The newest figure per subject, metric, status and period (facts come newest
    first); a figure repeated elsewhere without its period is the same figure."""
    kept: dict[tuple[str, str, Status, str], Fact] = {}
    for fact in facts:
        period = fact.period.key() if fact.period else ""
        kept.setdefault((subject_key(fact), fact.metric, fact.status, period), fact)
    with_period = {(subject_key(f), f.metric, f.status, f.value) for f in kept.values() if f.period}
    return [
        f
        for f in kept.values()
        if f.period or (subject_key(f), f.metric, f.status, f.value) not in with_period
    ]


def _bar(fact: Fact, detail: str, *, with_unit: bool = False) -> Bar:
    return Bar(
        name=shorten(subject_name(fact), NAME_LIMIT),
        detail=detail,
        value=float(fact.value),
        text=_figure_text(fact, with_unit=with_unit),
        plan=fact.status == Status.PLAN,
    )


def _figure_text(fact: Fact, *, with_unit: bool = True) -> str:
    """Money and measured units in full ("1,6 трлн ₸", "200 000 т"); counted things
    as a bare number where the panel's title already names them."""
    if with_unit or fact.unit in CURRENCIES:
        return format_value(fact.value, fact.unit, fact.qualifier, fact.value_max)
    return qualified(fact.qualifier, format_number(fact.value))


def _point(fact: Fact) -> Point:
    start, end = _dates(fact.source) or (date.min, date.min)
    middle = start + (end - start) / 2
    return Point(
        when=middle,
        start=start,
        end=end,
        value=float(fact.value),
        text=_figure_text(fact, with_unit=False),
        plan=fact.status == Status.PLAN,
    )


def _growth(now: Fact | None, target: Fact) -> str:
    """ "в 13,3 раза больше, чем сейчас": how far the target is from today's figure."""
    if now is None or now.value <= 0 or target.value < now.value * Decimal("1.1"):
        return ""
    times = (target.value / now.value).quantize(Decimal("0.1"))
    return _("{times} more than now").format(times=format_quantity(times, "times"))


def _dates(source: Source) -> tuple[date, date] | None:
    """When a document was published: one day, an estimated window, or unknown."""
    if source.published is None or source.precision == DatePrecision.UNKNOWN:
        return None
    if source.precision == DatePrecision.ESTIMATED:
        return source.published, source.published_to or source.published
    return source.published, source.published


def _as_of(source: Source) -> str:
    dates = _dates(source)
    if dates is None:
        return ""
    if source.precision == DatePrecision.EXACT:
        return _("as of {date}").format(date=format_date(dates[0]))
    return _("as of {date}").format(date="≈ " + format_month_window(*dates))


def _bar_chart(title: str, panels: tuple[Panel, ...], facts: Sequence[Fact]) -> BarChart:
    return BarChart(
        title=title,
        subtitle=region_name(),
        panels=panels,
        legend=_legend(),
        footer=_footer(facts),
        facts=tuple(facts),
    )


def _legend() -> Legend:
    return Legend(
        plan=status_label(Status.PLAN),
        actual=status_label(Status.ACTUAL),
        estimated=_("≈ date estimated"),
    )


def _footer(facts: Iterable[Fact]) -> str:
    outlets = list(dict.fromkeys(outlet_name(s) for s in unique_sources(facts)))
    if len(outlets) == 1:
        return _("Source: {source}").format(source=outlets[0])
    return _("Sources: {sources}").format(sources=", ".join(outlets))


def _join(*parts: str) -> str:
    return " · ".join(part for part in parts if part)
