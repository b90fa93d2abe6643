"""Uploads: read off the event loop within limits, a name already stored is replaced only
when the administrator confirms, and a UTF-16 file is told apart."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from aiogram import Bot

import bot.storage.ingest
import handlers.documents
from bot import DOCUMENTS_DIR
from bot.domain.settings import Settings
from bot.features.uploads import UploadLimits
from tests.handlers.answers import assert_valid
from tests.handlers.harness import BotDriver, make_settings

# One long line of numbers: the kind of upload that once kept everyone waiting.
MANY_NUMBERS = ("Инвестиции: " + " ".join(str(1_000 + n) for n in range(20_000))).encode()
ARTICLE = (DOCUMENTS_DIR / "001_bb7e911e767982e2.txt").read_bytes()


def admins(driver: BotDriver, **extra: Any) -> dict[str, Any]:
    settings: Settings = make_settings().model_copy(
        update={"admin_ids": frozenset({driver.user.id})}
    )
    return {"settings": settings, **extra}


async def test_other_users_are_answered_while_an_upload_is_read(
    driver: BotDriver, monkeypatch: pytest.MonkeyPatch
) -> None:
    downloaded = asyncio.Event()
    download = handlers.documents._download

    async def watched_download(bot: Bot, file_id: str) -> bytes:
        data = await download(bot, file_id)
        downloaded.set()
        return data

    monkeypatch.setattr(handlers.documents, "_download", watched_download)
    # The analysis must not run in the bot's process (where it would hold the event loop).
    in_this_process: list[str] = []
    analyse = bot.storage.ingest.analyse

    def recorded_analyse(document: Any, gazetteer: Any) -> Any:
        in_this_process.append(document.meta.file_name)
        return analyse(document, gazetteer)

    monkeypatch.setattr(bot.storage.ingest, "analyse", recorded_analyse)
    other = driver.new_user("Other")
    upload = asyncio.create_task(
        driver.send_document(
            "many_numbers.txt",
            MANY_NUMBERS,
            **admins(driver, upload_limits=UploadLimits(seconds=3)),
        )
    )
    await downloaded.wait()
    # The upload is being read now; other users' commands are answered meanwhile.
    for _ in range(5):
        answer = await driver.send("/help", user=other)
        assert answer.sent
        assert not upload.done()
    await upload
    # Either read in time or stopped at the limit: an answer either way. (The driver
    # records one turn at a time, so the answer is looked up in the chat.)
    text = assert_valid(driver.emulator.last_sent(driver.user))
    assert "many_numbers.txt" in text
    assert in_this_process == []


async def test_a_document_past_the_time_limit_is_stopped(driver: BotDriver) -> None:
    limits = UploadLimits(seconds=0.01)
    turn = await driver.send_document("slow.txt", ARTICLE, **admins(driver, upload_limits=limits))
    assert "слишком долго" in assert_valid(turn.reply)
    # Nothing of it was stored: sent again with time to spare, it is added.
    turn = await driver.send_document("slow.txt", ARTICLE, **admins(driver))
    assert "добавлен" in assert_valid(turn.reply)


async def test_a_stored_name_is_replaced_only_when_confirmed(driver: BotDriver) -> None:
    await driver.send_document("article.txt", ARTICLE, **admins(driver))
    changed = ARTICLE + "\nЕщё одна строка.".encode()
    question = await driver.send_document("article.txt", changed, **admins(driver))
    assert "уже есть" in assert_valid(question.reply)
    kept = await driver.press(question.reply, text="✖️ Оставить прежний", **admins(driver))
    assert "остаётся" in assert_valid(kept.reply)

    question = await driver.send_document("article.txt", changed, **admins(driver))
    replaced = await driver.press(question.reply, text="🔄 Заменить", **admins(driver))
    assert "обновлён" in assert_valid(replaced.reply)
    # The same press again finds nothing waiting.
    again = await driver.feed(
        driver.emulator.press_forged(question.reply, "upload:1"), **admins(driver)
    )
    assert again.callback_answer.text and "устарела" in again.callback_answer.text


async def test_a_utf16_file_is_named_as_such(driver: BotDriver) -> None:
    data = "Инвестиции 5 млрд тенге".encode("utf-16")
    turn = await driver.send_document("article.txt", data, **admins(driver))
    assert "UTF-16" in assert_valid(turn.reply)
