"""Addresses: the canonical form a page is known by, and which addresses may be fetched."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

ALLOWED_SCHEMES = ("http", "https")
# Query parameters that say where a reader came from, not which page it is.
TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "yclid",
        "ysclid",
        "dclid",
        "msclkid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_openstat",
        "from",
        "ref",
        "ref_src",
        "utm",
    }
)
DEFAULT_PORTS = {"http": 80, "https": 443}


class RefusedAddress(ValueError):
    """An address the fetcher will not request, with the reason in plain words."""


class RefusedScheme(RefusedAddress):
    """Not an http or https address."""


class RefusedPrivate(RefusedAddress):
    """An address of a private, loopback or link-local network."""


def canonical_url(url: str) -> str:
    """One spelling per page: scheme and host in lower case, no default port, no
    fragment, no tracking parameters (`utm_*` and the like), no trailing slash."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower().rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    port = parts.port
    netloc = host if port is None or DEFAULT_PORTS.get(scheme) == port else f"{host}:{port}"
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.lower().startswith("utm_") and key.lower() not in TRACKING_PARAMS
    ]
    path = parts.path.rstrip("/")
    return urlunsplit((scheme, netloc, path, urlencode(sorted(query)), ""))


def check_scheme(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise RefusedScheme(f"only http and https addresses are fetched, not {parts.scheme!r}")
    if not parts.hostname:
        raise RefusedScheme("the address has no host")


def is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address)
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


async def check_address(url: str, *, allow_private: bool) -> None:
    """Refuses non-http schemes, and hosts that resolve to a private, loopback or
    link-local address (another machine of this network is no news site)."""
    check_scheme(url)
    if allow_private:
        return
    host = urlsplit(url).hostname or ""
    try:
        addresses = [str(ipaddress.ip_address(host))]
    except ValueError:
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(host, None, type=socket.SOCK_STREAM)
        except OSError as error:
            raise RefusedAddress(f"the host {host} cannot be resolved") from error
        addresses = [str(info[4][0]) for info in infos]
    for address in addresses:
        if not is_public(address.split("%", 1)[0]):
            raise RefusedPrivate(f"{host} is a private or local address")
