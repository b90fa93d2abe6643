"""Search text: what a fact is found by, and what a user's words ask for.

Both sides go through the same analysis, so they meet on the same terms:

- Russian words as themselves and as their pymorphy3 lemmas ("Сарани" → "сарань",
  "инвестиций" → "инвестиция"), ё folded to е;
- Kazakh words as themselves and as a light stem with the common plural, possessive
  and case endings removed ("аймағы" → "аймақ", "орындары" → "орын");
- names through the gazetteer: a fact about an entity is found by every name the
  gazetteer knows for it (Russian, Kazakh, Latin, aliases), whatever the quote says;
- metric labels and topic words in both languages, so "рабочие места" or
  "жұмыс орындары" find the jobs figures.

A fact becomes a `SearchDocument` of a few fields; a query becomes a `SearchQuery`:
groups of alternative terms, every group to be matched. Turning these into a
database's full-text syntax is the store's business (`bot.storage.fulltext`); here
the same semantics run in memory too (`match_facts`), for tests and small lists.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from bot.domain import Fact, Topic
from bot.pipeline.gazetteer import Entity, Gazetteer, load_gazetteer
from bot.pipeline.morph import fold, lemma, lemmas_of, tokens

if TYPE_CHECKING:
    from aiogram.utils.i18n import I18n

# The fields of a fact's search document, strongest first.
SUBJECT = "subject"  # the fact's subject and every name of its entity
METRIC = "metric"  # the metric's labels
TOPIC = "topic"  # the topic's labels and words
QUOTE = "quote"  # the sentence, as written (ё folded)
LEMMAS = "lemmas"  # the lemmas of the sentence's words, where they differ from them
FIELDS = (SUBJECT, METRIC, TOPIC, QUOTE, LEMMAS)
# Kazakh stems are only ever added to the short fields, where Kazakh text lives.
KAZAKH_FIELDS = frozenset({SUBJECT, METRIC, TOPIC})

# Telegram's inline queries are at most 256 characters; nothing longer is searched.
QUERY_LIMIT = 256
# The words of a query that count; more only slow the search down.
MAX_GROUPS = 12

STOP_WORDS = frozenset(
    {
        # Russian prepositions, conjunctions, particles and question words
        "и", "в", "во", "на", "по", "о", "об", "обо", "с", "со", "за", "до", "для", "к", "ко",
        "от", "из", "у", "а", "но", "или", "как", "что", "чем", "сколько", "какой", "какая",
        "какие", "каких", "где", "когда", "про", "ли", "же", "бы", "не", "это", "то", "там",
        "всё", "все", "ещё", "уже", "при", "под", "над", "между", "через",
        # Kazakh conjunctions, postpositions and question words
        "және", "мен", "бен", "пен", "да", "де", "та", "те", "қанша", "қандай", "қай", "қайда",
        "туралы", "үшін", "бойынша", "ма", "ме", "ба", "бе", "па", "пе", "бұл", "сол",
        # English
        "the", "of", "in", "on", "and", "or", "to", "a", "an", "how", "much", "many", "what",
    }
)  # fmt: skip

# Endings removed from Kazakh words, longest first at every step. Single letters are
# limited to the third-person possessive, which is what names and labels carry.
KAZAKH_SUFFIXES = tuple(
    sorted(
        {
            # plural
            "лар", "лер", "дар", "дер", "тар", "тер",
            # possessive
            "ымыз", "іміз", "мыз", "міз", "ыңыз", "іңіз", "ңыз", "ңіз", "сы", "сі", "ы", "і",
            # genitive, dative, accusative
            "ның", "нің", "дың", "дің", "тың", "тің", "ға", "ге", "қа", "ке", "на", "не",
            "ды", "ді", "ты", "ті", "ны", "ні",
            # locative, ablative, instrumental
            "нда", "нде", "да", "де", "та", "те", "дан", "ден", "тан", "тен", "нан", "нен",
            "ндағы", "ндегі", "дағы", "дегі", "тағы", "тегі", "мен", "бен", "пен",
            # adjectives of relation: "индустриялық" → "индустрия"
            "лық", "лік", "дық", "дік", "тық", "тік",
        },
        key=len,
        reverse=True,
    )
)  # fmt: skip
KAZAKH_STEM_MIN = 3  # one more after a one-letter ending
# A voiced final consonant goes back to its dictionary form: "аймағы" → "аймақ".
KAZAKH_FINALS = {"ғ": "қ", "г": "к", "б": "п"}

# Words people use for a topic beyond its labels: Russian, then Kazakh.
TOPIC_WORDS: dict[Topic, tuple[tuple[str, ...], tuple[str, ...]]] = {
    Topic.INVESTMENTS: (
        ("инвестиции", "инвестиционный", "вложения", "инвестпроекты", "капиталовложения"),
        ("инвестиция", "инвестициялар", "салым", "салымдар"),
    ),
    Topic.ZONES: (
        ("зона", "СЭЗ", "индустриальная зона", "промзона", "индустриальный парк",
         "промышленный парк"),
        ("аймақ", "АЭА", "индустриялық аймақ", "өнеркәсіптік парк"),
    ),
    Topic.CARGO: (
        ("грузы", "грузоперевозки", "логистика", "перевозки", "транзит", "транспорт"),
        ("жүк", "жүк тасымалы", "тасымал", "логистика", "көлік"),
    ),
    Topic.PRODUCTION: (
        ("производство", "промышленность", "выпуск", "продукция", "заводы"),
        ("өндіріс", "өнеркәсіп", "өнім", "зауыт"),
    ),
    Topic.JOBS: (
        ("рабочие места", "занятость", "работа", "трудоустройство"),
        ("жұмыс орындары", "жұмыс", "жұмыспен қамту"),
    ),
    Topic.OTHER: ((), ()),
}  # fmt: skip

# Letters only Kazakh has among the Cyrillic ones.
_KAZAKH = re.compile("[әғқңөұүһі]")
_CYRILLIC = re.compile("[а-яәғқңөұүһі]")


# ---- words ----------------------------------------------------------------------


def is_kazakh(word: str) -> bool:
    """Written with a letter only Kazakh has (of lower-case text)."""
    return _KAZAKH.search(word) is not None


def is_cyrillic(word: str) -> bool:
    return _CYRILLIC.search(word) is not None


@cache
def kazakh_stems(word: str) -> tuple[str, ...]:
    """A Kazakh word without its common endings, every way they can be read:
    "инвестициялар" → ("инвестиция",); "өндірісі" → ("өндіріс", "өндірі", "өндір")."""
    folded = fold(word)
    found: dict[str, None] = {}
    pending = [folded]
    while pending:
        stem = pending.pop()
        for suffix in KAZAKH_SUFFIXES:
            rest = len(stem) - len(suffix)
            if not stem.endswith(suffix) or rest < KAZAKH_STEM_MIN + (len(suffix) == 1):
                continue
            shorter = stem[: -len(suffix)]
            if shorter not in found:
                found[shorter] = None
                pending.append(shorter)
    stems = {_dictionary_final(stem) for stem in found} or {folded}
    return tuple(sorted(stems, key=lambda s: (-len(s), s)))


def _dictionary_final(stem: str) -> str:
    final = KAZAKH_FINALS.get(stem[-1:])
    return stem[:-1] + final if final else stem


def words_of(text: str) -> list[str]:
    """The words of a text, lower case with ё folded, each a run of letters or digits
    that any full-text tokenizer keeps whole. (Lower-casing comes first: it may turn
    one letter into a letter and a combining mark, "İ" → "i̇", and split a word.)"""
    return tokens(fold(unicodedata.normalize("NFKC", text)))


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(item for item in items if item))


def _analysed(text: str, *, kazakh: bool) -> list[str]:
    """The terms of a short text (a name, a label): Russian words as their lemmas only,
    since a query always looks for the lemmas of its words too; Kazakh words as
    written and as their stems."""
    terms = []
    for word in words_of(text):
        if word in STOP_WORDS:
            continue
        if kazakh or is_kazakh(word):
            terms.append(word)
            terms.extend(kazakh_stems(word))
        else:
            terms.append(_lemma(word))
    return terms


@lru_cache(maxsize=200_000)
def _lemma(word: str) -> str:
    """A word's lemma when it is Russian (or looks it), else the word itself."""
    if not is_cyrillic(word):
        return word
    normal = lemma(word)
    return normal if normal.isalnum() else word


