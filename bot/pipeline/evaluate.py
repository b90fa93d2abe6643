"""Scoring extracted facts against a hand-made gold list.

A gold fact is found when the same document yields a fact with the same value and
unit (strict match); each extracted fact is counted once. Topic, status and subject
are then judged on the found facts. A range fact ("5–10 %", value and value_max)
answers the two gold facts of a range (`<metric>_min` and `<metric>_max`).
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from bot import PROJECT_ROOT
from bot.domain import ExtractedFact
from bot.pipeline.analysis import analyse
from bot.pipeline.documents import load_manifest, read_document
from bot.pipeline.gazetteer import Gazetteer, load_gazetteer


def default_devset() -> Path:
    """The shared development set: `shared/devset` beside the project, or beside one of
    its parent folders (a worktree sits one level deeper than the main checkout)."""
    for folder in PROJECT_ROOT.parents:
        candidate = folder / "shared" / "devset"
        if (candidate / "gold.json").exists():
            return candidate
    return PROJECT_ROOT.parent / "shared" / "devset"


@dataclass(frozen=True, slots=True)
class Score:
    gold: int
    extracted: int
    matched: int
    subject_correct: int
    status_correct: int
    topic_correct: int = 0
    misses: tuple[str, ...] = ()
    extras: tuple[str, ...] = ()
    # extracted facts that matched some gold fact (a range fact may answer two)
    extracted_matched: int = 0
    # found facts with a wrong topic, status or subject: what was said and what gold says
    wrong: tuple[str, ...] = ()

    @property
    def precision(self) -> float:
        return self.extracted_matched / self.extracted if self.extracted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    @property
    def topic_accuracy(self) -> float:
        return self.topic_correct / self.matched if self.matched else 0.0

    @property
    def subject_accuracy(self) -> float:
        return self.subject_correct / self.matched if self.matched else 0.0

    @property
    def status_accuracy(self) -> float:
        return self.status_correct / self.matched if self.matched else 0.0

    @property
    def topic_recall(self) -> float:
        """Gold facts found with the right topic, of all gold facts."""
        return self.topic_correct / self.gold if self.gold else 1.0

    def summary(self) -> str:
        return (
            f"recall {self.recall:.3f} ({self.matched} of {self.gold} gold), "
            f"precision {self.precision:.3f} ({self.extracted_matched} of {self.extracted}); "
            f"topic {self.topic_accuracy:.3f}, status {self.status_accuracy:.3f}, "
            f"subject {self.subject_accuracy:.3f}; found with the right topic "
            f"{self.topic_recall:.3f}"
        )


@dataclass(frozen=True, slots=True)
class Report:
    """The whole score and its parts by language and by document."""

    overall: Score
    by_language: dict[str, Score]
    by_document: dict[str, Score]

    def lines(self) -> list[str]:
        out = [f"overall: {self.overall.summary()}"]
        out += [f"  {lang}: {part.summary()}" for lang, part in sorted(self.by_language.items())]
        out.append("by document:")
        out += [f"  {doc}: {part.summary()}" for doc, part in sorted(self.by_document.items())]
        out.append(f"misses ({len(self.overall.misses)}):")
        out += [f"  {miss}" for miss in self.overall.misses]
        out.append(f"wrong topic, status or subject ({len(self.overall.wrong)}):")
        out += [f"  {wrong}" for wrong in self.overall.wrong]
        out.append(f"extras ({len(self.overall.extras)}):")
        out += [f"  {extra}" for extra in self.overall.extras]
        return out


def _number(value: Any) -> Decimal:
    return Decimal(str(value)).normalize()


def _values(fact: ExtractedFact) -> tuple[Decimal, ...]:
    values = (_number(fact.value),)
    return values + ((_number(fact.value_max),) if fact.value_max is not None else ())


def _describe(fact: ExtractedFact) -> str:
    high = f"–{fact.value_max}" if fact.value_max is not None else ""
    return (
        f"{fact.value}{high} {fact.unit} {fact.topic.value} {fact.status.value} "
        f"[{fact.metric}] {fact.subject!r}: {fact.quote[:90]}"
    )


def _fit(fact: ExtractedFact, item: Mapping[str, Any]) -> tuple[bool, bool, bool]:
    """How well a candidate answers a gold fact: same sentence, topic, status."""
    return (
        fact.quote.strip() in item["quote"] or item["quote"] in fact.quote,
        fact.topic.value == item["topic"],
        fact.status.value == item["status"],
    )


def score(
    gold: Sequence[Mapping[str, Any]],
    extracted: Mapping[str, Sequence[ExtractedFact]],
    gazetteer: Gazetteer | None = None,
) -> Score:
    gazetteer = gazetteer or load_gazetteer()
    matched = subject_ok = status_ok = topic_ok = 0
    misses: list[str] = []
    wrong: list[str] = []
    # how many gold facts each extracted fact answered: a range answers two, any other one
    answered: dict[tuple[str, int], int] = defaultdict(int)
    for item in gold:
        doc = item["doc"]
        value, unit = _number(item["value"]), item["unit"]
        facts = extracted.get(doc, ())
        candidates = [
            index
            for index, fact in enumerate(facts)
            if fact.unit == unit
            and value in _values(fact)
            and answered[(doc, index)] < len(_values(fact))
        ]
        if not candidates:
            misses.append(
                f"{doc}: {item['value']} {unit} {item['topic']} {item['status']}: "
                f"{item['quote'][:90]}"
            )
            continue
        hit = max(candidates, key=lambda index: _fit(facts[index], item))
        answered[(doc, hit)] += 1
        matched += 1
        fact = facts[hit]
        right = (
            fact.topic.value == item["topic"],
            fact.status.value == item["status"],
            _same_subject(fact, item["subject"], gazetteer),
        )
        topic_ok += right[0]
        status_ok += right[1]
        subject_ok += right[2]
        if not all(right):
            wrong.append(
                f"{doc}: {_describe(fact)} | gold {item['topic']} {item['status']} "
                f"{item['subject']!r} [{item['metric']}]"
            )
    extras = [
        f"{doc}: {_describe(fact)}"
        for doc, facts in extracted.items()
        for index, fact in enumerate(facts)
        if (doc, index) not in answered
    ]
    total = sum(len(facts) for facts in extracted.values())
    return Score(
        gold=len(gold),
        extracted=total,
        matched=matched,
        subject_correct=subject_ok,
        status_correct=status_ok,
        topic_correct=topic_ok,
        misses=tuple(misses),
        extras=tuple(extras),
        extracted_matched=len(answered),
        wrong=tuple(wrong),
    )


def report(
    gold: Sequence[Mapping[str, Any]],
    extracted: Mapping[str, Sequence[ExtractedFact]],
    gazetteer: Gazetteer | None = None,
) -> Report:
    """The score overall, per language (the gold facts' `lang`, "ru" when absent) and
    per document."""
    gazetteer = gazetteer or load_gazetteer()
    language_of = {item["doc"]: item.get("lang", "ru") for item in gold}
    by_language = {
        lang: score(
            [item for item in gold if language_of[item["doc"]] == lang],
            {doc: facts for doc, facts in extracted.items() if language_of.get(doc) == lang},
            gazetteer,
        )
        for lang in sorted(set(language_of.values()))
    }
    documents = sorted(set(extracted) | set(language_of))
    by_document = {
        doc: score(
            [item for item in gold if item["doc"] == doc],
            {doc: extracted.get(doc, ())},
            gazetteer,
        )
        for doc in documents
    }
    return Report(score(gold, extracted, gazetteer), by_language, by_document)


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


def run_evaluate(folder: Path | None, gold_path: Path | None) -> int:
    """Score the documents `d*.txt`/`*.txt` of a folder against its gold file; print it."""
    folder = folder or default_devset()
    gold_path = gold_path or folder / "gold.json"
    if not gold_path.exists():
        print(f"no gold file at {gold_path}")
        return 2
    gold = load_gold(gold_path)
    named = {item["doc"] for item in gold}
    paths = sorted(path for path in folder.glob("*.txt") if path.stem in named)
    for line in report(gold, extract_documents(paths)).lines():
        print(line)
    return 0
