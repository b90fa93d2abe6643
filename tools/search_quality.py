"""Search quality on real articles: do the queries people type find their figures?

`python -m tools.search_quality` ingests the seed documents (`data/documents`, as
`python -m bot ingest` does) and the development set's articles (`../shared/devset`,
d01–d18) into a temporary SQLite store through the real ingest pipeline, then asks
the search (`bot.storage.searches.fact_search`) each query of a list of test queries
(`tests/search_quality/queries.toml`: Russian and Kazakh, names with typos, Kazakh words
against Russian facts, letter variants, the region, years and plans, companies, words
with stop words around them). Each query names the figures that answer it, by document
and value. A query is answered on the first page when one of them is among the first
`FIRST_PAGE` results, and in inline mode when it is among the first `INLINE_PAGE`.

It prints the share of queries answered per language and per kind, then each miss with
what came first instead. A figure the pipeline never extracted cannot be found by any
search: such misses are marked "not in store".
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TextIO

from bot import DOCUMENTS_DIR, PROJECT_ROOT
from bot.domain import Fact
from bot.pipeline.evaluate import default_devset
from bot.storage.engine import create_engine, create_session_factory, migrate
from bot.storage.ingest import Outcome, document_paths, ingest_paths
from bot.storage.repositories import FactRepository
from bot.storage.searches import fact_search

QUERIES = PROJECT_ROOT / "tests" / "search_quality" / "queries.toml"
# The first page, as the brief for this evaluation defines it, and an inline answer.
FIRST_PAGE = 10
INLINE_PAGE = 50
KINDS = ("typo", "kk_ru", "letters", "region", "year_plan", "company", "partial")
LANGUAGES = ("ru", "kk")
# What a miss lists of the results that came first instead.
SHOWN = 3


@dataclass(frozen=True, slots=True)
class Figure:
    """A figure that answers a query: a document (file name without `.txt`) and a value."""

    doc: str
    value: Decimal

    def __str__(self) -> str:
        return f"{self.doc}={_number(self.value)}"


@dataclass(frozen=True, slots=True)
class Query:
    text: str
    lang: str
    kind: str
    expect: tuple[Figure, ...]


@dataclass(frozen=True, slots=True)
class Result:
    """How one query fared: the rank of its first expected figure (None: not within the
    inline page), whether any expected figure is in the store at all, and what came first."""

    query: Query
    rank: int | None
    rank_on_page: int | None
    in_store: bool
    first: tuple[str, ...]
    corrected: tuple[str, ...] = ()

    @property
    def on_page(self) -> bool:
        return self.rank_on_page is not None

    @property
    def inline(self) -> bool:
        return self.rank is not None


@dataclass(slots=True)
class Report:
    results: list[Result] = field(default_factory=list)

    def of(self, lang: str | None = None, kind: str | None = None) -> list[Result]:
        """The results of the queries in `lang` and of `kind` (None: any)."""
        return [
            r
            for r in self.results
            if (lang is None or r.query.lang == lang) and (kind is None or r.query.kind == kind)
        ]

    def rate(
        self, lang: str | None = None, kind: str | None = None, *, inline: bool = False
    ) -> float:
        """The share of those queries answered on the first page (or inline)."""
        chosen = self.of(lang, kind)
        hits = sum(1 for r in chosen if (r.inline if inline else r.on_page))
        return hits / len(chosen) if chosen else 0.0


def load_queries(path: Path = QUERIES) -> list[Query]:
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    queries = []
    for item in raw["query"]:
        if item["lang"] not in LANGUAGES or item["kind"] not in KINDS:
            raise ValueError(f"{path}: {item['text']!r}: unknown lang or kind")
        expect = tuple(Figure(e["doc"], Decimal(str(e["value"]))) for e in item["expect"])
        if not expect:
            raise ValueError(f"{path}: {item['text']!r} expects no figure")
        queries.append(Query(item["text"], item["lang"], item["kind"], expect))
    return queries


def devset_articles(folder: Path) -> list[Path]:
    """The development set's articles (d01.txt …), without its gold file and README."""
    return sorted(folder.glob("d[0-9][0-9].txt"))


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _same(value: Decimal, expected: Decimal) -> bool:
    return abs(value - expected) <= abs(expected) * Decimal("1e-9")


def _documents(fact: Fact) -> set[str]:
    return {Path(c.source.file_name).stem for c in fact.all_citations} | {
        Path(fact.source.file_name).stem
    }


def answers(fact: Fact, figure: Figure) -> bool:
    """Whether `fact` is the expected figure: stated by its document, with its value (a
    range answers by either end)."""
    if figure.doc not in _documents(fact):
        return False
    ends = [fact.value] + ([fact.value_max] if fact.value_max is not None else [])
    return any(_same(end, figure.value) for end in ends)


