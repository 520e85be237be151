"""The security log: failed logins and refused writes, one JSON object per line on stderr.

Logger "verbeterbord.security". What goes in is chosen field by field below; a password, a
session cookie, a CSRF token or an API token never does (tests/security/test_logging.py).
json.dumps escapes newlines and control characters, so a crafted e-mail address or path
cannot forge a log line.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

LOGGER_NAME = "verbeterbord.security"
security_log = logging.getLogger(LOGGER_NAME)

# Writes refused with these answers are logged: not logged in, forbidden or a bad CSRF token,
# not found (the answer for another team's object), throttled.
REFUSED = frozenset({401, 403, 404, 429})
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# A failed login is logged by the service with the address it was for; not twice.
NOT_LOGGED_HERE = frozenset({"/login"})
FIELD_LIMIT = 300


class JsonFormatter(logging.Formatter):
    """{"time", "level", "logger", "event", ...the record's `security` fields} on one line."""

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "event": record.getMessage(),
        }
        fields = getattr(record, "security", None)
        if isinstance(fields, dict):
            entry.update(fields)
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is at the time (test runners swap it)."""

    def __init__(self) -> None:
        super().__init__()

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _: Any) -> None:
        pass


def configure() -> None:
    """Give the security logger its JSON handler once; records still propagate to the root."""
    if any(isinstance(handler, _StderrHandler) for handler in security_log.handlers):
        return
    handler = _StderrHandler()
    handler.setFormatter(JsonFormatter())
    security_log.addHandler(handler)
    security_log.setLevel(logging.INFO)


def _clip(value: str) -> str:
    return value[:FIELD_LIMIT]


def login_failed(*, email: str, client: str, reason: str) -> None:
    """reason: "unknown_or_wrong" (one reason, as the answer gives away nothing either),
    "inactive" or "throttled"."""
    security_log.warning(
        "login_failed",
        extra={"security": {"email": _clip(email), "client": _clip(client), "reason": reason}},
    )


def password_change_failed(*, user_id: int | None, reason: str) -> None:
    security_log.warning(
        "password_change_failed", extra={"security": {"user_id": user_id, "reason": reason}}
    )


def write_refused(*, user_id: int | None, method: str, path: str, status: int, client: str) -> None:
    security_log.warning(
        "write_refused",
        extra={
            "security": {
                "user_id": user_id,
                "method": method,
                "path": _clip(path),
                "status": status,
                "client": _clip(client),
            }
        },
    )


def _user_id(state: dict[str, Any]) -> int | None:
    """Set by the API's get_current_user and the pages' optional_viewer."""
    user_id = state.get("user_id")
    return user_id if isinstance(user_id, int) else None


class RefusedWrites:
    """Logs every write (POST, PUT, PATCH, DELETE) answered with a refusal. Pure ASGI, so event
    streams pass untouched."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        method = scope.get("method", "GET")
        if scope["type"] != "http" or method in SAFE_METHODS or scope["path"] in NOT_LOGGED_HERE:
            await self.app(scope, receive, send)
            return
        state: dict[str, Any] = scope.setdefault("state", {})

        async def send_and_note(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] in REFUSED:
                client = scope.get("client")
                write_refused(
                    user_id=_user_id(state),
                    method=method,
                    path=scope["path"],
                    status=message["status"],
                    client=client[0] if client else "",
                )
            await send(message)

        await self.app(scope, receive, send_and_note)