# ---- documents ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SearchDocument:
    """What one fact is found by, field by field (words separated by spaces)."""

    subject: str
    metric: str
    topic: str
    quote: str
    lemmas: str

    def field(self, name: str) -> str:
        return str(getattr(self, name))


def fact_document(
    *,
    topic: Topic | str,
    subject: str,
    entity_key: str | None,
    metric: str,
    quote: str,
    gazetteer: Gazetteer | None = None,
) -> SearchDocument:
    """The search document of one fact."""
    entity = (gazetteer or load_gazetteer()).get(entity_key)
    words, lemmas = quote_terms(quote)
    return SearchDocument(
        subject=_subject_terms(subject, entity),
        metric=_metric_terms(metric),
        topic=_topic_terms(Topic(topic)),
        quote=" ".join(words),
        lemmas=" ".join(lemmas),
    )


def quote_terms(quote: str) -> tuple[list[str], list[str]]:
    """A sentence's words, and the lemmas of those whose lemma is another word."""
    words = words_of(quote)
    return words, [normal for word in words if (normal := _lemma(word)) != word]


def document_of(fact: Fact, gazetteer: Gazetteer | None = None) -> SearchDocument:
    return fact_document(
        topic=fact.topic,
        subject=fact.subject,
        entity_key=fact.entity_key,
        metric=fact.metric,
        quote=fact.quote,
        gazetteer=gazetteer,
    )


@lru_cache(maxsize=50_000)
def _subject_terms(subject: str, entity: Entity | None) -> str:
    terms = _analysed(subject, kazakh=False)
    if entity is not None:
        terms += _analysed(entity.name_ru, kazakh=False) + _analysed(entity.name_kk, kazakh=True)
        for alias in entity.aliases:
            terms += _analysed(alias, kazakh=False)
    return " ".join(_unique(terms))


