"""The E-mail section of the profile (/profiel, templates/profile/_mail.html): the day of the
weekly digest or none, and whether mentions and knelpunt news are mailed."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from app.deps import SessionDep
from app.models.mail import MailSettingsUpdate
from app.services import mail
from app.web.deps import Viewer, ViewerDep
from app.web.forms import FormError, notice, parse, saved_answer, submit
from app.web.i18n import gettext as _
from app.web.templating import is_htmx, render

router = APIRouter()

PARTIAL = "profile/_mail.html"


def _section(request: Request, viewer: Viewer, *, error: str = "", message: str = "") -> Response:
    shown = notice(request, message).get("oob_notice", "")
    context = {"user": viewer.user, "mail_error": error, "mail_notice": shown}
    if error and not is_htmx(request):
        # a plain form post that was refused: the section on a page of its own
        return render(request, "profile/mail.html", context)
    return render(request, PARTIAL, context)


@router.post("/profiel/e-mail")
def save_mail_settings(
    request: Request,
    viewer: ViewerDep,
    session: SessionDep,
    digest_weekday: Annotated[str, Form(max_length=10)] = "",
    mention_mail: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    def save() -> object:
        day = digest_weekday.strip()
        if day and not (day.isdigit() and len(day) == 1):
            raise FormError({"digest_weekday": _(mail.WEEKDAY_CHOICE)})
        data = parse(
            MailSettingsUpdate,
            digest_weekday=int(day) if day else None,
            mention_mail=bool(mention_mail),
        )
        return mail.update_mail_settings(session=session, user=viewer.user, data=data)

    return submit(
        session,
        save,
        refused=lambda _errors: _section(request, viewer, error=_(mail.WEEKDAY_CHOICE)),
        saved=lambda _saved: saved_answer(
            request,
            "/profiel#e-mail",
            lambda: _section(request, viewer, message=_("Je keuzes voor e-mail zijn opgeslagen.")),
        ),
    )
