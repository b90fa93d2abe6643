"""The canonical address of a page, and the addresses the fetcher refuses."""

from __future__ import annotations

import pytest

from bot.features.feeds.urls import RefusedAddress, canonical_url, check_address


@pytest.mark.parametrize(
    "spelling",
    [
        "https://Example.KZ/news/123-zavod",
        "HTTPS://example.kz/news/123-zavod/",
        "https://www.example.kz/news/123-zavod#comments",
        "https://example.kz:443/news/123-zavod?utm_source=telegram&utm_campaign=x",
        "https://example.kz/news/123-zavod?fbclid=abc&yclid=1",
    ],
)
def test_spellings_of_one_page_have_one_canonical_address(spelling: str) -> None:
    assert canonical_url(spelling) == "https://example.kz/news/123-zavod"


def test_parameters_that_name_the_page_stay() -> None:
    assert canonical_url("http://example.kz/view.php?utm_medium=rss&id=42&lang=ru") == (
        "http://example.kz/view.php?id=42&lang=ru"
    )
    assert canonical_url("http://example.kz/a?id=1") != canonical_url("http://example.kz/a?id=2")
    assert canonical_url("http://example.kz/a") != canonical_url("https://example.kz/a")


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/news",
        "http://localhost:8080/news",
        "http://10.1.2.3/",
        "http://192.168.0.10/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
    ],
)
async def test_private_and_local_addresses_are_refused(url: str) -> None:
    with pytest.raises(RefusedAddress):
        await check_address(url, allow_private=False)
    await check_address(url, allow_private=True)


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.kz/a", "gopher://x/", "javascript:alert(1)"]
)
async def test_only_http_and_https_are_fetched(url: str) -> None:
    with pytest.raises(RefusedAddress):
        await check_address(url, allow_private=True)


async def test_a_public_address_passes() -> None:
    await check_address("https://93.184.216.34/news", allow_private=False)
