"""Who the client is behind trusted proxies, and how coarse its address is kept."""

from __future__ import annotations

import ipaddress

import pytest

from petshots_core.settings import Settings
from petshots_core.web.client_address import (
    client_address,
    coarse_network,
    parse_networks,
    rate_limit_key,
)

EDGE = parse_networks(["127.0.0.1/32", "::1/128"])


def addr(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    return ipaddress.ip_address(text)


def test_the_peer_is_the_client_unless_it_is_a_trusted_proxy() -> None:
    assert client_address("198.51.100.7", ["203.0.113.9"], EDGE) == addr("198.51.100.7")
    assert client_address("127.0.0.1", ["203.0.113.9"], EDGE) == addr("203.0.113.9")
    assert client_address("127.0.0.1", [], EDGE) == addr("127.0.0.1")
    assert client_address("127.0.0.1", ["203.0.113.9"], ()) == addr("127.0.0.1")


def test_a_client_cannot_choose_its_address_through_the_edge() -> None:
    # The client sent "X-Forwarded-For: 1.2.3.4"; the edge appended the real address.
    assert client_address("127.0.0.1", ["1.2.3.4, 198.51.100.7"], EDGE) == addr("198.51.100.7")
    assert client_address("127.0.0.1", ["1.2.3.4", "198.51.100.7"], EDGE) == addr("198.51.100.7")
    # Trusted hops to the right are skipped; garbage from the left is never reached.
    assert client_address("127.0.0.1", ["junk, 198.51.100.7, 127.0.0.1"], EDGE) == addr(
        "198.51.100.7"
    )
    # A trusted proxy that wrote garbage: the proxy itself is the answer.
    assert client_address("127.0.0.1", ["not-an-ip"], EDGE) == addr("127.0.0.1")


def test_addresses_in_their_usual_spellings() -> None:
    assert client_address("::ffff:198.51.100.7", [], EDGE) == addr("198.51.100.7")
    assert client_address("::1", ["[2001:db8::5]:443"], EDGE) == addr("2001:db8::5")
    assert client_address("127.0.0.1", ["198.51.100.7:5555"], EDGE) == addr("198.51.100.7")
    assert client_address("testclient", [], EDGE) is None
    assert client_address(None, [], EDGE) is None


def test_coarse_networks_and_rate_limit_buckets() -> None:
    assert coarse_network(addr("203.0.113.77")) == "203.0.113.0/24"
    assert coarse_network(addr("2001:db8:1234:5678::1")) == "2001:db8:1234::/48"
    assert coarse_network(None) is None
    assert rate_limit_key(addr("203.0.113.77"), "x") == "203.0.113.77"
    same_64 = {rate_limit_key(addr(f"2001:db8:1:2::{i}"), None) for i in range(1, 50)}
    assert same_64 == {"2001:db8:1:2::/64"}
    assert rate_limit_key(None, "testclient") == "peer:testclient"


def test_trusted_proxies_setting_parses_and_validates() -> None:
    s = Settings(trusted_proxy_addresses="10.0.0.0/16, 127.0.0.1")
    assert s.trusted_proxy_addresses == ["10.0.0.0/16", "127.0.0.1"]
    s = Settings(trusted_proxy_addresses='["::1"]')
    assert s.trusted_proxy_addresses == ["::1"]
    with pytest.raises(ValueError):
        Settings(trusted_proxy_addresses=["not-a-network"])
