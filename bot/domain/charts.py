"""Charts where a picture says it faster than a list.

`bot.features.charts.spec` picks the figures of a chart and words them in the current
language; `bot.features.charts.draw` paints a spec into a PNG with matplotlib's Agg
backend; `bot.features.charts.service` caches the PNGs per store version and language and
sends them to Telegram. Only `draw` imports matplotlib, and only when the first
chart is drawn, so the bot starts without paying for it.
"""

from __future__ import annotations

from enum import StrEnum

from bot.domain import Topic


class ChartKind(StrEnum):
    INVESTMENTS = "investments"  # money invested, by subject
    CARGO = "cargo"  # tonnes now versus the target
    ZONES = "zones"  # zones side by side: investment, participants, jobs
    TIMELINE = "timeline"  # one metric of one subject over publication dates


# The chart a topic answer offers under its 📊 button.
TOPIC_CHARTS: dict[Topic, ChartKind] = {
    Topic.INVESTMENTS: ChartKind.INVESTMENTS,
    Topic.ZONES: ChartKind.ZONES,
    Topic.CARGO: ChartKind.CARGO,
}
