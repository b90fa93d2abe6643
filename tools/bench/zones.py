"""The cost of answering /zones, against bare aiogram handlers on the same harness.

Everything runs in this process on one Bot API emulator and one `Bot`: an update is
made by the emulator and fed through `Dispatcher.feed_update`, and the answer goes
over HTTP to the emulator. Two baselines, each a dispatcher with no middleware and
one handler:

- echo: sends the user's text back ("/zones", six characters);
- same answer: sends the very HTML the bot answers /zones with, prepared in advance.

Sending a 3–4 KB HTML message costs the emulator (and Telegram) more than six
characters do, whatever a bot does before it, so the ratio to the echo mostly
measures message size; the ratio to the same answer is what the bot itself adds:
middlewares, the store, the query layer, rendering and the keyboard. The target
applies to that one; both are printed.
"""

from __future__ import annotations

from aiogram import Dispatcher, Router
from aiogram.types import InlineKeyboardMarkup, Message, Update

from tools.bench import Figure
from tools.bench.harness import bot_on_emulator, interleaved_medians, timed

WARMUP = 20
ROUNDS = 200


def echo_dispatcher() -> Dispatcher:
    router = Router(name="echo")

    @router.message()
    async def echo(message: Message) -> None:
        await message.answer(message.text or "")

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    return dispatcher


def fixed_answer_dispatcher(text: str, markup: InlineKeyboardMarkup | None) -> Dispatcher:
    router = Router(name="fixed")

    @router.message()
    async def answer(message: Message) -> None:
        await message.answer(text, reply_markup=markup)

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    return dispatcher


async def run() -> list[Figure]:
    echo = echo_dispatcher()
    async with bot_on_emulator() as (emulator, bot, bot_dispatcher):
        user = emulator.create_user("Bench", language_code="ru")

        def zones_command() -> Update:
            update = emulator.send_message(user, "/zones")
            assert update is not None
            return update

        await timed(bot_dispatcher, bot, zones_command())
        reply = emulator.last_sent(user)
        assert reply.content.startswith("🏭"), reply.content[:80]
        same = fixed_answer_dispatcher(
            reply.html or "", InlineKeyboardMarkup.model_validate(reply.reply_markup)
        )
        zones, echo_, same_ = await interleaved_medians(
            bot, [bot_dispatcher, echo, same], [zones_command], WARMUP, ROUNDS
        )
    return [
        Figure("zones_answer_median", zones, "ms", "for information"),
        Figure("echo_answer_median", echo_, "ms", "for information"),
        Figure("same_answer_median", same_, "ms", "for information"),
        Figure("zones_vs_echo", zones / echo_, "x", "for information: mostly message size"),
        Figure("zones_vs_same_answer", zones / same_, "x", "<= 1.5x"),
    ]
