"""Fetch-and-ingest throughput against a local site (no pause between requests), beside
ingest of the same articles from files; the facts the fetched pages give against the
files' (recall); and what a pass over unchanged feeds downloads."""

from __future__ import annotations

import html
import os
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path

from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import DOCUMENTS_DIR, PROJECT_ROOT
from bot.features.feeds.article import extract_article
from bot.features.feeds.client import Fetcher, FetchPolicy
from bot.features.feeds.collect import Collector
from bot.features.feeds.feedlist import FeedConfig
from bot.pipeline.analysis import analyse
from bot.pipeline.documents import DATE_LINE, ManifestEntry, parse_document
from bot.pipeline.evaluate import extract_documents, load_gold, score
from bot.pipeline.gazetteer import Gazetteer, load_gazetteer
from bot.storage.engine import create_engine, create_session_factory, migrate
from bot.storage.ingest import ingest_bytes
from bot.storage.repositories import FactRepository
from tools.bench import Figure

ROUNDS = 4
UNCHANGED_FEEDS = 50
POLICY = FetchPolicy(user_agent="KaragandaFactsBot/bench", delay_s=0, allow_private=True)
FactKey = tuple[str, str, str, str, str | None]


async def run() -> list[Figure]:
    gazetteer = load_gazetteer()
    articles = {
        f"{round_}-{path.stem}": path.read_text(encoding="utf-8").replace(
            "2025", str(2000 + round_)
        )
        for round_ in range(ROUNDS)
        for path in sorted(DOCUMENTS_DIR.glob("*.txt"))
    }
    site = BenchSite(articles)
    runner = web.AppRunner(site.app())
    await runner.setup()
    tcp = web.TCPSite(runner, "127.0.0.1", 0)
    await tcp.start()
    base = f"http://127.0.0.1:{runner.addresses[0][1]}"
    try:
        with tempfile.TemporaryDirectory() as folder:
            # Untimed: the first stored fact loads the label catalogs, once per process.
            warm_up = dict(list(articles.items())[:1])
            await _from_files(f"sqlite+aiosqlite:///{Path(folder) / 'warm.db'}", warm_up, gazetteer)
            files_rate, file_facts = await _from_files(
                f"sqlite+aiosqlite:///{Path(folder) / 'files.db'}", articles, gazetteer
            )
            url = f"sqlite+aiosqlite:///{Path(folder) / 'fetch.db'}"
            fetch_rate, page_facts = await _from_site(url, base, len(articles), gazetteer)
            downloads, per_feed = await _unchanged_pass(url, base, site)
    finally:
        await runner.cleanup()
    print(
        f"fetch bench: {sum(file_facts.values())} facts from files, "
        f"{sum(page_facts.values())} from pages",
        flush=True,
    )
    matched = sum((file_facts & page_facts).values())
    recall = matched / max(1, sum(file_facts.values()))
    return [
        *_devset_figures(),
        Figure("fetch_and_ingest_throughput", fetch_rate, "pages/s", ">= 10 pages/s"),
        Figure("ingest_from_files_throughput", files_rate, "docs/s", "for comparison"),
        Figure("fetch_fact_recall_vs_files", recall, "", ">= 0.95"),
        Figure("fetch_unchanged_pass_article_downloads", downloads, "pages", "0"),
        Figure("fetch_unchanged_pass_requests_per_feed", per_feed, "requests", "1"),
    ]


def devset_dir() -> Path | None:
    """The development set with its gold facts: BENCH_DEVSET, or ../shared/devset."""
    named = os.environ.get("BENCH_DEVSET", "").strip()
    folder = Path(named) if named else PROJECT_ROOT.parent / "shared" / "devset"
    return folder if (folder / "gold.json").exists() else None


def _devset_figures() -> list[Figure]:
    """Recall against the dev set's gold, from the files and from the same texts served
    as pages in a site's chrome and read back by the extractor."""
    folder = devset_dir()
    if folder is None:
        print("fetch_devset_recall: skipped (no dev set: set BENCH_DEVSET)", flush=True)
        return []
    gazetteer = load_gazetteer()
    gold = load_gold(folder / "gold.json")
    paths = sorted(folder.glob("d[0-9]*.txt"))
    from_files = extract_documents(paths)
    from_pages = {}
    for path in paths:
        article = extract_article(
            as_page(path.read_text(encoding="utf-8")), f"http://x/{path.stem}"
        )
        text, published = (article.text, article.published) if article else ("", None)
        document = parse_document(path.name, text.encode(), ManifestEntry(published=published))
        from_pages[path.stem] = analyse(document, gazetteer).facts
    files, pages = score(gold, from_files, gazetteer), score(gold, from_pages, gazetteer)
    return [
        Figure("devset_recall_from_files", files.recall, "", "for comparison"),
        Figure("devset_recall_from_pages", pages.recall, "", f">= {files.recall - 0.05:.3f}"),
        Figure("devset_precision_from_files", files.precision, "", "for comparison"),
        Figure(
            "devset_precision_from_pages", pages.precision, "", f">= {files.precision - 0.05:.3f}"
        ),
    ]


