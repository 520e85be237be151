"""Refusals on pages: a Dutch page (or a message for HTMX) instead of JSON."""

from __future__ import annotations

from fastapi import FastAPI, Request, status
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from app.translatable import N_
from app.web.deps import CsrfRefused, LoginRequired, choose_locale
from app.web.forms import CHECK_FORM
from app.web.i18n import current_locale
from app.web.i18n import gettext as _
from app.web.templating import is_htmx, render

TITLES = {
    400: N_("Dit verzoek klopt niet"),
    401: N_("Log eerst in"),
    403: N_("Dit mag je niet doen"),
    404: N_("Deze pagina bestaat niet"),
    409: N_("Dit botst met een andere wijziging"),
    422: N_("Controleer wat je hebt ingevuld"),
    429: N_("Te veel pogingen"),
    503: N_("Het is even te druk"),
}

# not inside the _() call below: extraction would miss it there
SOMETHING_WENT_WRONG = N_("Er ging iets mis")

MESSAGES = {
    404: N_("Controleer het adres, of ga terug naar de startpagina."),
    405: N_("Dit verzoek kan hier niet."),
    422: CHECK_FORM,
}


def html_error(request: Request, status_code: int, message: str) -> Response:
    if not hasattr(request.state, "locale"):
        choose_locale(request, None)
    # a handler runs outside the route's context, where the language was set
    current_locale.set(request.state.locale)
    title = _(TITLES.get(status_code, SOMETHING_WENT_WRONG))
    message = message or MESSAGES.get(status_code, "")
    return render(
        request,
        "errors/error.html",
        # gettext("") is the catalogue's header, not an empty message
        {"title": title, "message": _(message) if message else ""},
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
            N_("Je formulier is verlopen. Laad de pagina opnieuw en probeer het nog eens."),
        )
