"""The Bot API emulator: Telegram's checks and errors, faults, limits, polling, and the whole
chain from feed_update through a handler and HTTP back to the emulator."""

from __future__ import annotations

import asyncio
import struct

import aiohttp
import pytest
from aiogram import Bot
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.types import (
    BotCommand,
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
)

from tests.handlers import harness
from tests.handlers.harness import BotDriver
from tools.emulator import (
    EmulatorEvent,
    EventKind,
    MemberStatus,
    RateLimits,
    TelegramEmulator,
)
from tools.emulator.html import HtmlParseError, parse_html

# The handler tests' fixtures, shared rather than copied.
handlers_store_template = harness.handlers_store_template
bot_session_factory = harness.bot_session_factory
emulator_config = harness.emulator_config
emulator = harness.emulator
bot = harness.bot
dispatcher = harness.dispatcher
driver = harness.driver


def keyboard(*data: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=d or "x", callback_data=d) for d in data]]
    )


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


# --- HTML parse mode -----------------------------------------------------------------------


def test_html_gives_plain_text_and_utf16_entities() -> None:
    parsed = parse_html('💼 <b>Qarmet</b> &amp; <a href="https://baq.kz/a?b=1&amp;c=2">BAQ</a>')
    assert parsed.text == "💼 Qarmet & BAQ"
    assert parsed.entities == [
        {"type": "bold", "offset": 3, "length": 6},  # the emoji is two UTF-16 units
        {"type": "text_link", "offset": 12, "length": 3, "url": "https://baq.kz/a?b=1&c=2"},
    ]


def test_html_accepts_every_telegram_tag() -> None:
    source = (
        "<b>b</b><strong>s</strong><i>i</i><em>e</em><u>u</u><ins>n</ins><s>s</s>"
        '<strike>k</strike><del>d</del><span class="tg-spoiler">p</span><tg-spoiler>t</tg-spoiler>'
        '<code>c</code><pre><code class="language-python">x = 1</code></pre>'
        "<blockquote>q</blockquote><blockquote expandable>w</blockquote>"
        '<tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>&lt;&gt;&quot;&#8376;&#x20B8; R&D'
    )
    parsed = parse_html(source)
    assert parsed.text.endswith('<>"₸₸ R&D')
    types = {entity["type"] for entity in parsed.entities}
    assert {"spoiler", "pre", "expandable_blockquote", "custom_emoji"} <= types
    pre = next(entity for entity in parsed.entities if entity["type"] == "pre")
    assert pre["language"] == "python"


@pytest.mark.parametrize(
    ("source", "error"),
    [
        ("<p>text</p>", 'Unsupported start tag "p" at byte offset 0'),
        ("Инвестиции <br/>", 'Unsupported start tag "br/" at byte offset 21'),
        ("1 < 2", 'Unsupported start tag "" at byte offset 2'),
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b><i>x</b></i>", 'Unmatched end tag at byte offset 7, expected "</i>", found "</b>"'),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        ("a&nbsp;b", 'Unsupported HTML entity "&nbsp;" at byte offset 1'),
        ('<span class="red">x</span>', 'Tag "span" must have class "tg-spoiler"'),
        ("<a href>x</a>", 'Expected equal sign in declaration of an attribute of the tag "a"'),
    ],
)
def test_html_errors_read_like_telegram(source: str, error: str) -> None:
    with pytest.raises(HtmlParseError) as raised:
        parse_html(source)
    assert str(raised.value).startswith(error)


# --- sending and editing -------------------------------------------------------------------


async def test_send_message_is_stored_and_returned(emulator: TelegramEmulator, bot: Bot) -> None:
    user = emulator.create_user()
    sent = await bot.send_message(
        user.id, "<b>1,6 трлн ₸</b> до 2028 г.", reply_markup=keyboard("page:2")
    )
    assert sent.text == "1,6 трлн ₸ до 2028 г."
    assert sent.entities is not None and sent.entities[0].type == "bold"
    stored = emulator.last_sent(user)
    assert stored.html == "<b>1,6 трлн ₸</b> до 2028 г."
    assert stored.callback_data == ["page:2"]
    assert emulator.calls("sendMessage")[-1].params["parse_mode"] == "HTML"


