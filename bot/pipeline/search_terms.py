"""Search text: what a fact is found by, and what a user's words ask for.

Both sides go through the same analysis, so they meet on the same terms:

- Russian words as themselves and as their pymorphy3 lemmas ("Сарани" → "сарань",
  "инвестиций" → "инвестиция"), ё folded to е;
- Kazakh words as themselves and as a light stem with the common plural, possessive
  and case endings removed ("аймағы" → "аймақ", "орындары" → "орын");
- names through the gazetteer: a fact about an entity is found by every name the
  gazetteer knows for it (Russian, Kazakh, Latin, aliases), whatever the quote says;
- metric labels and topic words in both languages, so "рабочие места" or
  "жұмыс орындары" find the jobs figures (the labels come from the catalogs, handed in
  as `IndexLabels`: a missing catalog is an error, never a quieter index);
- every term with its Kazakh letters folded (`plain`: Теміртау = Темиртау) and Latin
  words spelt in Cyrillic too (Qarmet = кармет);
- a query word also as its equivalents in the other language (`bilingual`, from
  `data/vocab/bilingual.toml`: көмір = уголь);
- years, plan words and topic words of a query as filters (`Filters`), and names
  with a typo corrected against the gazetteer's (`corrected_name`, with rapidfuzz).

A fact becomes a `SearchDocument` of a few fields; a query becomes a `SearchQuery`:
groups of alternative terms, every group to be matched, and its filters. Turning these into a
database's full-text syntax is the store's business (`bot.storage.fulltext`); here
the same semantics run in memory too (`match_facts`), for tests and small lists.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import product
from typing import TypeVar

from bot.domain import Fact, Status, Topic
from bot.pipeline import endings as kazakh_endings
from bot.pipeline.gazetteer import Entity, Gazetteer, load_gazetteer
from bot.pipeline.morph import WORD_CACHE, fold, lemma, lemmas_of, tokens
from bot.pipeline.vocabulary import entry, word_map, words

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


@cache
def stop_words() -> frozenset[str]:
    """Words never searched for, in names and labels as in queries
    (`data/vocab/search.toml`, `[stop]`)."""
    return frozenset(
        word for language in ("ru", "kk", "en") for word in words("search", "stop", language)
    )


@cache
def query_stop_words() -> frozenset[str]:
    """Words a query is left without: the stop words and the words of asking
    ("покажи", "данные")."""
    return stop_words() | words("search", "stop", "query")


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


@cache
def topic_vocabulary() -> dict[Topic, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Words people use for a topic beyond its labels, Russian then Kazakh
    (`data/vocab/search.toml`, `[topic_words]`)."""
    table = entry("search", "topic_words")

    def listed(topic: Topic, language: str) -> tuple[str, ...]:
        return tuple(str(word) for word in table.get(topic.value, {}).get(language, ()))

    return {topic: (listed(topic, "ru"), listed(topic, "kk")) for topic in Topic}


T = TypeVar("T")

# Letters only Kazakh has among the Cyrillic ones.
_KAZAKH = re.compile("[әғқңөұүһі]")
_CYRILLIC = re.compile("[а-яәғқңөұүһі]")


# ---- words ----------------------------------------------------------------------


def is_kazakh(word: str) -> bool:
    """Written with a letter only Kazakh has (of lower-case text)."""
    return _KAZAKH.search(word) is not None


def is_cyrillic(word: str) -> bool:
    return _CYRILLIC.search(word) is not None


@lru_cache(maxsize=WORD_CACHE)
def kazakh_stems(word: str) -> tuple[str, ...]:
    """A Kazakh word without its common endings, every way they can be read:
    "инвестициялар" → ("инвестиция",); "өндірісі" → ("өндіріс", "өндірі", "өндір")."""
    return _stems(fold(word), KAZAKH_SUFFIXES)


@lru_cache(maxsize=WORD_CACHE)
def plain_kazakh_stems(word: str) -> tuple[str, ...]:
    """The stems of a Kazakh word typed without its letters ("жумыссыздык" for
    "жұмыссыздық"), its endings read in the same letters: as `kazakh_stems` would give
    them, folded by `plain` ("жумыссыз")."""
    suffixes = tuple(sorted({plain(suffix) for suffix in KAZAKH_SUFFIXES}, key=len, reverse=True))
    return tuple(_unique(plain(stem) for stem in _stems(plain(fold(word)), suffixes)))


def _stems(folded: str, suffixes: Sequence[str]) -> tuple[str, ...]:
    found: dict[str, None] = {}
    pending = [folded]
    while pending:
        stem = pending.pop()
        for suffix in suffixes:
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
        if word in stop_words():
            continue
        if kazakh or is_kazakh(word):
            terms.append(word)
            terms.extend(kazakh_stems(word))
        else:
            terms.append(_lemma(word))
    return terms


@lru_cache(maxsize=WORD_CACHE)
def _lemma(word: str) -> str:
    """A word's lemma when it is Russian (or looks it), else the word itself."""
    if not is_cyrillic(word):
        return word
    normal = lemma(word)
    return normal if normal.isalnum() else word


# ---- documents ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class IndexLabels:
    """The labels of every metric and topic in every language, as the index needs them:
    a fact is found by its metric's and topic's names in both languages. Built from the
    catalogs by whoever builds the index (`index_labels`), never loaded behind its back."""

    metrics: Mapping[str, tuple[tuple[str, str], ...]]  # metric → ((language, label), …)
    topics: Mapping[Topic, tuple[tuple[str, str], ...]]


@cache
def index_labels() -> IndexLabels:
    """Every metric's and topic's name in both languages, from the reference data: the
    measures' labels (`data/vocab/measures.toml`) and the topics' names
    (`data/vocab/topics.toml`). The index needs no catalogs and no i18n context."""
    from bot.pipeline.measures import LANGUAGES, measure_rows
    from bot.pipeline.vocabulary import entry

    metrics = {
        key: tuple((language, str(row[f"label_{language}"])) for language in LANGUAGES)
        for key, row in measure_rows().items()
    }
    topics = {
        topic: tuple(
            (language, name)
            for language in LANGUAGES
            for name in entry("topics", "names", topic.value, language)
        )
        for topic in Topic
    }
    return IndexLabels(metrics=metrics, topics=topics)


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
    labels: IndexLabels,
    gazetteer: Gazetteer | None = None,
) -> SearchDocument:
    """The search document of one fact; every term with its letters folded (`plain`)."""
    entity = (gazetteer or load_gazetteer()).get(entity_key)
    words, lemmas = quote_terms(quote)
    return SearchDocument(
        subject=_subject_terms(subject, entity),
        metric=_metric_terms(metric, labels.metrics.get(metric, ())),
        topic=_topic_terms(Topic(topic), labels.topics.get(Topic(topic), ())),
        quote=" ".join(plain(word) for word in words),
        lemmas=" ".join(plain(word) for word in lemmas),
    )


def quote_terms(quote: str) -> tuple[list[str], list[str]]:
    """A sentence's words, and the lemmas of those whose lemma is another word (for
    Kazakh words, their stems)."""
    words = words_of(quote)
    lemmas: list[str] = []
    for word in words:
        if is_kazakh(word):
            lemmas.extend(stem for stem in kazakh_stems(word) if stem != word)
        elif (normal := _lemma(word)) != word:
            lemmas.append(normal)
    return words, lemmas


def document_of(
    fact: Fact, labels: IndexLabels, gazetteer: Gazetteer | None = None
) -> SearchDocument:
    return fact_document(
        topic=fact.topic,
        subject=fact.subject,
        entity_key=fact.entity_key,
        metric=fact.metric,
        quote=fact.quote,
        labels=labels,
        gazetteer=gazetteer,
    )


