"""What the answers keep between updates, and when they let it go."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.domain import Topic
from bot.queries.facts import FactQueries, store_of
from bot.render.i18n import ChatLanguageMiddleware, create_i18n
from bot.render.views import RenderedCache
from tests.factories import (
    Document,
    make_fact,
    make_meta,
    sample_documents,
    store_documents,
)


async def test_rendered_cache_makes_once_and_forgets_the_oldest() -> None:
    cache = RenderedCache(size=2)
    made: list[str] = []

    def maker(value: str) -> Any:
        async def make() -> str:
            made.append(value)
            return value

        return make

    assert await cache.get("a", maker("a")) == "a"
    assert await cache.get("a", maker("other")) == "a"
    await cache.get("b", maker("b"))
    await cache.get("a", maker("a"))  # a is now the most recent
    await cache.get("c", maker("c"))  # b goes
    assert len(cache) == 2
    await cache.get("b", maker("b"))
    assert made == ["a", "b", "c", "b"]


class FakeChats:
    def __init__(self, stored: dict[int, str]) -> None:
        self.stored = stored
        self.asked: list[int] = []

    async def get_language(self, chat_id: int) -> str | None:
        self.asked.append(chat_id)
        return self.stored.get(chat_id)


class FakeUser:
    def __init__(self, user_id: int, language_code: str | None = "ru") -> None:
        self.id = user_id
        self.language_code = language_code


async def test_a_private_chat_is_asked_for_its_language_once() -> None:
    middleware = ChatLanguageMiddleware(create_i18n())
    chats = FakeChats({7: "kk"})
    user = FakeUser(7)
    data = {"chats": chats, "event_chat": user, "event_from_user": user}
    assert await middleware.get_locale(object(), data) == "kk"  # type: ignore[arg-type]
    assert chats.asked == [7]


async def test_without_a_stored_choice_telegram_decides() -> None:
    middleware = ChatLanguageMiddleware(create_i18n())
    user = FakeUser(8, "kk-KZ")
    data = {"chats": FakeChats({}), "event_chat": user, "event_from_user": user}
    assert await middleware.get_locale(object(), data) == "kk"  # type: ignore[arg-type]


async def test_the_store_version_names_the_store_and_follows_an_ingest(
    session_factory: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    await store_documents(session_factory, sample_documents())
    async with session_factory() as session:
        queries = FactQueries.of(session)
        first = await queries.version()
        assert first.startswith(store_of(session) + "|")
        await store_documents(session_factory, [Document(make_meta("new.txt"), [make_fact()])])
        assert await queries.version() == first  # trusted for a moment
        monkeypatch.setattr("bot.queries.facts.VERSION_TTL", 0.0)
        assert await queries.version() != first


async def test_headlines_are_kept_until_the_store_changes(
    session_factory: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    await store_documents(session_factory, sample_documents())
    newer = make_meta("new.txt", published=date(2026, 1, 5))
    fact = make_fact(subject="Новый завод", entity_key=None, value=Decimal(7_000_000_000))
    async with session_factory() as session:
        queries = FactQueries.of(session)
        before = await queries.headlines([Topic.INVESTMENTS], 5)
        await store_documents(session_factory, [Document(newer, [fact])])
        # Within the version's moment the kept headlines answer …
        assert await queries.headlines([Topic.INVESTMENTS], 5) == before
        # … and once the store's version has moved on, the new figure leads.
        monkeypatch.setattr("bot.queries.facts.VERSION_TTL", 0.0)
        after = await queries.headlines([Topic.INVESTMENTS], 5)
    assert after[0].subject == "Новый завод" and after != before


async def test_the_store_version_follows_every_kind_of_change(
    session_factory: async_sessionmaker[AsyncSession], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.queries.facts.VERSION_TTL", 0.0)
    documents = sample_documents()
    await store_documents(session_factory, documents)
    async with session_factory() as session:
        queries = FactQueries.of(session)
        seen = [await queries.version()]
        # A document again, its facts gone (a new version of the file with none).
        first = documents[0]
        emptied = replace(first.meta, sha256="0" * 64)
        await store_documents(session_factory, [Document(emptied, [])])
        seen.append(await queries.version())
        # … and with its facts back.
        await store_documents(session_factory, [Document(first.meta, first.facts)])
        seen.append(await queries.version())
        # A new document.
        await store_documents(session_factory, [Document(make_meta("more.txt"), [make_fact()])])
        seen.append(await queries.version())
    assert len(set(seen)) == len(seen), seen