async def test_text_length_is_counted_after_parsing(emulator: TelegramEmulator, bot: Bot) -> None:
    user = emulator.create_user()
    await bot.send_message(user.id, "<b>" + "я" * 4096 + "</b>")
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(user.id, "я" * 4097)
    with pytest.raises(TelegramBadRequest, match="message is too long"):
        await bot.send_message(user.id, "😀" * 2049)  # 4098 UTF-16 units


@pytest.mark.parametrize("text", ["", "<b></b>", "  \n"])
async def test_empty_text_is_refused(emulator: TelegramEmulator, bot: Bot, text: str) -> None:
    with pytest.raises(TelegramBadRequest, match="message text is empty"):
        await bot.send_message(emulator.create_user().id, text)


async def test_bad_html_is_refused(emulator: TelegramEmulator, bot: Bot) -> None:
    with pytest.raises(TelegramBadRequest, match="can't parse entities: Unsupported start tag"):
        await bot.send_message(emulator.create_user().id, "<div>x</div>")
    assert emulator.calls("sendMessage")[-1].ok is False
    assert emulator.sent_messages() == []


async def test_callback_data_must_be_1_to_64_bytes(emulator: TelegramEmulator, bot: Bot) -> None:
    user = emulator.create_user()
    await bot.send_message(user.id, "ok", reply_markup=keyboard("ж" * 32))  # 64 bytes
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(user.id, "x", reply_markup=keyboard("ж" * 32 + "a"))
    with pytest.raises(TelegramBadRequest, match="BUTTON_DATA_INVALID"):
        await bot.send_message(user.id, "x", reply_markup=keyboard(""))


async def test_edits_replace_the_content(emulator: TelegramEmulator, bot: Bot) -> None:
    user = emulator.create_user()
    sent = await bot.send_message(user.id, "page 1", reply_markup=keyboard("p:2"))
    with pytest.raises(TelegramBadRequest, match="message is not modified"):
        await bot.edit_message_text(
            "page 1", chat_id=user.id, message_id=sent.message_id, reply_markup=keyboard("p:2")
        )
    await bot.edit_message_text(
        "<i>page 2</i>", chat_id=user.id, message_id=sent.message_id, reply_markup=keyboard("p:1")
    )
    stored = emulator.last_sent(user)
    assert (stored.text, stored.callback_data, len(stored.history)) == ("page 2", ["p:1"], 1)
    await bot.edit_message_reply_markup(chat_id=user.id, message_id=sent.message_id)
    assert stored.buttons == []
    with pytest.raises(TelegramBadRequest, match="message to edit not found"):
        await bot.edit_message_text("x", chat_id=user.id, message_id=999)
    await bot.delete_message(user.id, sent.message_id)
    with pytest.raises(TelegramBadRequest, match="message to delete not found"):
        await bot.delete_message(user.id, sent.message_id)
    assert emulator.sent_messages(user) == []


async def test_documents_upload_and_download(emulator: TelegramEmulator, bot: Bot) -> None:
    user = emulator.create_user()
    png = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + struct.pack(">II", 640, 480) + b"..."
    photo = await bot.send_photo(user.id, BufferedInputFile(png, "chart.png"), caption="<b>c</b>")
    assert photo.photo is not None and (photo.photo[0].width, photo.photo[0].height) == (640, 480)
    with pytest.raises(TelegramBadRequest, match="message caption is too long"):
        await bot.send_document(user.id, BufferedInputFile(b"x", "a.txt"), caption="я" * 1025)

    update = emulator.send_document(user, "report.txt", b"2 800 jobs")
    assert update is not None and update.message is not None
    assert update.message.document is not None
    file = await bot.get_file(update.message.document.file_id)
    assert file.file_path is not None
    downloaded = await bot.download_file(file.file_path)
    assert downloaded is not None and downloaded.read() == b"2 800 jobs"


# --- queries -------------------------------------------------------------------------------


