"""Telegram's HTML parse mode: plain text and entities, or the error the Bot API would give.

The rules follow the Bot API documentation and the server's parser: only Telegram's tags,
properly nested and closed; `&lt; &gt; &amp; &quot;` and numeric references. An unknown
`&name;` is refused here (Telegram would show it literally, which is never what a formatter
meant); a bare `&` that does not form a reference stays literal, as on Telegram.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# Tag → entity type; span and blockquote get their type from attributes.
_TAGS: dict[str, str] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}
_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_REFERENCE = re.compile(r"&(#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|[a-zA-Z][a-zA-Z0-9]{0,31});")


class HtmlParseError(ValueError):
    """The text after "Bad Request: can't parse entities: "."""


@dataclass(frozen=True, slots=True)
class ParsedText:
    """What a client shows: the text without markup and its entities (UTF-16 offsets)."""

    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


@dataclass(slots=True)
class _Open:
    tag: str
    offset: int
    at_byte: int
    attributes: dict[str, str]


def utf16_len(text: str) -> int:
    """Telegram measures lengths and offsets in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def parse_html(source: str) -> ParsedText:
    """Telegram's reading of `source` in HTML parse mode; raises HtmlParseError like the API."""
    parser = _Parser(source)
    return parser.run()


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.out: list[str] = []
        self.length = 0  # of the output so far, in UTF-16 units
        self.stack: list[_Open] = []
        self.entities: list[dict[str, Any]] = []

    def byte_offset(self, index: int) -> int:
        return len(self.source[:index].encode("utf-8"))

    def emit(self, text: str) -> None:
        self.out.append(text)
        self.length += utf16_len(text)

    def run(self) -> ParsedText:
        source, i = self.source, 0
        while i < len(source):
            char = source[i]
            if char == "&":
                i = self.reference(i)
            elif char == "<":
                i = self.end_tag(i) if source.startswith("</", i) else self.start_tag(i)
            else:
                j = i + 1
                while j < len(source) and source[j] not in "&<":
                    j += 1
                self.emit(source[i:j])
                i = j
        if self.stack:
            raise HtmlParseError(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1].tag}"'
            )
        self.entities.sort(key=lambda entity: (entity["offset"], -entity["length"]))
        return ParsedText("".join(self.out), self.entities)

    def reference(self, i: int) -> int:
        match = _REFERENCE.match(self.source, i)
        if match is None:
            self.emit("&")
            return i + 1
        self.emit(decode_reference(match.group(1), self.byte_offset(i)))
        return match.end()

    def start_tag(self, i: int) -> int:
        source, begin = self.source, i
        j = i + 1
        while j < len(source) and not source[j].isspace() and source[j] not in "<>":
            j += 1
        if j >= len(source):
            raise HtmlParseError(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
        tag = source[i + 1 : j].lower()
        if tag not in _TAGS:
            raise HtmlParseError(
                f'Unsupported start tag "{tag}" at byte offset {self.byte_offset(begin)}'
            )
        attributes, j = self.attributes(tag, j, begin)
        if tag == "span" and attributes.get("class") != "tg-spoiler":
            raise HtmlParseError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {self.byte_offset(begin)}'
            )
        if tag == "tg-emoji" and not attributes.get("emoji-id", "").isdigit():
            raise HtmlParseError(
                f"Custom emoji entity must have valid emoji-id at byte offset "
                f"{self.byte_offset(begin)}"
            )
        self.stack.append(_Open(tag, self.length, self.byte_offset(begin), attributes))
        return j + 1

    def attributes(self, tag: str, j: int, begin: int) -> tuple[dict[str, str], int]:
        """Attributes up to the closing `>`; returns them and the index of that `>`."""
        source, found = self.source, dict[str, str]()
        while True:
            while j < len(source) and source[j].isspace():
                j += 1
            if j >= len(source) or source[j] == "<":
                raise HtmlParseError(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
            if source[j] == ">":
                return found, j
            name_start = j
            while j < len(source) and not source[j].isspace() and source[j] not in "=><":
                j += 1
            name = source[name_start:j].lower()
            if not name:
                raise HtmlParseError(
                    f'Empty attribute name in the tag "{tag}" at byte offset '
                    f"{self.byte_offset(begin)}"
                )
            while j < len(source) and source[j].isspace():
                j += 1
            if j >= len(source) or source[j] != "=":
                if tag == "blockquote" and name == "expandable":
                    found[name] = ""
                    continue
                raise HtmlParseError(
                    f'Expected equal sign in declaration of an attribute of the tag "{tag}" '
                    f"at byte offset {self.byte_offset(begin)}"
                )
            j += 1
            while j < len(source) and source[j].isspace():
                j += 1
            value, j = self.attribute_value(j, begin)
            found[name] = value

    def attribute_value(self, j: int, begin: int) -> tuple[str, int]:
        source = self.source
        if j < len(source) and source[j] in "'\"":
            quote = source[j]
            end = source.find(quote, j + 1)
            if end < 0:
                raise HtmlParseError(f"Unclosed start tag at byte offset {self.byte_offset(begin)}")
            raw, j = source[j + 1 : end], end + 1
        else:
            start = j
            while j < len(source) and not source[j].isspace() and source[j] not in "<>":
                j += 1
            raw = source[start:j]
        return unescape(raw, self.byte_offset(begin)), j

    def end_tag(self, i: int) -> int:
        source, begin = self.source, i
        j = i + 2
        while j < len(source) and not source[j].isspace() and source[j] not in "<>":
            j += 1
        name = source[i + 2 : j].lower()
        while j < len(source) and source[j].isspace():
            j += 1
        if j >= len(source) or source[j] != ">":
            raise HtmlParseError(f"Unclosed end tag at byte offset {self.byte_offset(begin)}")
        if not self.stack:
            raise HtmlParseError(f"Unexpected end tag at byte offset {self.byte_offset(begin)}")
        opened = self.stack[-1]
        if name and name != opened.tag:
            raise HtmlParseError(
                f"Unmatched end tag at byte offset {self.byte_offset(begin)}, "
                f'expected "</{opened.tag}>", found "</{name}>"'
            )
        self.stack.pop()
        self.close(opened)
        return j + 1

    def close(self, opened: _Open) -> None:
        length = self.length - opened.offset
        kind = _TAGS[opened.tag]
        if opened.tag == "blockquote" and "expandable" in opened.attributes:
            kind = "expandable_blockquote"
        if kind == "code" and self.stack and self.stack[-1].tag == "pre":
            # <pre><code class="language-x"> is one pre entity with a language.
            language = opened.attributes.get("class", "")
            if language.startswith("language-"):
                self.stack[-1].attributes["language"] = language.removeprefix("language-")
            return
        if length <= 0:
            return
        entity: dict[str, Any] = {"type": kind, "offset": opened.offset, "length": length}
        if kind == "text_link":
            href = opened.attributes.get("href")
            if not href:
                return
            entity["url"] = href
        elif kind == "pre" and opened.attributes.get("language"):
            entity["language"] = opened.attributes["language"]
        elif kind == "custom_emoji":
            entity["custom_emoji_id"] = opened.attributes["emoji-id"]
        self.entities.append(entity)


def decode_reference(name: str, at_byte: int) -> str:
    if name.startswith("#"):
        number = int(name[2:], 16) if name[1:2] in ("x", "X") else int(name[1:])
        if 0 < number <= 0x10FFFF and not 0xD800 <= number <= 0xDFFF:
            return chr(number)
        raise HtmlParseError(f"Invalid character reference at byte offset {at_byte}")
    if name not in _NAMED:
        raise HtmlParseError(f'Unsupported HTML entity "&{name};" at byte offset {at_byte}')
    return _NAMED[name]


def unescape(raw: str, at_byte: int) -> str:
    """Attribute values: the same references as text."""
    return _REFERENCE.sub(lambda match: decode_reference(match.group(1), at_byte), raw)