def as_page(text: str) -> str:
    """A text as a news site would serve it: the date as page metadata, each line a
    paragraph of the article, menus, currency rates, "read also" and a copyright around."""
    published = ""
    match = DATE_LINE.match(text)
    if match:
        published = "-".join(match.groups())
        text = text[match.end() :]
    meta = f"<meta property='article:published_time' content='{published}'>" if published else ""
    paragraphs = "".join(
        f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line.strip()
    )
    return (
        f"<html><head><meta charset='utf-8'><title>Новости</title>{meta}</head><body>"
        "<nav><a href='/'>Главная</a> <a href='/news'>Новости</a> <a href='/kz'>Қаз</a></nav>"
        "<div class='rates'>USD 512,3 EUR 560,1 RUB 6,4</div>"
        f"<article>{paragraphs}</article>"
        "<aside><h3>Читайте также</h3><a href='/x'>В Темиртау выпустили 4 млн тонн чугуна</a>"
        "<a href='/y'>На 12% выросли инвестиции в Сарани</a></aside>"
        "<footer>Просмотров: 1024. © 2026 Все права защищены</footer></body></html>"
    )


class BenchSite:
    """Each article as a page in a site's chrome, one RSS feed of them all, and many more
    feeds of one entry each for the unchanged pass."""

    def __init__(self, articles: dict[str, str]) -> None:
        self.articles = articles
        self.requested: list[str] = []

    def app(self) -> web.Application:
        app = web.Application(middlewares=[self._record])
        app.router.add_get("/robots.txt", self._robots)
        app.router.add_get("/feed.xml", self._feed)
        app.router.add_get("/feeds/{number}.xml", self._feed)
        app.router.add_get("/news/{slug}", self._page)
        return app

    @web.middleware
    async def _record(
        self,
        request: web.Request,
        handler: Callable[[web.Request], Awaitable[web.StreamResponse]],
    ) -> web.StreamResponse:
        self.requested.append(request.path)
        return await handler(request)

    async def _robots(self, _request: web.Request) -> web.Response:
        return web.Response(text="User-agent: *\nDisallow: /admin/\n")

    async def _feed(self, request: web.Request) -> web.Response:
        if request.headers.get("If-None-Match") == '"1"':
            return web.Response(status=304)
        number = request.match_info.get("number")
        slugs = list(self.articles)[: 1 if number else None]
        items = "".join(
            f"<item><title>{slug}</title><link>/news/{slug}</link></item>" for slug in slugs
        )
        body = f'<?xml version="1.0"?><rss version="2.0"><channel><title>b</title>{items}'
        return web.Response(
            text=body + "</channel></rss>",
            content_type="application/rss+xml",
            headers={"ETag": '"1"'},
        )

    async def _page(self, request: web.Request) -> web.Response:
        page = as_page(self.articles[request.match_info["slug"]])
        return web.Response(text=page, content_type="text/html")


async def _from_files(
    url: str, articles: dict[str, str], gazetteer: Gazetteer
) -> tuple[float, Counter[FactKey]]:
    await migrate(url)
    engine = create_engine(url)
    try:
        factory = create_session_factory(engine)
        started = time.perf_counter()
        for slug, text in articles.items():
            await ingest_bytes(
                factory, f"{slug}.txt", text.encode(), manifest={}, gazetteer=gazetteer
            )
        rate = len(articles) / (time.perf_counter() - started)
        return rate, await _facts(factory)
    finally:
        await engine.dispose()


async def _from_site(
    url: str, base: str, count: int, gazetteer: Gazetteer
) -> tuple[float, Counter[FactKey]]:
    await migrate(url)
    engine = create_engine(url)
    try:
        factory = create_session_factory(engine)
        async with Fetcher(POLICY) as fetcher:
            started = time.perf_counter()
            [report] = await Collector(factory, fetcher, gazetteer).run(
                [FeedConfig(f"{base}/feed.xml", "bench")]
            )
            rate = report.ingested / (time.perf_counter() - started)
        if report.ingested != count:
            print(f"fetch bench: {report.ingested} of {count} pages ingested", flush=True)
        return rate, await _facts(factory)
    finally:
        await engine.dispose()


async def _unchanged_pass(url: str, base: str, site: BenchSite) -> tuple[int, float]:
    """Two passes over many feeds; what the second one asks for."""
    feeds = [FeedConfig(f"{base}/feeds/{n}.xml", f"feed {n}") for n in range(UNCHANGED_FEEDS)]
    engine = create_engine(url)
    try:
        factory = create_session_factory(engine)
        async with Fetcher(POLICY) as fetcher:
            await Collector(factory, fetcher).run(feeds)
        before = len(site.requested)
        async with Fetcher(POLICY) as fetcher:
            await Collector(factory, fetcher).run(feeds)
        second = site.requested[before:]
    finally:
        await engine.dispose()
    downloads = sum(1 for path in second if path.startswith("/news/"))
    feed_requests = sum(1 for path in second if path.startswith("/feeds/"))
    return downloads, feed_requests / UNCHANGED_FEEDS


async def _facts(factory: async_sessionmaker[AsyncSession]) -> Counter[FactKey]:
    async with factory() as session:
        facts = await FactRepository(session).list()
    return Counter(
        (
            fact.topic.value,
            fact.metric,
            format(fact.value, "f"),
            fact.unit,
            fact.period.key() if fact.period else None,
        )
        for fact in facts
    )
