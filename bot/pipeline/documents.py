"""Reading a document file: decoding, its date line or byline, its manifest entry."""

from __future__ import annotations

import hashlib
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from bot import DATA_DIR
from bot.domain import DatePrecision, DocumentMeta

MANIFEST_PATH = DATA_DIR / "sources.toml"
MAX_BYTES = 2 * 1024 * 1024

DATE_LINE = re.compile(r"^\ufeff?[ \t]*date[ \t]+(\d{4})-(\d{2})-(\d{2})(?=\s|$)")
# Characters that may stand in for a space; replaced one for one so offsets hold.
SPACES = {"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ", "\t": " ", "\r": " "}
SPACE_TABLE = str.maketrans(SPACES)

# ---- a dated byline ------------------------------------------------------------------
# How news sites print a publication date: "11.09.2025", "2025-09-11", "11 сентября
# 2025 г.", "11 қыркүйек 2025", "2025 жылғы 11 қыркүйек", with a time before or after.
_MONTH_NAMES = [
    # Russian genitive, nominative and short forms; Kazakh (nominative, as dates print it)
    ("января", "январь", "янв", "қаңтар"),
    ("февраля", "февраль", "фев", "февр", "ақпан"),
    ("марта", "март", "мар", "наурыз"),
    ("апреля", "апрель", "апр", "сәуір"),
    ("мая", "май", "мамыр"),
    ("июня", "июнь", "июн", "маусым"),
    ("июля", "июль", "июл", "шілде"),
    ("августа", "август", "авг", "тамыз"),
    ("сентября", "сентябрь", "сен", "сент", "қыркүйек"),
    ("октября", "октябрь", "окт", "қазан"),
    ("ноября", "ноябрь", "ноя", "нояб", "қараша"),
    ("декабря", "декабрь", "дек", "желтоқсан"),
]
MONTHS = {name: number for number, names in enumerate(_MONTH_NAMES, 1) for name in names}
BYLINE_DATE = re.compile(
    r"(?<![\w.\-/])(?:"
    r"(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(?P<year>\d{4})"
    r"|(?P<iso_year>\d{4})-(?P<iso_month>\d{2})-(?P<iso_day>\d{2})"
    r"|(?P<named_day>\d{1,2})\s+(?P<named_month>[^\W\d_]{3,})\.?,?\s+(?P<named_year>\d{4})"
    r"|(?P<kk_year>\d{4})\s*ж(?:ылғы|\.)?\s+(?P<kk_day>\d{1,2})\s+(?P<kk_month>[^\W\d_]{3,})"
    r")(?!\d|[.\-/]\d|(?!T\d)[^\W\d_])"
    r"(?:\s*(?:года|год|г|жылы|жыл|ж)\b\.?)?",
    re.IGNORECASE,
)
TIME_AFTER = re.compile(r"\s*(?:[,|/—–-]|в\b|T)?\s*\d{1,2}:\d{2}(?::\d{2})?(?!\d)")
TIME_BEFORE = re.compile(r"(?<!\d)\d{1,2}:\d{2}(?::\d{2})?\s*[,|/—–-]?\s*$")
# Words that state the date is the publication's ("от" as in "Новости от 11.09.2025").
PUBLISHED_LABEL = re.compile(
    r"(?:(?P<stated>опубликовано|опубл\.|дата публикации|дата|published|posted|жарияланды|"
    r"жарияланған(?:\s+күні)?)|\bот)\s*:?\s*$",
    re.IGNORECASE,
)
UPDATED_LABEL = re.compile(r"(?:обновлено|изменено|updated|жаңартылды)\s*:?\s*$", re.IGNORECASE)
# A date after these is a deadline or a period in a sentence, not when the page was written.
PERIOD_WORD = re.compile(
    r"(?:^|[\s(])(?:к|ко|до|с|со|по|на|в|во|за|после|около|перед|через|между|начиная с)\s*$",
    re.IGNORECASE,
)
WEEKDAYS = (
    "понедельник|вторник|среда|четверг|пятница|суббота|воскресенье|"
    "дүйсенбі|сейсенбі|сәрсенбі|бейсенбі|жұма|сенбі|жексенбі"
)
WEEKDAY_BEFORE = re.compile(rf"\b(?:{WEEKDAYS})\s*,?\s*$", re.IGNORECASE)
# The weather and today's-date widgets of a site's header are not bylines.
WIDGET = re.compile(
    rf"\b(?:{WEEKDAYS}|сегодня|бүгін)\b"
    r"|[+\-−]?\d{1,2}(?:[.,]\d)?\s*°"
    r"|(?<![\w.])[+\-−]?\d{1,2}(?:[.,]\d)?\s*[CС]\b",
    re.IGNORECASE,
)
WORD = re.compile(r"[^\W_]+(?:[.\-][^\W_]+)*")
SENTENCE_END = re.compile(r"[.!?…]\s*$")
HEAD_CHARS = 3000  # a byline is in the page head, not deep in the article
PARAGRAPH_WORDS = 8  # a line this long that ends like a sentence is article text
BYLINE_WORDS = 12  # at most this many words beside a timestamped or labelled date


