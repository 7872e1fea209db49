"""Who is asking: the client address behind trusted proxies, and coarse forms of it.

The ASGI peer is the client unless it is a trusted proxy (the edge). Only then is
``X-Forwarded-For`` read, right to left, skipping trusted hops: the first untrusted address
is the client. Entries to the left of it were written by the client itself and are ignored,
so sending your own ``X-Forwarded-For`` buys nothing.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

_MAX_FORWARDED_HOPS = 16


def parse_networks(items: Iterable[str]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in items)


def parse_address(text: str) -> IPAddress | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.9:1234"
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(address: IPAddress, proxies: Sequence[IPNetwork]) -> bool:
    return any(address.version == net.version and address in net for net in proxies)


def client_address(
    peer: str | None,
    forwarded_for: Sequence[str],
    proxies: Sequence[IPNetwork],
    viewer: str | None = None,
) -> IPAddress | None:
    """The client's address, or None when nothing usable is known (e.g. a test transport).

    ``viewer`` is a header a trusted proxy sets to the client's address outright (CloudFront's
    ``CloudFront-Viewer-Address``): behind CloudFront → ALB the X-Forwarded-For walk would stop
    at a CloudFront edge address, shared by everyone using that edge. It is believed only from
    a trusted peer, like X-Forwarded-For.
    """
    address = parse_address(peer) if peer else None
    if address is None or not _trusted(address, proxies):
        return address
    if viewer:
        # "<address>:<port>", the IPv6 form without brackets: the port is after the last colon.
        stated = parse_address(viewer.rsplit(":", 1)[0])
        if stated is not None:
            return stated
    hops = [part for header in forwarded_for for part in header.split(",") if part.strip()]
    for raw in reversed(hops[-_MAX_FORWARDED_HOPS:]):
        hop = parse_address(raw)
        if hop is None:
            # A trusted proxy wrote something unreadable: the last hop we trust is the answer.
            return address
        if not _trusted(hop, proxies):
            return hop
        address = hop
    return address


def rate_limit_key(address: IPAddress | None, peer: str | None) -> str:
    """One bucket per IPv4 address and per IPv6 /64 (one host may own a whole /64)."""
    if address is None:
        return f"peer:{(peer or 'unknown')[:64]}"
    if isinstance(address, ipaddress.IPv6Address):
        return str(ipaddress.IPv6Network((address, 64), strict=False))
    return str(address)


_V4_24 = (1 << 32) - (1 << 8)
_V6_48 = (1 << 128) - (1 << 80)


def coarse_network(address: IPAddress | None) -> str | None:
    """What the view log keeps: the /24 (IPv4) or /48 (IPv6), never the address."""
    if address is None:
        return None
    # Masking the integer: ip_network() parses and validates all over again, on every view.
    if isinstance(address, ipaddress.IPv4Address):
        return f"{ipaddress.IPv4Address(int(address) & _V4_24)}/24"
    return f"{ipaddress.IPv6Address(int(address) & _V6_48)}/48"
