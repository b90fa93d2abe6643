"""Telling the article from the page around it: menus, widgets, bylines, teasers.

Works line by line. A few markers ("Похожие статьи", "Читайте также", a comment
form, a copyright line) end the article: everything after them is the site's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from bot.pipeline.documents import WEEKDAYS, is_date_line


class LineKind(StrEnum):
    BODY = "body"  # article text: facts come from here
    HEADING = "heading"  # a title or subtitle: no sentence, no facts
    NOISE = "noise"  # the page around the article


@dataclass(frozen=True, slots=True)
class Line:
    start: int
    end: int
    text: str
    kind: LineKind


NOISE_LINE = re.compile(
    "|".join(
        [
            r"^[+\-−]?\d{1,2}(?:[.,]\d)?\s*°?\s*[CСcс]\b",  # weather: "16.5 C", "+4 °C Караганда"
            rf"^(?:{WEEKDAYS}),",  # date widget
            r"^\d{1,2}\.\d{2}\.\d{4}(?:,?\s+\d{1,2}:\d{2})?(?:\s*\|.*)?$",  # timestamp line
            r"^\d{1,2}:\d{2}$",
            r"^(?:back to top|наверх|no menu items!?|меню не задано|menu)$",
            r"^(?:главная|домой|home).*(?:/|новости|регионы)",
            r"^(?:автор|фото|источник|теги|просмотр(?:ы|ов)?|поделиться|подписывайтесь)\b",
            r"^фото\s",
            # a dated byline: "Новости Zakon.kz от 11.09.2025 13:40"
            r".*\bот\s+\d{2}\.\d{2}\.\d{4}\s+\d{1,2}:\d{2}\b",
            r"^(?:#\S+)",  # hashtags
            r"^©",
            r"^(?:пожалуйста,\s+введите|введите\s+ваш|ваш\s+e-?mail|сохранить\s+мо[её]\s+имя)",
        ]
    ),
    re.IGNORECASE,
)
# Markers after which the rest of the page is not the article.
TAIL_MARKER = re.compile(
    r"^(?:похожие статьи|похожие новости|читайте также|читайте еще|лента новостей|"
    r"оставьте ответ|оставить комментарий|комментарии|другие новости|последние новости|"
    r"популярное|новости партн[её]ров|материалы по теме|по теме:|все права защищены|"
    r"©|теги:|поделиться)",
    re.IGNORECASE,
)
SENTENCE_END = re.compile(r"[.!?…:;»\"”)]$")


def classify_lines(text: str, body_start: int = 0) -> list[Line]:
    """Every non-empty line from `body_start` on, with what it is."""
    lines: list[Line] = []
    position = body_start
    seen_body = False
    in_tail = False
    for raw in text[body_start:].split("\n"):
        start = position
        position += len(raw) + 1
        stripped = raw.strip()
        if not stripped:
            continue
        offset = start + (len(raw) - len(raw.lstrip()))
        end = offset + len(stripped)
        if in_tail or (seen_body and TAIL_MARKER.match(stripped)):
            in_tail = True
            kind = LineKind.NOISE
        elif NOISE_LINE.match(stripped) or TAIL_MARKER.match(stripped):
            kind = LineKind.NOISE
        elif not seen_body and is_date_line(stripped):
            kind = LineKind.NOISE  # a byline above or under the title
        elif _is_heading(stripped):
            kind = LineKind.HEADING
        else:
            kind = LineKind.BODY
            seen_body = True
        lines.append(Line(offset, end, stripped, kind))
    return lines


def _is_heading(line: str) -> bool:
    """A title, a caption or a name: short and not ended like a sentence."""
    if SENTENCE_END.search(line):
        return False
    return len(line.split()) < 25


def title_of(lines: list[Line]) -> str | None:
    """The first heading long enough to be a title."""
    for line in lines:
        if line.kind is LineKind.HEADING and len(line.text.split()) >= 4:
            return line.text
        if line.kind is LineKind.BODY:
            break
    return None
