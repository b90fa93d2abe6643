"""Webhook mode: Telegram posts updates to an aiohttp server instead of the bot polling.

Any number of replicas can run this server behind one public address (a load balancer or
reverse proxy terminating HTTPS at WEBHOOK_URL): they share the store (PostgreSQL) and,
with REDIS_URL, the FSM state, per-user event isolation and the send limiter, so it does
not matter which replica gets an update.

- Every request must carry WEBHOOK_SECRET in Telegram's secret header; anything else is
  answered 401 before it reaches the dispatcher.
- Each replica registers the webhook at start (idempotent, and a changed secret takes
  effect), and none removes it at shutdown: the others are still serving.
- A request with the right secret but a body that is not an update (broken JSON, or JSON
  of another shape) is answered 400: a retry would not mend it.
- An update is handled before the request is answered. A replica that dies mid-update
  then leaves Telegram without an answer, and Telegram delivers the update again (to
  whichever replica), rather than the update being lost in a background task.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import signal
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.types import Update
from aiogram.webhook.aiohttp_server import SimpleRequestHandler, setup_application
from aiohttp import web
from pydantic import ValidationError

from bot.app.reachability import when_reachable
from bot.domain.settings import Settings

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
HEALTH_PATH = "/healthz"


class UpdateRequestHandler(SimpleRequestHandler):
    """aiogram's handler, with a body that is not an update answered 400 instead of 500."""

    async def _handle_request(self, bot: Bot, request: web.Request) -> web.Response:
        try:
            update: Any = await request.json(loads=bot.session.json_loads)
            parsed = Update.model_validate(update, context={"bot": bot})
        except (json.JSONDecodeError, UnicodeDecodeError, ValidationError, TypeError) as error:
            log.warning("webhook: a request body that is not an update: %s", type(error).__name__)
            return web.Response(status=400, text="not an update")
        result: Any = await self.dispatcher.feed_webhook_update(bot, parsed, **self.data)
        return web.Response(body=self._build_response_writer(bot=bot, result=result))


def create_webhook_app(dispatcher: Dispatcher, bot: Bot, settings: Settings) -> web.Application:
    """The aiohttp application: the webhook at WEBHOOK_URL's path, and a health check."""
    if settings.webhook_secret is None:
        raise ValueError("WEBHOOK_SECRET is required in webhook mode")
    app = web.Application()
    UpdateRequestHandler(
        dispatcher,
        bot,
        handle_in_background=False,
        secret_token=settings.webhook_secret.get_secret_value(),
    ).register(app, path=settings.webhook_path)
    app.router.add_get(HEALTH_PATH, _health)
    setup_application(app, dispatcher, bot=bot)
    return app


async def _health(_request: web.Request) -> web.Response:
    return web.Response(text="ok")


async def register_webhook(bot: Bot, dispatcher: Dispatcher, settings: Settings) -> None:
    """Points Telegram at WEBHOOK_URL with the secret, keeping the updates that wait."""
    assert settings.webhook_url is not None and settings.webhook_secret is not None
    await bot.set_webhook(
        url=settings.webhook_url,
        secret_token=settings.webhook_secret.get_secret_value(),
        allowed_updates=dispatcher.resolve_used_update_types(),
        drop_pending_updates=False,
    )


async def serve_webhook(dispatcher: Dispatcher, bot: Bot, settings: Settings) -> None:
    """Registers the webhook and serves it until SIGTERM or SIGINT."""

    await when_reachable("setWebhook", lambda: register_webhook(bot, dispatcher, settings))
    runner = web.AppRunner(create_webhook_app(dispatcher, bot, settings), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, settings.webhook_host, settings.webhook_port)
    await site.start()
    log.info(
        "webhook: serving %s on %s:%d",
        settings.webhook_path,
        settings.webhook_host,
        settings.webhook_port,
    )
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, stop.set)
    try:
        await stop.wait()
    finally:
        for signum in (signal.SIGTERM, signal.SIGINT):
            with contextlib.suppress(NotImplementedError, RuntimeError):
                loop.remove_signal_handler(signum)
        await runner.cleanup()
