"""The session cookie: a random value, signed, HttpOnly, SameSite=Lax (Secure and __Host- behind
HTTPS); and the CSRF token that every unsafe request on that cookie must carry."""

from __future__ import annotations

import secrets

from fastapi import Request
from itsdangerous import BadSignature, Signer
from starlette.responses import Response

from app.config import Settings


def cookie_name(settings: Settings) -> str:
    return "__Host-verbeterbord" if settings.secure_cookies else "verbeterbord"


def _signer(settings: Settings) -> Signer:
    return Signer(settings.resolved_secret_key, salt="verbeterbord-session")


def read_session_cookie(request: Request, settings: Settings) -> str | None:
    signed = request.cookies.get(cookie_name(settings))
    if not signed:
        return None
    try:
        return _signer(settings).unsign(signed).decode()
    except BadSignature:
        return None


def set_session_cookie(response: Response, settings: Settings, value: str) -> None:
    response.set_cookie(
        cookie_name(settings),
        _signer(settings).sign(value).decode(),
        max_age=settings.session_max_hours * 3600,
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
        path="/",
    )


def clear_session_cookie(response: Response, settings: Settings) -> None:
    response.delete_cookie(
        cookie_name(settings),
        path="/",
        httponly=True,
        samesite="lax",
        secure=settings.secure_cookies,
    )


def tokens_match(expected: str, given: str | None) -> bool:
    """The CSRF token the request carries is the session's own (in constant time)."""
    return bool(given) and secrets.compare_digest(expected.encode(), (given or "").encode())
