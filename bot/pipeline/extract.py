"""From a document's text to its facts: every figure with its unit, topic, subject,
period and status, and the sentence that states it."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache
from types import EllipsisType

from bot.domain import ExtractedFact, Period, PeriodKind, Status
from bot.domain.metrics import Metric
from bot.pipeline.classify import Markers, metric_for, status_for, topic_for, zone_context
from bot.pipeline.gazetteer import Entity, Gazetteer
from bot.pipeline.indicators import Rates, is_part, object_of, part_marks, ranges
from bot.pipeline.language import sentence_language
from bot.pipeline.latin import restore_quotes, to_cyrillic_lines
from bot.pipeline.lexicon import is_kazakh, kazakh_stem, kazakh_tense, plain
from bot.pipeline.morph import lemmas_of, lemmatize, nominative, parses
from bot.pipeline.noise import Line, LineKind, classify_lines
from bot.pipeline.numbers import NumberMention, find_numbers
from bot.pipeline.periods import PeriodMention, find_periods
from bot.pipeline.sentences import Sentence, split_sentences
from bot.pipeline.vocabulary import entry, normalise, word_map

TOKEN = re.compile(r"[^\W_]+(?:-[^\W\d_]+)*|[^\s\w]", re.UNICODE)
GENERAL_KINDS = frozenset({"region", "town", "district"})
REGION_KEY = "karaganda_region"
# Names in quotes or Latin letters that are not the subject of a figure.
NAME_CANDIDATE = re.compile(
    r"«([^«»]{2,60})»|\b([A-Z][A-Za-z0-9&'-]+(?:\s+(?:[A-Z][A-Za-z0-9&'-]+|Co\.|Ltd\.?)){0,4})"
)
NOT_SUBJECTS = re.compile(
    r"(?i)\.kz$|^(?:" + "|".join(map(re.escape, sorted(plain("subjects", "not_subjects")))) + ")"
)
REPORTED_BY = re.compile(
    r"(?:" + "|".join(map(re.escape, sorted(plain("subjects", "reporting_verbs")))) + r")\s*$",
    re.IGNORECASE,
)

CHANGE_BEFORE = re.compile(
    r"\b(?:"
    + "|".join(map(re.escape, sorted(plain("subjects", "change", "before"))))
    + r")\s+(?:(?:"
    + "|".join(
        re.escape(word).replace(r"\ ", r"\s+")
        for word in sorted(plain("subjects", "change", "qualifiers"), key=len, reverse=True)
    )
    + r")\s+)?$",
    re.IGNORECASE,
)
# Nouns that bring a new thing into a sentence: its figures are about that thing,
# not about whatever the paragraph spoke of before.
FACILITY_NOUNS = plain("subjects", "facility_nouns")
# Words that point back to a thing named before: "на этом предприятии", "для него".
DEMONSTRATIVES = plain("subjects", "demonstratives")
PRONOUNS = plain("subjects", "pronouns")
# Nouns that, pointed at, stand for whatever thing was spoken of last.
REFERRING_NOUNS = FACILITY_NOUNS | plain("subjects", "referring_nouns")
# "будущая станция" is the one just spoken of; "третий ветропарк", "новый завод" are not.
BACK_ADJECTIVES = plain("subjects", "back_adjectives")
ANOTHER_ADJECTIVES = plain("subjects", "another_adjectives")
ROUTE_PREPOSITIONS = plain("subjects", "route_prepositions")

# A price is for an amount of something: "за тонну «орешка»", "уголь продается по …".
PRICE_AMOUNTS = plain("subjects", "price", "amounts")
SALE_VERBS = plain("subjects", "price", "sale_verbs")
PER_PREPOSITIONS = plain("subjects", "price", "per_preposition")
FUTURE_AUXILIARY = plain("modality", "grammar", "future_auxiliary")

# Figures that only a region has: they never inherit a paragraph's subject.
REGION_METRICS = frozenset({Metric.RATE, Metric.FIXED_CAPITAL_INVESTMENT})
# What a thing is built for: its figures describe it, whatever the tense.
COST_METRICS = frozenset({Metric.PROJECT_COST, Metric.PROJECTS_COST})
# What is in the ground is stated, not planned: "запасы оцениваются в 15 млн тонн".
DESIGN_METRICS = frozenset({Metric.CAPACITY, Metric.POWER, Metric.RESERVES})
SECTOR_WORDS = plain("subjects", "sector_words")
# Whether a list item's status words reach it from the line that leads the list.
LIST_SCOPE = bool(entry("modality", "scope", "list"))
REGION_WORDS = plain("subjects", "region_words")
WORD_TOKEN = re.compile(r"[^\W_]+", re.UNICODE)

AnalysedToken = tuple[str, int, str | None, frozenset[str]]


@dataclass(frozen=True, slots=True)
class _Subject:
    """A subject as text, with the gazetteer entity when it is one."""

    text: str
    entity: Entity | None
    # "третий ветропарк", "другой инвестор": a thing besides the ones before it, whose
    # figures are its own even where they repeat an earlier one.
    another: bool = False


def extract_facts(
    text: str, gazetteer: Gazetteer, *, body_start: int = 0, document_year: int | None = None
) -> list[ExtractedFact]:
    lines = classify_lines(text, body_start)
    return extract_from_lines(lines, gazetteer, document_year)


def extract_from_lines(
    lines: list[Line], gazetteer: Gazetteer, document_year: int | None
) -> list[ExtractedFact]:
    # Kazakh written in Latin letters is read in Cyrillic; quotes keep the original.
    read = to_cyrillic_lines(lines)
    return restore_quotes(_extract(read.lines, gazetteer, document_year), read)


def _extract(
    lines: list[Line], gazetteer: Gazetteer, document_year: int | None
) -> list[ExtractedFact]:
    facts: list[ExtractedFact] = []
    # each fact's place in the article and whether it is a part, for finding wholes
    placed: list[tuple[int, bool]] = []
    seen: dict[tuple[object, ...], str | None] = {}
    paragraph = -1
    discourse: Entity | None = None
    last_mention: NumberMention | None = None
    # The thing spoken of last, named or not: what "этот объект" or "для него" refers to.
    previous: _Subject | None = None
    main = _main_subject(lines, gazetteer)
    # "в СЭЗ «Сарыарка» строят завод": the story's project stands in a zone.
    story_in_zone = _title_in_zone(lines)
    opening = next((i for i, line in enumerate(lines) if line.kind is LineKind.BODY), -1)
    # The list being read (its lead line), and what its items measure, by metric and unit.
    list_lead: str | None = None
    list_objects: dict[tuple[str, str], str] = {}
    for sentence in split_sentences(lines):
        if sentence.paragraph != paragraph:
            paragraph, discourse, last_mention = sentence.paragraph, None, None
        if sentence.lead != list_lead:
            list_lead, list_objects = sentence.lead, {}
        words = _words(sentence.text)
        entities = gazetteer.find([lemmas_of(word) for _, word in words])
        entity_offsets = [(words[m.start_token][0], m.entity) for m in entities]
        if not any(ch.isdigit() for ch in sentence.text):
            # no figure here; the sentence still says what the paragraph is about
            discourse = _next_discourse(discourse, entity_offsets, [])
            mentioned = _mentioned(_analyse(sentence.text), entity_offsets, sentence.text)
            previous = mentioned or previous
            continue
        tokens = _analyse(sentence.text)
        referred = previous if _refers_back(tokens) else None
        lemmas = frozenset(t[0] for t in tokens)
        regional = bool(lemmas & REGION_WORDS) or any(e.kind == "region" for _, e in entity_offsets)
        lead_tokens = _analyse(sentence.lead)
        context = lemmas | frozenset(t[0] for t in lead_tokens)
        # a list item is read after the line that leads it: a marker there covers it
        status_tokens = lead_tokens + tokens if LIST_SCOPE else tokens
        mentions = find_numbers(sentence.text, context, before=last_mention)
        # what holds for all the sentence's figures, found once (and only if it has any)
        markers = Markers.of(status_tokens) if mentions else Markers.of([])
        # One reading of the sentence's language: the rules it is read by and the
        # language its figures are stored with.
        lang = sentence_language(sentence.text)
        kazakh = lang == "kk"
        offsets = [token[1] for token in tokens]
        past = bool(mentions) and _has_past(tokens)
        rates = Rates.of(sentence.text) if mentions else Rates.of("")
        breaks = _clause_breaks(sentence.text) if mentions else []
        marks = part_marks(sentence.text) if mentions else []
        priced_goods: str | EllipsisType | None = ...
        per_noun: str | EllipsisType | None = ...
        periods = find_periods(sentence.text, document_year)
        if not periods and sentence.lead:
            periods = [
                PeriodMention(-1, -1, p.period) for p in find_periods(sentence.lead, document_year)
            ]
        facts_here: list[tuple[ExtractedFact, _Subject]] = []
        # where each figure stands in the article, and where a part's marker stands
        placed_here: list[tuple[int, int | None]] = []
        spans = ranges(sentence.text, mentions)
        highs = set(spans.values())
        part_before = False
        for index, mention in enumerate(mentions):
            if index in highs:
                continue  # the high end of a range rides on its low end
            position = _token_at(offsets, mention.number_start)
            period = (
                None
                if mention.change_from
                else _period_for(mention, periods, sentence.text, mentions)
            )
            # a Kazakh clause puts its verb last: the window reaches further after the figure
            window = frozenset(
                t[0] for t in tokens[max(0, position - 7) : position + (9 if kazakh else 5)]
            )
            change = bool(
                CHANGE_BEFORE.search(sentence.text[max(0, mention.start - 40) : mention.start])
            )
            metric = metric_for(mention.unit, mention.noun, context, window, change=change)
            if metric is Metric.PROJECT_COST and any(m.unit == "projects" for m in mentions):
                metric = Metric.PROJECTS_COST  # the sum of the projects the sentence counts
            if mention.change_from:
                status = Status.ACTUAL
            elif mention.change_to:
                status = Status.PLAN
            else:
                status = status_for(
                    status_tokens,
                    len(status_tokens) - len(tokens) + position,
                    period,
                    document_year,
                    # the machines a facility has or will have describe it, like its capacity
                    design=metric in DESIGN_METRICS
                    or (mention.unit == "units" and metric is Metric.COUNT)
                    # "жылына … өндіріледі": a Kazakh present-future with a rate is habitual
                    or (kazakh and rates.rate_of(mention) is not None),
                    kazakh=kazakh,
                    markers=markers,
                )
            # Region-wide sentences and rates speak of the region, not of the paragraph's thing.
            carried = None
            # "прирост в промышленном секторе на 5%": a share or change of a whole sector
            sectoral = mention.unit in {"percent", "times"} and bool(lemmas & SECTOR_WORDS)
            if not regional and not sectoral and metric not in REGION_METRICS:
                carried = _Subject(discourse.name_ru, discourse) if discourse else None
                # a thing the title introduces is the subject of the opening paragraph;
                # a named one, of the whole article
                if (
                    carried is None
                    and main is not None
                    and (main.entity or sentence.paragraph == opening)
                ):
                    carried = main
            clause = _clause_of(breaks, len(sentence.text), mention)
            clause_tokens = tokens[
                bisect_left(offsets, clause[0]) : bisect_left(offsets, clause[1])
            ]
            clause_lemmas = frozenset(t[0] for t in clause_tokens if t[2] != "PUNCT")
            # "…, а всего по области создано 2 800 мест": a clause that speaks of the
            # region and names nothing else gives its figures to the region
            region_clause = bool(clause_lemmas & REGION_WORDS) and not any(
                entity.kind not in GENERAL_KINDS
                for offset, entity in _entities_within(entity_offsets, clause)
            )
            subject = _subject_for(
                mention,
                entity_offsets,
                carried,
                sentence.text,
                tokens,
                gazetteer,
                position=position,
                previous=previous,
                referred=referred,
                clause=clause,
                region_clause=region_clause,
            )
            subject = _sector_of(subject, tokens, position, lemmas)
            if metric is Metric.PRICE and (
                subject.entity is None or subject.entity.kind in GENERAL_KINDS
            ):
                goods = priced_goods = (
                    _priced_goods(tokens, sentence.text) if priced_goods is ... else priced_goods
                )
                subject = _Subject(goods, None) if goods else subject
            if metric in COST_METRICS and status is Status.ACTUAL and not past:
                status = Status.PLAN  # what a project "стоит" is the cost of what is to be built
            unit = mention.unit
            if metric is Metric.PRICE and "/" not in unit:
                per_noun = _per_noun(tokens) if per_noun is ... else per_noun
                unit = f"{unit}/{per_noun}" if per_noun else unit
            entity = subject.entity
            topic = topic_for(
                unit,
                # the region's clause is read alone: the zone named in the other one is not its
                clause_lemmas | frozenset(t[0] for t in lead_tokens) if region_clause else context,
                subject_kind=entity.kind if entity else None,
                subject_topic=entity.topic if entity else None,
                metric=metric,
                noun=mention.noun,
                in_zone=story_in_zone and not regional and _is_project(subject),
            )
            low = mentions[index - 1].end if index else 0
            part = is_part(sentence.text, mention, marks, low) or (
                part_before and index > 0 and mentions[index - 1].unit == mention.unit
            )
            part_before = part
            high = mentions[spans[index]] if index in spans else None
            position_here = sentence.start + mention.start
            placed_here.append(
                (position_here, _part_anchor(sentence, mention, marks, low) if part else None)
            )
            facts_here.append(
                (
                    ExtractedFact(
                        topic=topic,
                        subject=subject.text,
                        entity_key=entity.key if entity else None,
                        metric=metric.value,
                        value=canonical(mention.value),
                        unit=unit,
                        period=period,
                        status=status,
                        qualifier=mention.qualifier,
                        quote=sentence.quote,
                        start=sentence.start,
                        end=sentence.end,
                        lang=lang,
                        object=None
                        if kazakh
                        else object_of(tokens, offsets, position, mention, sentence.text),
                        per="year"
                        if period is not None and period.kind is PeriodKind.PER_YEAR
                        else rates.rate_of(mention),
                        value_max=canonical(high.value) if high is not None else None,
                    ),
                    subject,
                )
            )
        for (fact, about), (position_here, anchor) in zip(facts_here, placed_here, strict=True):
            # An article that repeats its own figure ("ветропарк на 150 МВт") states one fact.
            key = (fact.value, fact.unit, fact.topic, fact.period)
            earlier = seen.get(key, ...)
            if (
                earlier is not ...
                and not about.another
                and (earlier == fact.entity_key or earlier is None or fact.entity_key is None)
            ):
                continue
            seen[key] = fact.entity_key
            if sentence.lead_sentence is not None:  # an item set out as one
                fact = _with_list_object(fact, list_objects)
            if anchor is not None:
                fact = replace(fact, part_of=_whole_of(facts, placed, fact, anchor))
                whole = facts[fact.part_of] if fact.part_of is not None else None
                if whole is not None and whole.status is Status.PLAN and not past:
                    # "3 из них — с иностранным капиталом": a part of a plan is planned
                    # unless its sentence reports something done
                    fact = replace(fact, status=Status.PLAN)
            facts.append(fact)
            placed.append((position_here, fact.part_of is not None or anchor is not None))
        if mentions:
            last_mention = mentions[-1]
        discourse = _next_discourse(discourse, entity_offsets, [fact for fact, _ in facts_here])
        previous = _spoken_of([about for _, about in facts_here]) or previous
    return facts


def _with_list_object(fact: ExtractedFact, objects: dict[tuple[str, str], str]) -> ExtractedFact:
    """A list's items that measure one thing in one unit measure one object ("– 2025 год —
    750 тыс. тонн угля; – 2026 год — 1,3 млн тонн"): an item that names none takes the one
    the item before it named. `objects` is what the list's items named so far."""
    key = (fact.metric, fact.unit)
    if fact.object is None:
        named = objects.get(key)
        return fact if named is None else replace(fact, object=named)
    objects[key] = fact.object
    return fact


# A sector word this many tokens before a figure (or a few after) makes it the sector's.
SECTOR_REACH = 15
SECTORS: dict[str, str] = word_map("subjects", "sectors")
SECTOR_LEMMAS = frozenset(SECTORS)


def _sector_of(
    subject: _Subject, tokens: list[AnalysedToken], position: int, lemmas: frozenset[str]
) -> _Subject:
    """A region's figure whose clause names a sector ("в машиностроении области
    произведено …") is the sector's: the region with the sector beside its name."""
    entity = subject.entity
    if entity is None or entity.kind != "region" or not SECTOR_LEMMAS & lemmas:
        return subject
    for lemma, *_ in tokens[max(0, position - SECTOR_REACH) : position + 5]:
        sector = SECTORS.get(lemma)
        if sector:
            return _Subject(f"{entity.name_ru} ({sector})", entity)
    return subject


# Where one clause of a sentence ends and another begins: a semicolon, or a comma before
# a conjunction of contrast ("…, а всего по области …", "…, тогда как …", "…, ал …").
CLAUSE_BREAK = re.compile(
    r";|,\s*"
    + "(?:"
    + "|".join(
        re.escape(word).replace(r"\ ", r"\s+")
        for word in sorted(plain("subjects", "clause_conjunctions"), key=len, reverse=True)
    )
    + r")(?!\w)",
)
# How far around a figure its clause is looked for.
CLAUSE_REACH = 200


