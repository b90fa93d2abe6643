"""Messages as a terminal shows them: entities as ANSI emphasis, buttons numbered."""

from __future__ import annotations

from typing import Any

from tools.emulator.world import Button, StoredMessage

# (start, end) escape codes per entity type; the end codes reset only their own attribute.
_STYLES = {
    "bold": ("\033[1m", "\033[22m"),
    "italic": ("\033[3m", "\033[23m"),
    "underline": ("\033[4m", "\033[24m"),
    "strikethrough": ("\033[9m", "\033[29m"),
    "spoiler": ("\033[2m", "\033[22m"),
    "code": ("\033[36m", "\033[39m"),
    "pre": ("\033[36m", "\033[39m"),
    "blockquote": ("\033[3m", "\033[23m"),
    "expandable_blockquote": ("\033[3m", "\033[23m"),
    "text_link": ("\033[4m", "\033[24m"),
}


def _index_of_utf16(text: str) -> dict[int, int]:
    """UTF-16 offset → index in the Python string, for every character boundary."""
    mapping, units = {0: 0}, 0
    for index, char in enumerate(text, start=1):
        units += 2 if ord(char) > 0xFFFF else 1
        mapping[units] = index
    return mapping


def render_text(text: str, entities: list[dict[str, Any]], *, color: bool) -> str:
    """The text with its entities as emphasis (color) and links spelled out (always)."""
    index = _index_of_utf16(text)
    inserts: dict[int, list[tuple[int, str]]] = {}
    for entity in entities:
        start = index.get(entity["offset"])
        end = index.get(entity["offset"] + entity["length"])
        if start is None or end is None:
            continue
        style = _STYLES.get(entity["type"])
        if color and style:
            # Closers sort before openers at the same position, so styles nest cleanly.
            inserts.setdefault(start, []).append((1, style[0]))
            inserts.setdefault(end, []).append((0, style[1]))
        if entity["type"] == "text_link" and entity.get("url") != text[start:end]:
            inserts.setdefault(end, []).append((0, f" <{entity['url']}>"))
    pieces, previous = [], 0
    for position in sorted(inserts):
        pieces.append(text[previous:position])
        pieces.extend(code for _, code in sorted(inserts[position], key=lambda item: item[0]))
        previous = position
    pieces.append(text[previous:])
    return "".join(pieces)


def describe_button(number: int, button: Button) -> str:
    if button.kind == "callback_data":
        return f"[{number}] {button.text}"
    if button.kind == "url":
        return f"[{number}] {button.text} ↗ {button.value}"
    if button.kind.startswith("switch_inline_query"):
        value = button.value
        # switch_inline_query_chosen_chat carries an object with the query in it.
        query = value.get("query", "") if isinstance(value, dict) else value or ""
        return f"[{number}] {button.text} (inline: @bot {query})"
    return f"[{number}] {button.text} ({button.kind})"


def render_message(message: StoredMessage, *, color: bool) -> list[str]:
    """The lines of one message: media line, text or caption, then the keyboard."""
    lines: list[str] = []
    if message.photo is not None:
        lines.append(f"[photo, {len(message.photo.content)} bytes]")
    if message.document is not None:
        name = message.document.file_name or "file"
        lines.append(f"[document {name}, {len(message.document.content)} bytes]")
    if message.text is not None:
        lines.extend(render_text(message.text, message.entities, color=color).splitlines())
    elif message.caption:
        lines.extend(
            render_text(message.caption, message.caption_entities, color=color).splitlines()
        )
    number = 0
    for row in message.buttons:
        cells = []
        for button in row:
            number += 1
            cells.append(describe_button(number, button))
        lines.append("   ".join(cells))
    return lines