def _rank(facts: Sequence[Fact], figures: Iterable[Figure]) -> int | None:
    wanted = list(figures)
    for rank, fact in enumerate(facts, start=1):
        if any(answers(fact, figure) for figure in wanted):
            return rank
    return None


def _describe(fact: Fact) -> str:
    period = fact.period.key() if fact.period else "-"
    return (
        f"{Path(fact.source.file_name).stem}={_number(fact.value)} {fact.metric} "
        f"«{fact.subject}» {period} {fact.status.value}"
    )


async def build_store(url: str, paths: Sequence[Path]) -> list[str]:
    """The documents ingested into the store at `url`; the problems met, if any."""
    await migrate(url)
    engine = create_engine(url)
    try:
        reports = await ingest_paths(create_session_factory(engine), paths)
    finally:
        await engine.dispose()
    return [
        report.error or report.file_name for report in reports if report.outcome is Outcome.FAILED
    ]


async def run_queries(url: str, queries: Sequence[Query]) -> Report:
    engine = create_engine(url)
    report = Report()
    try:
        factory = create_session_factory(engine)
        async with factory() as session:
            stored = await FactRepository(session).list()
        for query in queries:
            async with factory() as session:
                search = fact_search(session)
                page = await search.find(query.text, query.lang, FIRST_PAGE, 0)
                inline = await search.find(query.text, query.lang, INLINE_PAGE, 0)
            report.results.append(
                Result(
                    query=query,
                    rank=_rank(inline.facts, query.expect),
                    rank_on_page=_rank(page.facts, query.expect),
                    in_store=_rank(stored, query.expect) is not None,
                    first=tuple(_describe(fact) for fact in page.facts[:SHOWN]),
                    corrected=page.corrected,
                )
            )
    finally:
        await engine.dispose()
    return report


async def evaluate(
    queries: Sequence[Query],
    devset: Path | None = None,
    documents: Path = DOCUMENTS_DIR,
    *,
    reverse: bool = False,
) -> Report:
    """The queries asked of a fresh store built from the seed documents and the
    development set's articles, in that order (`reverse`: the other way round, which
    shows the answers that only the order the facts were added in put on a page)."""
    articles = devset_articles(devset or default_devset())
    if not articles:
        raise FileNotFoundError(f"no development set articles in {devset or default_devset()}")
    paths = [*document_paths([documents]), *articles]
    with tempfile.TemporaryDirectory(prefix="search-quality-") as folder:
        url = f"sqlite+aiosqlite:///{folder}/facts.db"
        failed = await build_store(url, paths[::-1] if reverse else paths)
        if failed:
            raise RuntimeError("documents that could not be ingested: " + "; ".join(failed))
        return await run_queries(url, queries)


def _percent(share: float) -> str:
    return f"{100 * share:5.1f} %"


def print_report(report: Report, out: TextIO = sys.stdout) -> None:
    print(
        f"queries: {len(report.results)}; first page: the first {FIRST_PAGE} results, "
        f"inline: the first {INLINE_PAGE}",
        file=out,
    )
    print(f"{'':12} {'queries':>7} {'page':>8} {'inline':>8}", file=out)
    rows: list[tuple[str, str | None, str | None]] = [("all", None, None)]
    rows += [(f"lang {lang}", lang, None) for lang in LANGUAGES]
    rows += [(kind, None, kind) for kind in KINDS]
    for label, lang, kind in rows:
        print(
            f"{label:12} {len(report.of(lang, kind)):7} {_percent(report.rate(lang, kind)):>8} "
            f"{_percent(report.rate(lang, kind, inline=True)):>8}",
            file=out,
        )
    misses = [r for r in report.results if not r.on_page]
    if misses:
        print(f"\nmisses on the first page ({len(misses)}):", file=out)
    for result in misses:
        print_miss(result, out)


def print_miss(result: Result, out: TextIO) -> None:
    query = result.query
    if not result.in_store:
        where = "not in store"
    elif result.rank:
        where = f"rank {result.rank} inline"
    else:
        where = "not within the inline page"
    fixed = f" (corrected to {', '.join(result.corrected)})" if result.corrected else ""
    print(f"- [{query.lang} {query.kind}] «{query.text}»{fixed}: {where}", file=out)
    print(f"    wanted: {', '.join(str(f) for f in query.expect)}", file=out)
    for line in result.first or ("(nothing found)",):
        print(f"    got: {line}", file=out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.search_quality", description=__doc__)
    parser.add_argument("--queries", type=Path, default=QUERIES, help="the query list (TOML)")
    parser.add_argument("--devset", type=Path, default=None, help="the development set folder")
    parser.add_argument(
        "--reverse", action="store_true", help="ingest the documents in the reverse order"
    )
    args = parser.parse_args(argv)
    report = asyncio.run(evaluate(load_queries(args.queries), args.devset, reverse=args.reverse))
    print_report(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