def _entities_within(
    entities: list[tuple[int, Entity]], span: tuple[int, int]
) -> list[tuple[int, Entity]]:
    """The named things whose names start inside `span` (entities come in text order)."""
    starts = [offset for offset, _ in entities]
    return entities[bisect_left(starts, span[0]) : bisect_left(starts, span[1])]


def _clause_breaks(text: str) -> list[int]:
    """Where the sentence's clauses break, found once for all its figures."""
    return [found.start() for found in CLAUSE_BREAK.finditer(normalise(text))]


def _clause_of(breaks: list[int], length: int, mention: NumberMention) -> tuple[int, int]:
    """The offsets of the clause that holds the figure, within the sentence (at most
    CLAUSE_REACH characters to either side)."""
    index = bisect_left(breaks, mention.start)
    start = breaks[index - 1] if index else 0
    after = bisect_left(breaks, mention.end)
    end = breaks[after] if after < len(breaks) else length
    return max(start, mention.start - CLAUSE_REACH), min(end, mention.end + CLAUSE_REACH)


# How many facts back a part looks for its whole.
WHOLE_REACH = 12


def _part_anchor(sentence: Sentence, mention: NumberMention, marks: list[int], low: int) -> int:
    """Where the whole of a part must stand before: the marker ("в том числе", "из них")
    before the figure (the nearest after the figure before it, else any), else the
    figure itself ("3 из них")."""
    index = bisect_left(marks, low)
    if index < len(marks) and marks[index] < mention.start:
        return sentence.start + marks[index]
    before = bisect_left(marks, mention.start)
    return sentence.start + (marks[before - 1] if before else mention.start)


