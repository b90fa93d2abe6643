"""A polite and careful HTTP client for news sites.

Polite: robots.txt is read once per host and obeyed (its Crawl-delay too), one request
at a time goes to a host with a pause between them, and every request names the bot in
its User-Agent.
Careful: only http and https, every redirect hop checked again (no private, loopback or
link-local addresses unless allowed), a timeout on every request, and bodies read as a
stream and given up past a size limit.
"""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit
from urllib.robotparser import RobotFileParser

import aiohttp
from aiohttp.abc import ResolveResult
from aiohttp.resolver import ThreadedResolver
from multidict import CIMultiDict

from bot.domain.settings import Settings
from bot.features.feeds.urls import RefusedAddress, check_address, is_public

REDIRECTS = (301, 302, 303, 307, 308)
CHUNK = 64 * 1024
NOTHING_ALLOWED = ["User-agent: *", "Disallow: /"]
# A Crawl-delay longer than this is taken as this: the feed would never finish otherwise.
MAX_CRAWL_DELAY_S = 60.0


class FetchError(Exception):
    """A request that gave nothing usable, with the reason in plain words."""


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    user_agent: str
    delay_s: float = 2.0
    timeout_s: float = 20.0
    max_bytes: int = 5 * 1024 * 1024
    allow_private: bool = False
    max_redirects: int = 5

    @classmethod
    def from_settings(cls, settings: Settings) -> FetchPolicy:
        return cls(
            user_agent=settings.fetch_user_agent,
            delay_s=settings.fetch_delay_s,
            timeout_s=settings.fetch_timeout_s,
            max_bytes=settings.fetch_max_bytes,
            allow_private=settings.fetch_allow_private,
        )

    @property
    def robots_agent(self) -> str:
        """The product token robots.txt rules name: the User-Agent up to its version."""
        return self.user_agent.split("/", 1)[0].split(" ", 1)[0]


@dataclass(frozen=True, slots=True)
class Response:
    url: str  # after redirects
    status: int
    headers: Mapping[str, str]
    body: bytes

    @property
    def content_type(self) -> str:
        return self.headers.get("Content-Type", "").split(";", 1)[0].strip().lower()


class PublicResolver(ThreadedResolver):
    """Resolves names to public addresses only, so that the connection goes where the
    address check looked (a name that resolves anew to a private address between the
    check and the connection, as in DNS rebinding, connects nowhere)."""

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        found = await super().resolve(host, port, family)
        public = [result for result in found if is_public(result["host"].split("%", 1)[0])]
        if not public:
            raise OSError(f"{host} resolves to no public address")
        return public


@dataclass
class _Host:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    robots_lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    last_request: float = float("-inf")
    robots: RobotFileParser | None = None
    delay_s: float | None = None  # the site's Crawl-delay, when it asks for a longer one


class Fetcher:
    """One per pass (or per process): it keeps each host's turn and robots.txt."""

    def __init__(self, policy: FetchPolicy) -> None:
        self.policy = policy
        self.requests = 0  # how many requests went out, robots.txt included
        self._hosts: dict[str, _Host] = {}
        self._session: aiohttp.ClientSession | None = None

    async def __aenter__(self) -> Fetcher:
        connector = (
            None if self.policy.allow_private else aiohttp.TCPConnector(resolver=PublicResolver())
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            headers={"User-Agent": self.policy.user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=aiohttp.ClientTimeout(total=self.policy.timeout_s),
        )
        return self

    async def __aexit__(self, *_exc: object) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def get(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> Response:
        """GET with redirects followed by hand, each hop checked and allowed by robots.txt.
        A 304 comes back as a response; other statuses of 400 and up raise FetchError."""
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        for _hop in range(self.policy.max_redirects + 1):
            try:
                await check_address(url, allow_private=self.policy.allow_private)
            except RefusedAddress as error:
                raise FetchError(str(error)) from error
            if not await self._allowed(url):
                raise FetchError("disallowed by the site's robots.txt")
            response = await self._request(url, headers)
            location = response.headers.get("Location")
            if response.status in REDIRECTS and location:
                url = urljoin(url, location)
                continue
            if response.status >= 400:
                raise FetchError(f"HTTP {response.status}")
            return response
        raise FetchError(f"more than {self.policy.max_redirects} redirects")

    async def _allowed(self, url: str) -> bool:
        host = self._host(url)
        async with host.robots_lock:
            if host.robots is None:
                host.robots = await self._robots(url)
                asked = host.robots.crawl_delay(self.policy.robots_agent)
                if asked is not None:
                    host.delay_s = min(float(asked), MAX_CRAWL_DELAY_S)
        return host.robots.can_fetch(self.policy.robots_agent, url)

    async def _robots(self, url: str) -> RobotFileParser:
        """The host's rules. No robots.txt (4xx) allows everything; a server error or no
        answer allows nothing for now, as the robots.txt standard asks."""
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        parser = RobotFileParser(robots_url)
        try:
            response = await self._request(robots_url, {})
            for _hop in range(self.policy.max_redirects):
                location = response.headers.get("Location")
                if response.status not in REDIRECTS or not location:
                    break
                robots_url = urljoin(robots_url, location)
                await check_address(robots_url, allow_private=self.policy.allow_private)
                response = await self._request(robots_url, {})
        except (FetchError, RefusedAddress):
            parser.parse(NOTHING_ALLOWED)
            return parser
        if 400 <= response.status < 500:
            parser.parse([])
        elif response.status >= 300:
            parser.parse(NOTHING_ALLOWED)
        else:
            parser.parse(response.body.decode("utf-8", "replace").splitlines())
        return parser

    async def _request(self, url: str, headers: Mapping[str, str]) -> Response:
        assert self._session is not None, "use the fetcher as `async with Fetcher(...)`"
        host = self._host(url)
        async with host.lock:
            delay = max(self.policy.delay_s, host.delay_s or 0.0)
            wait = host.last_request + delay - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                self.requests += 1
                return await self._read(url, headers)
            finally:
                host.last_request = time.monotonic()

    async def _read(self, url: str, headers: Mapping[str, str]) -> Response:
        assert self._session is not None
        limit = self.policy.max_bytes
        try:
            async with self._session.get(url, headers=headers, allow_redirects=False) as answer:
                length = answer.content_length
                if length is not None and length > limit:
                    raise FetchError(f"larger than the limit of {limit} bytes")
                body = bytearray()
                async for chunk in answer.content.iter_chunked(CHUNK):
                    body.extend(chunk)
                    if len(body) > limit:
                        raise FetchError(f"larger than the limit of {limit} bytes")
                return Response(
                    str(answer.url), answer.status, CIMultiDict(answer.headers), bytes(body)
                )
        except TimeoutError as error:
            raise FetchError(f"no answer within {self.policy.timeout_s:g} s") from error
        except aiohttp.ClientError as error:
            raise FetchError(f"{type(error).__name__}: {error}".rstrip(": ")) from error

    def _host(self, url: str) -> _Host:
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}".lower()
        return self._hosts.setdefault(key, _Host())
