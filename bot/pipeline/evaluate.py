"""Scoring extracted facts against a hand-made gold list.

A gold fact is found when the same document yields a fact with the same value,
unit and topic; each extracted fact can match one gold fact only.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from bot.domain import ExtractedFact
from bot.pipeline.gazetteer import Gazetteer, load_gazetteer
from bot.pipeline.documents import load_manifest, read_document
from bot.pipeline.ingest import analyse


@dataclass(frozen=True, slots=True)
class Score:
    gold: int
    extracted: int
    matched: int
    subject_correct: int
    status_correct: int
    misses: tuple[str, ...]
    extras: tuple[str, ...]

    @property
    def precision(self) -> float:
        return self.matched / self.extracted if self.extracted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def subject_accuracy(self) -> float:
        return self.subject_correct / self.matched if self.matched else 0.0

    @property
    def status_accuracy(self) -> float:
        return self.status_correct / self.matched if self.matched else 0.0

    def summary(self) -> str:
        return (
            f"precision {self.precision:.3f}, recall {self.recall:.3f} "
            f"({self.matched} of {self.gold} gold, {self.extracted} extracted); "
            f"subject {self.subject_accuracy:.3f}, status {self.status_accuracy:.3f}"
        )


def _key(value: Any, unit: str, topic: str) -> tuple[Decimal, str, str]:
    return (Decimal(str(value)).normalize(), unit, topic)


def score(
    gold: Sequence[Mapping[str, Any]],
    extracted: Mapping[str, Sequence[ExtractedFact]],
    gazetteer: Gazetteer | None = None,
) -> Score:
    gazetteer = gazetteer or load_gazetteer()
    matched = subject_ok = status_ok = 0
    misses: list[str] = []
    used: set[tuple[str, int]] = set()
    for item in gold:
        doc = item["doc"]
        want = _key(item["value"], item["unit"], item["topic"])
        facts = extracted.get(doc, ())
        hit = None
        for index, fact in enumerate(facts):
            if (doc, index) in used:
                continue
            if _key(fact.value, fact.unit, fact.topic.value) == want:
                hit = index
                break
        if hit is None:
            misses.append(f"{doc}: {item['value']} {item['unit']} {item['topic']}")
            continue
        used.add((doc, hit))
        matched += 1
        fact = facts[hit]
        if fact.status.value == item["status"]:
            status_ok += 1
        if _same_subject(fact, item["subject"], gazetteer):
            subject_ok += 1
    extras = [
        f"{doc}: {fact.value} {fact.unit} {fact.topic.value}"
        for doc, facts in extracted.items()
        for index, fact in enumerate(facts)
        if (doc, index) not in used
    ]
    total = sum(len(facts) for facts in extracted.values())
    return Score(len(gold), total, matched, subject_ok, status_ok, tuple(misses), tuple(extras))


def _same_subject(fact: ExtractedFact, gold_subject: str, gazetteer: Gazetteer) -> bool:
    """The gold subject names the fact's entity (by any of its names), or the texts overlap."""
    gold_folded = gold_subject.lower().replace("ё", "е")
    entity = gazetteer.get(fact.entity_key)
    if entity is not None:
        gold_entities = {m.entity.key for m in gazetteer.find_in(gold_subject)}
        if entity.key in gold_entities:
            return True
    subject = fact.subject.lower().replace("ё", "е").strip('«»" ')
    return bool(subject) and (subject in gold_folded or gold_folded in subject)


def extract_documents(paths: Iterable[Path]) -> dict[str, list[ExtractedFact]]:
    """The facts of each document by its stem, through the real pipeline."""
    manifest = load_manifest()
    gazetteer = load_gazetteer()
    return {path.stem: analyse(read_document(path, manifest), gazetteer).facts for path in paths}


def load_gold(path: Path) -> list[dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8"))