class DocumentError(ValueError):
    """A file that cannot be ingested, with the reason in plain words."""


@dataclass(frozen=True, slots=True)
class ManifestEntry:
    outlet: str | None = None
    url: str | None = None
    published: date | None = None
    published_to: date | None = None
    precision: DatePrecision | None = None


@dataclass(frozen=True, slots=True)
class LoadedDocument:
    meta: DocumentMeta
    text: str  # decoded, spaces normalised; offsets of facts point into it
    body_start: int  # where the text after a date line begins


def load_manifest(path: Path = MANIFEST_PATH) -> dict[str, ManifestEntry]:
    if not path.exists():
        return {}
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    entries = {}
    for name, item in raw.get("documents", {}).items():
        precision = item.get("precision")
        entries[name] = ManifestEntry(
            outlet=item.get("outlet"),
            url=item.get("url"),
            published=item.get("published"),
            published_to=item.get("published_to"),
            precision=DatePrecision(precision) if precision else None,
        )
    return entries


def decode(data: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), or Windows-1251 when the bytes clearly are Cyrillic text."""
    if not data.strip():
        raise DocumentError(f"{name}: the file is empty")
    if b"\x00" in data:
        raise DocumentError(f"{name}: a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1251")
    except UnicodeDecodeError as error:
        raise DocumentError(f"{name}: neither UTF-8 nor Windows-1251 text") from error
    letters = [ch for ch in text if ch.isalpha()]
    cyrillic = sum(1 for ch in letters if "\u0400" <= ch <= "\u04ff")
    if not letters or cyrillic / len(letters) < 0.5:
        raise DocumentError(f"{name}: not UTF-8, and not Cyrillic text in Windows-1251")
    return text


def normalise(text: str) -> str:
    """NFC and plain spaces, one character for one, so offsets stay valid."""
    text = unicodedata.normalize("NFC", text)
    return text.translate(SPACE_TABLE)


def read_document(
    path: Path, manifest: dict[str, ManifestEntry] | None = None, *, max_bytes: int = MAX_BYTES
) -> LoadedDocument:
    name = path.name
    try:
        size = path.stat().st_size
    except OSError as error:
        raise DocumentError(f"{name}: cannot be read ({error.strerror})") from error
    if size > max_bytes:
        raise DocumentError(f"{name}: {size} bytes, over the limit of {max_bytes}")
    data = path.read_bytes()
    return parse_document(name, data, (manifest or {}).get(name))


def parse_document(name: str, data: bytes, entry: ManifestEntry | None) -> LoadedDocument:
    text = normalise(decode(data, name))
    sha256 = hashlib.sha256(data).hexdigest()
    published, precision, body_start = _dates(text)
    entry = entry or ManifestEntry()
    if entry.published is not None:
        published = entry.published
        precision = entry.precision or DatePrecision.EXACT
    elif entry.precision is not None and published is None:
        precision = entry.precision
    meta = DocumentMeta(
        file_name=name,
        sha256=sha256,
        outlet=entry.outlet,
        url=entry.url,
        published=published,
        precision=precision,
        published_to=entry.published_to,
        title=None,
    )
    return LoadedDocument(meta=meta, text=text, body_start=body_start)


def _dates(text: str) -> tuple[date | None, DatePrecision, int]:
    """The date of a ` date YYYY-MM-DD` first line, else of a dated byline near the top."""
    match = DATE_LINE.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        try:
            return date(year, month, day), DatePrecision.EXACT, match.end()
        except ValueError:
            return None, DatePrecision.UNKNOWN, match.end()
    published = byline_date(text)
    if published is not None:
        return published, DatePrecision.EXACT, 0
    return None, DatePrecision.UNKNOWN, 0


def byline_date(text: str) -> date | None:
    """The publication date of a byline or date line in the page head.

    The head runs to the article's second paragraph, so a byline under the title or
    under the lead counts while the dates inside the article do not. A date in a
    sentence ("к 1 января 2026 года") or in a site's weather and date widget is not
    the publication's.
    """
    paragraphs = 0
    for line in _head_lines(text):
        if len(WORD.findall(line)) >= PARAGRAPH_WORDS and SENTENCE_END.search(line):
            paragraphs += 1
            if paragraphs > 1:
                return None
        found = _date_on_line(line)
        if found is not None:
            return found
    return None


def _head_lines(text: str) -> list[str]:
    return [line.strip() for line in text[:HEAD_CHARS].split("\n") if line.strip()]


def is_date_line(line: str) -> bool:
    """A byline or date line ("Опубликовано: 11 сентября 2025 г.", "Иван Петров |
    11.09.2025"): page chrome, not a title or article text."""
    return _date_on_line(line) is not None


def _date_on_line(line: str) -> date | None:
    widget = WIDGET.search(line) is not None
    for match in BYLINE_DATE.finditer(line):
        found = _date_of(match)
        if found is None:
            continue
        before = line[: match.start()]
        after = line[match.end() :]
        time_before = TIME_BEFORE.search(before)
        if time_before:
            before = before[: time_before.start()]
        time_after = TIME_AFTER.match(after)
        if time_after:
            after = after[time_after.end() :]
        if UPDATED_LABEL.search(before) or PERIOD_WORD.search(before):
            continue
        weekday = WEEKDAY_BEFORE.search(before)
        if weekday:
            before = before[: weekday.start()]
        label = PUBLISHED_LABEL.search(before)
        if label:
            before = before[: label.start()]
        stated = label is not None and label.group("stated") is not None
        if widget and not stated:  # "Суббота, 11 октября, 2025" beside the weather
            continue
        if after.lstrip().startswith("№"):  # "Приказ от 11.09.2025 № 45": a reference
            continue
        words = WORD.findall(before + " " + after)
        if stated:
            accepted = len(words) <= BYLINE_WORDS
        elif time_before or time_after:  # "… 13:40": a timestamp, unless in a sentence
            accepted = len(words) <= BYLINE_WORDS and not (
                SENTENCE_END.search(line) and any(map(_common_word, words))
            )
        else:  # a bare date stands alone or beside names: "Иван Петров | 11.09.2025"
            accepted = len(words) <= 4 and not any(map(_common_word, words))
        if accepted:
            return found
    return None


def _common_word(word: str) -> bool:
    """A lowercase word, as sentences have and names and site addresses do not."""
    return word[0].islower() and "." not in word


def _date_of(match: re.Match[str]) -> date | None:
    groups = match.groupdict()
    if groups["year"]:
        year, month, day = int(groups["year"]), int(groups["month"]), int(groups["day"])
    elif groups["iso_year"]:
        year, month, day = (int(groups[k]) for k in ("iso_year", "iso_month", "iso_day"))
    else:
        prefix = "named" if groups["named_year"] else "kk"
        number = MONTHS.get(groups[f"{prefix}_month"].lower())
        if number is None:
            return None
        year, month, day = int(groups[f"{prefix}_year"]), number, int(groups[f"{prefix}_day"])
    if not 1990 <= year <= 2100:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None
