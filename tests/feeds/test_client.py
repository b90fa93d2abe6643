"""The HTTP client against the local site: redirects, limits, robots.txt, the host's turn."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest

from bot.features.feeds.client import Fetcher, FetchError, FetchPolicy, PublicResolver
from tests.feeds.site import Site


async def test_redirects_are_followed_and_a_loop_is_cut(policy: FetchPolicy, base_url: str) -> None:
    async with Fetcher(policy) as fetcher:
        moved = await fetcher.get(f"{base_url}/old/shakhtinsk")
        assert moved.status == 200 and moved.url.endswith("/news/shakhtinsk-substation")
        with pytest.raises(FetchError, match="redirects"):
            await fetcher.get(f"{base_url}/loop/a")


async def test_the_loopback_site_is_refused_unless_allowed(
    policy: FetchPolicy, site: Site, base_url: str
) -> None:
    async with Fetcher(replace(policy, allow_private=False)) as fetcher:
        with pytest.raises(FetchError, match="private or local"):
            await fetcher.get(f"{base_url}/rss.xml")
    assert site.requested == []


async def test_a_conditional_request_gets_304(policy: FetchPolicy, base_url: str) -> None:
    async with Fetcher(policy) as fetcher:
        first = await fetcher.get(f"{base_url}/rss.xml")
        again = await fetcher.get(f"{base_url}/rss.xml", etag=first.headers["ETag"])
    assert first.status == 200 and again.status == 304 and again.body == b""


async def test_a_body_over_the_limit_is_given_up_while_streaming(
    policy: FetchPolicy, base_url: str
) -> None:
    async with Fetcher(replace(policy, max_bytes=20_000)) as fetcher:
        with pytest.raises(FetchError, match="limit of 20000 bytes"):
            await fetcher.get(f"{base_url}/news/huge")
        page = await fetcher.get(f"{base_url}/news/saran-pipes")  # well under it
    assert len(page.body) < 20_000


async def test_a_gzip_body_arrives_decompressed(policy: FetchPolicy, base_url: str) -> None:
    async with Fetcher(policy) as fetcher:
        page = await fetcher.get(f"{base_url}/news/balkhash-warehouse")
    assert "Балхаш".encode() in page.body


async def test_every_request_names_the_bot(policy: FetchPolicy, site: Site, base_url: str) -> None:
    async with Fetcher(policy) as fetcher:
        await fetcher.get(f"{base_url}/rss.xml")
    assert site.user_agents == [policy.user_agent, policy.user_agent]  # robots.txt, the feed
    assert policy.robots_agent == "KaragandaFactsBot"


async def test_a_host_that_fails_its_robots_txt_is_not_fetched(
    policy: FetchPolicy, site: Site, base_url: str
) -> None:
    site.robots_status = 503
    async with Fetcher(policy) as fetcher:
        with pytest.raises(FetchError, match=r"robots\.txt"):
            await fetcher.get(f"{base_url}/news/saran-pipes")
    assert site.requested == ["/robots.txt"]


async def test_one_request_at_a_time_to_a_host(
    policy: FetchPolicy, site: Site, base_url: str
) -> None:
    site.slow_s = 0.2
    async with Fetcher(policy) as fetcher:
        paths = ("/news/slow", "/news/saran-pipes", "/news/library", "/rss.xml")
        await asyncio.gather(*(fetcher.get(base_url + path) for path in paths))
    assert site.most_in_flight == 1 and len(site.requested) == 5


async def test_the_pause_between_requests_is_per_host(
    policy: FetchPolicy, base_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    pauses: list[float] = []
    real_sleep = asyncio.sleep

    async def sleep(seconds: float) -> None:
        pauses.append(seconds)
        await real_sleep(0)

    monkeypatch.setattr("bot.features.feeds.client.asyncio.sleep", sleep)
    other_host = base_url.replace("127.0.0.1", "localhost")
    async with Fetcher(replace(policy, delay_s=30)) as fetcher:
        await fetcher.get(f"{base_url}/rss.xml")  # robots.txt, then the feed: one pause
        await fetcher.get(f"{other_host}/rss.xml")  # another host: its robots.txt goes at once
    assert len(pauses) == 2 and all(25 < pause <= 30 for pause in pauses)


async def test_each_redirect_hop_is_checked_again(
    policy: FetchPolicy, site: Site, base_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The local site stands for a public one here; its redirect to a private address of
    the network is refused before any connection is made to it."""
    monkeypatch.setattr("bot.features.feeds.urls.is_public", lambda address: address == "127.0.0.1")
    async with Fetcher(replace(policy, allow_private=False)) as fetcher:
        page = await fetcher.get(f"{base_url}/news/saran-pipes")
        assert page.status == 200
        with pytest.raises(FetchError, match=r"10\.20\.30\.40 is a private or local address"):
            await fetcher.get(f"{base_url}/jump")
    assert site.paths("/jump") == ["/jump"]


async def test_names_resolve_to_public_addresses_only() -> None:
    resolver = PublicResolver()
    with pytest.raises(OSError, match="no public address"):
        await resolver.resolve("localhost", 80)
    [found] = await resolver.resolve("93.184.216.34", 80)
    assert found["host"] == "93.184.216.34"


async def test_a_crawl_delay_in_robots_txt_lengthens_the_pause(
    policy: FetchPolicy, site: Site, base_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    site.robots_extra = "\nUser-agent: KaragandaFactsBot\nCrawl-delay: 7\n"
    pauses: list[float] = []
    real_sleep = asyncio.sleep

    async def sleep(seconds: float) -> None:
        pauses.append(seconds)
        await real_sleep(0)

    monkeypatch.setattr("bot.features.feeds.client.asyncio.sleep", sleep)
    async with Fetcher(policy) as fetcher:  # no pause of its own
        await fetcher.get(f"{base_url}/rss.xml")
        await fetcher.get(f"{base_url}/news/saran-pipes")
    assert len(pauses) == 2 and all(6 < pause <= 7 for pause in pauses)
