"""Logging in and out."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request, status
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from app.cookies import clear_session_cookie, set_session_cookie
from app.deps import SessionDep
from app.services import sessions
from app.web.deps import OptionalViewerDep, ViewerDep, choose_locale
from app.web.i18n import gettext as _
from app.web.templating import render

router = APIRouter()


def _safe_next(target: str | None) -> str:
    """Only a path on this site, so the login page cannot send anyone elsewhere."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def _client(request: Request) -> str:
    """The peer address, or the client's address as a trusted proxy forwarded it: the
    TrustedProxies middleware (app.domain.clients) has already put it in request.client."""
    return request.client.host if request.client else "onbekend"


@router.get("/login")
def login_page(
    request: Request,
    viewer: OptionalViewerDep,
    next: str | None = None,
    wachtwoord: str | None = None,
) -> Response:
    if viewer is not None:
        return RedirectResponse(_safe_next(next), status_code=status.HTTP_303_SEE_OTHER)
    context = {
        "next": _safe_next(next),
        "errors": {},
        "email": "",
        # after a password change (app.web.profile), which ended every session
        "password_changed": wachtwoord == "gewijzigd",
    }
    return render(request, "auth/login.html", context)


@router.post("/login")
def log_in(
    request: Request,
    session: SessionDep,
    email: Annotated[str, Form(max_length=254)] = "",
    password: Annotated[str, Form(max_length=200)] = "",
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    settings = request.app.state.settings
    choose_locale(request, None)
    errors: dict[str, str] = {}
    if not email.strip():
        errors["email"] = _("Vul je e-mailadres in.")
    if not password:
        errors["password"] = _("Vul je wachtwoord in.")
    if not errors:
        try:
            started = sessions.log_in(
                session=session,
                settings=settings,
                email=email,
                password=password,
                client=_client(request),
            )
        except sessions.LoginRefused as refused:
            code = status.HTTP_429_TOO_MANY_REQUESTS if refused.throttled else 401
            return render(
                request,
                "auth/login.html",
                {"next": _safe_next(next), "errors": {"form": _(refused.message)}, "email": email},
                status_code=code,
            )
        response = RedirectResponse(_safe_next(next), status_code=status.HTTP_303_SEE_OTHER)
        set_session_cookie(response, settings, started.cookie_value)
        return response
    return render(
        request,
        "auth/login.html",
        {"next": _safe_next(next), "errors": errors, "email": email},
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
    )


@router.post("/logout")
def log_out(request: Request, viewer: ViewerDep, session: SessionDep) -> Response:
    """Ends all of the user's sessions and API tokens, not only this browser's."""
    assert viewer.user.id is not None
    sessions.log_out_everywhere(session=session, user_id=viewer.user.id)
    response = RedirectResponse("/login", status_code=status.HTTP_303_SEE_OTHER)
    clear_session_cookie(response, request.app.state.settings)
    return response
