"""Russian morphology: tokens, lemmas and parts of speech through pymorphy3, with
Kazakh stems (`endings.py`) for the words the Russian dictionary does not know.

The analyser loads its dictionaries on first use (about a second), so a process
that never lemmatises never pays for it. Its largest ones (the word and suffix graphs,
the tag probabilities) are mapped from their files rather than copied into the heap
(`map_dictionaries`), or, in a process that only looks up a query's few words (the bot's
own, `read_dictionaries_by_page`), read a page at a time.
"""

from __future__ import annotations

import mmap
import os
import re
import struct
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from bot.pipeline.endings import stems
from bot.pipeline.language import kazakh_letters
from bot.pipeline.vocabulary import entry, word_map

if TYPE_CHECKING:
    import pymorphy3


@cache
def lemma_overrides() -> dict[str, str]:
    """Words whose pymorphy3 lemma is wrong or unhelpful here (`data/vocab/lemmas.toml`)."""
    found = word_map("lemmas", "words")
    for item in entry("lemmas", "stems"):
        for ending in item["endings"]:
            found[fold(item["stem"] + ending)] = fold(item["lemma"])
    return found


# Words whose analyses are kept, in each cache below: one document has a couple of
# thousand distinct words and a bot's queries repeat theirs, while every word kept costs
# a few kilobytes across the caches (its analyses, lemmas and stems). Unbounded, a bot
# running for months would keep every word anyone ever searched for.
WORD_CACHE = 20_000

WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*|\d+", re.UNICODE)
TOKEN = re.compile(r"[^\W_]+", re.UNICODE)


def fold(text: str) -> str:
    """Lower case with ё folded to е."""
    return text.lower().replace("ё", "е")


# How the analyser created next reads its graphs: mapped whole, or a page at a time.
_BY_PAGE = False
# Pages of the graphs a process that reads them by page keeps, all graphs together: the
# couple of hundred a query's new words touch, many times over (4 KB each).
PAGES_KEPT = 512
PAGE = 4096


def read_dictionaries_by_page() -> None:
    """The analyser of this process (created after this call) reads its graphs a page at a
    time and keeps the PAGES_KEPT pages read last, instead of mapping the files.

    A lookup touches a few dozen scattered units of a graph. On a mapped file the kernel
    maps the pages around each one it touches as well (16 pages at a time), so a few
    hundred words map most of the 14 MB into the process; read by page, it holds about a
    page a unit touched, and never more than PAGES_KEPT. Each read costs a system call
    (the file stays in the page cache), which suits the bot's process, whose queries bring
    a few words each; the ingest, thousands of words a document, keeps the mapped files."""
    global _BY_PAGE
    _BY_PAGE = True


@cache
def analyzer() -> pymorphy3.MorphAnalyzer:
    import pymorphy3

    found = pymorphy3.MorphAnalyzer()
    map_dictionaries(found, by_page=_BY_PAGE)
    return found


def map_dictionaries(morph: pymorphy3.MorphAnalyzer, *, by_page: bool = False) -> None:
    """The analyser's DAWGs (about 14 MB: the words, the prediction suffixes and P(t|w))
    answered from their files mapped into memory instead of from the arrays pymorphy3
    read them into.

    DAWG-Python keeps a graph as an `array("I")` of units, and a completion graph's guide
    as an `array("B")`, each read whole from the file; a `memoryview` of the mapped file
    indexes the same way. Mapped pages are the file's: only the ones a lookup touches are
    resident, the kernel may drop them again, and every process that maps the file (the
    bot and its workers) shares them. The arrays read at load are freed here. A graph from
    the C extension (the `dawg` package), which keeps its own, is left alone. With
    `by_page`, the graphs are read from their files by page instead (`PagedUnits`)."""
    dictionary = morph.dictionary
    folder = Path(dictionary.path)
    graphs: list[tuple[Any, str]] = [(dictionary.words, "words.dawg")]
    for number, suffixes in enumerate(dictionary.prediction_suffixes_dawgs):
        graphs.append((suffixes, f"prediction-suffixes-{number}.dawg"))
    if morph.prob_estimator is not None:
        graphs.append((morph.prob_estimator.p_t_given_w, "p_t_given_w.intdawg"))
    pages: dict[tuple[tuple[int, int], int], memoryview] = {}
    for graph, name in graphs:
        _map_graph(graph, folder / name, pages if by_page else None)


def _map_graph(
    graph: Any, path: Path, pages: dict[tuple[tuple[int, int], int], memoryview] | None = None
) -> None:
    """DAWG-Python's file layout: the units' count and the units (4 bytes each), then, for
    a completion graph, the guide's count and the guide (2 bytes each). With `pages` (the
    pages kept, shared by the graphs), read by page from the file instead of mapped."""
    from dawg_python.wrapper import Dictionary

    if not isinstance(graph.dct, Dictionary):
        return
    guide = getattr(graph, "guide", None)
    with path.open("rb") as file:
        view = memoryview(mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ))
    units, end = _block(view, 0, 4)
    labels = _block(view, end, 2)[0] if guide is not None else None
    # The same graph pymorphy3 read, or the layout is not the one above: keep the arrays.
    if units.nbytes != len(graph.dct._units) * 4:
        return
    if guide is not None and (labels is None or labels.nbytes != len(guide._units)):
        return
    if pages is None:
        graph.dct._units = units.cast("I")
        if guide is not None:
            guide._units = labels
        return
    descriptor = os.open(path, os.O_RDONLY)
    graph.dct._units = PagedUnits(descriptor, 4, units.nbytes, "I", pages)
    if guide is not None and labels is not None:  # (labels is there whenever guide is)
        guide._units = PagedUnits(descriptor, end + 4, labels.nbytes, "B", pages)


