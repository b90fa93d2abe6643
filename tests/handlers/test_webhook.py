"""Webhook mode: the secret header is checked before anything reaches the dispatcher, and
several replicas (real processes) serve one bot over one store."""

from __future__ import annotations

import asyncio
import os
import socket
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from aiogram.types import Update
from aiohttp.test_utils import TestClient, TestServer

from bot import PROJECT_ROOT
from bot.app.webhook import HEALTH_PATH, SECRET_HEADER, create_webhook_app, register_webhook
from bot.domain.settings import Settings
from tests.handlers.harness import BotDriver
from tests.stores import PostgresStores, database_url_from_env, redis_url_from_env
from tools.emulator import TelegramEmulator

SECRET = "replica-secret_42"
PUBLIC_URL = "https://bot.example.org/telegram/updates"
STARTUP_SECONDS = 120


def webhook_settings() -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None, bot_token=None, webhook_url=PUBLIC_URL, webhook_secret=SECRET
    )


def payload(update: Update) -> dict[str, Any]:
    return update.model_dump(mode="json", by_alias=True, exclude_none=True)


@pytest.fixture
async def client(driver: BotDriver) -> AsyncIterator[TestClient[Any, Any]]:
    app = create_webhook_app(driver.dispatcher, driver.bot, webhook_settings())
    async with TestClient(TestServer(app)) as running:
        yield running


async def test_the_right_secret_is_answered(
    client: TestClient[Any, Any], driver: BotDriver
) -> None:
    update = driver.emulator.send_message(driver.user, "/start")
    response = await client.post(
        "/telegram/updates", json=payload(update), headers={SECRET_HEADER: SECRET}
    )
    assert response.status == 200
    # The update was handled before the answer: the greeting is already in the chat.
    assert driver.emulator.last_sent(driver.user).text.startswith("Здравствуйте, Dana!")


@pytest.mark.parametrize(
    "headers",
    [{}, {SECRET_HEADER: ""}, {SECRET_HEADER: "wrong"}, {SECRET_HEADER: SECRET + "x"}],
    ids=["missing", "empty", "wrong", "longer"],
)
async def test_a_missing_or_wrong_secret_is_refused(
    client: TestClient[Any, Any], driver: BotDriver, headers: dict[str, str]
) -> None:
    update = driver.emulator.send_message(driver.user, "/start")
    requests_before = len(driver.emulator.requests)
    response = await client.post("/telegram/updates", json=payload(update), headers=headers)
    assert response.status == 401
    assert len(driver.emulator.requests) == requests_before  # the bot did nothing


@pytest.mark.parametrize("body", ["{not json", '{"update_id": "x"}', "[1, 2]", "\xff\xfe"], ids=str)
async def test_a_body_that_is_not_an_update_is_a_bad_request(
    client: TestClient[Any, Any], driver: BotDriver, body: str
) -> None:
    response = await client.post(
        "/telegram/updates",
        data=body.encode("latin-1"),
        headers={SECRET_HEADER: SECRET, "Content-Type": "application/json"},
    )
    assert response.status == 400
    # The server still answers updates after it.
    update = driver.emulator.send_message(driver.user, "/start")
    ok = await client.post(
        "/telegram/updates", json=payload(update), headers={SECRET_HEADER: SECRET}
    )
    assert ok.status == 200


async def test_only_the_webhook_path_takes_updates(
    client: TestClient[Any, Any], driver: BotDriver
) -> None:
    update = driver.emulator.send_message(driver.user, "/start")
    response = await client.post("/", json=payload(update), headers={SECRET_HEADER: SECRET})
    assert response.status in {404, 405}
    health = await client.get(HEALTH_PATH)
    assert (health.status, await health.text()) == (200, "ok")


async def test_registering_sets_the_public_url(driver: BotDriver) -> None:
    await register_webhook(driver.bot, driver.dispatcher, webhook_settings())
    assert driver.emulator.bot.webhook_url == PUBLIC_URL
    [call] = driver.emulator.calls("setWebhook")
    assert call.params["secret_token"] == SECRET
    assert not call.params.get("drop_pending_updates")