@lru_cache(maxsize=50_000)
def _subject_terms(subject: str, entity: Entity | None) -> str:
    terms = _analysed(subject, kazakh=False)
    if entity is not None:
        terms += _analysed(entity.name_ru, kazakh=False) + _analysed(entity.name_kk, kazakh=True)
        for alias in entity.aliases:
            terms += _analysed(alias, kazakh=False)
    terms += [spelling for term in terms for spelling in transliterations(term)]
    return " ".join(_unique(plain(term) for term in terms))


@lru_cache(maxsize=1024)
def _metric_terms(metric: str, labels: tuple[tuple[str, str], ...]) -> str:
    terms = _analysed(metric.replace("_", " "), kazakh=False)
    for language, label in labels:
        terms.extend(_analysed(label, kazakh=language == "kk"))
    return " ".join(_unique(plain(term) for term in terms))


def topic_field_words(labels: IndexLabels, topic: Topic | None = None) -> frozenset[str]:
    """The words a fact's topic field holds: for `topic`, or for any topic."""
    topics = tuple(Topic) if topic is None else (topic,)
    return _topic_field_words(tuple((t, labels.topics[t]) for t in topics))


@lru_cache(maxsize=64)
def _topic_field_words(
    topics: tuple[tuple[Topic, tuple[tuple[str, str], ...]], ...],
) -> frozenset[str]:
    return frozenset(word for topic, names in topics for word in _topic_terms(topic, names).split())


@lru_cache(maxsize=64)
def _topic_terms(topic: Topic, labels: tuple[tuple[str, str], ...]) -> str:
    terms = []
    for language, label in labels:
        terms.extend(_analysed(label, kazakh=language == "kk"))
    russian, kazakh = topic_vocabulary().get(topic, ((), ()))
    for word in russian:
        terms.extend(_analysed(word, kazakh=False))
    for word in kazakh:
        terms.extend(_analysed(word, kazakh=True))
    return " ".join(_unique(plain(term) for term in terms))


# ---- letters, scripts and the other language --------------------------------------

# Kazakh letters to the Russian ones people type in their place (and ё to е): both the
# index and the query are folded, so Теміртау, Темиртау and ТЕМІРТАУ meet.
PLAIN_LETTERS = str.maketrans("әіңғүұқөһё", "аингуукохе")


def plain(term: str) -> str:
    """A term with its letters folded (see `PLAIN_LETTERS`)."""
    return term.translate(PLAIN_LETTERS)


@cache
def _latin_letters() -> tuple[tuple[str, str], ...]:
    table = word_map("search", "translit", "latin")
    pairs = ((key, str(value)) for key, value in table.items())
    return tuple(sorted(pairs, key=lambda pair: -len(pair[0])))


@lru_cache(maxsize=50_000)
def transliterations(term: str) -> tuple[str, ...]:
    """A Latin word in Cyrillic letters ("qarmet" → "кармет"). Both the index and the
    query spell their Latin words so, which is how a name written in either script is
    found by the other."""
    if not (term.isascii() and term.isalpha()):
        return ()
    spelled, i = [], 0
    letters = _latin_letters()
    while i < len(term):
        for latin, cyrillic in letters:
            if term.startswith(latin, i):
                spelled.append(cyrillic)
                i += len(latin)
                break
        else:
            return ()
    return ("".join(spelled),)


def _analysed_key(text: str, *, kazakh: bool = False) -> tuple[str, ...]:
    """A word or phrase as the vocabulary compares it: each word's lemma or first stem,
    letters folded. A `kazakh` text's words without a letter only Kazakh has are taken
    as written ("облыс", "картоп"): they are Kazakh words in their dictionary form, not
    Russian ones to lemmatise."""
    key = []
    for word in words_of(text):
        if is_kazakh(word):
            key.append(plain(kazakh_stems(word)[0]))
        elif kazakh:
            key.append(plain(word))
        else:
            key.append(plain(_lemma(word)))
    return tuple(key)


