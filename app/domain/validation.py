"""Which Dutch message a failed check of one field gets: one table for the pages' forms and the
JSON API, derived from the constraint that failed (the length comes from the model, never typed
twice). The messages are Dutch `Message`s; whoever shows one translates its template."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from app.domain.messages import Message
from app.translatable import N_

CHECK_FIELD = N_("Controleer dit veld.")

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

# What only a program sending a request can get wrong (the API).
BODY_NOT_JSON = N_("Stuur de gegevens als JSON.")
BODY_NOT_UTF8 = N_("Stuur de gegevens als UTF-8-tekst.")
BODY_NOT_OBJECT = N_("Stuur de gegevens als één JSON-object met velden.")
UNKNOWN_FIELD = N_("Dit veld bestaat hier niet of kun je niet zelf invullen.")
NOT_A_WHOLE_NUMBER = N_("Vul een geheel getal in.")
AT_LEAST = N_("Vul een getal in van minstens %(min)s.")
AT_MOST = N_("Vul een getal in van hoogstens %(max)s.")
NOT_TRUE_OR_FALSE = N_("Vul true of false in.")
NOT_A_LIST = N_("Stuur een lijst.")
BODY_UNREADABLE = "body_unreadable"  # the type of a body that is not UTF-8 text


def constraint_message(field: str, kind: str, context: dict[str, Any]) -> Message:
    """The Dutch message for one failed constraint (pydantic's error `type` and `ctx`) of one
    field, as a form shows it."""
    if kind in EMPTY_KINDS:
        return Message(REQUIRED.get(field, CHECK_FIELD))
    if kind == "string_too_long" and field in FIELD_NOUNS:
        return Message(TOO_LONG, veld=Message(FIELD_NOUNS[field]), max=context["max_length"])
    if kind == "value_error" and field in BAD_FORMAT:
        return Message(BAD_FORMAT[field])
    if kind == "value_error" and "error" in context:
        # the model's own Dutch message (e.g. text that cannot be stored)
        error = context["error"]
        return error if isinstance(error, Message) else Message(str(error).replace("%", "%%"))
    if kind in DATE_KINDS:
        return Message(NOT_A_DATE)
    if kind in CHOICE_KINDS:
        return Message(REQUIRED.get(field, NOT_A_CHOICE))
    return Message(CHECK_FIELD)


def request_message(loc: Sequence[str | int], kind: str, context: dict[str, Any]) -> Message:
    """The Dutch message for one problem with an API request at `loc` (`body`, `query`, `path`
    or `header`, then the field): the form's message, plus what only a program gets wrong."""
    names = [part for part in loc[1:] if isinstance(part, str)]
    if kind == "json_invalid":
        return Message(BODY_NOT_JSON)
    if kind == BODY_UNREADABLE:
        return Message(BODY_NOT_UTF8)
    if not names:  # the body as a whole
        return Message(BODY_NOT_OBJECT)
    field = names[0]
    if kind == "extra_forbidden":
        return Message(UNKNOWN_FIELD)
    if kind in {"bool_parsing", "bool_type"}:
        return Message(NOT_TRUE_OR_FALSE)
    if kind == "list_type":
        return Message(NOT_A_LIST)
    if field not in REQUIRED:
        if kind in {"int_parsing", "int_type", "int_from_float"}:
            return Message(NOT_A_WHOLE_NUMBER)
        if kind == "greater_than_equal":
            return Message(AT_LEAST, min=context["ge"])
        if kind == "less_than_equal":
            return Message(AT_MOST, max=context["le"])
    return constraint_message(field, kind, context)
