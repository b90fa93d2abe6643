"""The domain: plain value types and vocabularies of the facts, with no I/O.

Facts and their sources, topics, statuses, periods and qualifiers live here; beside them
the metric keys (`metrics`), the digest schedule arithmetic (`schedule`), which topics
offer a chart (`charts`) and the typed settings (`settings`). Imports nothing from `bot`
but `bot` itself (paths); every other layer may import it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum


class Topic(StrEnum):
    INVESTMENTS = "investments"
    ZONES = "zones"
    CARGO = "cargo"
    PRODUCTION = "production"
    JOBS = "jobs"
    OTHER = "other"


# Topics that have their own command and digest section, in menu order.
MAIN_TOPICS: tuple[Topic, ...] = (
    Topic.INVESTMENTS,
    Topic.ZONES,
    Topic.CARGO,
    Topic.PRODUCTION,
    Topic.JOBS,
)


class Status(StrEnum):
    ACTUAL = "actual"
    PLAN = "plan"


class DatePrecision(StrEnum):
    EXACT = "exact"
    ESTIMATED = "estimated"
    UNKNOWN = "unknown"


class PeriodKind(StrEnum):
    YEAR = "year"  # в 2024 году, по итогам 2024 года
    RANGE = "range"  # в 2025–2027 годах
    BY = "by"  # до 2028 года, к 2030 году
    BY_END = "by_end"  # до конца 2025 года, 2025 жылдың соңына дейін
    MONTHS = "months"  # за 8 месяцев 2025 года
    PER_YEAR = "per_year"  # в год (a rate, e.g. capacity)
    SINCE = "since"  # с 2023 года


class Qualifier(StrEnum):
    MORE_THAN = "more_than"  # более, свыше, больше, превысил
    ABOUT = "about"  # около, порядка, примерно, почти, более чем … ≈
    UP_TO = "up_to"  # до
    AT_LEAST = "at_least"  # не менее
    FROM = "from"  # от
    ALMOST = "almost"  # почти
    LESS_THAN = "less_than"  # менее


@dataclass(frozen=True, slots=True)
class Period:
    kind: PeriodKind
    year: int | None = None
    year_to: int | None = None
    months: int | None = None

    def key(self) -> str:
        """A compact, stable text form: '2024', '2025-2027', 'by 2028', '8m 2025', 'per year'."""
        match self.kind:
            case PeriodKind.YEAR:
                return f"{self.year}"
            case PeriodKind.RANGE:
                return f"{self.year}-{self.year_to}"
            case PeriodKind.BY:
                return f"by {self.year}"
            case PeriodKind.BY_END:
                return f"by end {self.year}"
            case PeriodKind.MONTHS:
                return f"{self.months}m {self.year}" if self.year else f"{self.months}m"
            case PeriodKind.PER_YEAR:
                return "per year"
            case PeriodKind.SINCE:
                return f"since {self.year}"
        return ""

    @classmethod
    def from_key(cls, text: str | None) -> Period | None:
        if not text:
            return None
        if text == "per year":
            return cls(PeriodKind.PER_YEAR)
        if text.startswith("by end "):
            return cls(PeriodKind.BY_END, year=int(text[7:]))
        if text.startswith("by "):
            return cls(PeriodKind.BY, year=int(text[3:]))
        if text.startswith("since "):
            return cls(PeriodKind.SINCE, year=int(text[6:]))
        if "m" in text:
            months, _, year = text.partition("m")
            return cls(
                PeriodKind.MONTHS, months=int(months), year=int(year) if year.strip() else None
            )
        if "-" in text:
            start, _, end = text.partition("-")
            return cls(PeriodKind.RANGE, year=int(start), year_to=int(end))
        return cls(PeriodKind.YEAR, year=int(text))

    @property
    def sort_year(self) -> int:
        return self.year_to or self.year or 0


@dataclass(frozen=True, slots=True)
class Source:
    """Where a fact comes from: one document with what is known of its publication."""

    id: int
    file_name: str
    outlet: str | None
    url: str | None
    published: date | None
    precision: DatePrecision
    published_to: date | None = None  # end of the estimated window
    title: str | None = None
    lang: str | None = None  # the language most of the document's figures are written in


@dataclass(frozen=True, slots=True)
class Citation:
    """One document that states a fact, with the sentence it states it in."""

    source: Source
    quote: str
    lang: str = "ru"


@dataclass(frozen=True, slots=True)
class ExtractedFact:
    """A fact as the pipeline finds it in one document, before it is stored."""

    topic: Topic
    subject: str
    entity_key: str | None
    metric: str
    value: Decimal
    unit: str
    period: Period | None
    status: Status
    qualifier: Qualifier | None
    quote: str
    start: int
    end: int
    # What else the indicator says beyond its metric (the measure):
    object: str | None = None  # what is measured: "чугун", "уголь", "жильё"
    per: str | None = None  # a rate's time unit: "year", "month", "day", "hour"
    value_max: Decimal | None = None  # the high end of a range ("5–10 %"); value is the low
    part_of: int | None = None  # index, in the document's list, of the whole this is a part of
    lang: str = "ru"  # language of the sentence: "ru" or "kk"


@dataclass(frozen=True, slots=True, kw_only=True)
class Fact(ExtractedFact):
    """A stored fact: what the pipeline found, with its id and sources. Here `part_of` is
    the id of the fact this one is a part of ("в том числе"), and `lang` the language of
    the quote."""

    id: int
    source: Source
    added_at: datetime = field(compare=False, default_factory=lambda: datetime(1970, 1, 1))
    # Every document that states this figure, the first (`source`, `quote`) included;
    # empty when the reader did not ask for them.
    citations: tuple[Citation, ...] = field(compare=False, default=())

    @property
    def all_citations(self) -> tuple[Citation, ...]:
        return self.citations or (Citation(self.source, self.quote, self.lang),)


@dataclass(frozen=True, slots=True)
class DocumentMeta:
    """What the ingest knows of a document before it is stored."""

    file_name: str
    sha256: str
    outlet: str | None
    url: str | None
    published: date | None
    precision: DatePrecision
    published_to: date | None = None
    title: str | None = None
    lang: str | None = None
