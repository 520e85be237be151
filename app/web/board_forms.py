"""Reading the board's forms: text from the browser into the services' input, with a Dutch
message per field for what cannot be read."""

from __future__ import annotations

from datetime import date
from typing import Any

from app.models import MAX_ID


def N_(message: str) -> str:  # noqa: N802  (the usual gettext marker, found by extraction)
    """Marks a message for the catalogue; the template translates it where it is shown."""
    return message


# Form fields in the order they appear, so focus can go to the first one with a problem.
ACTION_FIELDS = ("title", "owner_id", "due_date", "doel", "description", "blocked_reason")

# Where a service's message about a field shows in the form.
SERVICE_FIELDS = {
    "ambition_id": "doel",
    "goal_id": "doel",
    "sprint_id": "form",
    "team_id": "form",
    "version": "form",
    "position": "form",
}


def first_error(errors: dict[str, str], order: tuple[str, ...] = ACTION_FIELDS) -> str:
    return next((name for name in order if name in errors), "")


def parse_id(value: str) -> int | None:
    value = value.strip()
    if not value.isdigit() or not 1 <= int(value) <= MAX_ID:
        return None
    return int(value)


def parse_doel(value: str) -> tuple[int | None, int | None] | None:
    """ "a12" is ambition 12, "g5" goal 5 (its ambition follows from it), "" neither."""
    value = value.strip()
    if not value:
        return None, None
    kind, number = value[:1], parse_id(value[1:])
    if number is None or kind not in ("a", "g"):
        return None
    return (number, None) if kind == "a" else (None, number)


def parse_action(
    values: dict[str, str], *, with_reason: bool = False
) -> tuple[dict[str, Any], dict[str, str]]:
    """The fields of the add and edit forms, as keyword arguments for ActionCreate/ActionUpdate,
    and a message per field that cannot be used."""
    errors: dict[str, str] = {}
    data: dict[str, Any] = {}
    title = values.get("title", "").strip()
    if not title:
        errors["title"] = N_("Vul een titel in.")
    elif len(title) > 200:
        errors["title"] = N_("Maak de titel korter: hoogstens 200 tekens.")
    data["title"] = title
    description = values.get("description", "").strip()
    if len(description) > 5000:
        errors["description"] = N_("Maak de beschrijving korter: hoogstens 5000 tekens.")
    data["description"] = description
    owner_id = parse_id(values.get("owner_id", ""))
    if owner_id is None:
        errors["owner_id"] = N_("Kies een eigenaar.")
    data["owner_id"] = owner_id
    due = values.get("due_date", "").strip()
    data["due_date"] = None
    if due:
        try:
            data["due_date"] = date.fromisoformat(due)
        except ValueError:
            errors["due_date"] = N_("Vul een geldige datum in, bijvoorbeeld 2026-11-24.")
    doel = parse_doel(values.get("doel", ""))
    if doel is None:
        errors["doel"] = N_("Kies een ambitie of kortetermijndoel uit de lijst.")
        doel = (None, None)
    data["ambition_id"], data["goal_id"] = doel
    if with_reason:
        reason = values.get("blocked_reason", "").strip()
        if len(reason) > 1000:
            errors["blocked_reason"] = N_("Maak de reden korter: hoogstens 1000 tekens.")
        data["blocked_reason"] = reason
    return data, errors


def service_errors(errors: dict[str, str]) -> dict[str, str]:
    """A service's messages, keyed by the form field they belong to."""
    shown: dict[str, str] = {}
    for name, message in errors.items():
        shown.setdefault(SERVICE_FIELDS.get(name, name), message)
    return shown


def parse_version(value: str) -> int | None:
    return parse_id(value)
