"""Logging in and out."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request, status
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from app.cookies import clear_session_cookie, set_session_cookie
from app.deps import SessionDep
from app.services import sessions, two_factor
from app.web import flow_cookies
from app.web.deps import EnrollingViewerDep, OptionalViewerDep, choose_locale
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
    return render(request, "auth/login.html", login_context(request, context))


def login_context(request: Request, context: dict[str, Any]) -> dict[str, Any]:
    """What the login page shows besides the form's own values: the organisation-account
    button (single sign-on configured) and the password form (passwords on)."""
    settings = request.app.state.settings
    return {**context, "sso_enabled": settings.oidc_enabled, "local_login": settings.local_login}


def _login_page(
    request: Request, next: str, errors: dict[str, str], email: str, status_code: int
) -> Response:
    context = {"next": _safe_next(next), "errors": errors, "email": email}
    return render(
        request, "auth/login.html", login_context(request, context), status_code=status_code
    )


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
            if not settings.local_login:
                code = status.HTTP_403_FORBIDDEN
            return _login_page(request, next, {"form": _(refused.message)}, email, code)
        if isinstance(started, sessions.SecondStepNeeded):
            # no session yet: the code from the app first (the second step below)
            assert started.user.id is not None
            response = RedirectResponse("/login/code", status_code=status.HTTP_303_SEE_OTHER)
            flow_cookies.write(
                response,
                settings,
                flow_cookies.SECOND_STEP,
                {
                    "user_id": started.user.id,
                    "fingerprint": two_factor.password_fingerprint(started.user),
                    "next": _safe_next(next),
                },
            )
            return response
        response = RedirectResponse(_safe_next(next), status_code=status.HTTP_303_SEE_OTHER)
        set_session_cookie(response, settings, started.cookie_value)
        return response
    if not settings.local_login:
        return _login_page(
            request,
            next,
            {"form": _(sessions.LOCAL_LOGIN_OFF)},
            email,
            status.HTTP_403_FORBIDDEN,
        )
    return _login_page(request, next, errors, email, status.HTTP_422_UNPROCESSABLE_CONTENT)


def _second_step_page(
    request: Request, error: str = "", status_code: int = status.HTTP_200_OK
) -> Response:
    return render(request, "auth/second_step.html", {"error": error}, status_code=status_code)


@router.get("/login/code")
def second_step_page(request: Request, viewer: OptionalViewerDep) -> Response:
    """The second step of a password login: the 6-digit code from the app."""
    settings = request.app.state.settings
    if viewer is not None:
        return RedirectResponse("/", status_code=status.HTTP_303_SEE_OTHER)
    if flow_cookies.read(request, settings, flow_cookies.SECOND_STEP) is None:
        return RedirectResponse("/login", status_code=status.HTTP_303_SEE_OTHER)
    return _second_step_page(request)


@router.post("/login/code")
def second_step(
    request: Request,
    session: SessionDep,
    code: Annotated[str, Form(max_length=50)] = "",
) -> Response:
    settings = request.app.state.settings
    choose_locale(request, None)
    pending = flow_cookies.read(request, settings, flow_cookies.SECOND_STEP)
    if pending is None:
        # too late (five minutes) or never begun: start again with the password
        return RedirectResponse("/login", status_code=status.HTTP_303_SEE_OTHER)
    if not code.strip():
        return _second_step_page(
            request, _(two_factor.NO_CODE), status.HTTP_422_UNPROCESSABLE_CONTENT
        )
    try:
        started = two_factor.log_in_second_step(
            session=session,
            settings=settings,
            user_id=int(pending.get("user_id", 0)),
            fingerprint=str(pending.get("fingerprint", "")),
            code=code,
            client=_client(request),
        )
    except sessions.LoginRefused as refused:
        code_status = status.HTTP_429_TOO_MANY_REQUESTS if refused.throttled else 401
        return _second_step_page(request, _(refused.message), code_status)
    response = RedirectResponse(
        _safe_next(str(pending.get("next", "/"))), status_code=status.HTTP_303_SEE_OTHER
    )
    flow_cookies.clear(response, settings, flow_cookies.SECOND_STEP)
    set_session_cookie(response, settings, started.cookie_value)
    return response


@router.post("/logout")
def log_out(request: Request, viewer: EnrollingViewerDep, session: SessionDep) -> Response:
    """Ends all of the user's sessions and API tokens, not only this browser's."""
    assert viewer.user.id is not None
    sessions.log_out_everywhere(session=session, user_id=viewer.user.id)
    response = RedirectResponse("/login", status_code=status.HTTP_303_SEE_OTHER)
    clear_session_cookie(response, request.app.state.settings)
    return response