def test_webhook_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="WEBHOOK_SECRET"):
        Settings(_env_file=None, webhook_secret="has spaces")  # type: ignore[call-arg]
    assert Settings(_env_file=None, webhook_url="https://x.org/a/b").webhook_path == "/a/b"  # type: ignore[call-arg]
    assert Settings(_env_file=None, webhook_url="https://x.org").webhook_path == "/"  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("setting", "value"),
    [("webhook_secret", "s3cret with spaces"), ("bot_token", ["s3cret-token"])],
)
def test_validation_errors_name_the_setting_not_its_value(setting: str, value: object) -> None:
    with pytest.raises(ValueError) as raised:
        Settings(_env_file=None, **{setting: value})  # type: ignore[arg-type]
    assert setting in str(raised.value)
    assert "s3cret" not in str(raised.value)


# ---- several replicas ---------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Replica:
    """`python -m bot run` in webhook mode, as a separate process."""

    def __init__(self, process: asyncio.subprocess.Process, port: int) -> None:
        self.process = process
        self.port = port
        self.url = f"http://127.0.0.1:{port}"

    @classmethod
    async def start(cls, env: dict[str, str]) -> Replica:
        port = free_port()
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run",
            env={**env, "WEBHOOK_PORT": str(port)},
            cwd=PROJECT_ROOT,
            stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )  # fmt: skip
        return cls(process, port)

    async def ready(self, http: aiohttp.ClientSession) -> None:
        """Waits for the health check to answer (start-up migrates and sets the webhook)."""
        try:
            async with asyncio.timeout(STARTUP_SECONDS):
                while self.process.returncode is None:
                    try:
                        async with http.get(self.url + HEALTH_PATH) as response:
                            if response.status == 200:
                                return
                    except aiohttp.ClientError:
                        pass
                    await asyncio.sleep(0.1)
        except TimeoutError:
            self.process.kill()
        raise AssertionError(f"replica on {self.port} did not start:\n{await self.output()}")

    async def stop(self) -> str:
        if self.process.returncode is None:
            self.process.terminate()
        return await self.output()

    async def output(self) -> str:
        if self.process.returncode is None:
            await asyncio.wait_for(self.process.wait(), 30)
        assert self.process.stdout is not None
        return (await self.process.stdout.read()).decode(errors="replace")


@pytest.fixture
def replica_store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A store with no schema yet: the replicas migrate it as they start, together. On
    PostgreSQL when there is one (what replicas run on), else on a SQLite file."""
    if database_url_from_env() is None:
        yield f"sqlite+aiosqlite:///{tmp_path / 'replicas.db'}"
        return
    stores: PostgresStores = request.getfixturevalue("postgres_stores")
    url = stores.blank()
    yield url
    stores.release(url)


@pytest.fixture
def replica_env(emulator: TelegramEmulator, replica_store_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "BOT_TOKEN": emulator.token,
        "TELEGRAM_API_URL": emulator.base_url,
        "DATABASE_URL": replica_store_url,
        "REDIS_URL": redis_url_from_env() or "",
        "WEBHOOK_URL": PUBLIC_URL,
        "WEBHOOK_SECRET": SECRET,
        "WEBHOOK_HOST": "127.0.0.1",
    }


@pytest.mark.slow
async def test_two_replicas_serve_one_bot(
    emulator: TelegramEmulator, replica_env: dict[str, str]
) -> None:
    """Two processes behind one webhook: a language chosen through one replica is what the
    other answers in, since both read the same store."""
    user = emulator.create_user("Айгерім", language_code="ru")
    replicas = [await Replica.start(replica_env) for _ in range(2)]
    try:
        async with aiohttp.ClientSession() as http:
            for replica in replicas:
                await replica.ready(http)

            async def deliver(replica: Replica, update: Update) -> None:
                async with http.post(
                    replica.url + "/telegram/updates",
                    json=payload(update),
                    headers={SECRET_HEADER: SECRET},
                ) as response:
                    assert response.status == 200, await response.text()

            first, second = replicas
            await deliver(first, emulator.send_message(user, "/lang"))
            choice = emulator.last_sent(user)
            await deliver(second, emulator.press_button(choice, text="Қазақша", user=user))
            await deliver(first, emulator.send_message(user, "/start"))
            assert emulator.last_sent(user).text.startswith("Сәлеметсіз бе, Айгерім!")
    finally:
        outputs = [await replica.stop() for replica in replicas]
    # Each replica registered the webhook itself; none removed it when it stopped.
    assert len(emulator.calls("setWebhook")) == 2
    assert not emulator.calls("deleteWebhook")
    assert emulator.bot.webhook_url == PUBLIC_URL
    for output in outputs:
        assert "Traceback" not in output, output
        # With Redis, conversation state and per-user isolation are shared too.
        assert ("FSM state and event isolation in Redis" in output) == bool(redis_url_from_env())
