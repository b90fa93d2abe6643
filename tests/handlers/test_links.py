"""An administrator's link in a private chat, and the outlets' freshness under /sources."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain.settings import Settings
from bot.features.feeds.client import Fetcher, FetchPolicy
from bot.features.feeds.collect import Collector
from bot.features.feeds.feedlist import FeedConfig
from tests.feeds.conftest import base_url, policy, server, site
from tests.feeds.site import Site
from tests.handlers.answers import assert_valid
from tests.handlers.harness import BotDriver, make_settings

__all__ = ["base_url", "policy", "server", "site"]


def admin(driver: BotDriver, *, allow_private: bool = True) -> dict[str, Settings]:
    settings = make_settings().model_copy(
        update={
            "admin_ids": frozenset({driver.user.id}),
            "fetch_allow_private": allow_private,
            "fetch_delay_s": 0,
            "fetch_timeout_s": 1,
        }
    )
    return {"settings": settings}


async def test_an_administrators_link_is_fetched_and_ingested(
    driver: BotDriver, base_url: str
) -> None:
    turn = await driver.send(f"{base_url}/news/saran-pipes?utm_source=tg", **admin(driver))
    text = assert_valid(turn.reply)
    assert text.startswith("📥 «В Сарани запустят производство полиэтиленовых труб» добавлен")
    assert "2 факта" in text
    # Its figures are found like those of an uploaded document.
    found = assert_valid((await driver.send("/search Сарань")).reply)
    assert "Стоимость проекта: 7,5 млрд ₸" in found and "Источник: 127.0.0.1" in found
    again = await driver.send(f"{base_url}/news/saran-pipes", **admin(driver))
    assert assert_valid(again.reply) == "⚠️ Эта страница уже есть в базе."
    reprint = await driver.send(f"{base_url}/other/saran-pipes-reprint", **admin(driver))
    assert "ещё один источник" in assert_valid(reprint.reply)


async def test_a_loopback_link_is_refused_unless_allowed(
    driver: BotDriver, site: Site, base_url: str
) -> None:
    turn = await driver.send(f"{base_url}/news/saran-pipes", **admin(driver, allow_private=False))
    assert "частный или локальный адрес" in assert_valid(turn.reply)
    assert site.requested == []


async def test_other_schemes_are_refused(driver: BotDriver) -> None:
    for link in ("file:///etc/passwd", "ftp://example.kz/report.txt"):
        turn = await driver.send(link, **admin(driver))
        assert assert_valid(turn.reply) == "⚠️ Добавить можно только ссылки http и https."


async def test_a_failing_link_says_why(driver: BotDriver, base_url: str) -> None:
    turn = await driver.send(f"{base_url}/news/missing", **admin(driver))
    assert assert_valid(turn.reply) == "⚠️ Страницу не удалось загрузить: HTTP 404"
    pdf = await driver.send(f"{base_url}/files/report.pdf", **admin(driver))
    assert "не на веб-страницу (application/pdf)" in assert_valid(pdf.reply)


async def test_anyone_elses_link_is_only_a_search(
    driver: BotDriver, site: Site, base_url: str
) -> None:
    turn = await driver.send(f"{base_url}/news/saran-pipes", settings=make_settings())
    assert "Эта страница" not in turn.text and "добавлен" not in turn.text
    assert site.requested == []


async def test_sources_show_each_outlets_freshness_in_both_languages(
    driver: BotDriver,
    bot_session_factory: async_sessionmaker[AsyncSession],
    policy: FetchPolicy,
    base_url: str,
) -> None:
    async with Fetcher(policy) as fetcher:
        await Collector(bot_session_factory, fetcher).run(
            [
                FeedConfig(f"{base_url}/atom.xml", "Другое издание"),
                FeedConfig(f"{base_url}/gone.xml", "Пропавшая лента"),
            ]
        )
    turn = await driver.send("/sources")
    assert len(turn.sent) == 2
    outlets = assert_valid(turn.sent[1])
    assert outlets.startswith("📡 Новостные издания\n")
    assert "• Другое издание: загружено " in outlets
    assert "данные на 21 ноября 2026 г." in outlets
    assert "• Пропавшая лента: ещё не загружалось" in outlets
    kazakh = driver.new_user("Айгерім", language_code="kk")
    turn = await driver.send("/sources", user=kazakh)
    outlets = assert_valid(turn.sent[1])
    assert "Жаңалық басылымдары" in outlets and "деректер 2026 ж. 21 қараша бойынша" in outlets
