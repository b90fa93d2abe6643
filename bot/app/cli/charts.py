"""`python -m bot charts --out DIR`: every chart the bot can send, drawn to PNG files.

For looking at the charts as a user would, without Telegram: the topic charts
behind the 📊 buttons and the timeline charts under the subject cards, built
from the store by the same code the bot runs, in each language. Files are
named by chart and language: "investments-ru.png", "cargo-kk.png",
"timeline-iz_saran-participants-ru.png"; a line per file gives its path, its
size in pixels and kilobytes, and its title.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from bot.domain import Fact
from bot.domain.charts import TOPIC_CHARTS, ChartKind
from bot.features.charts.replies import CARD_CHARTS
from bot.features.charts.service import CHART_TOPICS
from bot.features.charts.spec import ChartSpec, build_topic_chart, chartable_metrics, timeline_chart
from bot.queries.facts import group_by_subject
from bot.render.i18n import LANGUAGES, create_i18n
from bot.storage.engine import create_engine, create_session_factory, migrate
from bot.storage.repositories import FactRepository


@dataclass(frozen=True, slots=True)
class ChartFile:
    path: Path
    png: bytes
    title: str

    @property
    def size(self) -> tuple[int, int]:
        """Width and height in pixels, from the PNG header."""
        return int.from_bytes(self.png[16:20], "big"), int.from_bytes(self.png[20:24], "big")

    def line(self) -> str:
        width, height = self.size
        kilobytes = round(len(self.png) / 1024)
        return f"{self.path}\t{width}×{height} px\t{kilobytes} KB\t{self.title}"


async def run_charts(
    url: str,
    out_dir: Path,
    languages: Sequence[str] = LANGUAGES,
    *,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
) -> int:
    """Draws every chart into `out_dir`; 1 when the store has nothing to draw."""
    by_topic, everything = await load_facts(url)
    return write_charts(by_topic, everything, out_dir, languages, out=out, err=err)


async def load_facts(url: str) -> tuple[dict[ChartKind, list[Fact]], list[Fact]]:
    """The facts each topic chart reads, and all facts for the subjects' timelines."""
    await migrate(url)
    engine = create_engine(url)
    try:
        async with create_session_factory(engine)() as session:
            repository = FactRepository(session)
            by_topic = {
                kind: await repository.list(topics=CHART_TOPICS[kind])
                for kind in TOPIC_CHARTS.values()
            }
            return by_topic, await repository.list()
    finally:
        await engine.dispose()


def write_charts(
    by_topic: dict[ChartKind, list[Fact]],
    everything: Sequence[Fact],
    out_dir: Path,
    languages: Sequence[str],
    *,
    out: TextIO,
    err: TextIO,
) -> int:
    out_dir.mkdir(parents=True, exist_ok=True)
    i18n = create_i18n()
    written = 0
    for language in languages:
        with i18n.context(), i18n.use_locale(language):
            for name, spec in chart_specs(by_topic, everything):
                if spec is None:
                    print(f"{name}-{language}: not enough figures to draw", file=err)
                    continue
                chart = ChartFile(out_dir / f"{name}-{language}.png", draw(spec), spec.title)
                chart.path.write_bytes(chart.png)
                print(chart.line(), file=out)
                written += 1
    if not written:
        print("No charts: the store has no figures to draw (see DATABASE_URL).", file=err)
        return 1
    return 0


def chart_specs(
    by_topic: dict[ChartKind, list[Fact]], everything: Sequence[Fact]
) -> Iterator[tuple[str, ChartSpec | None]]:
    """Each chart by its file name stem, worded in the current language: the topic
    charts, then the timelines a subject card sends (its first `CARD_CHARTS`)."""
    for kind in TOPIC_CHARTS.values():
        yield kind.value, build_topic_chart(kind, by_topic[kind])
    for group in group_by_subject(everything):
        for metric in chartable_metrics(group)[:CARD_CHARTS]:
            # A key without a gazetteer entry is "~" and a hash: no tilde in file names.
            yield f"timeline-{group.key.lstrip('~')}-{metric}", timeline_chart(group, metric)


def draw(spec: ChartSpec) -> bytes:
    from bot.features.charts.draw import render

    return render(spec)
