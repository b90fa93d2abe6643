"""Fixtures for handler tests: see tests/handlers/harness.py.

async def test_unknown_command(driver: BotDriver) -> None:
    turn = await driver.send("/nope")
    assert turn.text.startswith("Я не знаю")
    assert turn.calls[-1].method == "sendMessage"
"""

from tests.handlers.harness import (
    bot,
    bot_session_factory,
    dispatcher,
    driver,
    emulator,
    emulator_config,
    handlers_store_template,
)

__all__ = [
    "bot",
    "bot_session_factory",
    "dispatcher",
    "driver",
    "emulator",
    "emulator_config",
    "handlers_store_template",
]