def _whole_of(
    facts: list[ExtractedFact], placed: list[tuple[int, bool]], part: ExtractedFact, anchor: int
) -> int | None:
    """The index of the nearest fact before `anchor` that is not itself a part and
    counts in the same unit (any currency for money)."""
    for index in range(len(facts) - 1, max(-1, len(facts) - 1 - WHOLE_REACH), -1):
        where, is_part_fact = placed[index]
        if where >= anchor or is_part_fact:
            continue
        if _same_kind(facts[index].unit, part.unit):
            return index
    return None


def _same_kind(a: str, b: str) -> bool:
    money = ("KZT", "USD", "EUR", "RUB", "CNY")
    return a == b or (a.startswith(money) and b.startswith(money))


def _title_in_zone(lines: list[Line]) -> bool:
    """The title places the story in a zone."""
    head = [line for line in lines if line.kind is not LineKind.NOISE]
    first_body = next((i for i, line in enumerate(head) if line.kind is LineKind.BODY), 0)
    return any(zone_context(lemmatize(line.text)) for line in head[:first_body])


def _is_project(subject: _Subject) -> bool:
    """A company, a plant, a facility: not a place, not a zone itself."""
    entity = subject.entity
    return bool(subject.text) and (entity is None or entity.kind not in {*GENERAL_KINDS, "zone"})


