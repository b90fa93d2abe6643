"""Writing one document's figures: new facts in bulk, re-stated ones as sources.

Each figure of the document is first looked for among the facts other documents
gave (one indexed query by identity, values compared within rounding). A figure
found is not stored again: the document becomes one more of its sources, a row of
`fact_sources` with its own quote. The others are inserted in one statement, their
first source being the fact's own document and quote, so a document that states
nothing new costs no more than one that does, and one that does a few statements
however many figures it has.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import ExtractedFact
from bot.storage.identity import identity, same_value
from bot.storage.models import DecimalText, DocumentRecord, FactRecord, FactSourceRecord
from bot.storage.searches import fact_search

# The tables themselves: bulk statements skip the ORM's per-object work.
DOCUMENTS = cast(Table, DocumentRecord.__table__)
FACTS = cast(Table, FactRecord.__table__)
FACT_SOURCES = cast(Table, FactSourceRecord.__table__)


def fact_identity(fact: ExtractedFact) -> str:
    return identity(
        metric=fact.metric,
        object=fact.object,
        per=fact.per,
        entity_key=fact.entity_key,
        subject=fact.subject,
        period=fact.period.key() if fact.period else None,
        unit=fact.unit,
        status=fact.status.value,
    )


def match_known(
    facts: Sequence[ExtractedFact],
    identities: Sequence[str],
    stored: Iterable[tuple[int, str, Decimal, Decimal | None]],
) -> list[int | None]:
    """For each figure, the stored fact (id, identity, value, high end; oldest first)
    it states again, or None."""
    candidates: dict[str, list[tuple[int, Decimal, Decimal | None]]] = {}
    for fact_id, key, value, value_max in stored:
        candidates.setdefault(key, []).append((fact_id, value, value_max))
    return [
        next(
            (
                fact_id
                for fact_id, value, value_max in candidates.get(key, ())
                if same_value(fact.value, value) and same_value(fact.value_max, value_max)
            ),
            None,
        )
        for fact, key in zip(facts, identities, strict=True)
    ]


def part_links(
    facts: Sequence[ExtractedFact], ids: Sequence[int | None], fresh: set[int]
) -> list[tuple[int | None, int | None]]:
    """(part, whole) ids of the new facts that are a part: the whole wherever it was
    stored, new or stated before."""
    return [
        (ids[index], ids[fact.part_of])
        for index, fact in enumerate(facts)
        if index in fresh
        and fact.part_of is not None
        and 0 <= fact.part_of < len(facts)
        and fact.part_of != index
    ]


def further_sources(
    facts: Sequence[ExtractedFact], ids: Sequence[int | None], fresh: set[int], document_id: int
) -> list[dict[str, Any]]:
    """The `fact_sources` rows that make this document one more source of the figures
    the store already had (one per fact)."""
    rows: dict[int | None, dict[str, Any]] = {}
    for index, fact in enumerate(facts):
        if index in fresh:
            continue
        rows.setdefault(
            ids[index],
            {
                "fact_id": ids[index],
                "document_id": document_id,
                "quote": fact.quote,
                "start": fact.start,
                "end": fact.end,
                "lang": fact.lang,
            },
        )
    return list(rows.values())


class FactWriter:
    """Stores the figures of one document (whose old facts are already released)."""

    def __init__(self, session: AsyncSession, document_id: int) -> None:
        self._session = session
        self._document_id = document_id

    async def write(self, facts: Sequence[ExtractedFact]) -> None:
        if not facts:
            return
        identities = [fact_identity(fact) for fact in facts]
        ids: list[int | None] = await self._known(facts, identities)
        fresh = [index for index, found in enumerate(ids) if found is None]
        if fresh:
            rows = [self._row(facts[index], identities[index]) for index in fresh]
            result = await self._session.execute(
                insert(FACTS).returning(FACTS.c.id, sort_by_parameter_order=True), rows
            )
            for index, row, fact_id in zip(fresh, rows, result.scalars().all(), strict=True):
                ids[index] = row["id"] = fact_id
            await fact_search(self._session).add_facts(rows)
        links = part_links(facts, ids, set(fresh))
        if links:
            await self._session.execute(
                update(FACTS)
                .where(FACTS.c.id == bindparam("fact_id"))
                .values(part_of=bindparam("whole_id")),
                [{"fact_id": part, "whole_id": whole} for part, whole in links],
            )
        sources = further_sources(facts, ids, set(fresh), self._document_id)
        if sources:
            await self._session.execute(insert(FACT_SOURCES), sources)

    async def _known(
        self, facts: Sequence[ExtractedFact], identities: list[str]
    ) -> list[int | None]:
        """For each figure, the fact another document already gave it as, or None."""
        rows = await self._session.execute(
            select(FACTS.c.id, FACTS.c.identity, FACTS.c.value, FACTS.c.value_max)
            .where(FACTS.c.identity.in_(set(identities)))
            .order_by(FACTS.c.id)
        )
        return match_known(
            facts, identities, ((row.id, row.identity, row.value, row.value_max) for row in rows)
        )

    def _row(self, fact: ExtractedFact, key: str) -> dict[str, Any]:
        return {
            "document_id": self._document_id,
            "topic": fact.topic.value,
            "subject": fact.subject,
            "entity_key": fact.entity_key,
            "metric": fact.metric,
            "value": fact.value,
            "unit": fact.unit,
            "period": fact.period.key() if fact.period else None,
            "status": fact.status.value,
            "qualifier": fact.qualifier.value if fact.qualifier else None,
            "quote": fact.quote,
            "start": fact.start,
            "end": fact.end,
            "object": fact.object,
            "per": fact.per,
            "value_max": fact.value_max,
            "lang": fact.lang,
            "identity": key,
        }


_DECIMAL = DecimalText()


def stored_decimal(value: Decimal | None) -> str | None:
    """A decimal as `DecimalText` stores it."""
    return _DECIMAL.process_bind_param(value, None)


def index_fields(fact: ExtractedFact, fact_id: int) -> dict[str, Any]:
    """What `bot.storage.fulltext.index_rows` reads of a new fact, under `fact_id`."""
    return {
        "id": fact_id,
        "topic": fact.topic.value,
        "subject": fact.subject,
        "entity_key": fact.entity_key,
        "metric": fact.metric,
        "quote": fact.quote,
        "status": fact.status.value,
        "period": fact.period.key() if fact.period else None,
    }


def fact_values(fact: ExtractedFact, identity: str) -> tuple[Any, ...]:
    """A new fact's column values as the writers that skip the ORM insert them: topic,
    subject, entity_key, metric, value, unit, period, status, qualifier, quote, start,
    end, object, per, value_max, lang, identity."""
    return (
        fact.topic.value,
        fact.subject,
        fact.entity_key,
        fact.metric,
        stored_decimal(fact.value),
        fact.unit,
        fact.period.key() if fact.period else None,
        fact.status.value,
        fact.qualifier.value if fact.qualifier else None,
        fact.quote,
        fact.start,
        fact.end,
        fact.object,
        fact.per,
        stored_decimal(fact.value_max),
        fact.lang,
        identity,
    )
