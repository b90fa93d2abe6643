"""A local news site for the fetcher, and a fetch policy that may reach it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp.test_utils import TestServer

from bot.features.feeds.client import FetchPolicy
from tests.feeds.site import Site


@pytest.fixture
def site() -> Site:
    return Site()


@pytest.fixture
async def server(site: Site) -> AsyncIterator[TestServer]:
    running = TestServer(site.app(), host="127.0.0.1")
    await running.start_server()
    try:
        yield running
    finally:
        await running.close()


@pytest.fixture
def base_url(server: TestServer) -> str:
    return str(server.make_url("")).rstrip("/")


@pytest.fixture
def policy() -> FetchPolicy:
    """The local site is on the loopback address, so private addresses are allowed here;
    no pause between requests; a timeout and a size limit the slow and huge pages pass."""
    return FetchPolicy(
        user_agent="KaragandaFactsBot/0.1 (tests)",
        delay_s=0,
        timeout_s=1.0,
        max_bytes=100_000,
        allow_private=True,
    )