class PagedUnits:
    """A graph's units (a block of a file: `size` bytes from `offset`, of `typecode`) read
    a page at a time, as DAWG-Python reads its arrays: by index, and their length.

    Pages read are kept in `pages`, shared by every graph that reads by page, up to
    PAGES_KEPT of them: a new page then drops the one read first."""

    __slots__ = ("_descriptor", "_key", "_offset", "_pages", "_per_page", "_size", "_typecode")

    def __init__(
        self,
        descriptor: int,
        offset: int,
        size: int,
        typecode: Literal["I", "B"],
        pages: dict[tuple[tuple[int, int], int], memoryview],
    ) -> None:
        self._descriptor = descriptor
        self._offset = offset
        self._size = size
        self._typecode = typecode
        self._per_page = PAGE // struct.calcsize(typecode)
        self._pages = pages
        self._key = (descriptor, offset)  # one graph's pages apart from another's

    def __len__(self) -> int:
        return self._size // struct.calcsize(self._typecode)

    def __getitem__(self, index: int) -> int:
        page, slot = divmod(index, self._per_page)
        units = self._pages.get((self._key, page))
        if units is None:
            units = self._read(page)
        return int(units[slot])

    def _read(self, page: int) -> memoryview:
        start = page * PAGE
        if not 0 <= start < self._size:
            raise IndexError(page * self._per_page)
        data = os.pread(self._descriptor, min(PAGE, self._size - start), self._offset + start)
        units = memoryview(data).cast(self._typecode)
        if len(self._pages) >= PAGES_KEPT:
            del self._pages[next(iter(self._pages))]
        self._pages[(self._key, page)] = units
        return units


def _block(view: memoryview, offset: int, unit_size: int) -> tuple[memoryview, int]:
    """The block at `offset` (its count of units, then the units) and where it ends; cut
    short at the file's end, which the caller's check of its size then refuses."""
    (count,) = struct.unpack_from("=I", view, offset)
    start = offset + 4
    end = start + count * unit_size
    return view[start:end], end


@lru_cache(maxsize=WORD_CACHE)
def lemma(word: str) -> str:
    """The dictionary form of one word, lower case, ё folded."""
    folded = fold(word)
    override = lemma_overrides().get(folded)
    if override is not None:
        return override
    if not folded.isalpha() or not _is_cyrillic(folded):
        return folded
    analyses = _parse(folded)
    return fold(analyses[0].normal_form) if analyses else folded


@lru_cache(maxsize=WORD_CACHE)
def parses(word: str) -> tuple[tuple[str, str | None, frozenset[str]], ...]:
    """Every analysis of a word: (lemma, part of speech, grammemes)."""
    folded = fold(word)
    if not _is_cyrillic(folded):
        return ((folded, None, frozenset()),)
    result = []
    analyses = _parse(folded)
    if not analyses:
        return ((folded, None, frozenset()),)
    for parse in analyses:
        normal = lemma_overrides().get(folded) or fold(parse.normal_form)
        pos = parse.tag.POS
        result.append(
            (normal, str(pos) if pos else None, frozenset(str(g) for g in parse.tag.grammemes))
        )
    return tuple(result)


def _parse(word: str) -> list:
    """pymorphy3's analyses, or none for a word it cannot read (e.g. a letter of a script
    Unicode has no name for in its tables)."""
    try:
        return analyzer().parse(word)
    except ValueError:
        return []


def nominative(word: str) -> str:
    """The word in the nominative, its number kept ("орешка" → "орешек", "говядины" →
    "говядина"); unchanged where the dictionary cannot say."""
    folded = fold(word)
    if not _is_cyrillic(folded):
        return word
    for parse in _parse(folded):
        if "gent" in parse.tag or "accs" in parse.tag or "nomn" in parse.tag:
            inflected = parse.inflect({"nomn"})
            if inflected is not None:
                return str(inflected.word)
    return word


@lru_cache(maxsize=WORD_CACHE)
def lemmas_of(word: str) -> frozenset[str]:
    """Every lemma a word may have (a noun and an adjective can share a form). A
    word the Russian dictionary does not know, or one with Kazakh letters, may also
    be a Kazakh stem with endings ("Қарағандыда", "Сараннан"): its stems are added."""
    found = frozenset(p[0] for p in parses(word))
    folded = fold(word)
    if _is_cyrillic(folded) and (_has_kazakh_letter(folded) or not _known(folded)):
        found |= stems(folded)
    return found


def tokens(text: str) -> list[str]:
    """Words and numbers; hyphenated names split into their parts."""
    return TOKEN.findall(text)


def lemmatize(text: str) -> list[str]:
    return [lemma(token) for token in tokens(text)]


def _known(word: str) -> bool:
    try:
        return bool(analyzer().word_is_known(word))
    except ValueError:
        return False


def _has_kazakh_letter(word: str) -> bool:
    letters = kazakh_letters()
    return any(ch in letters for ch in word)


def _is_cyrillic(word: str) -> bool:
    return any("а" <= ch <= "я" or "\u0400" <= ch <= "\u04ff" for ch in word)
