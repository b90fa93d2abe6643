"""Facts as Telegram HTML: escaping, timelines, pages within Telegram's limits."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.domain import DatePrecision, Fact, Period, PeriodKind, Status, Topic
from bot.domain.metrics import Metric
from bot.queries.facts import SourceSummary, group_by_subject
from bot.render.facts import (
    fact_html,
    render_card,
    render_search,
    render_sources,
    render_topic,
)
from bot.render.html import MESSAGE_LIMIT, html_problems, telegram_length, visible_text
from bot.render.labels import language_name, metric_label, subject_name, topic_button
from tests.factories import make_fact, make_source, stored


def plain(text: str) -> str:
    return text.replace("\xa0", " ").replace("\u202f", " ")


def qarmet_timeline() -> list[Fact]:
    """Newest document first, as the repository returns them."""
    newer = make_source(id=2, outlet="Zakon.kz", url="https://www.zakon.kz/a")
    older = make_source(
        id=1,
        outlet="BAQ.kz",
        url="https://rus.baq.kz/b?x=1&y=2",
        published=date(2025, 8, 1),
        published_to=date(2025, 9, 30),
        precision=DatePrecision.ESTIMATED,
    )
    return [
        stored(make_fact(value=Decimal("1700000000000")), fact_id=3, source=newer),
        stored(make_fact(), fact_id=1, source=older),
        stored(
            make_fact(
                value=Decimal("572900000000"),
                period=Period(PeriodKind.YEAR, year=2024),
                status=Status.ACTUAL,
                quote="В 2024 году вложено 572,9 млрд тенге.",
            ),
            fact_id=2,
            source=older,
        ),
    ]


def test_a_fact_line_has_everything(language: str) -> None:
    fact = stored(make_fact(), source=qarmet_timeline()[1].source)
    html = fact_html(fact)
    assert not html_problems(html)
    text = plain(visible_text(html))
    if language == "ru":
        assert "Qarmet" in text
        assert "Инвестиции: 1,6 трлн ₸ до 2028 г. (план)" in text
        assert "Источник: BAQ.kz, дата не указана (≈ август – сентябрь 2025 г.)" in text
    else:
        assert "Инвестициялар: 1,6 трлн ₸ 2028 жылға дейін (жоспар)" in text
        assert "Дереккөз: BAQ.kz, күні көрсетілмеген (≈ 2025 ж. тамыз – қыркүйек)" in text
    assert '<a href="https://rus.baq.kz/b?x=1&amp;y=2">BAQ.kz</a>' in html
    # The quote stays in the language it was written in.
    assert "<blockquote expandable>Инвестиции в модернизацию" in html


def test_everything_dynamic_is_escaped(language: str) -> None:
    fact = stored(
        make_fact(
            subject='<script>alert("x")</script> & Co',
            entity_key=None,
            quote="A <b>bold</b> claim & more",
        ),
        source=make_source(outlet="<i>Outlet</i>", url='https://x.kz/"onclick="'),
    )
    html = fact_html(fact)
    assert not html_problems(html)
    assert "<script>" not in html and "<b>bold</b>" not in html
    text = visible_text(html)
    assert '<script>alert("x")</script> & Co' in text
    assert "A <b>bold</b> claim & more" in text
    assert "<i>Outlet</i>" in text


def test_a_link_is_only_made_of_web_addresses(language: str) -> None:
    fact = stored(make_fact(), source=make_source(url="javascript:alert(1)"))
    assert "<a " not in fact_html(fact)


def test_newest_leads_and_older_figures_follow_as_a_timeline(language: str) -> None:
    [group] = group_by_subject(qarmet_timeline())
    [timeline] = group.timelines
    assert [f.id for f in timeline.current] == [3]
    assert [f.id for f in timeline.earlier] == [1, 2]
    [page] = render_topic(Topic.INVESTMENTS, [group])
    assert not html_problems(page)
    text = plain(visible_text(page))
    newest, earlier = text.index("1,7 трлн ₸"), text.index("1,6 трлн ₸")
    assert newest < earlier < text.index("572,9 млрд ₸")
    assert ("Ранее:" if language == "ru" else "Бұрын:") in text
    # Every figure keeps its own source and date.
    assert text.count("BAQ.kz") == 2 and text.count("Zakon.kz") == 1


def test_topic_header_names_topic_and_region(language: str) -> None:
    [page] = render_topic(Topic.INVESTMENTS, group_by_subject(qarmet_timeline()))
    first_line = visible_text(page).splitlines()[0]
    if language == "ru":
        assert first_line == "💼 Инвестиции · Карагандинская область"
    else:
        assert first_line == "💼 Инвестициялар · Қарағанды облысы"


def test_empty_topic_says_so(language: str) -> None:
    [page] = render_topic(Topic.JOBS, [])
    assert not html_problems(page)
    assert len(visible_text(page).splitlines()) == 3


def test_entity_names_are_in_the_users_language(language: str) -> None:
    fact = stored(make_fact(subject="СЭЗ Сарыарка", entity_key="sez_saryarka"))
    expected = "«Сарыарқа» АЭА" if language == "kk" else "СЭЗ «Сарыарка»"
    assert subject_name(fact) == expected
    loose = stored(make_fact(subject="Тепличный комплекс", entity_key=None))
    assert subject_name(loose) == "Тепличный комплекс"


def test_every_metric_and_topic_has_a_label(language: str) -> None:
    for metric in Metric:
        assert metric_label(metric) != metric.value
    for topic in Topic:
        assert topic_button(topic).split(" ", 1)[1]


def test_language_names_are_in_their_own_language(language: str) -> None:
    assert language_name("ru") == "Русский"
    assert language_name("kk") == "Қазақша"


def test_card_shows_every_quote(language: str) -> None:
    [group] = group_by_subject(qarmet_timeline())
    [page] = render_card(group)
    assert not html_problems(page)
    assert page.count("<blockquote expandable>") == 2  # two sentences, three figures


def test_sources_list(language: str) -> None:
    summaries = [
        SourceSummary(make_source(id=1, title="Title & <more>"), 12),
        SourceSummary(make_source(id=2, outlet=None, url=None, file_name="x.txt",
                                  published=None, precision=DatePrecision.UNKNOWN), 1),
    ]  # fmt: skip
    [page] = render_sources(summaries)
    assert not html_problems(page)
    text = visible_text(page)
    if language == "ru":
        assert "12 фактов" in text and "1 факт" in text and "дата не указана" in text
    else:
        assert "12 дерек" in text and "күні көрсетілмеген" in text
    assert "Title & <more>" in text


def test_search_results_and_nothing_found(language: str) -> None:
    facts = [stored(make_fact())]
    [page] = render_search("Qarmet <3", facts)
    assert not html_problems(page)
    assert "Qarmet <3" in visible_text(page)
    [empty] = render_search("<nothing>", [])
    assert not html_problems(empty)
    assert "<nothing>" in visible_text(empty)


def many_facts(count: int, subject: str = "Qarmet", quote: str | None = None) -> list[Fact]:
    facts = []
    for i in range(count):
        source = make_source(id=i + 1, published=date(2025, 1, 1))
        fact = make_fact(
            subject=f"{subject} {i // 7}",
            entity_key=None,
            metric=list(Metric)[i % len(Metric)].value,
            value=Decimal(1000 + i),
            quote=quote if quote is not None else f"Предложение номер {i}. " * 20,
        )
        facts.append(stored(fact, fact_id=i + 1, source=source))
    return facts


def assert_pages_fit(pages: list[str]) -> None:
    for page in pages:
        assert not html_problems(page), html_problems(page)
        assert telegram_length(page) <= MESSAGE_LIMIT


def test_long_answers_are_paged_without_cutting_a_fact(language: str) -> None:
    facts = many_facts(120)
    pages = render_topic(Topic.INVESTMENTS, group_by_subject(facts))
    assert len(pages) > 3
    assert_pages_fit(pages)
    joined = "".join(visible_text(page) for page in pages)
    for fact in facts:
        # Each figure appears whole on exactly one page.
        assert sum(f"номер {fact.id - 1}." in visible_text(p) for p in pages) == 1
    assert ("1,119 тыс. ₸" if language == "ru" else "1,119 мың ₸") in plain(joined)
    counter = "Страница" if language == "ru" else "беттің"
    assert all(counter in visible_text(page) for page in pages)


hostile_text = st.lists(
    st.sampled_from([*"<>&\"'ab ё😀\u200d\n;#x", "&amp;", "</b>", "<b>", "&#x27;", "ж" * 50]),
    max_size=400,
).map("".join) | st.text(max_size=3000)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(subject=hostile_text, quote=hostile_text, count=st.integers(min_value=1, max_value=40))
def test_pages_fit_for_any_subject_and_quote(
    i18n_context: None, subject: str, quote: str, count: int
) -> None:
    facts = many_facts(count, subject=subject or "x", quote=quote)
    groups = group_by_subject(facts)
    assert_pages_fit(render_topic(Topic.ZONES, groups))
    assert_pages_fit(render_card(groups[0]))
    assert_pages_fit(render_search(subject, facts))
