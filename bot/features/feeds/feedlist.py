"""The feeds file: `[[feed]]` tables with `url` (required), `name` and `lang`."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from bot import DATA_DIR

FEEDS_PATH = DATA_DIR / "feeds.toml"
LANGUAGES = ("ru", "kk")


class FeedsFileError(ValueError):
    """The feeds file cannot be used, with the reason in plain words."""


@dataclass(frozen=True, slots=True)
class FeedConfig:
    url: str
    name: str  # the outlet, as sources name it
    lang: str | None = None


def load_feeds(path: Path = FEEDS_PATH) -> list[FeedConfig]:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise FeedsFileError(f"{path}: cannot be read ({error.strerror})") from error
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise FeedsFileError(f"{path}: not valid TOML ({error})") from error
    items = raw.get("feed")
    if not isinstance(items, list):
        raise FeedsFileError(f"{path}: no [[feed]] tables")
    feeds: list[FeedConfig] = []
    seen: set[str] = set()
    for number, item in enumerate(items, 1):
        url = item.get("url")
        where = f"{path.name}: feed {number}"
        if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https"):
            raise FeedsFileError(f"{where}: `url` must be an http or https address")
        if url in seen:
            raise FeedsFileError(f"{where}: {url} is listed twice")
        seen.add(url)
        name = item.get("name") or urlsplit(url).hostname or url
        lang = item.get("lang")
        if lang is not None and lang not in LANGUAGES:
            raise FeedsFileError(f"{where}: `lang` is one of {', '.join(LANGUAGES)}")
        feeds.append(FeedConfig(url=url, name=str(name), lang=lang))
    return feeds
