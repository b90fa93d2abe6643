"""The entries of an RSS or Atom feed. Sync: callers run it off the loop."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urljoin


class FeedError(ValueError):
    """A feed body that is not a feed."""


@dataclass(frozen=True, slots=True)
class FeedEntry:
    url: str
    title: str | None
    published: date | None


def parse_entries(body: bytes, base_url: str) -> list[FeedEntry]:
    import feedparser  # only a process that reads feeds (a feed pass's worker) loads it

    parsed = feedparser.parse(body, response_headers={"content-location": base_url})
    if not parsed.get("version"):  # feedparser names the format it recognised
        problem = parsed.get("bozo_exception")
        raise FeedError("not an RSS or Atom feed" + (f" ({problem})" if problem else ""))
    entries = []
    for item in parsed.entries:
        link = item.get("link")
        if not link:
            continue
        stamp = item.get("published_parsed") or item.get("updated_parsed")
        entries.append(
            FeedEntry(
                url=urljoin(base_url, link),
                title=item.get("title"),
                published=date(stamp.tm_year, stamp.tm_mon, stamp.tm_mday) if stamp else None,
            )
        )
    return entries
