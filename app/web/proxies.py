"""Trusted reverse proxies: the client address and scheme per app.domain.clients, for the whole
app (login throttling, the security log), as pure ASGI so event streams pass untouched."""

from __future__ import annotations

from starlette.types import ASGIApp, Receive, Scope, Send

from app.domain.clients import Network, parse_trusted, real_client


def _header(scope: Scope, name: bytes) -> str | None:
    values = [value.decode("latin-1") for key, value in scope.get("headers", []) if key == name]
    # several headers of one name count as one comma-separated list (RFC 9110)
    return ", ".join(values) if values else None


class TrustedProxies:
    def __init__(self, app: ASGIApp, trusted: str) -> None:
        self.app = app
        self.trusted: tuple[Network, ...] = parse_trusted(trusted)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and self.trusted:
            peer = scope.get("client")
            client = real_client(
                peer=peer[0] if peer else None,
                scheme=scope.get("scheme", "http"),
                forwarded_for=_header(scope, b"x-forwarded-for"),
                forwarded_proto=_header(scope, b"x-forwarded-proto"),
                trusted=self.trusted,
            )
            scope = dict(scope)
            scope["client"] = (client.host, peer[1] if peer else 0)
            if scope["type"] == "http":
                scope["scheme"] = client.scheme
            else:
                scope["scheme"] = "wss" if client.scheme == "https" else "ws"
        await self.app(scope, receive, send)
