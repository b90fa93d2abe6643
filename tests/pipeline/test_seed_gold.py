"""The real ingest over the seed documents, scored against a hand-annotated gold list."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import DOCUMENTS_DIR
from bot.domain import ExtractedFact, Fact
from bot.pipeline.documents import load_manifest, read_document
from bot.pipeline.evaluate import load_gold, score
from bot.pipeline.noise import LineKind, classify_lines
from bot.storage.repositories import FactRepository

GOLD = Path(__file__).with_name("gold_seeds.json")


def as_extracted(fact: Fact) -> ExtractedFact:
    return ExtractedFact(
        topic=fact.topic,
        subject=fact.subject,
        entity_key=fact.entity_key,
        metric=fact.metric,
        value=fact.value,
        unit=fact.unit,
        period=fact.period,
        status=fact.status,
        qualifier=fact.qualifier,
        quote=fact.quote,
        start=fact.start,
        end=fact.end,
    )


async def stored_facts(factory: async_sessionmaker[AsyncSession]) -> list[Fact]:
    async with factory() as session:
        return await FactRepository(session).list()


async def test_ingest_meets_precision_and_recall_on_the_seed_gold(
    seeded_session_factory: async_sessionmaker[AsyncSession],
    capsys: pytest.CaptureFixture[str],
) -> None:
    by_document: dict[str, list[ExtractedFact]] = defaultdict(list)
    for fact in await stored_facts(seeded_session_factory):
        by_document[Path(fact.source.file_name).stem].append(as_extracted(fact))
    result = score(load_gold(GOLD), by_document)
    with capsys.disabled():
        print(f"\nseed gold: {result.summary()}")
    assert result.precision >= 0.95, result.extras
    assert result.recall >= 0.95, result.misses
    assert result.topic_accuracy >= 0.95, result.wrong
    assert result.status_accuracy >= 0.95, result.wrong


async def test_every_fact_quotes_its_sentence_from_article_text(
    seeded_session_factory: async_sessionmaker[AsyncSession],
) -> None:
    manifest = load_manifest()
    facts = await stored_facts(seeded_session_factory)
    assert facts
    for fact in facts:
        document = read_document(DOCUMENTS_DIR / fact.source.file_name, manifest)
        # the sentence at the fact's offsets ends its quote; a list item's lead, the
        # sentence that comes before it in the quote, is a sentence of the article too
        sentence = document.text[fact.start : fact.end]
        assert fact.quote.endswith(sentence), (fact.quote, sentence)
        assert fact.quote.removesuffix(sentence).strip() in document.text, fact.quote
        lines = classify_lines(document.text, document.body_start)
        line = next(line for line in lines if line.start <= fact.start < line.end + 1)
        assert line.kind is LineKind.BODY, (fact.quote, line.kind)


def test_page_noise_of_a_scraped_page_is_not_article_text() -> None:
    document = read_document(DOCUMENTS_DIR / "004_219ac1dd48b9d0a5.txt", load_manifest())
    lines = classify_lines(document.text, document.body_start)
    body = " ".join(line.text for line in lines if line.kind is LineKind.BODY)
    for noise in (
        "16.5 C",
        "Похожие статьи",
        "Лента новостей",
        "введите ваш комментарий",
        "Баймырза Агро-2018",
        "Светлана СВЕТЛОВА",
    ):
        assert noise not in body
    assert "Пропускная способность аэропорта вырастет" in body
