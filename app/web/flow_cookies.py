"""Short-lived signed cookies for a login that takes more than one request: the single sign-on
round trip to the identity provider (state, nonce, PKCE verifier) and the second step of a
password login (whose password was right). Signed and timed with the secret key, HttpOnly,
SameSite=Lax (sent when the identity provider sends the browser back), cleared once used."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.responses import Response

from app.config import Settings

SSO = "sso"
SECOND_STEP = "stap2"
MAX_AGE_SECONDS = {SSO: 10 * 60, SECOND_STEP: 5 * 60}


def _name(settings: Settings, kind: str) -> str:
    return f"__Host-verbeterbord-{kind}" if settings.secure_cookies else f"verbeterbord-{kind}"


def _serializer(settings: Settings, kind: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(settings.resolved_secret_key, salt=f"verbeterbord-{kind}")


def write(response: Response, settings: Settings, kind: str, value: dict[str, Any]) -> None:
    response.set_cookie(
        _name(settings, kind),
        _serializer(settings, kind).dumps(value),
        max_age=MAX_AGE_SECONDS[kind],
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        path="/",
    )


def read(request: Request, settings: Settings, kind: str) -> dict[str, Any] | None:
    """The value, or None when absent, tampered with or older than its maximum age."""
    signed = request.cookies.get(_name(settings, kind))
    if not signed:
        return None
    try:
        value = _serializer(settings, kind).loads(signed, max_age=MAX_AGE_SECONDS[kind])
    except BadSignature:
        return None
    return value if isinstance(value, dict) else None


def clear(response: Response, settings: Settings, kind: str) -> None:
    response.delete_cookie(
        _name(settings, kind),
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )
