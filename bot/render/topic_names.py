"""Topics named the way people type them after a command: "/chart zones",
"/export инвестиции", "/chart Инвест", "/export жүк"."""

from __future__ import annotations

from aiogram.utils.i18n import I18n

from bot.domain import Topic
from bot.render.i18n import LANGUAGES
from bot.render.labels import topic_label

# Shorter beginnings match too many words to mean a topic.
PREFIX_MIN = 4
# Nor do short words ("и").
WORD_MIN = 3


def find_topic(text: str | None) -> Topic | None:
    """A topic by its command name or its label in Russian or Kazakh, in any case:
    the whole label, one of its words ("зоны", "жүк"), or the beginning of one
    ("инвест") when only one topic matches."""
    wanted = " ".join((text or "").casefold().lstrip("/").split())
    if not wanted:
        return None
    names = _names()
    for matches in (
        lambda name: name == wanted,
        lambda name: len(wanted) >= WORD_MIN and wanted in name.split(),
        lambda name: (
            len(wanted) >= PREFIX_MIN
            and any(word.startswith(wanted) for word in (name, *name.split()))
        ),
    ):
        found = {topic for topic, name in names if matches(name)}
        if found:
            return found.pop() if len(found) == 1 else None
    return None


def _names() -> list[tuple[Topic, str]]:
    names = [(topic, topic.value) for topic in Topic]
    i18n = I18n.get_current(no_error=True)
    if i18n is None:
        return names
    for language in LANGUAGES:
        with i18n.use_locale(language):
            names += [(topic, topic_label(topic).casefold()) for topic in Topic]
    return names