def _priced_goods(tokens: list[AnalysedToken], text: str) -> str | None:
    """What a price is for: the goods after "за тонну" ("за тонну «орешка»" → "Орешек"),
    else the subject of a verb of selling ("шубаркольский уголь продается по …")."""
    for index, (lemma, *_) in enumerate(tokens):
        if lemma in PRICE_AMOUNTS and index and tokens[index - 1][0] in PER_PREPOSITIONS:
            phrase = _phrase_after(tokens, index + 1, text)
            if phrase:
                return phrase
    for index, (lemma, *_) in enumerate(tokens):
        if lemma in SALE_VERBS:
            phrase = _phrase_before(tokens, index, text)
            if phrase:
                return phrase
    return None


def _surface(text: str, offset: int) -> str:
    match = TOKEN.match(text, offset)
    return match.group() if match else ""


def _phrase_after(tokens: list[AnalysedToken], start: int, text: str) -> str | None:
    """Adjectives and the noun they lead to, in the genitive, as a nominative phrase."""
    words: list[str] = []
    for lemma, offset, pos, grammemes in tokens[start : start + 5]:
        if pos == "PUNCT" and lemma in {"«", "»", '"'}:
            continue
        word = _surface(text, offset)
        if any(p[1] in {"ADJF", "PRTF"} and "gent" in p[2] for p in parses(word)):
            words.append(nominative(word))
            continue
        if pos == "NOUN" and "gent" in grammemes:
            words.append(nominative(word))
            return " ".join(words).capitalize()
        break
    return None


def _phrase_before(tokens: list[AnalysedToken], verb: int, text: str) -> str | None:
    """The nominative noun right before a verb, with its adjectives."""

    def nominative_as(index: int, kinds: set[str]) -> bool:
        word = _surface(text, tokens[index][1])
        return any(p[1] in kinds and "nomn" in p[2] for p in parses(word))

    index = verb - 1
    if index < 0 or not nominative_as(index, {"NOUN"}):
        return None
    words = [_surface(text, tokens[index][1])]
    while index > 0 and nominative_as(index - 1, {"ADJF", "PRTF"}):
        index -= 1
        words.insert(0, _surface(text, tokens[index][1]))
    return " ".join(words).capitalize()


def _refers_back(tokens: list[AnalysedToken]) -> bool:
    """The sentence points at a thing named before: "на этом объекте", "данного
    предприятия", "для него"."""
    for index, (lemma, _, pos, _) in enumerate(tokens):
        if lemma in DEMONSTRATIVES:
            following = [t for t in tokens[index + 1 : index + 3] if t[2] == "NOUN"]
            if following and following[0][0] in REFERRING_NOUNS:
                return True
        if lemma in PRONOUNS and pos == "NPRO" and index and tokens[index - 1][2] == "PREP":
            return True
    return False


