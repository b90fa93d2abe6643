"""`/subscribe` with arguments, for power users and scripts:

    /subscribe all daily
    /subscribe zones,cargo weekly 08:00
    /subscribe 7:30

Topics (or `all`), a frequency and a time, in any order; what is left out keeps its
current value (or the default). Words are accepted in English, Russian and Kazakh.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.domain import MAIN_TOPICS, Topic
from bot.domain.schedule import Frequency, parse_time

ALL_WORDS = frozenset({"all", "все", "всё", "барлығы", "барлық"})
FREQUENCY_WORDS: dict[str, Frequency] = {
    "daily": Frequency.DAILY,
    "day": Frequency.DAILY,
    "ежедневно": Frequency.DAILY,
    "каждый день": Frequency.DAILY,
    "күнделікті": Frequency.DAILY,
    "күн сайын": Frequency.DAILY,
    "weekly": Frequency.WEEKLY,
    "week": Frequency.WEEKLY,
    "еженедельно": Frequency.WEEKLY,
    "каждую неделю": Frequency.WEEKLY,
    "апта сайын": Frequency.WEEKLY,
    "апталық": Frequency.WEEKLY,
}
TOPIC_WORDS: dict[str, Topic] = {
    **{topic.value: topic for topic in MAIN_TOPICS},
    "investment": Topic.INVESTMENTS,
    "инвестиции": Topic.INVESTMENTS,
    "инвестициялар": Topic.INVESTMENTS,
    "zone": Topic.ZONES,
    "зоны": Topic.ZONES,
    "аймақтар": Topic.ZONES,
    "грузы": Topic.CARGO,
    "логистика": Topic.CARGO,
    "жүк": Topic.CARGO,
    "производство": Topic.PRODUCTION,
    "өндіріс": Topic.PRODUCTION,
    "job": Topic.JOBS,
    "работа": Topic.JOBS,
    "рабочие места": Topic.JOBS,
    "жұмыс": Topic.JOBS,
    "жұмыс орындары": Topic.JOBS,
}
_SEPARATORS = re.compile(r"[\s,;]+")


@dataclass(frozen=True, slots=True)
class SubscriptionRequest:
    topics: tuple[Topic, ...] | None = None
    frequency: Frequency | None = None
    minute_of_day: int | None = None


class RequestError(ValueError):
    """A word that is neither a topic, a frequency nor a time."""

    def __init__(self, word: str) -> None:
        super().__init__(word)
        self.word = word


def parse_request(text: str) -> SubscriptionRequest:
    """The arguments of /subscribe; raises RequestError on the first word not understood."""
    text = " ".join(text.casefold().split())
    # Two-word names first, so that "рабочие места" is one topic, not two unknown words.
    phrases = sorted(
        (word for word in (*FREQUENCY_WORDS, *TOPIC_WORDS) if " " in word), key=len, reverse=True
    )
    words: list[str] = []
    for phrase in phrases:
        if phrase in text:
            words.append(phrase)
            text = text.replace(phrase, " ")
    words.extend(word for word in _SEPARATORS.split(text) if word)
    topics: list[Topic] = []
    frequency: Frequency | None = None
    minute: int | None = None
    for word in words:
        if word in ALL_WORDS:
            topics.extend(MAIN_TOPICS)
        elif word in TOPIC_WORDS:
            topics.append(TOPIC_WORDS[word])
        elif word in FREQUENCY_WORDS:
            frequency = FREQUENCY_WORDS[word]
        elif (parsed := parse_time(word)) is not None:
            minute = parsed
        else:
            raise RequestError(word)
    chosen = tuple(topic for topic in MAIN_TOPICS if topic in topics) or None
    return SubscriptionRequest(chosen, frequency, minute)
