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

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from bot.domain import ExtractedFact
from bot.storage.fulltext import FactSearch
from bot.storage.identity import identity, same_value
from bot.storage.models import DocumentRecord, FactRecord, FactSourceRecord

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
            await FactSearch(self._session).add_facts(rows)
        await self._link_parts(facts, ids, set(fresh))
        restated = [index for index, found in enumerate(ids) if index not in set(fresh)]
        await self._add_sources(facts, ids, restated)

    async def _known(
        self, facts: Sequence[ExtractedFact], identities: list[str]
    ) -> list[int | None]:
        """For each figure, the fact another document already gave it as, or None."""
        rows = (
            await self._session.execute(
                select(FACTS.c.id, FACTS.c.identity, FACTS.c.value, FACTS.c.value_max)
                .where(FACTS.c.identity.in_(set(identities)))
                .order_by(FACTS.c.id)
            )
        ).all()
        candidates: dict[str, list[tuple[int, Decimal, Decimal | None]]] = {}
        for row in rows:
            candidates.setdefault(row.identity, []).append((row.id, row.value, row.value_max))
        found: list[int | None] = []
        for fact, key in zip(facts, identities, strict=True):
            match = next(
                (
                    fact_id
                    for fact_id, value, value_max in candidates.get(key, ())
                    if same_value(fact.value, value) and same_value(fact.value_max, value_max)
                ),
                None,
            )
            found.append(match)
        return found

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

    async def _link_parts(
        self, facts: Sequence[ExtractedFact], ids: list[int | None], fresh: set[int]
    ) -> None:
        """A new part points at its whole, wherever the whole was stored."""
        links = [
            {"fact_id": ids[index], "whole_id": ids[fact.part_of]}
            for index, fact in enumerate(facts)
            if index in fresh
            and fact.part_of is not None
            and 0 <= fact.part_of < len(facts)
            and fact.part_of != index
        ]
        if links:
            await self._session.execute(
                update(FACTS)
                .where(FACTS.c.id == bindparam("fact_id"))
                .values(part_of=bindparam("whole_id")),
                links,
            )

    async def _add_sources(
        self, facts: Sequence[ExtractedFact], ids: list[int | None], restated: list[int]
    ) -> None:
        """This document as one more source of the figures the store already had."""
        rows: dict[int | None, dict[str, Any]] = {}
        for index in restated:
            fact = facts[index]
            rows.setdefault(
                ids[index],
                {
                    "fact_id": ids[index],
                    "document_id": self._document_id,
                    "quote": fact.quote,
                    "start": fact.start,
                    "end": fact.end,
                    "lang": fact.lang,
                },
            )
        if rows:
            await self._session.execute(insert(FACT_SOURCES), list(rows.values()))