def _mentioned(
    tokens: list[AnalysedToken], entities: list[tuple[int, Entity]], text: str
) -> _Subject | None:
    """The thing a sentence without figures brings up: the one named thing it mentions,
    else a facility it introduces, else the one town it names."""
    specific = {e.key: e for _, e in entities if e.kind not in GENERAL_KINDS}
    if len(specific) == 1:
        entity = next(iter(specific.values()))
        return _Subject(entity.name_ru, entity)
    for index, (lemma, offset, pos, _) in enumerate(tokens):
        if pos == "NOUN" and lemma in FACILITY_NOUNS:
            if index and tokens[index - 1][0] in DEMONSTRATIVES:
                return None  # it speaks of the thing before
            return _Subject(facility_label(lemma, text, offset), None)
    towns = {e.key: e for _, e in entities if e.kind != "region"}
    if len(towns) == 1:
        entity = next(iter(towns.values()))
        return _Subject(entity.name_ru, entity)
    return None


def _spoken_of(subjects: list[_Subject]) -> _Subject | None:
    """The subject of a sentence's last figure, unless that is the region as a whole."""
    if not subjects or not subjects[-1].text:
        return None
    last = subjects[-1]
    return None if last.entity is not None and last.entity.key == REGION_KEY else last


def _analyse(text: str | None) -> list[AnalysedToken]:
    if not text:
        return []
    if is_kazakh(text):
        return _analyse_kazakh(text)
    result: list[AnalysedToken] = []
    for match in TOKEN.finditer(text):
        word = match.group()
        if not word[0].isalnum():
            result.append((word, match.start(), "PUNCT", frozenset()))
            continue
        if word[0].isdigit():
            result.append((word, match.start(), "NUMB", frozenset()))
            continue
        lemma, pos, grammemes = parses(word)[0]
        result.append((lemma, match.start(), pos, grammemes))
    return result


def _analyse_kazakh(text: str) -> list[AnalysedToken]:
    """Kazakh words as the stems the vocabularies know ("жобаларды" → "жоба"; "жұмыс
    орнын" → "жұмыс орн" on its first word), and verbs with the tense of their ending."""
    matches = list(TOKEN.finditer(text))
    result: list[AnalysedToken] = []
    for index, match in enumerate(matches):
        word = match.group()
        if not word[0].isalnum():
            result.append((word, match.start(), "PUNCT", frozenset()))
            continue
        if word[0].isdigit():
            result.append((word, match.start(), "NUMB", frozenset()))
            continue
        folded = normalise(word)
        following = matches[index + 1].group() if index + 1 < len(matches) else ""
        stem = kazakh_stem(f"{folded} {normalise(following)}") if following else None
        if stem is None or " " not in stem:
            stem = kazakh_stem(folded)
        tense = kazakh_tense(folded)
        pos = "VERB" if tense else "NOUN"
        grammemes = frozenset({tense}) if tense else frozenset()
        result.append((stem or folded, match.start(), pos, grammemes))
    return result


def _words(text: str) -> list[tuple[int, str]]:
    """Word tokens with their offsets, split as the gazetteer's names are."""
    return [(m.start(), m.group()) for m in WORD_TOKEN.finditer(text)]


def _token_at(offsets: list[int], offset: int) -> int:
    """The first token at or after `offset` (`offsets` are the tokens' starts, in order)."""
    index = bisect_left(offsets, offset)
    return index if index < len(offsets) else max(0, len(offsets) - 1)


def _period_for(
    mention: NumberMention,
    periods: list[PeriodMention],
    text: str,
    mentions: list[NumberMention],
) -> Period | None:
    """The period that governs a figure: one right after it ("… вложено в 2024 году"),
    else the nearest one before it (a sentence-initial "В 2025 году" covers what
    follows), else one after it with no other figure in between."""
    if not periods:
        return None
    if periods[0].start < 0:  # from the lead of a list
        return periods[0].period
    after = [p for p in periods if p.start >= mention.end]
    before = [p for p in periods if p.end <= mention.start]
    dated = [p for p in after if p.period.kind is not PeriodKind.PER_YEAR]
    for found in dated[:1]:
        gap = text[mention.end : found.start]
        if len(gap) <= 30 and not re.search(r"[;,:]|\s[—–]\s", gap):
            return found.period
    dated_before = [p for p in before if p.period.kind is not PeriodKind.PER_YEAR]
    if dated_before:
        return dated_before[-1].period
    for found in dated:
        if not any(mention.end <= other.start < found.start for other in mentions):
            return found.period
        break
    for found in after:
        if found.period.kind is PeriodKind.PER_YEAR and found.start - mention.end <= 30:
            return found.period
    return None


PER_UNIT_NOUNS: dict[str, str] = word_map("subjects", "price", "per_unit")


