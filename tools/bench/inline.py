"""The cost of an inline answer through the dispatcher, against bare aiogram inline
handlers on the same harness (as `tools.bench.zones` does for /zones).

The store holds the seed documents; each round asks every query of `QUERIES` (Russian
and Kazakh, names with a typo, the empty query) through `Dispatcher.feed_update`, and
the answer goes over HTTP to the Bot API emulator. Two baselines, each a dispatcher
with no middleware and one inline handler:

- same answer: answers with the very results the bot gave for that query, prepared in
  advance, so the difference is what the bot itself adds (middlewares, the store,
  search, rendering), not the size of the answer;
- one article: answers every query with one article naming the query.

Fifty articles cost the emulator (and Telegram) far more to take than one does,
whatever a bot does before it, so the ratio to the one article mostly measures the
answer's size; the target applies to the same answer. Both are printed.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from aiogram import Bot, Dispatcher, Router
from aiogram.types import InlineQuery, InlineQueryResultArticle, InputTextMessageContent

from tools.bench import Figure
from tools.bench.harness import bot_on_emulator, interleaved_medians, timed
from tools.emulator import TelegramEmulator, User

WARMUP = 5
ROUNDS = 40
QUERIES = [
    ("Сарань", "ru"),
    ("Темиртаю", "ru"),
    ("инвестиции 2024", "ru"),
    ("грузы аэропорт", "ru"),
    ("көмір", "kk"),
    ("жүк тасымалы", "kk"),
    ("Qarmet", "ru"),
    ("", "ru"),
    ("", "kk"),
]


def bare_dispatcher() -> Dispatcher:
    router = Router(name="bare")

    @router.inline_query()
    async def answer(inline_query: InlineQuery) -> None:
        text = inline_query.query or "—"
        article = InlineQueryResultArticle(
            id="1", title=text, input_message_content=InputTextMessageContent(message_text=text)
        )
        await inline_query.answer([article], cache_time=1, is_personal=True)

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    return dispatcher


def same_answer_dispatcher(answers: dict[str, dict[str, Any]]) -> Dispatcher:
    router = Router(name="same")

    @router.inline_query()
    async def answer(inline_query: InlineQuery) -> None:
        given = answers[inline_query.query]
        await inline_query.answer(
            given["results"],
            cache_time=1,
            is_personal=True,
            next_offset=given["next_offset"],
        )

    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    return dispatcher


async def _answer(
    emulator: TelegramEmulator, bot: Bot, dispatcher: Dispatcher, user: User, query: str
) -> float:
    return await timed(dispatcher, bot, emulator.inline_query(user, query))


async def run() -> list[Figure]:
    async with bot_on_emulator() as (emulator, bot, bot_dispatcher):
        users = {
            language: emulator.create_user("Bench", language_code=language)
            for language in ("ru", "kk")
        }
        answers: dict[str, dict[str, Any]] = {}
        for query, language in QUERIES:
            await _answer(emulator, bot, bot_dispatcher, users[language], query)
            given = emulator.last_inline_answer()
            assert given.results, query
            answers[query] = {
                # Built once, as the bot builds its own articles per answer.
                "results": [
                    InlineQueryResultArticle.model_validate(result) for result in given.results
                ],
                "next_offset": given.next_offset,
            }
        inline, bare, same = await interleaved_medians(
            bot,
            [bot_dispatcher, bare_dispatcher(), same_answer_dispatcher(answers)],
            [partial(emulator.inline_query, users[language], query) for query, language in QUERIES],
            WARMUP,
            ROUNDS,
        )
    return [
        Figure("inline_answer_median", inline, "ms", "for information"),
        Figure("one_article_inline_answer_median", bare, "ms", "for information"),
        Figure("same_inline_answer_median", same, "ms", "for information"),
        Figure("inline_vs_same_inline_answer", inline / same, "x", "<= 3x"),
        Figure("inline_vs_one_article_answer", inline / bare, "x", "for information: answer size"),
    ]
