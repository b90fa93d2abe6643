"""Charts: the figures each one picks, the PNG it draws, its caption and its cache."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from bot import PROJECT_ROOT
from bot.domain import DatePrecision, ExtractedFact, Fact, Period, PeriodKind, Status, Topic
from bot.domain.charts import ChartKind
from bot.features.charts.service import ChartKey, ChartService
from bot.features.charts.spec import (
    CAPTION_LIMIT,
    Bar,
    BarChart,
    ChartSpec,
    Legend,
    Panel,
    TimelineChart,
    caption,
    cargo_chart,
    chartable_metrics,
    investments_chart,
    is_chartable,
    timeline_chart,
    zones_chart,
)
from bot.queries.facts import group_by_subject
from bot.render.html import html_problems, telegram_length, visible_text
from tests.factories import (
    Document,
    make_fact,
    make_source,
    sample_documents,
    stored,
    timeline_documents,
)

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
KAZAKH_LETTERS = "әғқңөұүһі ӘҒҚҢӨҰҮҺІ"


def as_stored(documents: list[Document]) -> list[Fact]:
    """The documents' facts as the repository returns them: newest document first."""
    facts = []
    number = 0
    for source_id, document in enumerate(documents, start=1):
        meta = document.meta
        source = make_source(
            id=source_id,
            file_name=meta.file_name,
            outlet=meta.outlet,
            url=meta.url,
            published=meta.published,
            published_to=meta.published_to,
            precision=meta.precision,
        )
        for extracted in document.facts:
            number += 1
            facts.append(stored(extracted, fact_id=number, source=source))
    return sorted(facts, key=lambda f: f.source.published or date.min, reverse=True)


def plain(text: str) -> str:
    return text.replace("\xa0", " ").replace("\u202f", " ")


def png_size(content: bytes) -> tuple[int, int]:
    assert content[:8] == PNG_SIGNATURE
    assert content[12:16] == b"IHDR"
    return int.from_bytes(content[16:20], "big"), int.from_bytes(content[20:24], "big")


def airport_cargo(value: int, status: Status, by: int | None = None) -> ExtractedFact:
    return make_fact(
        topic=Topic.CARGO,
        subject="Аэропорт",
        entity_key="airport_saryarka",
        metric="cargo",
        value=value,
        unit="t",
        period=Period(PeriodKind.BY, year=by) if by else None,
        status=status,
    )


def render(chart: ChartSpec) -> bytes:
    from bot.features.charts.draw import render as draw

    return draw(chart)


# ---- what each chart shows ------------------------------------------------------


def test_investments_by_subject_largest_first_in_russian(
    use_language: Callable[[str], AbstractContextManager[None]],
) -> None:
    facts = as_stored(sample_documents())
    with use_language("ru"):
        chart = investments_chart(facts)
    assert chart is not None
    [panel] = chart.panels
    assert chart.title == "Инвестиции по объектам"
    rows = [(bar.name, plain(bar.text), bar.plan) for bar in panel.bars]
    assert rows == [
        ("Qarmet", "1,6 трлн ₸", True),
        ("Qarmet", "572,9 млрд ₸", False),
        ("Индустриальная зона «Сарань»", "312,5 млрд ₸", True),
    ]
    assert plain(panel.bars[0].detail) == "Инвестиции · до 2028 г."
    assert {f.source.outlet for f in chart.facts} == {"BAQ.kz"}


def test_investments_in_kazakh_use_kazakh_names(
    use_language: Callable[[str], AbstractContextManager[None]],
) -> None:
    facts = as_stored(sample_documents())
    with use_language("kk"):
        chart = investments_chart(facts)
    assert chart is not None
    assert chart.title == "Нысандар бойынша инвестициялар"
    assert chart.subtitle == "Қарағанды облысы"
    names = [bar.name for bar in chart.panels[0].bars]
    assert "«Саран» индустриялық аймағы" in names
    assert plain(chart.panels[0].bars[0].detail) == "Инвестициялар · 2028 жылға дейін"


def test_a_figure_repeated_without_its_period_is_one_bar(language: str) -> None:
    dated = make_source(id=1, published=date(2025, 8, 1))
    undated_newer = make_source(id=2, published=date(2025, 9, 11))
    facts = [
        stored(make_fact(period=None), fact_id=2, source=undated_newer),
        stored(make_fact(), fact_id=1, source=dated),
    ]
    chart = investments_chart(facts)
    assert chart is not None
    assert [bar.value for bar in chart.panels[0].bars] == [1.6e12]
    assert "2028" in chart.panels[0].bars[0].detail