def _per_noun(tokens: list[AnalysedToken]) -> str | None:
    """A price whose sentence speaks of one tonne (litre, …) is a price per that unit:
    "тонна угля обходится в 19 тыс. тг", "за тонну просят до 24 тыс. тенге"."""
    for index, (lemma, _offset, pos, grammemes) in enumerate(tokens):
        per = PER_UNIT_NOUNS.get(lemma)
        after_for = index > 0 and tokens[index - 1][0] in PER_PREPOSITIONS  # "за килограмм"
        if per and pos == "NOUN" and ("sing" in grammemes or after_for):
            return str(per)
    return None


def _has_past(tokens: list[AnalysedToken]) -> bool:
    """A verb in the past ("обошелся", "вложено"), not one made future by "будет"."""
    future = False
    for lemma, _, pos, grammemes in tokens:
        if pos in {"VERB", "PRTS"} and "past" in grammemes and not future:
            return True
        if pos != "PUNCT":
            future = lemma in FUTURE_AUXILIARY and "futr" in grammemes
    return False


def canonical(value: Decimal) -> Decimal:
    """An exact decimal without exponent or trailing zeros: 1.6E+12 → 1600000000000."""
    if value == value.to_integral_value():
        return Decimal(int(value))
    return value.normalize()


def _main_subject(lines: list[Line], gazetteer: Gazetteer) -> _Subject | None:
    """What the article is about: the one thing its title names, else the one thing
    its first paragraph names, else a thing its title introduces ("построят завод …")."""
    head = [line for line in lines if line.kind is not LineKind.NOISE]
    first_body = next((i for i, line in enumerate(head) if line.kind is LineKind.BODY), None)
    if first_body is None:
        return None
    titles = head[:first_body]
    for part in (titles, head[first_body : first_body + 1]):
        named = {
            m.entity.key: m.entity
            for line in part
            for m in gazetteer.find_in(line.text)
            if m.entity.kind not in GENERAL_KINDS
        }
        if len(named) == 1:
            entity = next(iter(named.values()))
            return _Subject(entity.name_ru, entity)
    for line in titles:
        for lemma, offset, pos, _ in _analyse(line.text):
            if pos == "NOUN" and lemma in FACILITY_NOUNS:
                return _Subject(facility_label(lemma, line.text, offset), None)
    return None


def _next_discourse(
    current: Entity | None, entities: list[tuple[int, Entity]], facts: list[ExtractedFact]
) -> Entity | None:
    """What the paragraph speaks of after this sentence: the subject its figures had,
    else the one named thing it mentions; a list of several names says nothing."""
    keyed = {f.entity_key for f in facts if f.entity_key}
    for _, entity in entities:
        if entity.key in keyed and entity.kind not in GENERAL_KINDS:
            return entity
    specific = {e.key: e for _, e in entities if e.kind not in GENERAL_KINDS}
    if len(specific) == 1:
        return next(iter(specific.values()))
    if len(specific) > 1:
        return None
    return current


def _subject_for(
    mention: NumberMention,
    entities: list[tuple[int, Entity]],
    carried: _Subject | None,
    text: str,
    tokens: list[AnalysedToken],
    gazetteer: Gazetteer,
    *,
    position: int,
    previous: _Subject | None = None,
    referred: _Subject | None = None,
    clause: tuple[int, int] | None = None,
    region_clause: bool = False,
) -> _Subject:
    """The figure's subject: a named thing near it, the thing the sentence points back
    at, a thing the sentence introduces, what the paragraph or the article is about, a
    name in quotes, a town, the region."""
    specific = [(offset, e) for offset, e in entities if e.kind not in GENERAL_KINDS]
    if clause is not None:
        # a thing named in the figure's own clause comes before one named in another
        own = [(o, e) for o, e in _entities_within(entities, clause) if e.kind not in GENERAL_KINDS]
        specific = own or ([] if region_clause else specific)
    if specific:
        _, entity = min(specific, key=lambda item: _distance(item[0], mention))
        return _Subject(entity.name_ru, entity)
    if region_clause:
        towns = _entities_within(entities, clause) if clause else []
        place = min(towns, key=lambda item: _distance(item[0], mention))[1] if towns else None
        region = place or gazetteer.get(REGION_KEY)
        if region is not None:
            return _Subject(region.name_ru, region)
    if referred is not None:
        return referred
    introduced = _facility_before(tokens, position, mention, text)
    if introduced is not None:
        noun = introduced.subject.text.split()[0].lower()
        if carried is not None and noun in _subject_lemmas(carried):
            return carried  # "аэропорт" in a paragraph about the airport
        if introduced.bare and previous is not None:
            return previous  # "будущей станции", "на станции": the one just spoken of
        return introduced.subject
    if carried is not None:
        return carried
    named = _named_subject(text, mention)
    if named is not None:
        return _Subject(named, None)
    general = [(offset, e) for offset, e in entities if e.kind in {"town", "district"}]
    if general:
        _, entity = min(general, key=lambda item: _distance(item[0], mention))
        return _Subject(entity.name_ru, entity)
    region = gazetteer.get(REGION_KEY)
    if region is not None:
        return _Subject(region.name_ru, region)
    return _Subject("", None)


