"""Two-factor on the profile: setting it up (QR code and secret, confirmed with a code, then ten
recovery codes shown once) and switching it off (with a code). An admin who must have it is sent
here from every other page (install). The rules are app.services.two_factor's."""

from __future__ import annotations

from typing import Annotated, Any

import segno
from fastapi import APIRouter, FastAPI, Form, Request, status
from fastapi.responses import RedirectResponse
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.responses import Response

from app.deps import SessionDep
from app.services import two_factor
from app.web.auth import _client
from app.web.deps import EnrollingViewerDep, SecondFactorRequired, Viewer, ViewerDep
from app.web.forms import submit
from app.web.i18n import gettext as _
from app.web.templating import is_htmx, render

router = APIRouter()

PAGE = "/profiel/tweestapsverificatie"
PAGE_TEMPLATE = "profile/two_factor.html"
# the page that shows a secret may stay open a while; after this the form asks to start again
SECRET_FORM_SECONDS = 30 * 60
NO_STORE = {"Cache-Control": "no-store"}  # secrets and recovery codes are never kept by a cache


def _secret_signer(request: Request, viewer: Viewer) -> URLSafeTimedSerializer:
    settings = request.app.state.settings
    return URLSafeTimedSerializer(
        settings.resolved_secret_key, salt=f"verbeterbord-totp-{viewer.user.id}"
    )


def _qr_code(uri: str) -> str:
    """The otpauth:// address as an SVG data URI for an <img> (the CSP allows data: images)."""
    return str(segno.make(uri, error="m").svg_data_uri(scale=5, border=2))


def _enrol_page(
    request: Request,
    viewer: Viewer,
    *,
    secret: str | None = None,
    error: str = "",
    status_code: int = status.HTTP_200_OK,
) -> Response:
    secret = secret or two_factor.new_secret()
    uri = two_factor.provisioning_uri(secret=secret, email=viewer.user.email)
    context: dict[str, Any] = {
        "stage": "enrol",
        "qr_code": _qr_code(uri),
        # in groups of four, easier to type over
        "secret_text": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "secret_token": _secret_signer(request, viewer).dumps(secret),
        "error": error,
        "required": viewer.must_enrol,
    }
    return render(request, PAGE_TEMPLATE, context, status_code=status_code, headers=NO_STORE)


@router.get(PAGE)
def two_factor_page(request: Request, viewer: EnrollingViewerDep) -> Response:
    """Setting up two-factor; when it is on already, the profile shows it and how to stop."""
    if two_factor.is_on(viewer.user):
        return RedirectResponse("/profiel#tweestapsverificatie", status.HTTP_303_SEE_OTHER)
    return _enrol_page(request, viewer)


@router.post(PAGE)
def enable(
    request: Request,
    viewer: EnrollingViewerDep,
    session: SessionDep,
    secret_token: Annotated[str, Form(max_length=500)] = "",
    code: Annotated[str, Form(max_length=50)] = "",
) -> Response:
    """Switch it on once the code from the app matches the secret shown; the recovery codes are
    shown this once."""
    try:
        secret = str(
            _secret_signer(request, viewer).loads(secret_token, max_age=SECRET_FORM_SECONDS)
        )
    except BadSignature:
        # too old or not ours: a new secret, to be scanned again
        return _enrol_page(
            request,
            viewer,
            error=_("Deze pagina was verlopen. Scan de nieuwe QR-code en probeer het opnieuw."),
            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
        )
    return submit(
        session,
        lambda: two_factor.enable(session=session, user=viewer.user, secret=secret, code=code),
        refused=lambda errors: _enrol_page(
            request,
            viewer,
            secret=secret,
            error=errors.get("code", ""),
            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
        ),
        saved=lambda codes: render(
            request,
            PAGE_TEMPLATE,
            {"stage": "codes", "recovery_codes": codes, "required": False},
            headers=NO_STORE,
        ),
    )


@router.post(f"{PAGE}/uitzetten")
def disable(
    request: Request,
    viewer: ViewerDep,
    session: SessionDep,
    code: Annotated[str, Form(max_length=50)] = "",
) -> Response:
    """Switch it off, with a code from the app or a recovery code."""

    def page(stage: str, error: str = "", status_code: int = status.HTTP_200_OK) -> Response:
        context = {"stage": stage, "error": error, "required": False}
        return render(request, PAGE_TEMPLATE, context, status_code=status_code)

    return submit(
        session,
        lambda: two_factor.disable(
            session=session,
            settings=request.app.state.settings,
            user=viewer.user,
            code=code,
            client=_client(request),
        ),
        refused=lambda errors: page(
            "disable", errors.get("code", ""), status.HTTP_422_UNPROCESSABLE_CONTENT
        ),
        saved=lambda _none: page("off"),
    )


def install(app: FastAPI) -> None:
    @app.exception_handler(SecondFactorRequired)
    async def _second_factor_required(request: Request, exc: SecondFactorRequired) -> Response:
        if is_htmx(request):
            return Response(status_code=status.HTTP_204_NO_CONTENT, headers={"HX-Redirect": PAGE})
        return RedirectResponse(PAGE, status_code=status.HTTP_303_SEE_OTHER)
