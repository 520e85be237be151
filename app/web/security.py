"""Security headers on every answer."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


def content_security_policy(*, style_hashes: tuple[str, ...] = ()) -> str:
    """The app's policy: everything from this server, nothing inline. `style_hashes` lets
    through exactly the <style> texts with those hashes (never 'unsafe-inline')."""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            " ".join(["style-src 'self'", *style_hashes]),
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


CONTENT_SECURITY_POLICY = content_security_policy()

# /redoc (npm redoc 2.5.4, static/vendor/redoc) adds two <style> elements to its page and
# nothing else inline: styled-components' element, which stays empty (its rules go in through
# the CSSOM, insertRule, which style-src does not govern), and perfect-scrollbar's stylesheet,
# injected as one text when the bundle loads, before any nonce could be handed to it. Their
# hashes let exactly these two through; tests/browser/test_docs.py fails on any violation, so
# a new redoc version that injects other text shows up there (Chromium names the hash).
REDOC_STYLE_HASHES = (
    "'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='",  # "": styled-components' element
    "'sha256-QMIg+bpjm3JdElJ388KYke01izlUW0UoNOeKjpMxdgc='",  # perfect-scrollbar.css
)
POLICY_BY_PATH = {"/redoc": content_security_policy(style_hashes=REDOC_STYLE_HASHES)}

HEADERS = {
    b"x-content-type-options": b"nosniff",
    b"referrer-policy": b"same-origin",
    b"x-frame-options": b"DENY",
    b"permissions-policy": b"camera=(), microphone=(), geolocation=()",
    b"cross-origin-opener-policy": b"same-origin",
}


class SecurityHeaders:
    """Pure ASGI, so streaming answers (the event stream) pass through untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                for name, value in HEADERS.items():
                    if name not in present:
                        headers.append((name, value))
                # every answer, the API docs pages included (their scripts are static files,
                # see app/main.py docs_page); /redoc with its two style hashes above
                policy = POLICY_BY_PATH.get(scope["path"], CONTENT_SECURITY_POLICY)
                headers.append((b"content-security-policy", policy.encode()))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
