"""Settings, read from the environment and `.env`."""

from __future__ import annotations

import re
from typing import Annotated
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot import PROJECT_ROOT

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///data/facts.db"
WEBHOOK_SECRET_PATTERN = re.compile(r"[A-Za-z0-9_-]{1,256}")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=PROJECT_ROOT / ".env",
        env_file_encoding="utf-8",
        extra="ignore",
        # A validation error names the setting and the rule, never the value: the values
        # include the token and the webhook secret, and start-up errors reach the logs.
        hide_input_in_errors=True,
    )

    bot_token: SecretStr | None = None
    database_url: str = DEFAULT_DATABASE_URL
    telegram_api_url: str | None = None
    admin_ids: Annotated[frozenset[int], NoDecode] = Field(default_factory=frozenset)
    timezone: str = "Asia/Almaty"
    # Bulk sends (digests) per second, overall; Telegram's guidance is about 30.
    send_rate_limit: int = Field(default=30, ge=1)
    # Shared state for several processes: FSM storage, event isolation, the send limiter.
    redis_url: str | None = None
    # Webhook mode (instead of long polling) when WEBHOOK_URL is set: Telegram posts
    # updates to that public address, which a proxy forwards to WEBHOOK_HOST:WEBHOOK_PORT.
    webhook_url: str | None = None
    webhook_secret: SecretStr | None = None
    webhook_host: str = "0.0.0.0"
    webhook_port: int = 8080
    # Fetching news from the outlets of data/feeds.toml: every FETCH_INTERVAL_MIN minutes
    # in the running bot (0: never), FETCH_DELAY_S between two requests to one host.
    fetch_interval_min: int = Field(default=30, ge=0)
    fetch_delay_s: float = Field(default=2.0, ge=0)
    fetch_timeout_s: float = Field(default=20.0, gt=0)
    fetch_max_bytes: int = Field(default=5 * 1024 * 1024, ge=1024)
    # Private, loopback and link-local addresses are refused unless this is set (tests).
    fetch_allow_private: bool = False
    fetch_user_agent: str = "KaragandaFactsBot/0.1 (economic news of Karaganda region)"

    @field_validator("bot_token", mode="before")
    @classmethod
    def _blank_token_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("webhook_secret", mode="before")
    @classmethod
    def _blank_secret_is_none(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip()
            if value and not WEBHOOK_SECRET_PATTERN.fullmatch(value):
                raise ValueError(
                    "WEBHOOK_SECRET: 1 to 256 characters, only A-Z, a-z, 0-9, _ and - "
                    "(Telegram's rule for the secret token)"
                )
            return value or None
        return value

    @field_validator("redis_url", "webhook_url", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        if isinstance(value, str):
            return value.strip() or None
        return value

    @field_validator("telegram_api_url", mode="before")
    @classmethod
    def _blank_url_is_none(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip().rstrip("/")
            return value or None
        return value

    @field_validator("admin_ids", mode="before")
    @classmethod
    def _parse_admin_ids(cls, value: object) -> object:
        if isinstance(value, str):
            return frozenset(
                int(part) for part in value.replace(";", ",").split(",") if part.strip()
            )
        return value

    @property
    def webhook_path(self) -> str:
        """The path the webhook server answers on: the path of WEBHOOK_URL."""
        return urlsplit(self.webhook_url or "").path or "/"


def resolve_database_url(url: str) -> str:
    """The URL the engine gets: a relative SQLite path is anchored at the project root, and
    a plain `postgres://` or `postgresql://` URL gets the asyncpg driver."""
    for plain in ("postgres://", "postgresql://"):
        if url.startswith(plain):
            return "postgresql+asyncpg://" + url[len(plain) :]
    prefix = "sqlite+aiosqlite:///"
    if url.startswith(prefix):
        path = url[len(prefix) :]
        if path and path != ":memory:" and not path.startswith("/"):
            return prefix + str(PROJECT_ROOT / path)
    return url
