"""From an article page to the text the pipeline reads: decoded by its charset, the
article alone (menus, widgets, currency rates, "read also" lists and copyright lines
left out) and its publication date. Sync functions: callers run them off the loop."""

from __future__ import annotations

import codecs
import hashlib
import re
from dataclasses import dataclass
from datetime import date

from bot.pipeline.gazetteer import Gazetteer

HTML_TYPES = ("text/html", "application/xhtml+xml")
META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([A-Za-z0-9_.:-]+)", re.I)
SNIFF_BYTES = 4096
WORDS = re.compile(r"\w+")
# Dates the extractor may take from the page's own metadata only: guessing from any
# date in the page (a copyright year, an archive link) would be worse than none.
DATE_PARAMS = {"extensive_search": False, "original_date": True}


@dataclass(frozen=True, slots=True)
class Article:
    title: str | None
    text: str  # the title, then the article's paragraphs, one a line
    published: date | None

    @property
    def sha256(self) -> str:
        return text_hash(self.text)


def is_html(content_type: str, body: bytes) -> bool:
    """HTML by its Content-Type, or by its first bytes when the server names none."""
    if content_type:
        return content_type in HTML_TYPES
    head = body[:SNIFF_BYTES].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<body" in head


def charset_of(content_type_header: str, body: bytes) -> str | None:
    """The charset the server states, else the page's <meta>; None if neither is known."""
    for found in (
        HEADER_CHARSET.search(content_type_header or ""),
        META_CHARSET.search(body[:SNIFF_BYTES]),
    ):
        if found:
            name = found.group(1)
            name = name.decode("ascii") if isinstance(name, bytes) else name
            try:
                return codecs.lookup(name).name
            except LookupError:
                continue
    return None


def decode_html(content_type_header: str, body: bytes) -> str:
    charset = charset_of(content_type_header, body)
    if charset:
        return body.decode(charset, "replace")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("cp1251", "replace")  # what Russian-language sites used before


def extract_article(html: str, url: str) -> Article | None:
    """The article of a page, or None when the page has no article text."""
    # Imported on the first page: trafilatura and lxml are megabytes that only a process
    # reading pages (a feed pass's worker, an administrator's link) needs.
    import trafilatura
    from trafilatura.settings import Document

    document = trafilatura.bare_extraction(
        html,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        favor_precision=True,
        date_extraction_params=DATE_PARAMS,
    )
    if isinstance(document, Document):
        document = document.as_dict()
    if not isinstance(document, dict) or not document.get("text"):
        return None
    title = str(document.get("title") or "").strip() or None
    text = str(document["text"])
    body = "\n".join(line.strip() for line in text.splitlines() if line.strip())
    if title and not body.startswith(title):
        body = f"{title}\n{body}"
    return Article(title=title, text=body, published=_date(document.get("date")))


def _date(value: object) -> date | None:
    if not isinstance(value, str):
        return None
    try:
        return date.fromisoformat(value[:10])
    except ValueError:
        return None


def text_hash(text: str) -> str:
    """The same for the same article text however it is spaced, cased or punctuated, so a
    reprint on another site is known."""
    words = WORDS.findall(text.casefold())
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()


def is_relevant(article: Article, gazetteer: Gazetteer) -> bool:
    """About Karaganda region: it names a place, zone or organisation of the gazetteer."""
    return bool(gazetteer.find_in(article.text))
