"""Refusals on pages: a Dutch page (or a message for HTMX) instead of JSON."""

from __future__ import annotations

from fastapi import FastAPI, Request, status
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from app.web.deps import CsrfRefused, LoginRequired, choose_locale
from app.web.i18n import gettext as _
from app.web.templating import is_htmx, render

TITLES = {
    400: "Dit verzoek klopt niet",
    401: "Log eerst in",
    403: "Dit mag je niet doen",
    404: "Deze pagina bestaat niet",
    409: "Dit botst met een andere wijziging",
    422: "Controleer wat je hebt ingevuld",
    429: "Te veel pogingen",
    503: "Het is even te druk",
}

MESSAGES = {
    404: "Controleer het adres, of ga terug naar de startpagina.",
    405: "Dit verzoek kan hier niet.",
}


def html_error(request: Request, status_code: int, message: str) -> Response:
    if not hasattr(request.state, "locale"):
        choose_locale(request, None)
    title = _(TITLES.get(status_code, "Er ging iets mis"))
    return render(
        request,
        "errors/error.html",
        {"title": title, "message": _(message)},
        status_code=status_code,
    )


def install(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def _login_required(request: Request, exc: LoginRequired) -> Response:
        target = f"/login?next={exc.next_path}"
        if is_htmx(request):
            return Response(status_code=status.HTTP_204_NO_CONTENT, headers={"HX-Redirect": target})
        return RedirectResponse(target, status_code=status.HTTP_303_SEE_OTHER)

    @app.exception_handler(CsrfRefused)
    async def _csrf_refused(request: Request, exc: CsrfRefused) -> Response:
        return html_error(
            request,
            status.HTTP_403_FORBIDDEN,
            "Je formulier is verlopen. Laad de pagina opnieuw en probeer het nog eens.",
        )
