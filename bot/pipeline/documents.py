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
# "Новости Zakon.kz от 11.09.2025 13:40", "02.09.2024, 11:42": a dated byline.
BYLINE_DATE = re.compile(r"(?<!\d)(\d{2})\.(\d{2})\.(\d{4})(?:,?\s+\d{1,2}:\d{2})(?!\d)")
# Characters that may stand in for a space; replaced one for one so offsets hold.
SPACES = {"\u00a0": " ", "\u202f": " ", "\u2009": " ", "\u2007": " ", "\t": " ", "\r": " "}
SPACE_TABLE = str.maketrans(SPACES)


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
    head = text[:1500]
    byline = BYLINE_DATE.search(head)
    if byline:
        day, month, year = (int(g) for g in byline.groups())
        try:
            return date(year, month, day), DatePrecision.EXACT, 0
        except ValueError:
            pass
    return None, DatePrecision.UNKNOWN, 0
