"""Who is really asking: X-Forwarded-For and X-Forwarded-Proto count only from trusted proxies.

Anyone can send those headers. Believed from everyone, a client could pick a new address for
every login attempt and never be throttled, or write someone else's address into the log. So
the rule is: the peer address (the TCP connection) is the client, unless the peer is one of
the configured proxies; then walk X-Forwarded-For from the right (each proxy appends the
address it saw) past the trusted proxies, and the first address that is not one of them is
the client.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Network, IPv6Network, ip_address, ip_network

Network = IPv4Network | IPv6Network


def parse_trusted(spec: str) -> tuple[Network, ...]:
    """ "127.0.0.1, 10.0.0.0/8, ::1" → networks; raises ValueError naming a bad entry."""
    networks: list[Network] = []
    for raw in spec.split(","):
        entry = raw.strip()
        if not entry:
            continue
        try:
            networks.append(ip_network(entry, strict=False))
        except ValueError as exc:
            raise ValueError(f"trusted_proxies: {entry!r} is geen IP-adres of netwerk") from exc
    return tuple(networks)


def is_trusted(host: str | None, trusted: tuple[Network, ...]) -> bool:
    """Whether host is an IP address inside one of the trusted networks ("testclient" is not)."""
    if not host or not trusted:
        return False
    try:
        address = ip_address(host.strip())
    except ValueError:
        return False
    return any(address in network for network in trusted)


@dataclass(frozen=True)
class Client:
    host: str
    scheme: str


def real_client(
    *,
    peer: str | None,
    scheme: str,
    forwarded_for: str | None,
    forwarded_proto: str | None,
    trusted: tuple[Network, ...],
) -> Client:
    """The client's address and the scheme it used, believing the forwarded headers only when
    the peer is a trusted proxy."""
    host = peer or ""
    if not is_trusted(peer, trusted):
        return Client(host=host, scheme=scheme)
    if forwarded_for:
        hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
        for hop in reversed(hops):
            host = hop
            if not is_trusted(hop, trusted):
                break
    if forwarded_proto:
        # the right-most entry is the one our own (trusted) proxy set
        proto = forwarded_proto.split(",")[-1].strip().lower()
        if proto in ("http", "https"):
            scheme = proto
    return Client(host=host, scheme=scheme)
