"""`python -m bot fetch`: one pass over the feeds, with a summary per feed."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TextIO

from bot.domain.settings import Settings
from bot.features.feeds.client import Fetcher, FetchPolicy
from bot.features.feeds.collect import Collector, FeedReport
from bot.features.feeds.feedlist import FEEDS_PATH, FeedsFileError, load_feeds
from bot.render.progress import Progress
from bot.storage.engine import create_engine, create_session_factory, migrate


async def run_fetch(
    settings: Settings,
    url: str,
    feeds_path: Path | None = None,
    *,
    out: TextIO = sys.stdout,
    progress_out: TextIO = sys.stderr,
) -> int:
    """Exits 0 whatever the feeds and pages did; 2 only when the feeds file is unusable."""
    try:
        feeds = load_feeds(feeds_path or FEEDS_PATH)
    except FeedsFileError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    await migrate(url)
    engine = create_engine(url)
    try:
        async with Fetcher(FetchPolicy.from_settings(settings)) as fetcher:
            collector = Collector(create_session_factory(engine), fetcher)
            with Progress(len(feeds), "feeds", progress_out) as progress:
                reports = await collector.run(feeds, lambda report: progress.step(report.feed.name))
    finally:
        await engine.dispose()
    for report in reports:
        print(summary_line(report), file=out)
        for page in report.failed:
            print(f"    failed {page.url}: {page.reason}", file=out)
    ingested = sum(report.ingested for report in reports)
    facts = sum(report.facts for report in reports)
    failing = sum(1 for report in reports if report.error)
    print(
        f"feeds: {len(reports)} ({failing} failing), articles ingested: {ingested}, facts: {facts}",
        file=out,
    )
    return 0


def summary_line(report: FeedReport) -> str:
    head = f"{report.feed.name} ({report.feed.url})"
    if report.error:
        return f"{head}: FAILED {report.error}"
    if report.not_modified:
        return f"{head}: not modified"
    skipped = ", ".join(f"{count} {reason}" for reason, count in sorted(report.skipped.items()))
    return (
        f"{head}: {report.seen} seen, {report.new} new, {report.ingested} ingested "
        f"({report.facts} facts), skipped: {skipped or 'none'}, failed: {len(report.failed)}"
    )