def article(result_id: str, text: str = "fact") -> InlineQueryResultArticle:
    return InlineQueryResultArticle(
        id=result_id,
        title=result_id,
        input_message_content=InputTextMessageContent(message_text=text),
    )


async def test_inline_answers_are_checked(emulator: TelegramEmulator, bot: Bot) -> None:
    user = emulator.create_user()
    query = emulator.inline_query(user, "Сарань").inline_query
    assert query is not None
    with pytest.raises(TelegramBadRequest, match="RESULTS_TOO_MUCH"):
        await bot.answer_inline_query(query.id, [article(str(n)) for n in range(51)])
    with pytest.raises(TelegramBadRequest, match="RESULT_ID_DUPLICATE"):
        await bot.answer_inline_query(query.id, [article("a"), article("a")])
    with pytest.raises(TelegramBadRequest, match="can't parse entities"):
        await bot.answer_inline_query(query.id, [article("a", "<p>x</p>")])
    await bot.answer_inline_query(
        query.id, [article("a", "<b>15 000 га</b>"), article("b")], next_offset="2"
    )
    answer = emulator.last_inline_answer()
    assert (answer.query, answer.ids, answer.next_offset) == ("Сарань", ["a", "b"], "2")
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_inline_query(query.id, [])

    message, _ = emulator.post_inline_result(user, answer, "a")
    assert message.text == "15 000 га" and message.via_bot is emulator.bot.user


async def test_button_presses_and_callback_answers(emulator: TelegramEmulator, bot: Bot) -> None:
    user = emulator.create_user()
    await bot.send_message(user.id, "topics", reply_markup=keyboard("topic:zones"))
    message = emulator.last_sent(user)
    update = emulator.press_button(message, "topic:zones")
    assert update.callback_query is not None
    assert update.callback_query.message is not None
    assert update.callback_query.message.message_id == message.message_id
    await bot.answer_callback_query(update.callback_query.id, text="ok")
    assert emulator.callback_answers[-1].text == "ok"
    with pytest.raises(TelegramBadRequest, match="query is too old"):
        await bot.answer_callback_query(update.callback_query.id)
    with pytest.raises(LookupError):
        emulator.press_button(message, "topic:cargo")


# --- users, chats and members --------------------------------------------------------------


def test_commands_get_entities_and_privacy_mode_hides_group_chatter(
    emulator: TelegramEmulator,
) -> None:
    user = emulator.create_user()
    update = emulator.send_message(user, "/zones@karaganda_facts_bot now")
    assert update is not None and update.message is not None
    assert update.message.entities is not None
    assert (update.message.entities[0].type, update.message.entities[0].length) == (
        "bot_command",
        26,
    )
    emulator.add_bot_to_group(user)
    group = next(chat for chat in emulator.world.chats.values() if chat.is_group)
    assert emulator.send_message(user, "hello everyone", group) is None
    assert emulator.send_message(user, "/zones@other_bot", group) is None
    assert emulator.send_message(user, "/zones", group) is not None


async def test_chat_members_and_chats(emulator: TelegramEmulator, bot: Bot) -> None:
    owner, admin, member = (emulator.create_user(name) for name in ("O", "A", "M"))
    group = emulator.create_group(
        "Newsroom", creator=owner, admins=(admin,), members=(member,), supergroup=True
    )
    update = emulator.add_bot_to_group(owner, group, status=MemberStatus.ADMINISTRATOR)
    assert update.my_chat_member is not None
    assert update.my_chat_member.new_chat_member.status == "administrator"
    statuses = [(await bot.get_chat_member(group.id, u.id)).status for u in (owner, admin, member)]
    assert statuses == ["creator", "administrator", "member"]
    chat = await bot.get_chat(group.id)
    assert (chat.type, chat.title) == ("supergroup", "Newsroom")
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.send_message(-42, "x")


