"""An aiogram session that calls the emulator's Bot API in-process: the same parameters as
over HTTP (aiogram's form encoding, the server's decoding), the same checks, faults, rate
accounting and answers, without sockets — for fan-outs of thousands of messages."""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator
from typing import TYPE_CHECKING, Any, cast

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.exceptions import TelegramNetworkError
from aiogram.methods import TelegramMethod
from aiogram.methods.base import TelegramType

from tools.emulator import ApiError, TelegramEmulator
from tools.emulator.errors import DropConnection
from tools.emulator.methods import Call
from tools.emulator.server import decode_param

if TYPE_CHECKING:
    from tools.emulator.world import BotAccount


class EmulatorSession(BaseSession):
    def __init__(self, emulator: TelegramEmulator) -> None:
        super().__init__()
        self.emulator = emulator

    async def make_request(
        self,
        bot: Bot,
        method: TelegramMethod[TelegramType],
        timeout: int | None = None,  # noqa: ASYNC109 - aiogram's signature
    ) -> TelegramType:
        account: BotAccount | None = self.emulator.bots.get(bot.token)
        if account is None:
            raise AssertionError("the emulator does not know this token")
        files: dict[str, Any] = {}
        params: dict[str, Any] = {}
        for key, value in method.model_dump(warnings=False).items():
            prepared = self.prepare_value(value, bot=bot, files=files)
            if prepared:
                # As the form would carry it: a str enum (ParseMode) as its value.
                text = str.__str__(prepared) if isinstance(prepared, str) else str(prepared)
                params[key] = decode_param(key, text)
        if files:
            raise NotImplementedError("files go over HTTP")
        try:
            result = await self.emulator._server.api.call(
                Call(account, method.__api_method__, params)
            )
        except ApiError as error:
            content, status = json.dumps(error.to_json()), error.code
        except DropConnection as error:
            raise TelegramNetworkError(method=method, message="connection dropped") from error
        else:
            content, status = json.dumps({"ok": True, "result": result}), 200
        response = self.check_response(bot=bot, method=method, status_code=status, content=content)
        return cast(TelegramType, response.result)

    async def stream_content(
        self,
        url: str,
        headers: dict[str, Any] | None = None,
        timeout: int = 30,  # noqa: ASYNC109 - aiogram's signature
        chunk_size: int = 65536,
        raise_for_status: bool = True,
    ) -> AsyncGenerator[bytes, None]:
        for chunk in ():  # an async generator, as aiogram's, that has nothing to give
            yield chunk
        raise NotImplementedError

    async def close(self) -> None:
        return None
