"""/subscribe, /unsubscribe, /settings and /digest in both languages, in private chats and
groups; the bot blocked or removed; administrators adding documents."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot import DOCUMENTS_DIR
from bot.domain.settings import Settings
from bot.storage.subscriptions import Subscription, SubscriptionRepository
from tests.handlers.answers import assert_valid
from tests.handlers.harness import BotDriver, make_settings
from tools.emulator.world import Chat, StoredMessage

# Wednesday 12 March 2025, 10:00 in Almaty.
NOW = datetime(2025, 3, 12, 5, tzinfo=UTC)
LONG_AGO = datetime(2020, 1, 1, tzinfo=UTC)


def at(moment: datetime) -> dict[str, object]:
    """The handlers' clock for one update."""
    return {"utcnow": lambda: moment}


@pytest.fixture
async def bot_session_factory(
    seeded_session_factory: async_sessionmaker[AsyncSession],
) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    yield seeded_session_factory


async def stored(driver: BotDriver, chat_id: int) -> Subscription | None:
    factory = driver.dispatcher.workflow_data["session_factory"]
    async with factory() as session:
        return await SubscriptionRepository(session).get(chat_id)


def button(message: StoredMessage, text: str) -> str:
    for candidate in message.flat_buttons:
        if candidate.text == text:
            assert candidate.value is not None
            return candidate.value
    raise AssertionError(f"no button {text!r} in {[b.text for b in message.flat_buttons]}")


async def test_subscribe_with_buttons(driver: BotDriver) -> None:
    form = await driver.send("/subscribe", **at(NOW))
    text = assert_valid(form.reply)
    assert text.startswith("📬 Подписка на дайджест")
    assert "Темы: все темы" in text and "Как часто: ежедневно" in text and "Время: 09:00" in text
    # Everything is chosen at first: take investments and jobs off, go weekly at 08:00.
    turn = await driver.press(form.reply, button(form.reply, "✅ 💼 Инвестиции"))
    turn = await driver.press(turn.reply, button(turn.reply, "✅ 👷 Рабочие места"))
    turn = await driver.press(turn.reply, button(turn.reply, "еженедельно"))
    turn = await driver.press(turn.reply, button(turn.reply, "08:00"))
    text = assert_valid(turn.reply)
    assert "Темы: Экономические зоны, Грузы и логистика, Производство" in text
    assert "Как часто: еженедельно" in text and "Время: 08:00" in text
    assert turn.reply.message_id == form.reply.message_id  # edited in place

    saved = await driver.press(turn.reply, button(turn.reply, "💾 Сохранить"), **at(NOW))
    text = assert_valid(saved.reply)
    assert text.startswith("✅ Подписка оформлена.")
    assert "Когда: еженедельно, по понедельникам в 08:00" in text
    assert "Следующий дайджест: 17 марта 2025 г., 08:00" in text
    subscription = await stored(driver, driver.user.id)
    assert subscription is not None and subscription.active
    assert subscription.language == "ru" and subscription.chat_type == "private"


async def test_nothing_chosen_is_not_saved(driver: BotDriver) -> None:
    form = await driver.send("/subscribe")
    turn = await driver.press(form.reply, button(form.reply, "✅ Все темы"))
    assert "Темы: пока не выбраны" in assert_valid(turn.reply)
    refused = await driver.press(turn.reply, button(turn.reply, "💾 Сохранить"))
    assert refused.callback_answer.text == "Выберите хотя бы одну тему."
    assert refused.callback_answer.show_alert
    assert await stored(driver, driver.user.id) is None


@pytest.mark.parametrize(
    ("command", "topics", "when"),
    [
        ("/subscribe all daily", "Темы: все темы", "Когда: ежедневно в 09:00"),
        (
            "/subscribe zones,cargo weekly 08:00",
            "Темы: Экономические зоны, Грузы и логистика",
            "Когда: еженедельно, по понедельникам в 08:00",
        ),
        ("/subscribe jobs 7:30", "Темы: Рабочие места", "Когда: ежедневно в 07:30"),
    ],
)
async def test_subscribe_in_one_line(
    driver: BotDriver, command: str, topics: str, when: str
) -> None:
    turn = await driver.send(command, **at(NOW))
    text = assert_valid(turn.reply)
    assert text.startswith("✅ Подписка оформлена.")
    assert topics in text and when in text


async def test_a_later_line_changes_only_what_it_names(driver: BotDriver) -> None:
    await driver.send("/subscribe zones weekly", **at(NOW))
    turn = await driver.send("/subscribe 18:00", **at(NOW))
    text = assert_valid(turn.reply)
    assert "Темы: Экономические зоны" in text
    assert "Когда: еженедельно, по понедельникам в 18:00" in text


async def test_a_word_not_understood(driver: BotDriver) -> None:
    turn = await driver.send("/subscribe zones monthly")
    assert assert_valid(turn.reply).startswith("Не понял «monthly». Например: /subscribe all daily")
    assert await stored(driver, driver.user.id) is None


