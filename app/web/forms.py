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
from app.models import MAX_ID, ActionStatus, Role
from app.services.errors import Forbidden, Invalid
from app.translatable import N_
from app.web.i18n import gettext as _
from app.web.templating import is_htmx

T = TypeVar("T")
UNPROCESSABLE = status.HTTP_422_UNPROCESSABLE_CONTENT

CHECK_FORM = N_("Controleer wat je hebt ingevuld.")
CHECK_FIELD = N_("Controleer dit veld.")
UNREADABLE_FORM = N_(
    "Dit formulier is niet compleet. Laad de pagina opnieuw en probeer het nog eens."
)
STALE_ACTION = N_(
    "Deze actie is intussen gewijzigd door %(naam)s. Bekijk de nieuwe versie en probeer het "
    "opnieuw."
)

STATUS_LABELS = {
    ActionStatus.todo: N_("Te doen"),
    ActionStatus.doing: N_("Bezig"),
    ActionStatus.done: N_("Klaar"),
    ActionStatus.blocked: N_("Geblokkeerd"),
}
ROLE_LABELS = {
    Role.member: N_("Lid"),
    Role.representative: N_("Vertegenwoordiger"),
    Role.lead: N_("Trekker"),
}

# What a field is called inside a sentence ("Maak de titel korter …").
FIELD_NOUNS = {
    "title": N_("de titel"),
    "name": N_("de naam"),
    "description": N_("de beschrijving"),
    "intent": N_("de bedoeling"),
    "blocked_reason": N_("de reden"),
    "note": N_("de toelichting"),
    "body": N_("je reactie"),
    "resolution": N_("de oplossing"),
    "email": N_("het e-mailadres"),
    "password": N_("het wachtwoord"),
    "new_password": N_("het wachtwoord"),
}
# What to do when a field is empty or missing.
REQUIRED = {
    "title": N_("Vul een titel in."),
    "name": N_("Vul een naam in."),
    "email": N_("Vul een geldig e-mailadres in."),
    "owner_id": N_("Kies een eigenaar."),
    "status": N_("Kies een status."),
    "note": N_("Schrijf op wat er nodig is om verder te kunnen."),
    "resolution": N_("Schrijf op hoe het knelpunt is opgelost."),
    "body": N_("Schrijf eerst je reactie."),
    "blocked_reason": N_("Schrijf op waarom de actie geblokkeerd is."),
    "start_date": N_("Vul een begindatum in."),
    "user_id": N_("Kies een medewerker uit de lijst."),
    "role": N_("Kies een rol."),
}
# What to do when a field's text has the wrong form.
BAD_FORMAT = {"email": N_("Vul een geldig e-mailadres in.")}
TOO_LONG = N_("Maak %(veld)s korter: hoogstens %(max)d tekens.")
NOT_A_DATE = N_("Vul een geldige datum in, bijvoorbeeld 2026-11-24.")
NOT_A_CHOICE = N_("Kies een van de mogelijkheden.")
EMPTY_KINDS = {"missing", "string_too_short", "too_short"}
DATE_KINDS = {
    "date_parsing",
    "date_from_datetime_parsing",
    "date_from_datetime_inexact",
    "date_type",
}
CHOICE_KINDS = {"enum", "literal_error", "int_parsing", "int_type", "less_than_equal"}


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
    if kind in EMPTY_KINDS:
        return required(field)
    if kind == "string_too_long" and field in FIELD_NOUNS:
        return _(TOO_LONG) % {"veld": _(FIELD_NOUNS[field]), "max": context["max_length"]}
    if kind == "value_error" and field in BAD_FORMAT:
        return _(BAD_FORMAT[field])
    if kind == "value_error" and "error" in context:
        # the model's own Dutch message (e.g. text that cannot be stored)
        return _(str(context["error"]))
    if kind in DATE_KINDS:
        return _(NOT_A_DATE)
    if kind in CHOICE_KINDS:
        return _(REQUIRED.get(field, NOT_A_CHOICE))
    return _(CHECK_FIELD)


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
    template translated first and the values filled in after."""
    if isinstance(message, Message):
        return _(message.template) % message.values
    return _(message)


def translated(errors: dict[str, str]) -> dict[str, str]:
    """A service's Dutch messages in the reader's language."""
    return {field: in_reader_language(message) for field, message in errors.items()}


def errors_of(exc: Exception) -> dict[str, str]:
    """The field messages of any refusal of a form's input."""
    if isinstance(exc, FormError):
        return exc.errors
    if isinstance(exc, Invalid):
        return translated(exc.errors)
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
