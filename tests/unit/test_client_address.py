"""X-Forwarded-For and X-Forwarded-Proto count only when the peer is a configured proxy."""

from __future__ import annotations

import asyncio

import pytest

from app.domain.clients import is_trusted, parse_trusted, real_client
from app.web.proxies import TrustedProxies

PROXIES = parse_trusted("10.0.0.1, 192.168.5.0/24, ::1")


def _client(peer, forwarded_for=None, forwarded_proto=None, trusted=PROXIES, scheme="http"):
    return real_client(
        peer=peer,
        scheme=scheme,
        forwarded_for=forwarded_for,
        forwarded_proto=forwarded_proto,
        trusted=trusted,
    )


def test_without_trusted_proxies_the_peer_is_the_client_whatever_the_headers_say():
    client = _client("203.0.113.9", "1.2.3.4", "https", trusted=())
    assert client.host == "203.0.113.9" and client.scheme == "http"


def test_an_untrusted_peer_cannot_pick_its_address_or_scheme():
    client = _client("203.0.113.9", "10.0.0.1, 1.2.3.4", "https")
    assert client.host == "203.0.113.9" and client.scheme == "http"


def test_a_trusted_proxy_forwards_the_client_address_and_scheme():
    client = _client("10.0.0.1", "198.51.100.7", "https")
    assert client.host == "198.51.100.7" and client.scheme == "https"


def test_the_right_most_untrusted_entry_wins_so_a_spoofed_left_part_is_ignored():
    # the client sent "X-Forwarded-For: 1.1.1.1"; the proxy appended what it saw
    assert _client("10.0.0.1", "1.1.1.1, 198.51.100.7").host == "198.51.100.7"


def test_a_chain_of_trusted_proxies_is_walked_past():
    client = _client("10.0.0.1", "1.1.1.1, 198.51.100.7, 192.168.5.20")
    assert client.host == "198.51.100.7"


def test_a_trusted_proxy_without_the_header_leaves_the_peer():
    assert _client("10.0.0.1").host == "10.0.0.1"


def test_only_http_and_https_are_taken_from_x_forwarded_proto():
    assert _client("10.0.0.1", forwarded_proto="javascript").scheme == "http"
    assert _client("10.0.0.1", forwarded_proto="http, https").scheme == "https"


def test_ipv6_and_cidr_entries_are_understood():
    assert is_trusted("::1", PROXIES) and is_trusted("192.168.5.200", PROXIES)
    assert not is_trusted("192.168.6.1", PROXIES)
    assert not is_trusted("testclient", PROXIES) and not is_trusted(None, PROXIES)


def test_an_empty_setting_trusts_nobody_and_a_bad_entry_is_refused():
    assert parse_trusted("") == () and parse_trusted(" , ") == ()
    with pytest.raises(ValueError, match="not-an-ip"):
        parse_trusted("10.0.0.1,not-an-ip")


def _scope_seen_by_the_app(trusted: str, peer: str, headers: dict[str, str]) -> dict:
    seen: dict = {}

    async def app(scope, receive, send):
        seen.update(scope)

    scope = {
        "type": "http",
        "scheme": "http",
        "client": (peer, 5000),
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
    }
    asyncio.run(TrustedProxies(app, trusted=trusted)(scope, None, None))  # type: ignore[arg-type]
    return seen


def test_the_middleware_puts_the_real_client_in_the_scope_for_a_trusted_proxy_only():
    headers = {"X-Forwarded-For": "198.51.100.7", "X-Forwarded-Proto": "https"}
    trusted = _scope_seen_by_the_app("10.0.0.1", "10.0.0.1", headers)
    assert trusted["client"] == ("198.51.100.7", 5000) and trusted["scheme"] == "https"
    untrusted = _scope_seen_by_the_app("10.0.0.1", "203.0.113.9", headers)
    assert untrusted["client"] == ("203.0.113.9", 5000) and untrusted["scheme"] == "http"
    nobody = _scope_seen_by_the_app("", "10.0.0.1", headers)
    assert nobody["client"] == ("10.0.0.1", 5000) and nobody["scheme"] == "http"