async def test_in_kazakh(driver: BotDriver) -> None:
    user = driver.new_user("Айгерім", language_code="kk")
    turn = await driver.send("/subscribe барлығы апта сайын 8:00", user=user, **at(NOW))
    text = assert_valid(turn.reply)
    assert text.startswith("✅ Жазылым рәсімделді.")
    assert "Тақырыптар: барлық тақырыптар" in text
    assert "Қашан: апта сайын, дүйсенбіде, сағат 08:00" in text
    assert "Келесі дайджест: 2025 ж. 17 наурыз, 08:00" in text
    settings = await driver.send("/settings", user=user, **at(NOW))
    assert [b.text for b in settings.reply.flat_buttons] == ["✏️ Өзгерту", "🔕 Жазылымнан шығу"]
    subscription = await stored(driver, user.id)
    assert subscription is not None and subscription.language == "kk"


async def test_settings_and_unsubscribe(driver: BotDriver) -> None:
    none = await driver.send("/settings")
    assert assert_valid(none.reply) == (
        "В этом чате нет подписки на дайджест. Чтобы оформить её, отправьте /subscribe."
    )
    assert [b.text for b in none.reply.flat_buttons] == ["📬 Подписаться"]
    form = await driver.press(none.reply, button(none.reply, "📬 Подписаться"))
    assert assert_valid(form.reply).startswith("📬 Подписка на дайджест")

    await driver.send("/subscribe all daily", **at(NOW))
    settings = await driver.send("/settings")
    text = assert_valid(settings.reply)
    assert "Когда: ежедневно в 09:00" in text and "Если нового нет, ничего не приходит." in text
    off = await driver.press(settings.reply, button(settings.reply, "🔕 Отписаться"))
    assert assert_valid(off.reply).startswith("🔕 Дайджесты больше не будут приходить.")
    subscription = await stored(driver, driver.user.id)
    assert subscription is not None and not subscription.active
    again = await driver.send("/unsubscribe")
    assert assert_valid(again.reply) == "В этом чате нет подписки на дайджест."


async def test_unsubscribe_in_one_tap(driver: BotDriver) -> None:
    await driver.send("/subscribe all daily", **at(NOW))
    turn = await driver.send("/unsubscribe")
    assert assert_valid(turn.reply).startswith("🔕 Дайджесты больше не будут приходить.")
    assert not (await stored(driver, driver.user.id)).active  # type: ignore[union-attr]


async def test_digest_shows_what_would_be_sent_now(driver: BotDriver) -> None:
    none = await driver.send("/digest")
    assert assert_valid(none.reply).startswith("В этом чате нет подписки на дайджест.")
    # Subscribed long ago: everything in the store is new to this subscriber.
    await driver.send("/subscribe all daily", **at(LONG_AGO))
    preview = await driver.send("/digest")
    text = assert_valid(preview.reply)
    assert text.startswith("Так выглядел бы ваш следующий дайджест, если бы он ушёл сейчас:")
    assert "📬 Дайджест · Карагандинская область" in text
    assert "с 1 января 2020 г." in text and "Источник:" in text
    assert [b.text for b in preview.reply.flat_buttons] == ["▶"]
    page_two = await driver.press(preview.reply, button(preview.reply, "▶"))
    assert re.search(r"Страница 2 из [23]$", assert_valid(page_two.reply))
    assert page_two.reply.message_id == preview.reply.message_id


async def test_digest_with_nothing_new(driver: BotDriver) -> None:
    await driver.send("/subscribe all daily", **at(NOW))
    turn = await driver.send("/digest", **at(NOW))
    assert assert_valid(turn.reply) == (
        "С 12 марта 2025 г. ничего нового: дайджест приходит, только когда появляются новые цифры."
    )


async def group_with_admin(driver: BotDriver) -> tuple[Chat, object, object]:
    admin = driver.new_user("Admin")
    member = driver.new_user("Member")
    group = driver.emulator.create_group(
        "Chamber", creator=admin, members=(member,), supergroup=True
    )
    await driver.add_to_group(user=admin, chat=group)
    return group, admin, member


async def test_in_a_group_only_administrators_subscribe(driver: BotDriver) -> None:
    group, admin, member = await group_with_admin(driver)
    refused = await driver.send("/subscribe all daily", user=member, chat=group)  # type: ignore[arg-type]
    assert assert_valid(refused.reply) == (
        "Подписку группы на дайджест могут менять только её администраторы."
    )
    assert await stored(driver, group.id) is None

    form = await driver.send("/subscribe", user=admin, chat=group)  # type: ignore[arg-type]
    pressed = await driver.press(
        form.reply,
        button(form.reply, "еженедельно"),
        user=member,  # type: ignore[arg-type]
    )
    assert pressed.callback_answer.show_alert
    assert "только её администраторы" in (pressed.callback_answer.text or "")
    saved = await driver.press(
        form.reply,
        button(form.reply, "💾 Сохранить"),
        user=admin,
        **at(NOW),  # type: ignore[arg-type]
    )
    assert assert_valid(saved.reply).startswith("✅ Подписка оформлена.")
    subscription = await stored(driver, group.id)
    assert subscription is not None and subscription.chat_type == "supergroup"
    # Anyone may look; only administrators may stop it.
    assert "Когда: ежедневно в 09:00" in assert_valid(
        (await driver.send("/settings", user=member, chat=group)).reply  # type: ignore[arg-type]
    )
    no = await driver.send("/unsubscribe", user=member, chat=group)  # type: ignore[arg-type]
    assert "только её администраторы" in assert_valid(no.reply)
    assert (await stored(driver, group.id)).active  # type: ignore[union-attr]