@cache
def bilingual() -> dict[tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """The equivalents of every word and phrase of `data/vocab/bilingual.toml`, both
    ways, of the place names and related words of `search.toml`, one way, and of the
    one-word names of each gazetteer entity: analysed key → analysed phrases."""
    pairs: dict[tuple[str, ...], dict[tuple[str, ...], None]] = {}

    def link(left: tuple[str, ...], right: tuple[str, ...]) -> None:
        if left and right and left != right:
            pairs.setdefault(left, {})[right] = None

    for kazakh, russian in word_map("bilingual", "words").items():
        for other in [russian] if isinstance(russian, str) else russian:
            left, right = _analysed_key(kazakh, kazakh=True), _analysed_key(str(other))
            link(left, right)
            link(right, left)
    # A place's other names and a word's relatives, one way: the query's word first.
    for table in ("places", "related"):
        for word, others in word_map("search", table).items():
            for other in others:
                link(_analysed_key(word), _analysed_key(str(other)))
    # A name of one word is each of its entity's other names of one word: "Балқаш" is
    # "Балхаш" and "Balkhash", "Саран" is "Сарань", whatever the facts' subjects say.
    for entity in load_gazetteer():
        names = _unique(
            " ".join(_analysed_key(name, kazakh=name == entity.name_kk))
            for name in entity.all_names
            if len(words_of(name)) == 1
        )
        for name in names:
            for other in names:
                link(tuple(name.split()), tuple(other.split()))
    return {key: tuple(found) for key, found in pairs.items()}


@cache
def status_words() -> dict[str, Status]:
    """Query words that ask for plans or for reported figures, analysed."""
    found: dict[str, Status] = {}
    for status in (Status.PLAN, Status.ACTUAL):
        for word in words("search", "status", status.value):
            found[plain(_lemma(word))] = status
            found[plain(word)] = status
    return found


@cache
def topic_words() -> dict[str, Topic]:
    """Single words that name one topic, analysed: such a word narrows by topic."""
    found: dict[str, Topic] = {}
    for topic, (russian, kazakh) in topic_vocabulary().items():
        for word in (*russian, *kazakh):
            if len(words_of(word)) == 1:
                found.setdefault(_analysed_key(word)[0], topic)
    return found


# ---- names that forgive typos ------------------------------------------------------


# The name words of each gazetteer a process uses (one, in practice), by its identity.
_NAME_WORDS: dict[int, tuple[Gazetteer, dict[str, str]]] = {}


def name_words(gazetteer: Gazetteer) -> dict[str, str]:
    """Every word of every name the gazetteer knows, folded → as written (for the
    correction note), e.g. "темиртау" → "Темиртау"."""
    known = _NAME_WORDS.get(id(gazetteer))
    if known is not None and known[0] is gazetteer:
        return known[1]
    found: dict[str, str] = {}
    for entity in gazetteer:
        for name in (entity.name_ru, entity.name_kk, *entity.aliases):
            for word in tokens(unicodedata.normalize("NFKC", name)):
                folded = plain(fold(word))
                if len(folded) >= NAME_MIN and not folded.isdigit():
                    found.setdefault(folded, word)
    _NAME_WORDS[id(gazetteer)] = (gazetteer, found)
    return found


# Names shorter than this are not corrected (too many near neighbours).
NAME_MIN = 4
# Up to this length a name forgives one wrong letter, beyond it two.
SHORT_NAME = 6


def subject_words(subjects: Iterable[str]) -> dict[str, str]:
    """The words of subjects as stored (company names the gazetteer does not know),
    folded → as written, for `corrected_name`."""
    found: dict[str, str] = {}
    for subject in subjects:
        for word in tokens(unicodedata.normalize("NFKC", subject)):
            folded = plain(fold(word))
            if len(folded) >= NAME_MIN and not folded.isdigit():
                found.setdefault(folded, word)
    return found


def corrected_name(word: str, names: Mapping[str, str]) -> str | None:
    """The name a misspelt word most likely means among `names` (folded → as written:
    `name_words`, `subject_words`), e.g. "темиртаю" → "Темиртау": within one edit for a
    short word and two for a long one; None when none is close or the word is a name."""
    from rapidfuzz import process
    from rapidfuzz.distance import Levenshtein

    folded = plain(word)
    if len(folded) < NAME_MIN or folded.isdigit() or folded in names:
        return None
    limit = 1 if len(folded) <= SHORT_NAME else 2
    # The nearest; among as near, the first in alphabetical order (the same on any store).
    candidates = sorted(names)
    best = process.extractOne(folded, candidates, scorer=Levenshtein.distance, score_cutoff=limit)
    return names[best[0]] if best else None


# ---- queries --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Term:
    """One word to look for, in the given fields (None: in any)."""

    text: str
    fields: frozenset[str] | None = None


@dataclass(frozen=True, slots=True)
class Filters:
    """What a query asks of a fact besides its words: a year its period names, plans or
    reported figures, a topic."""

    years: tuple[int, ...] = ()
    status: Status | None = None
    topic: Topic | None = None

    def __bool__(self) -> bool:
        return bool(self.years or self.status or self.topic)


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """Groups of alternatives; a fact matches when it matches one term of every group.
    `words` are the query words the groups came from (for corrections), `filters` what
    the query asks besides words (a topic word is both: a word ranked like the others,
    and the topic to narrow to)."""

    groups: tuple[tuple[Term, ...], ...]
    words: tuple[str, ...] = ()
    filters: Filters = Filters()

    def __bool__(self) -> bool:
        return bool(self.groups or self.filters)

    def loosened(self) -> SearchQuery:
        """The same words without the filters."""
        return SearchQuery(self.groups, self.words)


# Years a query may name as a filter.
YEARS = range(1990, 2101)


def parse_query(text: str, language: str = "ru") -> SearchQuery:
    """A user's words as terms and filters; punctuation, operators and symbols are
    only separators."""
    words_seen: list[str] = []
    for word in map(_one_script, words_of(text[:QUERY_LIMIT])):
        if (
            word in words_seen
            or word in query_stop_words()
            or (len(word) < 2 and not word.isdigit())
        ):
            continue
        words_seen.append(word)
    years: list[int] = []
    status: Status | None = None
    topic: Topic | None = None
    rest: list[str] = []
    for word in words_seen:
        readings = _readings(word)
        if word.isdigit() and len(word) == 4 and int(word) in YEARS:
            years.append(int(word))
        elif status is None and (found := _first(status_words(), readings)):
            status = found
        else:
            if topic is None and (named := _first(topic_words(), readings)):
                topic = named
            rest.append(word)
    if years:
        # "2025 жылғы", "до 2030 года": the year is the filter; its words are no words to find.
        rest = [word for word in rest if not _names_the_year(word)]
    groups: list[tuple[Term, ...]] = []
    kept: list[str] = []
    i = 0
    while i < len(rest) and len(groups) < MAX_GROUPS:
        span, equivalents = _phrase_at(rest, i)
        phrase = rest[i : i + span]
        for word, others in zip(phrase, _phrase_alternatives(phrase, equivalents), strict=True):
            terms = [*word_terms(word, language), *(Term(term) for term in others)]
            groups.append(_distinct(terms))
            kept.append(word)
        i += span
    return SearchQuery(
        tuple(groups[:MAX_GROUPS]),
        tuple(kept[:MAX_GROUPS]),
        Filters(tuple(sorted(set(years)))[:2], status, topic),
    )


@cache
def _look_alike_letters() -> dict[int, str]:
    table = word_map("search", "look_alike")
    return str.maketrans({latin: str(cyrillic) for latin, cyrillic in table.items()})


def _one_script(word: str) -> str:
    """A Cyrillic word with Latin letters typed in it (another keyboard layout, a copied
    name: "тентекcкая") in Cyrillic letters only."""
    if word.isascii() or not is_cyrillic(word) or not re.search("[a-z]", word):
        return word
    return word.translate(_look_alike_letters())


def _phrase_alternatives(
    phrase: Sequence[str], equivalents: Sequence[tuple[str, ...]]
) -> list[list[str]]:
    """What each word of a phrase (or a single word) may also be, given the phrase's
    equivalents in the other language. A word whose own equivalent is a word of the
    phrase's ("көмір" → "уголь" in "көмір қоры" = "запасы угля") is that word; the other
    words may be any word of the equivalents left ("тұрғын үй" = "жилье": both words may
    be "жилье", though "тұрғын" alone is "житель" and "үй" alone "дом"). A single word is
    any word of its equivalents."""
    if len(phrase) == 1:
        return [[term for other in equivalents for term in other]]
    translated = {term for other in equivalents for term in other}
    own = [[term for other in _equivalents(word) for term in other] for word in phrase]
    claimed = {term for terms in own for term in terms if term in translated}
    left = [term for other in equivalents for term in other if term not in claimed]
    return [terms + ([] if any(term in translated for term in terms) else left) for terms in own]


@lru_cache(maxsize=10_000)
def _readings(word: str) -> list[str]:
    """The forms a query word may be looked up by: its lemma, itself, its light Kazakh
    stems (a Kazakh word need not have a letter only Kazakh has: "жоспарлар"), then
    every stem the pipeline's Kazakh endings leave, longest first ("үйлер" → "үй")."""
    return _unique(
        [
            *_analysed_key(word),
            plain(word),
            *map(plain, kazakh_stems(word)),
            *sorted(map(plain, kazakh_endings.stems(word)), key=lambda s: (-len(s), s)),
            *plain_kazakh_stems(word),
        ]
    )


def _names_the_year(word: str) -> bool:
    """A word that only says a figure is the named year's: "года", "жылғы", "дейін"
    (`data/vocab/periods.toml`)."""
    if word in words("periods", "ru", "year_words"):
        return True
    year = str(entry("periods", "kk", "year"))
    if word.startswith(year) and kazakh_endings.is_ending_chain(word[len(year) :]):
        return True
    return any(word in words("periods", "kk", part) for part in ("by", "toward", "since"))


def _first(table: Mapping[str, T], readings: Iterable[str]) -> T | None:
    return next((table[reading] for reading in readings if reading in table), None)


def _phrase_at(words: Sequence[str], i: int) -> tuple[int, tuple[tuple[str, ...], ...]]:
    """The longest vocabulary phrase starting at `words[i]`, with its equivalents. A
    word may be read by its lemma or by any of its Kazakh stems ("пәтерлердің" is
    "пәтер", "облыстағы" is "облыс")."""
    vocabulary = bilingual()
    for span in range(min(4, len(words) - i), 0, -1):
        for key in product(*(_readings(word) for word in words[i : i + span])):
            if key in vocabulary:
                return span, vocabulary[key]
    return 1, ()


def _equivalents(word: str) -> tuple[tuple[str, ...], ...]:
    """A single word's equivalents, by the first of its readings the vocabulary has."""
    return _phrase_at([word], 0)[1]


# A word this long or longer that only begins a word of the reference data is that
# word still being typed ("инвест", "Сары"); at most this many words complete it.
COMPLETE_FROM = 4
COMPLETIONS = 6


@cache
def _vocabulary_words() -> frozenset[str]:
    """The words of the vocabularies as the query analysis writes them (lemmas and
    stems, letters folded): both sides of `bilingual.toml`, the related words, place
    names, topic and plan words of `search.toml`."""
    found: set[str] = set()
    for kazakh, russian in word_map("bilingual", "words").items():
        found.update(_analysed_key(kazakh, kazakh=True))
        for other in [russian] if isinstance(russian, str) else russian:
            found.update(_analysed_key(str(other)))
    for table in ("places", "related"):
        for word, others in word_map("search", table).items():
            found.update(_analysed_key(word))
            found.update(part for other in others for part in _analysed_key(str(other)))
    found.update(topic_words())
    found.update(status_words())
    return frozenset(word for word in found if word.isalpha())


@cache
def _known_words() -> tuple[str, ...]:
    """The words a query may be typed towards, sorted: the vocabularies' and the
    gazetteer's names'."""
    return tuple(sorted(_vocabulary_words() | set(name_words(load_gazetteer()))))


def completions(word: str) -> tuple[str, ...]:
    """The words of the reference data a partly typed `word` may be ("инвест" →
    "инвестиция", "инвестор", …), shortest first; none for a word of the vocabularies
    itself or a form of one ("место", "мест" are not "месторождение" being typed)."""
    typed = plain(word)
    vocabulary = _vocabulary_words()
    if len(typed) < COMPLETE_FROM or typed in vocabulary or plain(_lemma(word)) in vocabulary:
        return ()
    known = _known_words()
    found = []
    for candidate in known[bisect_left(known, typed) :]:
        if not candidate.startswith(typed):
            break
        if candidate != typed:
            found.append(candidate)
    return tuple(sorted(found, key=lambda w: (len(w), w))[:COMPLETIONS])


def word_terms(word: str, language: str = "ru") -> tuple[Term, ...]:
    """The alternatives one query word stands for, letters folded."""
    terms = [Term(word), *(Term(whole) for whole in completions(word))]
    if is_cyrillic(word):
        terms.extend(Term(normal) for normal in sorted({_lemma(word), *lemmas_of(word)}))
        if language == "kk" or is_kazakh(word):
            terms.extend(Term(stem) for stem in kazakh_stems(word) if stem != word)
        if language == "kk" and not is_kazakh(word):
            terms.extend(Term(stem) for stem in plain_kazakh_stems(word) if stem != word)
    terms.extend(Term(spelling) for spelling in transliterations(word))
    return _distinct(terms)


def _distinct(terms: Iterable[Term]) -> tuple[Term, ...]:
    unique: dict[str, Term] = {}
    for term in terms:
        folded = plain(term.text)
        if folded.isalnum():
            unique.setdefault(folded, Term(folded, term.fields))
    return tuple(unique.values())


def with_word(query: SearchQuery, index: int, word: str, language: str = "ru") -> SearchQuery:
    """The query with its `index`-th word replaced (a corrected name)."""
    groups = list(query.groups)
    groups[index] = word_terms(fold(word), language)
    words_now = list(query.words)
    words_now[index] = word
    return SearchQuery(tuple(groups), tuple(words_now), query.filters)


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


def passes(fact: Fact, filters: Filters) -> bool:
    """Whether a fact meets a query's filters."""
    if filters.topic is not None and fact.topic is not filters.topic:
        return False
    if filters.status is not None and fact.status is not filters.status:
        return False
    if filters.years:
        key = fact.period.key() if fact.period else ""
        return any(str(year) in key for year in filters.years)
    return True


def match_facts(
    facts: Iterable[Fact],
    text: str,
    labels: IndexLabels,
    gazetteer: Gazetteer,
    *,
    language: str = "ru",
) -> list[Fact]:
    """The facts matching the query, best first (the given order among equals)."""
    query = parse_query(text, language)
    if not query:
        return []
    scored = [
        (matches(document_of(f, labels, gazetteer), query) if query.groups else 1.0, i, f)
        for i, f in enumerate(facts)
        if passes(f, query.filters)
    ]
    return [fact for score, _i, fact in sorted(scored, key=lambda s: (-s[0], s[1])) if score]
