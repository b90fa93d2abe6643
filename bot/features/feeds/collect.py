"""One pass over the feeds: each feed fetched with a conditional GET, each new entry's
page fetched, its article extracted and, if it is about the region and not already in
the store, ingested through the same pipeline as files."""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from urllib.parse import urlsplit

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.features.feeds.article import (
    Article,
    decode_html,
    extract_article,
    is_html,
    is_relevant,
)
from bot.features.feeds.client import Fetcher, FetchError
from bot.features.feeds.entries import FeedEntry, FeedError, parse_entries
from bot.features.feeds.feedlist import FeedConfig
from bot.features.feeds.pages import PageOutcome, PageResult
from bot.features.feeds.store import FeedStore
from bot.features.feeds.urls import canonical_url
from bot.pipeline.documents import ManifestEntry
from bot.pipeline.gazetteer import Gazetteer, load_gazetteer
from bot.storage.ingest import Outcome, ingest_bytes
from bot.storage.searches import merge_index_segments

log = logging.getLogger(__name__)

# Feeds fetched at once; requests to one host still go one at a time.
PARALLEL_FEEDS = 8


# What is remembered, so it is not fetched again; failures are tried again next pass.
REMEMBERED = {
    PageOutcome.INGESTED,
    PageOutcome.REPRINT,
    PageOutcome.IRRELEVANT,
    PageOutcome.NO_ARTICLE,
    PageOutcome.NOT_HTML,
}
REFUSALS = (PageOutcome.REFUSED, PageOutcome.NOT_HTTP)


@dataclass
class FeedReport:
    feed: FeedConfig
    error: str | None = None
    not_modified: bool = False
    seen: int = 0
    new: int = 0
    pages: list[PageResult] = field(default_factory=list)

    @property
    def ingested(self) -> int:
        return sum(1 for page in self.pages if page.outcome is PageOutcome.INGESTED)

    @property
    def facts(self) -> int:
        return sum(page.facts for page in self.pages)

    @property
    def skipped(self) -> Counter[str]:
        return Counter(
            page.outcome.value
            for page in self.pages
            if page.outcome not in (PageOutcome.INGESTED, PageOutcome.FAILED, *REFUSALS)
        )

    @property
    def failed(self) -> list[PageResult]:
        return [page for page in self.pages if page.outcome in (PageOutcome.FAILED, *REFUSALS)]


