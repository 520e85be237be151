"""Logging in with the organisation's account (OpenID Connect): off to the identity provider and
back. The rules are app.services.oidc's; this keeps the round trip's secrets in a signed cookie."""

from __future__ import annotations

from fastapi import APIRouter, Query, Request, status
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from app.cookies import set_session_cookie
from app.db import write_session
from app.deps import EngineDep
from app.services import oidc
from app.web import flow_cookies
from app.web.auth import _client, _safe_next, login_context
from app.web.deps import OptionalViewerDep, choose_locale
from app.web.i18n import gettext as _
from app.web.templating import render

router = APIRouter()

CALLBACK_PATH = "/login/organisatie/terug"


def redirect_uri(request: Request) -> str:
    """The address the identity provider sends the browser back to; registered there as is
    (README). BASE_URL when set, so it is the same behind a proxy."""
    base = request.app.state.settings.base_url.rstrip("/") or str(request.base_url).rstrip("/")
    return base + CALLBACK_PATH


def _refused(request: Request, message: str, status_code: int) -> Response:
    context = {"next": "/", "errors": {"form": message}, "email": ""}
    return render(
        request, "auth/login.html", login_context(request, context), status_code=status_code
    )


@router.get("/login/organisatie")
def begin(
    request: Request, viewer: OptionalViewerDep, next: str | None = Query(None, max_length=2000)
) -> Response:
    """Off to the identity provider, with a fresh state, nonce and PKCE challenge."""
    settings = request.app.state.settings
    if viewer is not None:
        return RedirectResponse(_safe_next(next), status_code=status.HTTP_303_SEE_OTHER)
    if not settings.oidc_enabled:
        return _refused(request, _(oidc.NOT_CONFIGURED), status.HTTP_404_NOT_FOUND)
    try:
        begun = oidc.begin(settings=settings, redirect_uri=redirect_uri(request))
    except oidc.SignInFailed as failed:
        return _refused(request, _(failed.message), status.HTTP_502_BAD_GATEWAY)
    response = RedirectResponse(begun.url, status_code=status.HTTP_303_SEE_OTHER)
    flow_cookies.write(
        response,
        settings,
        flow_cookies.SSO,
        {
            "state": begun.state,
            "nonce": begun.nonce,
            "verifier": begun.code_verifier,
            "next": _safe_next(next),
        },
    )
    return response


@router.get(CALLBACK_PATH)
def finish(
    request: Request,
    engine: EngineDep,
    code: str = Query("", max_length=2000),
    state: str = Query("", max_length=500),
    error: str = Query("", max_length=200),
) -> Response:
    """Back from the identity provider: on success the same session as a password login, and
    the start page (or where the person was going). A GET that writes (the session, a linked
    subject, a new person): in a write transaction of its own, as SQLite wants."""
    settings = request.app.state.settings
    choose_locale(request, None)
    if not settings.oidc_enabled:
        return _refused(request, _(oidc.NOT_CONFIGURED), status.HTTP_404_NOT_FOUND)
    kept = flow_cookies.read(request, settings, flow_cookies.SSO) or {}
    if error:
        # the person cancelled at the provider, or it refused: no session, say so plainly
        message, code_status = oidc.FLOW_BROKEN, status.HTTP_400_BAD_REQUEST
        return _without_flow_cookie(_refused(request, _(message), code_status), request)
    try:
        with write_session(engine) as session:
            started = oidc.finish(
                session=session,
                settings=settings,
                code=code,
                state=state,
                expected_state=str(kept.get("state", "")),
                nonce=str(kept.get("nonce", "")),
                code_verifier=str(kept.get("verifier", "")),
                redirect_uri=redirect_uri(request),
                client=_client(request),
            )
    except oidc.SignInFailed as failed:
        code_status = (
            status.HTTP_403_FORBIDDEN
            if failed.reason in ("unknown_user", "inactive", "email_linked_to_other_subject")
            else status.HTTP_400_BAD_REQUEST
        )
        return _without_flow_cookie(_refused(request, _(failed.message), code_status), request)
    response = RedirectResponse(
        _safe_next(str(kept.get("next", "/"))), status_code=status.HTTP_303_SEE_OTHER
    )
    flow_cookies.clear(response, settings, flow_cookies.SSO)
    set_session_cookie(response, settings, started.cookie_value)
    return response


def _without_flow_cookie(response: Response, request: Request) -> Response:
    """A round trip is used once, whatever its outcome."""
    flow_cookies.clear(response, request.app.state.settings, flow_cookies.SSO)
    return response