async def test_blocked_users_and_absent_groups_refuse_messages(
    emulator: TelegramEmulator, bot: Bot
) -> None:
    user = emulator.create_user()
    update = emulator.block(user)
    assert update.my_chat_member is not None
    assert update.my_chat_member.new_chat_member.status == "kicked"
    with pytest.raises(TelegramForbiddenError, match="bot was blocked by the user"):
        await bot.send_message(user.id, "digest")
    emulator.unblock(user)
    await bot.send_message(user.id, "digest")
    group = emulator.create_group(creator=user)
    with pytest.raises(TelegramForbiddenError, match="bot is not a member of the group chat"):
        await bot.send_message(group.id, "digest")


async def test_commands_are_kept_per_scope_and_language(
    emulator: TelegramEmulator, bot: Bot
) -> None:
    await bot.set_my_commands([BotCommand(command="zones", description="Зоны")], language_code="ru")
    assert [c.command for c in await bot.get_my_commands(language_code="ru")] == ["zones"]
    assert await bot.get_my_commands() == []
    await bot.delete_my_commands(language_code="ru")
    assert await bot.get_my_commands(language_code="ru") == []
    with pytest.raises(TelegramBadRequest, match="BOT_COMMAND_INVALID"):
        await bot.set_my_commands([BotCommand(command="Bad Command", description="x")])


async def test_unknown_methods_and_tokens(emulator: TelegramEmulator) -> None:
    async with aiohttp.ClientSession() as http:
        async with http.post(f"{emulator.base_url}/bot{emulator.token}/sendTelepathy") as reply:
            assert reply.status == 404
            assert await reply.json() == {
                "ok": False,
                "error_code": 404,
                "description": "Not Found",
            }
        async with http.post(f"{emulator.base_url}/bot1:wrong/getMe") as reply:
            assert reply.status == 401
        async with http.post(f"{emulator.base_url}/bot{emulator.token}/getme") as reply:
            assert (await reply.json())["result"]["username"] == "karaganda_facts_bot"


# --- faults and limits ---------------------------------------------------------------------


async def test_faults_fail_matching_requests_then_stop(
    emulator: TelegramEmulator, bot: Bot
) -> None:
    user, other = emulator.create_user(), emulator.create_user()
    emulator.faults.add(
        "retry_after", method="sendMessage", chat_id=user.id, times=2, retry_after=7
    )
    await bot.send_message(other.id, "other chats are not affected")
    for _ in range(2):
        with pytest.raises(TelegramRetryAfter) as raised:
            await bot.send_message(user.id, "x")
        assert raised.value.retry_after == 7
    await bot.send_message(user.id, "third time lucky")
    assert emulator.faults.active == []

    emulator.faults.add("server_error", method="sendMessage")
    with pytest.raises(TelegramServerError):
        await bot.send_message(user.id, "x")
    emulator.faults.add("forbidden")
    with pytest.raises(TelegramForbiddenError, match="blocked"):
        await bot.send_message(user.id, "x")
    emulator.faults.add("chat_not_found", method="sendPhoto")
    with pytest.raises(TelegramBadRequest, match="chat not found"):
        await bot.send_photo(user.id, BufferedInputFile(b"img", "a.png"))


async def test_timeout_fault_drops_the_connection(emulator: TelegramEmulator, bot: Bot) -> None:
    user = emulator.create_user()
    emulator.faults.add("timeout", method="sendMessage", after_delivery=True)
    with pytest.raises(TelegramNetworkError):
        await bot.send_message(user.id, "delivered, but the answer is lost")
    assert emulator.last_sent(user).text == "delivered, but the answer is lost"


async def test_rate_limits_are_counted(emulator: TelegramEmulator, bot: Bot) -> None:
    clock = FakeClock()
    emulator.limiter.clock = clock
    users = [emulator.create_user() for _ in range(31)]
    for user in users:
        await bot.send_message(user.id, "digest")
    assert [v.rule for v in emulator.violations] == ["overall"]
    await bot.send_message(users[0].id, "again")
    assert {v.rule for v in emulator.violations} == {"overall", "chat"}

    clock.now += 61
    emulator.violations.clear()
    group = emulator.create_group(creator=users[0])
    emulator.add_bot_to_group(users[0], group)
    for _ in range(21):
        clock.now += 2  # slow enough for the one-per-second rule
        await bot.send_message(group.id, "digest")
    assert [v.rule for v in emulator.violations] == ["group"]