@dataclass
class Collector:
    """What a pass needs: the store, the HTTP client, the gazetteer. Ingests go one at a
    time, so that several feeds' articles do not contend for the store's writer."""

    session_factory: async_sessionmaker[AsyncSession]
    fetcher: Fetcher
    gazetteer: Gazetteer = field(default_factory=load_gazetteer)
    _ingest_turn: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def run(
        self,
        feeds: Sequence[FeedConfig],
        on_feed_done: Callable[[FeedReport], None] | None = None,
    ) -> list[FeedReport]:
        turns = asyncio.Semaphore(PARALLEL_FEEDS)

        async def one(feed: FeedConfig) -> FeedReport:
            async with turns:
                try:
                    report = await self.collect_feed(feed)
                except Exception as error:  # a fault of ours must not stop the other feeds
                    log.exception("feed %s (%s) broke off", feed.name, feed.url)
                    report = FeedReport(feed, error=f"{type(error).__name__}: {error}")
            if on_feed_done is not None:
                on_feed_done(report)
            return report

        reports = list(await asyncio.gather(*(one(feed) for feed in feeds)))
        if any(report.ingested for report in reports):
            # Each article stored added a segment to the search index: a step of merging.
            await merge_index_segments(self.session_factory)
        return reports

    async def collect_feed(self, feed: FeedConfig) -> FeedReport:
        report = FeedReport(feed)
        async with self.session_factory() as session:
            state = await FeedStore(session).feed_state(feed.url)
        try:
            response = await self.fetcher.get(
                feed.url,
                etag=state.etag if state else None,
                last_modified=state.last_modified if state else None,
            )
            if response.status == 304:
                report.not_modified = True
                await self._save_feed(feed, None, None, None, None)
                return report
            entries = await asyncio.to_thread(parse_entries, response.body, response.url)
        except (FetchError, FeedError) as error:
            report.error = str(error)
            log.warning("feed %s (%s): %s", feed.name, feed.url, error)
            await self._save_feed(feed, report.error, None, None, None)
            return report
        report.seen = len(entries)
        newest: date | None = None
        for entry in entries:
            async with self.session_factory() as session:
                if await FeedStore(session).is_known(canonical_url(entry.url)):
                    continue
            report.new += 1
            try:
                page = await self.collect_page(entry.url, feed.name, feed_url=feed.url, entry=entry)
            except Exception as error:  # one page's fault must not stop the feed
                log.exception("page %s broke off", entry.url)
                page = PageResult(entry.url, PageOutcome.FAILED, f"{type(error).__name__}: {error}")
            report.pages.append(page)
        for entry in entries:
            if entry.published and (newest is None or entry.published > newest):
                newest = entry.published
        await self._save_feed(
            feed,
            None,
            response.headers.get("ETag"),
            response.headers.get("Last-Modified"),
            newest,
        )
        return report

    async def collect_page(
        self,
        url: str,
        outlet: str,
        *,
        feed_url: str | None = None,
        entry: FeedEntry | None = None,
        check_relevance: bool = True,
    ) -> PageResult:
        """One article page, fetched, checked and ingested unless the store has it."""
        canonical = canonical_url(url)
        async with self.session_factory() as session:
            if await FeedStore(session).is_known(canonical):
                return PageResult(url, PageOutcome.KNOWN)
        try:
            response = await self.fetcher.get(url)
        except FetchError as error:
            log.info("page %s: %s", url, error)
            return PageResult(url, PageOutcome.FAILED, str(error))
        final = canonical_url(response.url)
        if final != canonical:
            async with self.session_factory() as session:
                if await FeedStore(session).is_known(final):
                    await self._remember(canonical, PageOutcome.KNOWN, feed_url=feed_url)
                    return PageResult(url, PageOutcome.KNOWN)
        if not is_html(response.content_type, response.body):
            reason = response.content_type or "unknown type"
            await self._remember(canonical, PageOutcome.NOT_HTML, feed_url=feed_url)
            return PageResult(url, PageOutcome.NOT_HTML, reason)
        content_type = response.headers.get("Content-Type", "")
        article = await asyncio.to_thread(_article_of, content_type, response.body, response.url)
        if article is None:
            await self._remember(canonical, PageOutcome.NO_ARTICLE, feed_url=feed_url)
            return PageResult(url, PageOutcome.NO_ARTICLE)
        if check_relevance and not await asyncio.to_thread(is_relevant, article, self.gazetteer):
            await self._remember(canonical, PageOutcome.IRRELEVANT, feed_url=feed_url)
            return PageResult(url, PageOutcome.IRRELEVANT)
        published = article.published or (entry.published if entry else None)
        async with self._ingest_turn:
            result = await self._ingest(url, canonical, outlet, article, published, feed_url)
        if final != canonical and result.outcome in REMEMBERED:  # known by both addresses
            await self._remember(final, PageOutcome.KNOWN, feed_url=feed_url)
        return result

    async def _ingest(
        self,
        url: str,
        canonical: str,
        outlet: str,
        article: Article,
        published: date | None,
        feed_url: str | None,
    ) -> PageResult:
        sha = article.sha256
        async with self.session_factory() as session, session.begin():
            store = FeedStore(session)
            original = await store.document_with_text(sha)
            if original is not None:
                await store.add_source(original, url, outlet, published)
                await store.record_page(
                    canonical, PageOutcome.REPRINT, text_sha256=sha, feed_url=feed_url
                )
                return PageResult(url, PageOutcome.REPRINT, original)
        name = document_name(canonical)
        entry = ManifestEntry(outlet=outlet, url=url, published=published)
        report = await ingest_bytes(
            self.session_factory,
            name,
            article.text.encode("utf-8"),
            manifest={name: entry},
            gazetteer=self.gazetteer,
        )
        if report.outcome is Outcome.FAILED:
            await self._remember(canonical, PageOutcome.NO_ARTICLE, feed_url=feed_url)
            return PageResult(url, PageOutcome.NO_ARTICLE, report.error, report)
        await self._remember(
            canonical, PageOutcome.INGESTED, feed_url=feed_url, text_sha256=sha, file_name=name
        )
        return PageResult(url, PageOutcome.INGESTED, report=report, title=article.title)

    async def _remember(
        self,
        canonical: str,
        outcome: PageOutcome,
        *,
        feed_url: str | None,
        text_sha256: str | None = None,
        file_name: str | None = None,
    ) -> None:
        async with self.session_factory() as session, session.begin():
            await FeedStore(session).record_page(
                canonical,
                outcome.value,
                text_sha256=text_sha256,
                file_name=file_name,
                feed_url=feed_url,
            )

    async def _save_feed(
        self,
        feed: FeedConfig,
        error: str | None,
        etag: str | None,
        last_modified: str | None,
        newest: date | None,
    ) -> None:
        async with self.session_factory() as session, session.begin():
            await FeedStore(session).save_feed_fetch(
                feed.url,
                feed.name,
                datetime.now(UTC),
                error=error,
                etag=etag,
                last_modified=last_modified,
                newest_article=newest,
            )


def _article_of(content_type: str, body: bytes, url: str) -> Article | None:
    return extract_article(decode_html(content_type, body), url)


def document_name(canonical: str) -> str:
    """The document's file name in the store: the site and a digest of the address."""
    host = urlsplit(canonical).hostname or "web"
    return f"{host}-{hashlib.sha1(canonical.encode('utf-8')).hexdigest()[:12]}.html"
