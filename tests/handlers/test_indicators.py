"""Facts from Russian and Kazakh articles in both interfaces, through the dispatcher: the
subject in the reader's language, the quote in its own with a marker, a figure two
documents state shown once with both sources. Sentences are written for these tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain import Period, PeriodKind, Qualifier, Status, Topic
from tests.factories import Document, make_fact, make_meta, store_documents
from tests.handlers.answers import assert_valid
from tests.handlers.harness import BotDriver

RUSSIAN_QUOTE = "В индустриальной зоне Сарань за год зарегистрировали 31 участника."
KAZAKH_QUOTE = "Саран индустриялық аймағында биыл 31 қатысушы тіркелді."
KAZAKH_ONLY = "Аймақта 2031 жылға дейін 1 200-ден астам жұмыс орны ашылады."


def participants(quote: str, lang: str) -> object:
    return make_fact(
        topic=Topic.ZONES,
        subject="Сарань" if lang == "ru" else "Саран",
        entity_key="iz_saran",
        metric="participants",
        value=31,
        unit="participants",
        period=Period(PeriodKind.YEAR, year=2025),
        status=Status.ACTUAL,
        quote=quote,
        lang=lang,
    )


@pytest.fixture
async def bot_session_factory(
    session_factory: async_sessionmaker[AsyncSession],
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    jobs = make_fact(
        topic=Topic.ZONES,
        subject="Саран",
        entity_key="iz_saran",
        metric="jobs",
        value=Decimal(1200),
        unit="jobs",
        period=Period(PeriodKind.BY, year=2031),
        status=Status.PLAN,
        qualifier=Qualifier.MORE_THAN,
        quote=KAZAKH_ONLY,
        lang="kk",
    )
    await store_documents(
        session_factory,
        [
            Document(
                make_meta("ru.txt", outlet="Индустриальная Караганда", published=date(2025, 10, 1)),
                [participants(RUSSIAN_QUOTE, "ru")],  # type: ignore[list-item]
            ),
            Document(
                make_meta("kk.txt", outlet="Орталық Қазақстан", published=date(2025, 10, 3)),
                [participants(KAZAKH_QUOTE, "kk"), jobs],  # type: ignore[list-item]
            ),
        ],
    )
    yield session_factory


async def test_both_articles_in_the_russian_interface(driver: BotDriver) -> None:
    turn = await driver.send("/zones", user=driver.new_user("Арман", language_code="ru"))
    text = assert_valid(turn.reply)
    html = turn.reply.html or ""
    assert "Индустриальная зона «Сарань»" in text
    assert text.count("31 участник в 2025 г. (факт)") == 1, "one figure, shown once"
    sources = "Индустриальная Караганда, 1 октября 2025 г.; Орталық Қазақстан, 3 октября 2025 г."
    assert f"Источники: {sources}" in text
    assert "более 1 200 рабочих мест до 2031 г. (план)" in text
    assert f"<i>қаз.</i> {KAZAKH_ONLY}" in html


async def test_both_articles_in_the_kazakh_interface(driver: BotDriver) -> None:
    turn = await driver.send("/zones", user=driver.new_user("Айгерім", language_code="kk"))
    text = assert_valid(turn.reply)
    html = turn.reply.html or ""
    assert "«Саран» индустриялық аймағы" in text
    assert text.count("31 қатысушы 2025 ж. (нақты)") == 1
    assert "Дереккөздер: Индустриальная Караганда" in text
    assert "1 200-ден астам жұмыс орны 2031 жылға дейін (жоспар)" in text
    assert f"<i>рус.</i> {RUSSIAN_QUOTE}" in html
    assert f"<blockquote expandable>{KAZAKH_ONLY}" in html