async def test_enforced_limits_answer_429(emulator: TelegramEmulator, bot: Bot) -> None:
    clock = FakeClock()
    emulator.limiter.clock = clock
    emulator.limiter.limits = RateLimits(enforce=True)
    user = emulator.create_user()
    await bot.send_message(user.id, "one")
    with pytest.raises(TelegramRetryAfter) as raised:
        await bot.send_message(user.id, "two")
    assert raised.value.retry_after == 1
    assert [m.text for m in emulator.sent_messages(user)] == ["one"]
    clock.now += 1.5
    await bot.send_message(user.id, "two")


# --- getUpdates ----------------------------------------------------------------------------


async def test_get_updates_long_polls_and_confirms(emulator: TelegramEmulator, bot: Bot) -> None:
    user = emulator.create_user()
    loop = asyncio.get_running_loop()
    loop.call_later(0.05, emulator.send_message, user, "/start")
    # The long poll returns with the update that arrives while it waits; wait_for only
    # turns a poll that never returns into a failure instead of a hang.
    updates = await asyncio.wait_for(bot.get_updates(timeout=30), timeout=15)
    assert [u.message.text for u in updates if u.message] == ["/start"]
    assert await bot.get_updates(offset=updates[-1].update_id + 1, timeout=0) == []
    assert emulator.pending_updates() == []

    emulator.inline_query(user, "x")
    emulator.send_message(user, "hi")
    only_messages = await bot.get_updates(allowed_updates=["message"])
    assert [u.event_type for u in only_messages] == ["message"]


async def test_idle_poll_ends_at_the_configured_cap(emulator: TelegramEmulator, bot: Bot) -> None:
    # The fixture caps polls at 0.5 s: a 30 s poll comes back empty long before wait_for
    # would give up on it.
    assert await asyncio.wait_for(bot.get_updates(timeout=30), timeout=15) == []


async def test_a_second_poll_terminates_the_first(emulator: TelegramEmulator, bot: Bot) -> None:
    first = asyncio.create_task(bot.get_updates(timeout=5))
    await asyncio.sleep(0.05)
    second = asyncio.create_task(bot.get_updates(timeout=0))
    with pytest.raises(TelegramConflictError, match="terminated by other getUpdates"):
        await first
    assert await second == []


# --- the whole chain -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "answer"),
    [
        pytest.param(
            "ru", "Я не знаю такой команды. Отправьте /help, чтобы узнать, что я умею.", id="ru"
        ),
        pytest.param(
            "kk",
            "Мен бұл команданы білмеймін. Не істей алатынымды көру үшін /help жіберіңіз.",
            id="kk",
        ),
    ],
)
async def test_fallback_answers_unknown_commands_over_http(
    driver: BotDriver, language: str, answer: str
) -> None:
    user = driver.new_user(language_code=language)
    turn = await driver.send("/no_such_command", user=user)
    assert turn.text == answer
    assert [(call.method, call.params["chat_id"]) for call in turn.calls] == [
        ("sendMessage", user.id)
    ]
    assert driver.emulator.last_sent(user).text == answer


async def test_polling_reaches_the_fallback_too(driver: BotDriver) -> None:
    """The same chain with real long polling instead of feed_update. Each update is
    handled inside the polling loop, so that once polling has stopped no handler is left
    running (holding a store connection) after the test."""
    answered = asyncio.Event()

    def on_event(event: EmulatorEvent) -> None:
        if event.kind is EventKind.SENT:
            answered.set()

    driver.emulator.subscribe(on_event)
    driver.emulator.send_message(driver.user, "/no_such_command")
    polling = asyncio.create_task(
        driver.dispatcher.start_polling(
            driver.bot,
            handle_signals=False,
            close_bot_session=False,
            polling_timeout=1,
            handle_as_tasks=False,
        )
    )
    try:
        await asyncio.wait_for(answered.wait(), 10)
    finally:
        await driver.dispatcher.stop_polling()
        await polling
    assert driver.emulator.last_sent(driver.user).text.startswith("Я не знаю такой команды")