def test_cargo_now_versus_target(
    use_language: Callable[[str], AbstractContextManager[None]],
) -> None:
    source = make_source(published=date(2025, 9, 11))
    facts = [
        stored(airport_cargo(15000, Status.ACTUAL), fact_id=1, source=source),
        stored(airport_cargo(200000, Status.PLAN, 2030), fact_id=2, source=source),
    ]
    with use_language("ru"):
        chart = cargo_chart(facts)
    assert chart is not None
    [panel] = chart.panels
    assert panel.title == "Грузы, т"
    now, target = panel.bars
    assert (plain(now.text), now.plan) == ("15 000 т", False)
    assert plain(now.detail) == "сейчас · на 11 сентября 2025 г."
    assert (plain(target.text), target.plan) == ("200 000 т", True)
    assert plain(target.detail) == "цель · до 2030 г. · в 13,3 раза больше, чем сейчас"
    with use_language("kk"):
        chart = cargo_chart(facts)
    assert chart is not None
    now, target = chart.panels[0].bars
    assert now.name == "«Сарыарқа» әуежайы (CargoHUB Karaganda)"
    assert plain(now.detail) == "қазір · 2025 ж. 11 қыркүйек жағдай бойынша"
    assert plain(target.detail) == "мақсат · 2030 жылға дейін · қазіргіден 13,3 есе көп"


def test_zones_compared_by_investment_participants_and_jobs(language: str) -> None:
    facts = [f for f in as_stored(sample_documents()) if f.topic == Topic.ZONES]
    chart = zones_chart(facts)
    assert chart is not None
    titles = {"ru": ["Инвестиции", "Участники"], "kk": ["Инвестициялар", "Қатысушылар"]}
    assert [panel.title for panel in chart.panels] == titles[language]
    investment, participants = chart.panels
    assert [plain(bar.text) for bar in investment.bars] == ["312,5 млрд ₸"]
    assert [bar.text for bar in participants.bars] == ["24"]


def test_no_figures_no_chart(language: str) -> None:
    assert investments_chart([]) is None
    assert cargo_chart([]) is None
    assert zones_chart([]) is None


# ---- timelines ------------------------------------------------------------------


def saran_group() -> list:
    return group_by_subject(as_stored(timeline_documents()))


def test_three_dated_figures_make_a_timeline_chart(language: str) -> None:
    [group] = saran_group()
    assert chartable_metrics(group) == ["participants"]
    chart = timeline_chart(group, "participants")
    assert chart is not None
    [series] = chart.series
    assert [p.value for p in series.points] == [12, 15, 18]
    assert [p.when for p in series.points] == [
        date(2025, 3, 14),
        date(2025, 7, 1),
        date(2025, 11, 5),
    ]
    # The estimated date spans its window.
    assert (series.points[1].start, series.points[1].end) == (date(2025, 6, 1), date(2025, 7, 31))
    names = {
        "ru": "Индустриальная зона «Сарань» · Участники",
        "kk": "«Саран» индустриялық аймағы · Қатысушылар",
    }
    assert chart.title == names[language]


def test_two_points_or_one_document_make_no_chart(language: str) -> None:
    documents = timeline_documents()
    [group] = group_by_subject(as_stored(documents[:2]))
    assert not is_chartable(group.timelines[0])
    assert timeline_chart(group, "participants") is None
    # Three figures of one document are not a change over time.
    one = Document(documents[0].meta, [*documents[0].facts * 3])
    one.facts[1] = replace(one.facts[1], value=Decimal(5))
    one.facts[2] = replace(one.facts[2], value=Decimal(7))
    [group] = group_by_subject(as_stored([one]))
    assert chartable_metrics(group) == []


def test_figures_without_a_date_stay_off_the_time_axis(language: str) -> None:
    documents = timeline_documents()
    undated = replace(documents[2].meta, published=None, precision=DatePrecision.UNKNOWN)
    documents[2] = Document(undated, documents[2].facts)
    [group] = group_by_subject(as_stored(documents))
    assert chartable_metrics(group) == []


# ---- drawing --------------------------------------------------------------------