async def test_blocked_or_removed_the_subscription_ends(driver: BotDriver) -> None:
    await driver.send("/subscribe all daily", **at(NOW))
    await driver.block()
    assert not (await stored(driver, driver.user.id)).active  # type: ignore[union-attr]

    group, admin, _ = await group_with_admin(driver)
    await driver.send("/subscribe all daily", user=admin, chat=group, **at(NOW))  # type: ignore[arg-type]
    await driver.feed(driver.emulator.remove_bot_from_group(admin, group))  # type: ignore[arg-type]
    removed = await stored(driver, group.id)
    assert removed is not None and not removed.active
    assert removed.deactivated_reason == "removed"


def admins(driver: BotDriver) -> dict[str, Settings]:
    settings = make_settings().model_copy(update={"admin_ids": frozenset({driver.user.id})})
    return {"settings": settings}


async def test_an_administrator_adds_a_document(driver: BotDriver) -> None:
    data = (DOCUMENTS_DIR / "001_bb7e911e767982e2.txt").read_bytes()
    turn = await driver.send_document("013_new_article.txt", data, **admins(driver))
    text = assert_valid(turn.reply)
    assert text.startswith("📥 «013_new_article.txt» добавлен: 8 фактов.")
    assert "Подписчики получат новые цифры в следующем дайджесте." in text
    again = await driver.send_document("013_new_article.txt", data, **admins(driver))
    assert assert_valid(again.reply) == "«013_new_article.txt» уже есть в базе, без изменений."
    noise = await driver.send_document("014_noise.txt", b"\n\n", **admins(driver))
    assert assert_valid(noise.reply).startswith("⚠️ «014_noise.txt» не добавлен:")
    pdf = await driver.send_document("article.pdf", b"%PDF-1.4", **admins(driver))
    assert assert_valid(pdf.reply) == "Я умею добавлять только текстовые документы (.txt)."


async def test_anyone_else_is_thanked_and_refused(driver: BotDriver) -> None:
    turn = await driver.send_document("article.txt", b"some text")
    assert assert_valid(turn.reply).startswith(
        "Спасибо, но добавлять документы могут только администраторы бота."
    )
    kk = await driver.send_document(
        "article.txt", b"some text", user=driver.new_user("Айгерім", language_code="kk")
    )
    assert assert_valid(kk.reply).startswith("Рақмет, бірақ құжаттарды тек боттың әкімшілері")


async def test_an_added_document_reaches_the_next_digest(driver: BotDriver) -> None:
    """What an administrator adds is what subscribers get next."""
    await driver.send("/subscribe jobs daily", **at(NOW))
    data = (DOCUMENTS_DIR / "001_bb7e911e767982e2.txt").read_bytes()
    await driver.send_document("015_jobs.txt", data, **admins(driver))
    preview = await driver.send("/digest")
    text = assert_valid(preview.reply)
    assert "👷 Рабочие места" in text and "📬 Дайджест" in text


async def test_one_tap_under_a_digest(driver: BotDriver) -> None:
    """The buttons under a digest: settings below it, or the end of the digests."""
    from bot.features.digests.fanout import FanoutConfig
    from bot.features.digests.scheduler import create_fanout
    from bot.render.i18n import create_i18n

    await driver.send("/subscribe all daily", **at(LONG_AGO))
    factory = driver.dispatcher.workflow_data["session_factory"]
    fanout = create_fanout(
        driver.bot,
        factory,
        make_settings(),
        create_i18n(),
        config=FanoutConfig(settle=timedelta(0)),
    )
    assert (await fanout.run(force=True)).digests == 1
    digest = driver.emulator.last_sent(driver.user)
    assert [b.text for b in digest.flat_buttons] == ["⚙️ Настройки", "🔕 Отписаться"]

    settings = await driver.press(digest, button(digest, "⚙️ Настройки"))
    assert "Когда: ежедневно в 09:00" in assert_valid(settings.reply)
    stop = await driver.press(digest, button(digest, "🔕 Отписаться"))
    assert assert_valid(stop.reply).startswith("🔕 Дайджесты больше не будут приходить.")
    assert stop.reply.message_id != digest.message_id  # the digest stays as it was
    assert not (await stored(driver, driver.user.id)).active  # type: ignore[union-attr]