@cache
def _metric_terms(metric: str) -> str:
    from bot.render.labels import metric_label

    terms = _analysed(metric.replace("_", " "), kazakh=False)
    for language, label in _labels(metric_label, metric):
        terms.extend(_analysed(label, kazakh=language == "kk"))
    return " ".join(_unique(terms))


@cache
def _topic_terms(topic: Topic) -> str:
    from bot.render.labels import topic_label

    terms = []
    for language, label in _labels(topic_label, topic):
        terms.extend(_analysed(label, kazakh=language == "kk"))
    russian, kazakh = TOPIC_WORDS.get(topic, ((), ()))
    for word in russian:
        terms.extend(_analysed(word, kazakh=False))
    for word in kazakh:
        terms.extend(_analysed(word, kazakh=True))
    return " ".join(_unique(terms))


def _labels(label: object, key: object) -> list[tuple[str, str]]:
    """A label in every language, from the compiled catalogs."""
    from bot.render.i18n import LANGUAGES

    i18n = _catalogs()
    if i18n is None:
        return []
    found = []
    with i18n.context():
        for language in LANGUAGES:
            with i18n.use_locale(language):
                found.append((language, label(key)))  # type: ignore[operator]
    return found


@cache
def _catalogs() -> I18n | None:
    from bot.render.i18n import create_i18n

    try:
        return create_i18n()
    except RuntimeError:  # catalogs not compiled: labels are left out
        return None


# ---- queries --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Term:
    """One word to look for, in the given fields (None: in any)."""

    text: str
    fields: frozenset[str] | None = None


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """Groups of alternatives; a fact matches when it matches one term of every group."""

    groups: tuple[tuple[Term, ...], ...]

    def __bool__(self) -> bool:
        return bool(self.groups)


def parse_query(text: str, language: str = "ru") -> SearchQuery:
    """A user's words as terms; punctuation, operators and symbols are only separators."""
    groups: list[tuple[Term, ...]] = []
    seen: set[str] = set()
    for word in words_of(text[:QUERY_LIMIT]):
        if word in seen or word in STOP_WORDS or (len(word) < 2 and not word.isdigit()):
            continue
        seen.add(word)
        groups.append(word_terms(word, language))
        if len(groups) == MAX_GROUPS:
            break
    return SearchQuery(tuple(groups))


def word_terms(word: str, language: str = "ru") -> tuple[Term, ...]:
    """The alternatives one query word stands for."""
    terms = [Term(word)]
    if is_cyrillic(word):
        terms.extend(Term(normal) for normal in sorted({_lemma(word), *lemmas_of(word)}))
        if language == "kk" or is_kazakh(word):
            terms.extend(Term(stem, KAZAKH_FIELDS) for stem in kazakh_stems(word) if stem != word)
    anywhere = {term.text for term in terms if term.fields is None}
    unique: dict[str, Term] = {}
    for term in terms:
        if term.text.isalnum() and (term.fields is None or term.text not in anywhere):
            unique.setdefault(term.text, term)
    return tuple(unique.values())


# ---- in memory ------------------------------------------------------------------

# How much a match in each field counts when ranking in memory.
FIELD_WEIGHTS = {SUBJECT: 10.0, METRIC: 6.0, TOPIC: 3.0, QUOTE: 2.0, LEMMAS: 1.0}


def matches(document: SearchDocument, query: SearchQuery) -> float:
    """How well a document matches (0: it does not): every group must match."""
    fields = {name: set(document.field(name).split()) for name in FIELDS}
    score = 0.0
    for group in query.groups:
        best = 0.0
        for term in group:
            for name in term.fields or FIELDS:
                if term.text in fields[name]:
                    best = max(best, FIELD_WEIGHTS[name])
        if not best:
            return 0.0
        score += best
    return score


def query_terms(text: str, gazetteer: Gazetteer) -> tuple[set[str], list[str]]:
    """The entity keys a query names and the lemmas of its other words."""
    words = tokens(text[:QUERY_LIMIT])
    mentions = gazetteer.find_in(" ".join(words))
    covered = {i for m in mentions for i in range(m.start_token, m.end_token)}
    lemmas = [
        _lemma(fold(word))
        for i, word in enumerate(words)
        if i not in covered and fold(word) not in STOP_WORDS and len(word) > 1
    ]
    return {m.entity.key for m in mentions}, [w for w in lemmas if w not in STOP_WORDS]


def match_facts(
    facts: Iterable[Fact], text: str, gazetteer: Gazetteer, *, language: str = "ru"
) -> list[Fact]:
    """The facts matching the query, best first (the given order among equals)."""
    query = parse_query(text, language)
    if not query:
        return []
    scored = [(matches(document_of(f, gazetteer), query), i, f) for i, f in enumerate(facts)]
    return [fact for score, _i, fact in sorted(scored, key=lambda s: (-s[0], s[1])) if score]