def all_charts() -> list[ChartSpec]:
    facts = as_stored(sample_documents() + timeline_documents())
    [saran] = [g for g in group_by_subject(facts) if g.entity_key == "iz_saran"]
    cargo = [*facts, stored(airport_cargo(15000, Status.ACTUAL), fact_id=99)]
    charts = [
        investments_chart(facts),
        cargo_chart(cargo),
        zones_chart([f for f in facts if f.topic == Topic.ZONES]),
        timeline_chart(saran, "participants"),
    ]
    assert all(chart is not None for chart in charts)
    return [chart for chart in charts if chart is not None]


def test_every_chart_is_a_png_of_sensible_size(language: str) -> None:
    for chart in all_charts():
        png = render(chart)
        width, height = png_size(png)
        assert width == 1200, chart.title
        assert 400 <= height <= 2400, (chart.title, height)
        assert 10_000 < len(png) < 1_000_000


def test_no_text_is_clipped(language: str) -> None:
    """Every label, tick, legend entry and footer lies inside the picture, long names too."""
    from matplotlib.text import Text

    from bot.features.charts.draw import build_figure, drawing

    long_name = "ТОО «Карагандинский завод металлоконструкций и строительных материалов»"
    long = [
        stored(make_fact(subject=long_name, entity_key=None, value=Decimal("987654321012")),
               fact_id=1),
        stored(make_fact(subject=long_name, entity_key=None, value=12, unit="KZT",
                         period=Period(PeriodKind.MONTHS, year=2025, months=10),
                         status=Status.ACTUAL), fact_id=2),
    ]  # fmt: skip
    charts = [*all_charts(), investments_chart(long)]
    for chart in charts:
        assert chart is not None
        with drawing():
            figure = build_figure(chart)
            figure.canvas.draw()
            renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
            # Everything drawn: texts, ticks in view, legends, bars.
            drawn = figure.get_tightbbox(renderer)
            width, height = figure.get_size_inches()
            assert drawn is not None
            assert drawn.x0 >= 0 and drawn.y0 >= 0, (chart.title, drawn)
            assert drawn.x1 <= width and drawn.y1 <= height, (chart.title, drawn, width, height)
            labels = [t.get_text() for t in figure.findobj(Text) if t.get_text().strip()]
            assert chart.title in labels


def test_kazakh_letters_are_drawn_with_dejavu_sans(language: str) -> None:
    """A glyph missing from the font would warn, and warnings fail the tests."""
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    path = font_manager.findfont("DejaVu Sans", fallback_to_default=False)
    charmap = FT2Font(path).get_charmap()
    assert all(ord(letter) in charmap for letter in KAZAKH_LETTERS + "₸ёЁ≈–")
    bars = (
        Bar(
            name=KAZAKH_LETTERS,
            detail="Қарағанды · Балқаш · Теміртау",
            value=1e9,
            text="1 млрд ₸",
            plan=False,
        ),
    )
    chart = BarChart(
        title="Һ " + KAZAKH_LETTERS,
        subtitle="Ёлка ₸",
        panels=(Panel(title="Ұ", unit="KZT", bars=bars),),
        legend=Legend(plan="жоспар", actual="факт", estimated="≈"),
        footer="Дереккөз: inkaraganda.kz",
        facts=(),
    )
    png_size(render(chart))


def test_drawing_uses_agg_without_pyplot(language: str) -> None:
    import matplotlib

    render(all_charts()[0])
    assert matplotlib.get_backend().lower() == "agg"
    assert "matplotlib.pyplot" not in sys.modules


