"""Telegram's HTML: escaping, the length Telegram counts, and a strict checker.

Telegram limits a message to 4096 characters of text *after* entity parsing,
counted in UTF-16 code units (an emoji outside the BMP counts twice), so the
length of a page is measured on its visible text, not on its markup.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

MESSAGE_LIMIT = 4096
# Room for a page counter, a header repeated on continuation and rounding slack.
PAGE_LIMIT = MESSAGE_LIMIT - 296

# Tags Telegram accepts, with the attributes each may carry.
ALLOWED_TAGS: dict[str, frozenset[str]] = {
    "b": frozenset(),
    "strong": frozenset(),
    "i": frozenset(),
    "em": frozenset(),
    "u": frozenset(),
    "ins": frozenset(),
    "s": frozenset(),
    "strike": frozenset(),
    "del": frozenset(),
    "span": frozenset({"class"}),
    "tg-spoiler": frozenset(),
    "a": frozenset({"href"}),
    "code": frozenset({"class"}),
    "pre": frozenset(),
    "blockquote": frozenset({"expandable"}),
    "tg-emoji": frozenset({"emoji-id"}),
}
ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")


def escape(text: str) -> str:
    return html.escape(text, quote=True)


def link(text: str, url: str | None) -> str:
    """`text` linked to `url` when it is a web address, else just the escaped text."""
    if url and url.startswith(("https://", "http://")):
        return f'<a href="{escape(url)}">{escape(text)}</a>'
    return escape(text)


# What a user wrote, quoted back in an answer ("I don't know «…»"): enough to recognise.
ECHO_LIMIT = 64


def echo(text: str) -> str:
    """User text quoted back: one line, at most ECHO_LIMIT characters, with "…" when cut
    (to be escaped with the rest of the answer)."""
    return shorten(text, ECHO_LIMIT)


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut at a space where one is near, with "…"."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit * 2 // 3:
        cut = cut[:space]
    return cut.rstrip() + "…"


class _TextParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def visible_text(markup: str) -> str:
    """The text Telegram shows for an HTML message: tags gone, entities decoded."""
    parser = _TextParser()
    parser.feed(markup)
    parser.close()
    return "".join(parser.parts)


def telegram_length(markup: str) -> int:
    """The length Telegram checks against its limit: UTF-16 units of the visible text."""
    return len(visible_text(markup).encode("utf-16-le")) // 2


class _Checker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.problems: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        allowed = ALLOWED_TAGS.get(tag)
        if allowed is None:
            self.problems.append(f"tag <{tag}> is not allowed")
            return
        for name, _value in attrs:
            if name not in allowed:
                self.problems.append(f"attribute {name} is not allowed on <{tag}>")
        if tag == "a" and not dict(attrs).get("href"):
            self.problems.append("<a> without href")
        self.open.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.problems.append(f"self-closing <{tag}/> is not allowed")

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            self.problems.append(f"</{tag}> closes nothing open")
            return
        self.open.pop()

    def handle_data(self, data: str) -> None:
        if "<" in data or ">" in data:
            self.problems.append(f"unescaped angle bracket in {data[:40]!r}")

    def handle_entityref(self, name: str) -> None:
        if name not in {"lt", "gt", "amp", "quot"}:
            self.problems.append(f"entity &{name}; is not supported")

    def handle_comment(self, data: str) -> None:
        self.problems.append("comments are not allowed")

    def handle_decl(self, decl: str) -> None:
        self.problems.append("declarations are not allowed")


def html_problems(markup: str) -> list[str]:
    """What Telegram would refuse in `markup`; empty when it is valid."""
    checker = _Checker()
    for match in re.finditer("&", markup):
        if not ENTITY.match(markup, match.start()):
            checker.problems.append(f"bare & at {match.start()}")
    checker.feed(markup)
    checker.close()
    if checker.open:
        checker.problems.append(f"unclosed tags: {checker.open}")
    if checker.rawdata:
        checker.problems.append(f"unparsed tail: {checker.rawdata[:40]!r}")
    return checker.problems
