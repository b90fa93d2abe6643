"""One pass over feeds on a local site: what is ingested, skipped and failed, and that a
second pass downloads nothing."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.features.feeds import collect as collect_module
from bot.features.feeds.article import Article
from bot.features.feeds.client import Fetcher, FetchPolicy
from bot.features.feeds.collect import Collector, FeedReport, PageOutcome
from bot.features.feeds.feedlist import FeedConfig
from bot.features.feeds.store import FeedStore
from bot.features.feeds.urls import canonical_url
from bot.storage.models import DocumentRecord
from bot.storage.repositories import FactRepository
from bot.storage.searches import fact_search
from tests.factories import keep_every_segment
from tests.feeds.site import CHROME_FIGURES, Site


async def collect(
    session_factory: async_sessionmaker[AsyncSession], policy: FetchPolicy, *feeds: FeedConfig
) -> list[FeedReport]:
    async with Fetcher(policy) as fetcher:
        return await Collector(session_factory, fetcher).run(feeds)


def outcomes(report: FeedReport) -> dict[str, PageOutcome]:
    return {page.url.split("/", 3)[-1]: page.outcome for page in report.pages}


async def test_a_pass_ingests_relevant_articles_once_and_reports_the_rest(
    session_factory: async_sessionmaker[AsyncSession],
    policy: FetchPolicy,
    site: Site,
    base_url: str,
) -> None:
    rss = FeedConfig(f"{base_url}/rss.xml", "Карагандинские новости", "ru")
    atom = FeedConfig(f"{base_url}/atom.xml", "Другое издание", "ru")
    # One after the other: feeds of one pass run side by side, and which of two copies
    # comes first is then a matter of timing.
    [first] = await collect(session_factory, policy, rss)

    assert first.error is None and first.seen == 12
    # The address with tracking parameters, a trailing slash and a fragment is the first one.
    assert first.new == 11
    pages = outcomes(first)
    assert pages["news/saran-pipes"] is PageOutcome.INGESTED
    assert pages["news/temirtau-boiler"] is PageOutcome.INGESTED  # windows-1251
    assert pages["news/balkhash-warehouse"] is PageOutcome.INGESTED  # gzip
    assert pages["old/shakhtinsk"] is PageOutcome.INGESTED  # after a 301
    assert pages["news/library"] is PageOutcome.IRRELEVANT
    assert pages["files/report.pdf"] is PageOutcome.NOT_HTML
    failed = {page.url.rsplit("/", 1)[-1]: page.reason or "" for page in first.failed}
    assert failed.keys() == {"draft", "missing", "broken", "slow", "huge"}
    assert "robots.txt" in failed["draft"]
    assert "404" in failed["missing"] and "500" in failed["broken"]
    assert "within" in failed["slow"] and "limit" in failed["huge"]
    # robots.txt said no: the page was never asked for.
    assert site.paths("/private") == []
    assert site.paths("/robots.txt") == ["/robots.txt"]  # once for the whole pass

    [second] = await collect(session_factory, policy, atom)
    # The reprint under another address is a second source of the same document.
    assert outcomes(second) == {"other/saran-pipes-reprint": PageOutcome.REPRINT}
    async with session_factory() as session:
        documents = (await session.scalars(select(DocumentRecord))).all()
        assert len(documents) == 4
        # The windows-1251 page and the gzip page read right.
        titles = {document.title for document in documents}
        assert {"В Темиртау модернизируют котельную", "В Балхаше построят склад"} <= titles
        original = next(d for d in documents if d.url == f"{base_url}/news/saran-pipes")
        assert original.outlet == "Карагандинские новости"
        assert str(original.published) == "2026-11-20"
        # The page a redirect led to is known by its own address too.
        target = canonical_url(f"{base_url}/news/shakhtinsk-substation")
        assert await FeedStore(session).is_known(target)
        sources = await FeedStore(session).other_sources(original.file_name)
        assert [s.url for s in sources] == [f"{base_url}/other/saran-pipes-reprint"]
        facts = await FactRepository(session).list()
    by_document = Counter(fact.source.file_name for fact in facts)
    assert by_document[original.file_name] == 2
    assert sum(by_document.values()) == first.facts + second.facts


async def test_page_chrome_gives_no_facts(
    session_factory: async_sessionmaker[AsyncSession], policy: FetchPolicy, base_url: str
) -> None:
    await collect(session_factory, policy, FeedConfig(f"{base_url}/rss.xml", "Новости"))
    async with session_factory() as session:
        facts = await FactRepository(session).list()
    assert facts
    for fact in facts:
        assert not any(figure in fact.quote for figure in CHROME_FIGURES), fact.quote
        assert "Читайте" not in fact.quote and "©" not in fact.quote


async def test_a_second_pass_downloads_no_article(
    session_factory: async_sessionmaker[AsyncSession],
    policy: FetchPolicy,
    site: Site,
    base_url: str,
) -> None:
    feeds = [FeedConfig(f"{base_url}/rss.xml", "Новости"), FeedConfig(f"{base_url}/atom.xml", "Б")]
    await collect(session_factory, policy, *feeds)
    before = len(site.requested)
    again = await collect(session_factory, policy, *feeds)
    # One conditional request a feed (and robots.txt, read anew by a new client), no pages.
    assert sorted(site.requested[before:]) == ["/atom.xml", "/robots.txt", "/rss.xml"]
    assert all(report.not_modified and not report.pages for report in again)


async def test_a_feed_without_validators_still_downloads_no_known_article(
    session_factory: async_sessionmaker[AsyncSession],
    policy: FetchPolicy,
    site: Site,
    base_url: str,
) -> None:
    feed = FeedConfig(f"{base_url}/atom.xml", "Б")
    await collect(session_factory, policy, feed)
    site.etag = '"v2"'  # the server forgot the first version
    before = len(site.requested)
    [again] = await collect(session_factory, policy, feed)
    assert not again.not_modified and again.seen == 1 and again.new == 0
    assert site.paths("/other")[1:] == [] and len(site.requested) - before == 2


async def test_a_failing_feed_is_reported_and_the_pass_goes_on(
    session_factory: async_sessionmaker[AsyncSession], policy: FetchPolicy, base_url: str
) -> None:
    missing, page, good = await collect(
        session_factory,
        policy,
        FeedConfig(f"{base_url}/no-such-feed.xml", "Нет"),
        FeedConfig(f"{base_url}/news/library", "Не лента"),
        FeedConfig(f"{base_url}/atom.xml", "Есть"),
    )
    assert missing.error == "HTTP 404"
    assert page.error is not None and "feed" in page.error
    assert good.error is None and good.ingested == 1
    async with session_factory() as session:
        states = {state.name: state for state in await FeedStore(session).feed_states()}
    assert states["Нет"].last_success_at is None and states["Нет"].last_error == "HTTP 404"
    assert states["Есть"].last_success_at is not None
    assert str(states["Есть"].newest_article) == "2026-11-21"


async def test_a_page_that_breaks_the_extractor_fails_alone(
    session_factory: async_sessionmaker[AsyncSession],
    policy: FetchPolicy,
    base_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    real = collect_module._article_of

    def breaking(content_type: str, body: bytes, url: str) -> Article | None:
        if "temirtau" in url:
            raise ValueError("unreadable markup")
        return real(content_type, body, url)

    monkeypatch.setattr(collect_module, "_article_of", breaking)
    [report] = await collect(session_factory, policy, FeedConfig(f"{base_url}/rss.xml", "Н"))
    assert outcomes(report)["news/temirtau-boiler"] is PageOutcome.FAILED
    assert report.ingested == 3
    assert "ValueError: unreadable markup" in {page.reason for page in report.failed}


async def test_a_pass_leaves_the_search_index_in_one_segment(
    session_factory: async_sessionmaker[AsyncSession], policy: FetchPolicy, base_url: str
) -> None:
    if not await keep_every_segment(session_factory):
        pytest.skip("segments are FTS5's")
    [report] = await collect(session_factory, policy, FeedConfig(f"{base_url}/rss.xml", "Новости"))
    assert report.ingested > 2
    async with session_factory() as session:
        assert await fact_search(session).segments() == 1
