"""Every screen in Kazakh, walked through the dispatcher: no Russian word outside quotes
and proper names.

The walk sends every command of the menu and a search, then presses every button the
answers carry (pages, subjects, charts, subscription steps …) until no new button is
left. What a reader sees (texts, captions, buttons, pop-up answers) is checked word by
word: a word is Russian when it has none of the letters only Kazakh writes (ә ғ қ ң ө
ұ ү һ і), the Russian dictionary knows it, and Kazakh does not use it: it is in no
Kazakh text of the catalogs, of CLDR's Kazakh data, or of the names the bot keeps
(entities' Kazakh names, outlets). Quotes (blockquotes) keep their language.
"""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator, Iterable
from dataclasses import dataclass
from functools import cache

import pymorphy3
import pytest
from babel import Locale
from babel.messages.pofile import read_po
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import LOCALES_DIR
from bot.pipeline.documents import load_manifest
from bot.pipeline.gazetteer import load_gazetteer
from bot.render.i18n import create_i18n
from bot.render.views import command_descriptions
from bot.storage.repositories import DocumentRepository, FactRepository
from tests.handlers.harness import BotDriver, Turn
from tools.emulator import StoredMessage

KAZAKH_LETTERS = frozenset("әғқңөұүһі")
# A word; not a case ending written after a figure with a hyphen ("2 300-ден").
WORD = re.compile(r"(?<![\w-])[а-яёәғқңөұүһі]+", re.IGNORECASE)
QUOTE = re.compile(r"<blockquote[^>]*>.*?</blockquote>", re.DOTALL)
TAG = re.compile(r"<[^>]+>")
# Presses per walk: every screen the seed store has is reached well within this.
MAX_PRESSES = 400


@pytest.fixture
async def bot_session_factory(
    seeded_session_factory: async_sessionmaker[AsyncSession],
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    yield seeded_session_factory


@cache
def morph() -> pymorphy3.MorphAnalyzer:
    return pymorphy3.MorphAnalyzer(lang="ru")


def words(text: str) -> set[str]:
    return {word.lower().replace("ё", "е") for word in WORD.findall(text)}


@cache
def kazakh_words() -> frozenset[str]:
    """Words Kazakh text uses: the Kazakh catalog, CLDR's Kazakh data, and names."""
    found: set[str] = set()
    with (LOCALES_DIR / "kk" / "LC_MESSAGES" / "messages.po").open("rb") as file:
        for message in read_po(file, locale="kk"):
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            for string in strings:
                found |= words(string or "")
    locale = Locale.parse("kk_KZ")
    for table in (locale.months, locale.days):
        for context in table.values():
            for names in context.values():
                found |= words(" ".join(names.values()))
    for pattern in locale.compact_decimal_formats.values():
        for forms in pattern.values():
            found |= words(" ".join(str(p.pattern) for p in forms.values()))
    return frozenset(found)


@cache
def proper_names() -> frozenset[str]:
    """Words of the names the bot keeps: entities' Kazakh names, and outlets."""
    found: set[str] = set()
    for entity in load_gazetteer():
        found |= words(entity.name_kk)
    for entry in load_manifest().values():
        found |= words(entry.outlet or "")
    return frozenset(found)


@dataclass
class Quoted:
    """Text a screen shows as its source wrote it: document titles, and subjects the
    gazetteer has no Kazakh name for."""

    texts: list[str]

    def remove_from(self, text: str) -> str:
        for quoted in self.texts:
            text = text.replace(quoted, " ")
        return text


async def quoted_in_store(factory: async_sessionmaker[AsyncSession]) -> Quoted:
    async with factory() as session:
        sources = await DocumentRepository(session).list_sources()
        facts = await FactRepository(session).list()
    gazetteer = load_gazetteer()
    texts = [source.title for source in sources if source.title]
    texts += [fact.subject for fact in facts if gazetteer.get(fact.entity_key) is None]
    # Longest first, so that a text inside another is not cut out of it first.
    return Quoted(sorted(set(texts), key=len, reverse=True))


def russian_words(text: str) -> set[str]:
    """The Russian-only words of `text` (see the module's note)."""
    russian = set()
    for word in words(text):
        if len(word) < 3 or KAZAKH_LETTERS & set(word):
            continue
        if word in kazakh_words() or word in proper_names():
            continue
        if morph().word_is_known(word):
            russian.add(word)
    return russian


def visible(message: StoredMessage, quoted: Quoted) -> Iterable[str]:
    """What a reader sees of a message, quotes left out."""
    source = message.html or message.content
    yield quoted.remove_from(html.unescape(TAG.sub(" ", QUOTE.sub(" ", source))))
    for button in message.flat_buttons:
        # The other language's button names that language in itself, as pickers do.
        if button.callback_data != "lang:ru":
            yield quoted.remove_from(button.text)


def test_the_detector_tells_russian_from_kazakh() -> None:
    assert russian_words("Инвестиции в модернизацию составят") == {
        "инвестиции",
        "модернизацию",
        "составят",
    }
    assert russian_words("Инвестициялар 2028 жылға дейін (жоспар)") == set()
    assert russian_words("Қарағанды облысы, Qarmet, BAQ.kz") == set()
    assert russian_words("2 300-ден астам жұмыс орны") == set()


async def walk(
    driver: BotDriver, quoted: Quoted, max_presses: int = MAX_PRESSES
) -> dict[str, set[str]]:
    """Every screen a Kazakh reader reaches: Russian words found, by where they were seen."""
    user = driver.new_user("Айгерім", language_code="kk")
    found: dict[str, set[str]] = {}
    queue: list[StoredMessage] = []
    pressed: set[str] = set()

    def record(where: str, turn: Turn) -> None:
        for message in [*turn.sent, *turn.edited]:
            queue.append(message)
            for text in visible(message, quoted):
                russian = russian_words(text)
                if russian:
                    found.setdefault(where, set()).update(russian)
        for answer in turn.callback_answers:
            russian = russian_words(answer.text or "")
            if russian:
                found.setdefault(where, set()).update(russian)

    with create_i18n().context():
        commands = [command for command, _description in command_descriptions(locale="kk")]
    for command in commands:
        record(f"/{command}", await driver.send(f"/{command}", user=user))
    record("search", await driver.send("/search Qarmet", user=user))
    record("text", await driver.send("Теміртау", user=user))
    presses = 0
    while queue and presses < max_presses:
        message = queue.pop(0)
        for data in list(message.callback_data):
            # An earlier press may have edited the message: its buttons are new ones,
            # queued with that edit.
            if data in pressed or data not in message.callback_data:
                continue
            if data.startswith("lang:") and data != "lang:kk":
                continue  # the reader stays with Kazakh
            pressed.add(data)
            presses += 1
            record(f"button {data}", await driver.press(message, data, user=user))
    assert presses >= min(20, max_presses), "the walk reached the screens behind the buttons"
    return found


async def test_no_russian_word_on_any_kazakh_screen(
    driver: BotDriver, bot_session_factory: async_sessionmaker[AsyncSession]
) -> None:
    found = await walk(driver, await quoted_in_store(bot_session_factory))
    assert not found, "\n".join(f"{where}: {sorted(words)}" for where, words in found.items())


async def test_the_walk_finds_a_russian_word_left_on_a_screen(
    driver: BotDriver,
    bot_session_factory: async_sessionmaker[AsyncSession],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bot.render import facts

    monkeypatch.setattr(facts, "status_label", lambda status: "планируется")
    found = await walk(driver, await quoted_in_store(bot_session_factory), max_presses=0)
    assert found["/investments"] == {"планируется"}
