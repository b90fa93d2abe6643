"""What became of one page fetched: its outcome and, when it was ingested, the ingest's
report. Apart from `collect` so that the bot's answer to a link shows a result without
loading the collection and the ingest behind it until a link arrives."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from bot.storage.outcomes import IngestReport


class PageOutcome(StrEnum):
    INGESTED = "ingested"
    KNOWN = "known"  # this address was seen before
    REPRINT = "reprint"  # the same text is in the store from another address
    IRRELEVANT = "irrelevant"  # not about the region
    NO_ARTICLE = "no article"  # a page without article text
    NOT_HTML = "not HTML"
    FAILED = "failed"
    REFUSED = "refused"  # a private, loopback or link-local address
    NOT_HTTP = "not http"  # an address of another scheme than http and https


@dataclass(frozen=True, slots=True)
class PageResult:
    url: str
    outcome: PageOutcome
    reason: str | None = None
    report: IngestReport | None = None
    title: str | None = None

    @property
    def facts(self) -> int:
        return self.report.facts if self.report else 0