@pytest.mark.slow
def test_the_bot_starts_without_matplotlib() -> None:
    code = (
        "import sys\n"
        "from bot.app.dispatcher import create_dispatcher\n"
        "from bot.domain.settings import Settings\n"
        "import bot.features.charts.service, bot.features.charts.replies\n"
        "import handlers.charts, handlers.export\n"
        "create_dispatcher(Settings(_env_file=None), None)\n"
        "assert 'matplotlib' not in sys.modules, 'matplotlib imported at start'\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr


# ---- captions -------------------------------------------------------------------


def test_caption_names_the_sources(
    use_language: Callable[[str], AbstractContextManager[None]],
) -> None:
    with use_language("ru"):
        chart = investments_chart(as_stored(sample_documents()))
        assert chart is not None
        text = caption(chart)
    assert not html_problems(text)
    assert plain(visible_text(text)) == (
        "📊 Инвестиции по объектам\nИсточник: BAQ.kz, дата не указана (≈ август – сентябрь 2025 г.)"
    )
    with use_language("kk"):
        zones = [f for f in as_stored(sample_documents()) if f.topic == Topic.ZONES]
        chart = zones_chart(zones)
        assert chart is not None
        text = plain(visible_text(caption(chart)))
    assert text.startswith("📊 Экономикалық аймақтарды салыстыру\nДереккөздер: Zakon.kz, 2025 ж.")


def test_caption_stays_within_telegram_limit(language: str) -> None:
    facts = [
        stored(
            make_fact(value=1000 + n),
            fact_id=n,
            source=make_source(
                id=n,
                outlet="Очень длинное название издания " * 3 + str(n),
                url=f"https://example.kz/{'a' * 200}/{n}",
            ),
        )
        for n in range(1, 60)
    ]
    chart = TimelineChart(
        title="Т" * 300,
        subtitle="",
        unit="KZT",
        series=(),
        legend=Legend("", "", ""),
        footer="",
        facts=tuple(facts),
    )
    text = caption(chart)
    assert telegram_length(text) <= CAPTION_LIMIT
    assert not html_problems(text)
    more = {"ru": "и ещё", "kk": "және тағы"}[language]
    assert more in text


# ---- the cache ------------------------------------------------------------------


class SpyRenderer:
    def __init__(self) -> None:
        self.calls: list[ChartSpec] = []

    def __call__(self, chart: ChartSpec) -> bytes:
        self.calls.append(chart)
        return PNG_SIGNATURE + chart.title.encode()


async def test_a_repeat_is_served_from_the_cache(
    use_language: Callable[[str], AbstractContextManager[None]],
) -> None:
    spy = SpyRenderer()
    service = ChartService(spy)
    facts = as_stored(sample_documents())
    built = []

    async def build() -> ChartSpec | None:
        built.append(1)
        return investments_chart(facts)

    key = ChartKey(ChartKind.INVESTMENTS)
    with use_language("ru"):
        first = await service.get(key, "v1", build)
        again = await service.get(key, "v1", build)
    assert first is not None and again is first
    assert len(spy.calls) == 1 and len(built) == 1
    with use_language("kk"):
        kazakh = await service.get(key, "v1", build)
    assert kazakh is not None and kazakh.png != first.png
    assert len(spy.calls) == 2
    with use_language("ru"):
        newer = await service.get(key, "v2", build)
    assert newer is not None and newer.key[2] == "v2"
    assert len(spy.calls) == 3


async def test_concurrent_requests_draw_once(
    use_language: Callable[[str], AbstractContextManager[None]],
) -> None:
    spy = SpyRenderer()
    service = ChartService(spy)
    facts = as_stored(sample_documents())

    async def build() -> ChartSpec | None:
        await asyncio.sleep(0.01)
        return investments_chart(facts)

    key = ChartKey(ChartKind.INVESTMENTS)
    with use_language("ru"):
        results = await asyncio.gather(*(service.get(key, "v1", build) for _ in range(5)))
    assert len({id(r) for r in results}) == 1
    assert len(spy.calls) == 1


async def test_the_cache_forgets_the_oldest(
    use_language: Callable[[str], AbstractContextManager[None]],
) -> None:
    spy = SpyRenderer()
    service = ChartService(spy, size=2)
    facts = as_stored(sample_documents())

    async def build() -> ChartSpec | None:
        return investments_chart(facts)

    key = ChartKey(ChartKind.INVESTMENTS)
    with use_language("ru"):
        for version in ("v1", "v2", "v3"):
            await service.get(key, version, build)
        assert (key, "ru", "v1") not in service
        assert (key, "ru", "v3") in service
        await service.get(key, "v1", build)
    assert len(spy.calls) == 4


@pytest.mark.parametrize("kind", [ChartKind.INVESTMENTS, ChartKind.ZONES])
async def test_no_figures_nothing_cached(
    kind: ChartKind, use_language: Callable[[str], AbstractContextManager[None]]
) -> None:
    spy = SpyRenderer()
    service = ChartService(spy)

    async def build() -> ChartSpec | None:
        return None

    with use_language("ru"):
        assert await service.get(ChartKey(kind), "v1", build) is None
    assert spy.calls == []
