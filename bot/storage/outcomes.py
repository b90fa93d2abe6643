"""What an ingest reports for each document. Apart from `bot.storage.ingest` so that
whoever only shows a report (the bot's answers to an upload or a link) does not load the
ingest and the fact pipeline behind it: those run in a worker (`bot.features.workers`)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum

from bot.domain import Topic


class Outcome(StrEnum):
    ADDED = "added"
    REPLACED = "replaced"
    UNCHANGED = "unchanged"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class IngestReport:
    file_name: str
    outcome: Outcome
    facts: int = 0
    by_topic: Counter[Topic] = field(default_factory=Counter)
    error: str | None = None
