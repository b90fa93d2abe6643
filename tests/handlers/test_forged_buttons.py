"""Forged button data, for every callback prefix the bot uses: a wrong shape, values of
the wrong type, values out of range. Each press gets one answerCallbackQuery, a warning in
the log, and no change to any message."""

from __future__ import annotations

import enum
import logging
import typing

import pytest
from aiogram.filters.callback_data import CallbackData

from handlers import feature_routers
from tests.handlers.harness import BotDriver
from tools.emulator.world import StoredMessage

# Fields whose every value is legitimate: a search query in a results button is any text a
# user could type, so a forged one is the same as searching for it.
FREE_TEXT = {("found", "query")}
BAD_VALUES = ("-60", "99999", "99999999999999999999", "x", "", "1.5", "ж" * 40)


def callback_classes() -> list[type[CallbackData]]:
    feature_routers()  # every handler module imported, so every prefix is defined
    found: list[type[CallbackData]] = []
    pending = list(CallbackData.__subclasses__())
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return sorted(found, key=lambda cls: cls.__prefix__)


def sample(annotation: typing.Any) -> str:
    """A value of the field's type that its parser accepts."""
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return str(next(iter(annotation)).value)
    if annotation is bool:
        return "0"
    if annotation is int:
        return "0"
    return "edit"


def forged(cls: type[CallbackData]) -> list[str]:
    prefix = cls.__prefix__
    hints = typing.get_type_hints(cls)
    good = [sample(hints[name]) for name in cls.model_fields]
    datas = [prefix, f"{prefix}:", ":".join([prefix, *good, "extra"])]
    if good:
        datas.append(":".join([prefix, *good[:-1]]))
    for index, (name, field) in enumerate(cls.model_fields.items()):
        if (prefix, name) in FREE_TEXT:
            continue
        for bad in BAD_VALUES:
            if bad == "" and not field.is_required():
                continue  # an empty optional field reads as its default: not forged
            values = list(good)
            values[index] = bad
            datas.append(":".join([prefix, *values]))
    return [data for data in datas if len(data.encode()) <= 64]


CLASSES = callback_classes()


def test_every_prefix_is_covered() -> None:
    prefixes = {cls.__prefix__ for cls in CLASSES}
    assert {"topic", "page", "card", "cpage", "chart", "sources", "lang"} <= prefixes
    assert {"subf", "subs", "dpage"} <= prefixes


async def answer_with_buttons(driver: BotDriver) -> StoredMessage:
    turn = await driver.send("/start")
    return turn.reply


@pytest.mark.parametrize("cls", CLASSES, ids=lambda cls: cls.__prefix__)
async def test_forged_button_data_is_refused(
    driver: BotDriver, cls: type[CallbackData], caplog: pytest.LogCaptureFixture
) -> None:
    message = await answer_with_buttons(driver)
    before = message.content
    for data in forged(cls):
        caplog.clear()
        with caplog.at_level(logging.WARNING):
            turn = await driver.feed(driver.emulator.press_forged(message, data))
        assert len(turn.callback_answers) == 1, data
        assert not turn.sent and not turn.edited, data
        assert any(record.levelno == logging.WARNING for record in caplog.records), data
    assert message.content == before


async def test_a_forged_page_far_past_the_end(driver: BotDriver, caplog) -> None:
    message = await answer_with_buttons(driver)
    for data in ("page:investments:9999", "sources:9999", "cardpage:zones:nothing_here:3"):
        with caplog.at_level(logging.WARNING):
            turn = await driver.feed(driver.emulator.press_forged(message, data))
        assert len(turn.callback_answers) == 1
        assert "устарела" in turn.callback_answer.text
