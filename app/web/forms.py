"""One way to handle a form on a page.

A form is read into the same pydantic write model the API uses; a `ValidationError` becomes one
Dutch message per field, derived from the constraint that failed (the length comes from the
model, never typed twice). `submit` runs the parse-and-save step and answers either way: the form
again with its messages (422, the transaction rolled back) or what the caller shows when saved.
The labels that pages share (status, role) and the stale-version notice live here too.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import Request, status
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from sqlmodel import Session
from starlette.responses import Response

from app.domain.messages import Message
from app.domain.validation import CHECK_FIELD, REQUIRED, constraint_message
from app.models import MAX_ID, ActionStatus, Role
from app.services.errors import Forbidden, Invalid
from app.services.personal_data import is_personal_data
from app.translatable import N_
from app.web.i18n import gettext as _
from app.web.templating import is_htmx

T = TypeVar("T")
UNPROCESSABLE = status.HTTP_422_UNPROCESSABLE_CONTENT

CHECK_FORM = N_("Controleer wat je hebt ingevuld.")
UNREADABLE_FORM = N_(
    "Dit formulier is niet compleet. Laad de pagina opnieuw en probeer het nog eens."
)
STALE_ACTION = N_(
    "Deze actie is intussen gewijzigd door %(naam)s. Bekijk de nieuwe versie en probeer het "
    "opnieuw."
)

# the box a form shows beside the privacy guard's message (name confirm_personal_data)
CONFIRM_PERSONAL_DATA = N_("Ik weet zeker dat dit geen gegevens van een inwoner zijn")

STATUS_LABELS = {
    ActionStatus.todo: N_("Te doen"),
    ActionStatus.doing: N_("Bezig"),
    ActionStatus.done: N_("Klaar"),
    ActionStatus.blocked: N_("Geblokkeerd"),
}
# what a status is called wherever it is shown; dropped is never chosen in a form (only closing
# a period drops an action, with a reason), so it is not in STATUS_LABELS
SHOWN_STATUS_LABELS = {**STATUS_LABELS, ActionStatus.dropped: N_("Laten vallen")}
ROLE_LABELS = {
    Role.member: N_("Lid"),
    Role.representative: N_("Vertegenwoordiger"),
    Role.deputy: N_("Plaatsvervangend vertegenwoordiger"),
    Role.lead: N_("Trekker"),
}


def required(field: str) -> str:
    """What to do about an empty field, in the reader's language."""
    return _(REQUIRED.get(field, CHECK_FIELD))


class FormError(Exception):
    """Form input that cannot be handed to a service, with one message per field."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


def message_for(field: str, kind: str, context: dict[str, Any]) -> str:
    """The Dutch message (in the reader's language) for one failed constraint of one field."""
    return in_reader_language(constraint_message(field, kind, context))


def field_messages(error: ValidationError) -> dict[str, str]:
    """One message per field (the first constraint that failed), keyed by the field's name."""
    messages: dict[str, str] = {}
    for problem in error.errors():
        field = str(problem["loc"][0]) if problem["loc"] else "form"
        messages.setdefault(field, message_for(field, problem["type"], problem.get("ctx") or {}))
    return messages


def parse(model: type[T], **values: Any) -> T:
    """The write model from form values, or FormError with a message per bad field."""
    try:
        return model(**values)
    except ValidationError as exc:
        raise FormError(field_messages(exc)) from exc


def in_reader_language(message: str) -> str:
    """A service's Dutch message in the reader's language; a message with values has its
    template translated first and the values filled in after (translated too when they are
    messages themselves, such as the field's name)."""
    if isinstance(message, Message):
        values = {
            name: in_reader_language(value) if isinstance(value, Message) else value
            for name, value in message.values.items()
        }
        return _(message.template) % values
    return _(message)


def translated(errors: dict[str, str]) -> dict[str, str]:
    """A service's Dutch messages in the reader's language."""
    return {field: in_reader_language(message) for field, message in errors.items()}


def errors_of(exc: Exception) -> dict[str, str]:
    """The field messages of any refusal of a form's input."""
    if isinstance(exc, FormError):
        return exc.errors
    if isinstance(exc, Invalid):
        shown = translated(exc.errors)
        if any(is_personal_data(message) for message in exc.errors.values()):
            # the privacy guard asks once: the form offers the box that confirms the text
            shown["confirm_personal_data"] = _(CONFIRM_PERSONAL_DATA)
        return shown
    if isinstance(exc, ValidationError):
        return field_messages(exc)
    raise exc


def form_id(value: str, field: str, message: str = CHECK_FIELD) -> int | None:
    """A select's chosen id; the empty choice is None, anything else not an id a FormError."""
    value = value.strip()
    if not value:
        return None
    if not value.isdigit() or not 1 <= int(value) <= MAX_ID:
        raise FormError({field: _(message)})
    return int(value)


def shown_again_only_to_writers(may_write: bool) -> None:
    """A refused form goes back only to someone who may use it: anyone else hears just that
    (the service never got to refuse them, as the input was refused first)."""
    if not may_write:
        raise Forbidden()


def submit(
    session: Session,
    save: Callable[[], T],
    *,
    refused: Callable[[dict[str, str]], Response],
    saved: Callable[[T], Response],
) -> Response:
    """Parse and save; on bad input roll back and show the form again with its messages (422),
    otherwise answer what `saved` shows."""
    try:
        result = save()
    except (FormError, Invalid, ValidationError) as exc:
        # detached first, so what was read stays readable (the viewer, for the page) and the
        # rollback gives back the write lock without expiring it
        session.expunge_all()
        session.rollback()
        response = refused(errors_of(exc))
        response.status_code = UNPROCESSABLE
        return response
    return saved(result)


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=status.HTTP_303_SEE_OTHER)


def saved_answer(request: Request, url: str, partial: Callable[[], Response]) -> Response:
    """After a save: the partial for HTMX, a redirect (post/redirect/get) without JavaScript."""
    return partial() if is_htmx(request) else see_other(url)


def notice(request: Request, message: str) -> dict[str, str]:
    """A message for the live region, sent out-of-band with an HTMX answer only (a full page
    already shows what changed)."""
    return {"oob_notice": message} if is_htmx(request) else {}
