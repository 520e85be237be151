"""What the admin and profile pages share: reading form input into Dutch field messages,
refusing non-admins, and the screen-reader notice after an HTMX change."""

from __future__ import annotations

from typing import Any

from fastapi import Request, status
from fastapi.responses import RedirectResponse
from pydantic import ValidationError

from app.models import MAX_ID, Role
from app.services.access import require_admin
from app.web.deps import Viewer, ViewerDep
from app.web.i18n import gettext as _
from app.web.templating import is_htmx


def N_(message: str) -> str:  # noqa: N802  (the usual gettext marker, found by extraction)
    """Mark a message for translation where it is defined; _() translates it where it is shown."""
    return message


ROLE_LABELS = {
    Role.member: N_("Lid"),
    Role.representative: N_("Vertegenwoordiger"),
    Role.lead: N_("Trekker"),
}
CHECK_FIELD = N_("Controleer dit veld.")


# ViewerDep already sets the viewer's language for messages made in Python.
PageViewer = ViewerDep


class FormError(Exception):
    """Form input that cannot even be handed to a service, with one message per field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


def require_administrator(viewer: Viewer) -> None:
    """Pages for locations, users, teams and sprints are for admins only (a Dutch 403 page)."""
    require_admin(viewer.access)


def build(model: type[Any], messages: dict[str, str], **values: Any) -> Any:
    """The model from form values, or FormError with the Dutch message of each bad field."""
    try:
        return model(**values)
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for error in exc.errors():
            field = str(error["loc"][0]) if error["loc"] else "form"
            errors.setdefault(field, _(messages.get(field, CHECK_FIELD)))
        raise FormError(errors) from exc


def optional_id(value: str, field: str, message: str) -> int | None:
    """A select's chosen id; the empty choice is None."""
    value = value.strip()
    if not value:
        return None
    if not value.isdigit() or not 1 <= int(value) <= MAX_ID:
        raise FormError({field: _(message)})
    return int(value)


def translated(errors: dict[str, str]) -> dict[str, str]:
    """A service's Dutch messages in the reader's language."""
    return {field: _(message) for field, message in errors.items()}


def notice(request: Request, message: str) -> dict[str, str]:
    """A message for the live region, sent out-of-band with an HTMX answer only (a full page
    already shows what changed)."""
    return {"oob_notice": message} if is_htmx(request) else {}


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=status.HTTP_303_SEE_OTHER)


UNPROCESSABLE = status.HTTP_422_UNPROCESSABLE_CONTENT