# Common nouns that name a thing of each kind: "линия" can be the railway the
# paragraph speaks of, "аэропорт" the airport.
KIND_NOUNS = {
    kind: plain("subjects", "kind_nouns", kind) for kind in entry("subjects", "kind_nouns")
}


@cache
def _subject_lemmas(subject: _Subject) -> frozenset[str]:
    entity = subject.entity
    if entity is None:
        return frozenset(lemmatize(subject.text))
    names = frozenset(lemma for name in entity.all_names for lemma in lemmatize(name))
    return names | KIND_NOUNS.get(entity.kind, frozenset())


@dataclass(frozen=True, slots=True)
class _Introduced:
    """A thing named by a common noun before a figure."""

    subject: _Subject
    bare: bool  # only the noun ("на станции", "будущей станции"): it refers back


def _is_route(tokens: list[AnalysedToken], index: int) -> bool:
    """The noun at `index`, with its adjectives, follows a preposition of a route."""
    before = index - 1
    while before >= 0 and tokens[before][2] in {"ADJF", "PRTF"}:
        before -= 1
    return before >= 0 and tokens[before][0] in ROUTE_PREPOSITIONS


def _facility_before(
    tokens: list[AnalysedToken], position: int, mention: NumberMention, text: str
) -> _Introduced | None:
    """A thing the sentence introduces close before the figure at token `position`
    ("ветроэлектростанции мощностью 150 МВт")."""
    for index in range(min(position, len(tokens) - 1), -1, -1):
        lemma, offset, pos, _ = tokens[index]
        if mention.start - offset > 90:
            return None
        if offset >= mention.start or pos != "NOUN" or lemma not in FACILITY_NOUNS:
            continue
        if index and tokens[index - 1][2] == "NUMB":
            continue  # "2 шахты": counted things, not the subject
        if _is_route(tokens, index):
            continue  # "по железной дороге": the way goods go, not the subject
        label = facility_label(lemma, text, offset)
        word, _, word_pos, grammemes = tokens[index - 1] if index else ("", 0, None, frozenset())
        another = "Anum" in grammemes or word in ANOTHER_ADJECTIVES
        described = word_pos in {"ADJF", "PRTF"} and word not in BACK_ADJECTIVES
        bare = label.casefold() == lemma and not described and not another
        return _Introduced(_Subject(label, None, another), bare)
    return None


# How far from a figure a name in quotes may stand and still be its subject.
NAME_REACH = 80
# Parts of speech that end a facility's name: the sentence goes on from there.
LABEL_ENDS = frozenset(
    {"VERB", "INFN", "PRTS", "GRND", "CONJ", "PRCL", "ADVB", "ADJS", "NUMR", "PRED"}
)
LABEL_STOP = re.compile(r"[,.;:!?()—–]|\s[-–—]\s")


def facility_label(lemma: str, text: str, offset: int) -> str:
    """The noun in its dictionary form with the words that describe it:
    "завод по выпуску кабельной продукции", "станция «Мойынты»"."""
    rest = text[offset : offset + 200].split(maxsplit=1)
    tail = rest[1] if len(rest) > 1 else ""
    stop = LABEL_STOP.search(tail)
    words = []
    for word in (tail[: stop.start()] if stop else tail).split()[:6]:
        bare = word.strip('«»"')
        if bare and bare[0].isalpha() and parses(bare)[0][1] in LABEL_ENDS:
            break
        words.append(word)
    # "склад региона на …": a preposition whose object fell outside is no part of the name
    while words and parses(words[-1].strip('«»"'))[0][1] == "PREP":
        words.pop()
    label = " ".join([lemma.capitalize(), *words]).strip()
    if label.count("«") != label.count("»"):
        label = label.replace("«", "").replace("»", "")
    return label


def _distance(offset: int, mention: NumberMention) -> float:
    if offset < mention.start:
        return mention.start - offset
    return (offset - mention.end) * 1.5


def _named_subject(text: str, mention: NumberMention) -> str | None:
    """A name in quotes or Latin letters that starts within 80 characters of the figure."""
    best: tuple[float, str] | None = None
    low = max(0, mention.start - NAME_REACH)
    for match in NAME_CANDIDATE.finditer(text, low, mention.start + NAME_REACH + 1):
        name = (match.group(1) or match.group(2) or "").strip()
        if len(name) < 3 or NOT_SUBJECTS.search(name):
            continue
        if REPORTED_BY.search(text[max(0, match.start() - 30) : match.start()]):
            continue
        distance = abs(match.start() - mention.start)
        if distance <= 80 and (best is None or distance < best[0]):
            best = (distance, name)
    return best[1] if best else None
