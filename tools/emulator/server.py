"""HTTP in front of the Bot API methods: the URL scheme and request encodings of Telegram.

Methods are served at `{base}/bot{token}/{method}` and files at `{base}/file/bot{token}/{path}`,
which is what aiogram's `TelegramAPIServer.from_base(base)` calls. Parameters arrive as a query
string, urlencoded or multipart form (aiogram's way: JSON-encoded objects, `attach://` files)
or a JSON body.
"""

from __future__ import annotations

import asyncio
import json
import re
import socket
from typing import TYPE_CHECKING, Any

from aiohttp import web
from multidict import MultiMapping

from tools.emulator.errors import ApiError, DropConnection
from tools.emulator.methods import BotApi, Call, UploadedFile

if TYPE_CHECKING:
    from tools.emulator.emulator import TelegramEmulator

_JSON_FIELDS = frozenset(
    {
        "reply_markup",
        "entities",
        "caption_entities",
        "results",
        "commands",
        "scope",
        "allowed_updates",
        "link_preview_options",
        "reply_parameters",
        "button",
        "media",
    }
)
_INT_FIELDS = frozenset(
    {
        "chat_id",
        "from_chat_id",
        "message_id",
        "user_id",
        "offset",
        "limit",
        "timeout",
        "cache_time",
        "reply_to_message_id",
        "message_thread_id",
    }
)
_BOOL_PREFIXES = ("is_", "can_", "show_", "disable_", "drop_", "protect_", "allow_", "has_")
_INTEGER = re.compile(r"-?\d+")
UPLOAD_LIMIT = 50 * 1024 * 1024  # sendDocument's limit on api.telegram.org


def decode_param(name: str, value: str) -> Any:
    """A form value as the Bot API reads it: objects are JSON, numbers and flags are typed."""
    if name in _JSON_FIELDS:
        try:
            return json.loads(value)
        except ValueError:
            raise ApiError.bad_request(f"can't parse {name} JSON object") from None
    if name in _INT_FIELDS and _INTEGER.fullmatch(value):
        return int(value)
    if name.startswith(_BOOL_PREFIXES) and value in ("true", "false", "True", "False"):
        return value.lower() == "true"
    return value


async def read_params(request: web.Request) -> tuple[dict[str, Any], dict[str, UploadedFile]]:
    params: dict[str, Any] = {}
    files: dict[str, UploadedFile] = {}
    _merge(params, request.query)
    if request.content_type == "application/json":
        body = await request.json()
        if isinstance(body, dict):
            params.update(body)
    elif request.body_exists:
        form = await request.post()
        for name, value in form.items():
            if isinstance(value, web.FileField):
                files[name] = UploadedFile(value.filename, value.file.read(), value.content_type)
        _merge(params, {k: v for k, v in form.items() if isinstance(v, str)})
    return params, files


def _merge(params: dict[str, Any], values: MultiMapping[str] | dict[str, str]) -> None:
    for name, value in values.items():
        params[name] = decode_param(name, value)


class ApiServer:
    """The aiohttp application on 127.0.0.1 and a random free port."""

    def __init__(self, emulator: TelegramEmulator) -> None:
        self.emulator = emulator
        self.api = BotApi(emulator)
        self._runner: web.AppRunner | None = None
        self.port: int | None = None

    def application(self) -> web.Application:
        app = web.Application(client_max_size=UPLOAD_LIMIT)
        app.router.add_route("*", "/bot{token}/{method}", self.on_method)
        app.router.add_get("/file/bot{token}/{path:.+}", self.on_file)
        return app

    async def start(self, host: str = "127.0.0.1") -> None:
        # Binding the socket ourselves gives the free port before anyone connects.
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, 0))
        self.port = sock.getsockname()[1]
        self._runner = web.AppRunner(
            self.application(), handle_signals=False, access_log=None, shutdown_timeout=1.0
        )
        await self._runner.setup()
        await web.SockSite(self._runner, sock).start()

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def on_method(self, request: web.Request) -> web.StreamResponse:
        bot = self.emulator.bots.get(request.match_info["token"])
        if bot is None:
            return _error(ApiError.unauthorized())
        try:
            params, files = await read_params(request)
            result = await self.api.call(Call(bot, request.match_info["method"], params, files))
        except ApiError as error:
            return _error(error)
        except DropConnection as drop:
            await asyncio.sleep(drop.delay)
            if request.transport is not None:
                request.transport.abort()
            raise asyncio.CancelledError from None
        return web.json_response({"ok": True, "result": result}, dumps=_dumps)

    async def on_file(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["token"] not in self.emulator.bots:
            return _error(ApiError.unauthorized())
        stored = self.emulator.world.file_by_path(request.match_info["path"])
        if stored is None:
            return _error(ApiError.not_found())
        return web.Response(
            body=stored.content, content_type=stored.mime_type or "application/octet-stream"
        )


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _error(error: ApiError) -> web.Response:
    return web.json_response(error.to_json(), status=error.code, dumps=_dumps)
