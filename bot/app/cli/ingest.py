"""`python -m bot ingest` and `python -m bot facts`."""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Sequence
from typing import TextIO

from bot import DOCUMENTS_DIR
from bot.domain import Fact, Topic
from bot.render.progress import Progress
from bot.storage.engine import create_engine, create_session_factory, migrate
from bot.storage.ingest import Outcome, document_paths, ingest_paths
from bot.storage.repositories import FactRepository


async def run_ingest(
    url: str, paths: Sequence[str], out: TextIO = sys.stdout, progress_out: TextIO = sys.stderr
) -> int:
    await migrate(url)
    engine = create_engine(url)
    total = len(document_paths(paths or [DOCUMENTS_DIR]))
    try:
        # A bar on a terminal, a line a document otherwise.
        with Progress(total, "ingest", progress_out) as progress:
            reports = await ingest_paths(
                create_session_factory(engine),
                paths or None,
                on_report=lambda report: progress.step(report.file_name),
            )
    finally:
        await engine.dispose()
    totals: Counter[Topic] = Counter()
    for report in reports:
        if report.outcome is Outcome.FAILED:
            print(f"FAILED {report.error}", file=out)
        elif report.outcome is Outcome.UNCHANGED:
            print(f"unchanged {report.file_name}", file=out)
        else:
            print(f"{report.outcome.value:9} {report.file_name}: {report.facts} facts", file=out)
            totals.update(report.by_topic)
    counts = Counter(report.outcome for report in reports)
    summary = ", ".join(f"{counts[o]} {o.value}" for o in Outcome if counts[o])
    print(f"documents: {len(reports)} ({summary or 'none'})", file=out)
    if totals:
        print(
            "new facts by topic: "
            + ", ".join(f"{t.value} {totals[t]}" for t in Topic if totals[t]),
            file=out,
        )
    return 1 if counts[Outcome.FAILED] else 0


def fact_record(fact: Fact) -> dict[str, object]:
    """One fact as plain JSON values."""
    value = fact.value
    return {
        "id": fact.id,
        "document": fact.source.file_name,
        "topic": fact.topic.value,
        "subject": fact.subject,
        "entity": fact.entity_key,
        "metric": fact.metric,
        "value": int(value) if value == value.to_integral_value() else float(value),
        "value_exact": format(value, "f"),
        "unit": fact.unit,
        "period": period_text(fact),
        "period_key": fact.period.key() if fact.period else None,
        "status": fact.status.value,
        "qualifier": fact.qualifier.value if fact.qualifier else None,
        "quote": fact.quote,
        "start": fact.start,
        "end": fact.end,
        "published": fact.source.published.isoformat() if fact.source.published else None,
        "date_precision": fact.source.precision.value,
    }


def period_text(fact: Fact) -> str | None:
    """The period in plain Russian, as the articles write it."""
    period = fact.period
    if period is None:
        return None
    match period.kind.value:
        case "year":
            return f"{period.year} год"
        case "range":
            return f"{period.year}–{period.year_to} годы"
        case "by":
            return f"до {period.year} года"
        case "months":
            return (
                f"{period.months} месяцев {period.year} года"
                if period.year
                else f"{period.months} месяцев"
            )
        case "per_year":
            return "в год"
        case "since":
            return f"с {period.year} года"
    return None


async def run_facts(
    url: str, *, topic: str | None, output_format: str, out: TextIO = sys.stdout
) -> int:
    if topic is not None and topic not in {t.value for t in Topic}:
        print(
            f"unknown topic {topic!r}; one of: {', '.join(t.value for t in Topic)}", file=sys.stderr
        )
        return 2
    await migrate(url)
    engine = create_engine(url)
    try:
        async with create_session_factory(engine)() as session:
            facts = await FactRepository(session).list(topic=Topic(topic) if topic else None)
    finally:
        await engine.dispose()
    if output_format == "jsonl":
        for fact in facts:
            print(json.dumps(fact_record(fact), ensure_ascii=False), file=out)
        return 0
    for fact in facts:
        record = fact_record(fact)
        print(
            f"{record['topic']:<11} {record['value_exact']:>16} {record['unit']:<12} "
            f"{record['status']:<6} {record['period'] or '-':<22} {fact.subject[:40]:<40} "
            f"{fact.source.file_name}",
            file=out,
        )
    print(f"{len(facts)} facts", file=out)
    return 0
