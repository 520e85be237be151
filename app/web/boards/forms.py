"""Reading the board's forms into the write models the API uses (ActionCreate, ActionUpdate,
EscalationCreate, ...), with a message per form field for what cannot be used.

What a form field means is settled here ("doel" is an ambition or a goal, an empty date is no
date); what is allowed (lengths, required text) comes from the model, through forms.parse.
"""

from __future__ import annotations

from datetime import date
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from app.domain.due import UnusualDue, unusual_due_date
from app.models import MAX_ID, Action, ActionStatus, ActionUpdate
from app.translatable import N_
from app.web.forms import UNREADABLE_FORM, FormError, field_messages, required
from app.web.i18n import gettext as _

M = TypeVar("M", bound=BaseModel)

# Form fields in the order they appear, so focus can go to the first one with a problem.
ACTION_FIELDS = (
    "title",
    "owner_id",
    "due_date",
    "doel",
    "meeting_id",
    "description",
    "blocked_reason",
)

# Where a model's or a service's message about a field shows in the form.
FORM_FIELDS = {
    "ambition_id": "doel",
    "goal_id": "doel",
    "sprint_id": "form",
    "team_id": "form",
    "version": "form",
    "position": "form",
}
UNKNOWN_DOEL = N_("Kies een ambitie of kortetermijndoel uit de lijst.")
UNKNOWN_MEETING = N_("Kies een vergadering uit de lijst.")
# an unusual streefdatum is asked about once: the message, and the box that says it is meant
ASK_DUE = {
    UnusualDue.past: N_(
        "Deze datum ligt in het verleden. Klopt dat? "
        "Vink dan „Ja, deze datum klopt” aan en sla nog een keer op."
    ),
    UnusualDue.far_ahead: N_(
        "Deze datum ligt meer dan twee jaar vooruit. Klopt dat? "
        "Vink dan „Ja, deze datum klopt” aan en sla nog een keer op."
    ),
}
DUE_MEANT = N_("Ja, deze datum klopt")


class ActionForm(BaseModel):
    """The add and edit forms as typed (hidden fields included); the browser's text, before it
    means anything."""

    title: str = ""
    owner_id: str = ""
    due_date: str = ""
    doel: str = ""
    meeting_id: str = ""  # a college or council meeting; "" for none
    description: str = ""
    blocked_reason: str = ""
    version: str = ""
    sprint_id: str = ""
    due_date_ok: str = ""  # the unusual streefdatum the person said is meant
    confirm_personal_data: str = ""  # ticked: the text holds no citizen's personal data

    def typed(self) -> dict[str, str]:
        """What goes back into the form when it is shown again."""
        return self.model_dump()


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


def on_form(errors: dict[str, str]) -> dict[str, str]:
    """Messages keyed by the form field they belong to (a goal's shows at "doel")."""
    shown: dict[str, str] = {}
    for name, message in errors.items():
        shown.setdefault(FORM_FIELDS.get(name, name), message)
    return shown


def build(model: type[M], fields: dict[str, Any], problems: dict[str, str] | None = None) -> M:
    """The write model, or FormError with every problem of the form at once: those found while
    reading the text (problems) and those the model refuses."""
    errors = dict(problems or {})
    try:
        built = model(**fields)
    except ValidationError as exc:
        errors = {**on_form(field_messages(exc)), **errors}
    if errors:
        raise FormError(errors)
    return built


def due_date_question(
    typed: str, *, meant: str, today: date, current: date | None = None
) -> dict[str, str]:
    """Messages asking whether an unusual streefdatum is meant (in the past, or more than two
    years ahead), unless it was confirmed (meant holds the same date) or it is the action's own
    date already. Under "due_date_ok" the box to tick; nothing when there is nothing to ask."""
    typed = typed.strip()
    try:
        due = date.fromisoformat(typed) if typed else None
    except ValueError:
        return {}  # not a date: the model says so
    unusual = unusual_due_date(due, today=today)
    if unusual is None or due == current or meant.strip() == typed:
        return {}
    return {"due_date": _(ASK_DUE[unusual]), "due_date_ok": _(DUE_MEANT)}


def action_fields(
    values: dict[str, str],
    *,
    today: date,
    current_due: date | None = None,
    with_reason: bool = False,
) -> tuple[dict[str, Any], dict[str, str]]:
    """The add and edit forms' text as the write model's fields, and a message for each field
    whose text means nothing (an owner or "doel" that is not one of the choices) or is asked
    about (an unusual streefdatum that is not the action's own already)."""
    problems: dict[str, str] = due_date_question(
        values.get("due_date", ""),
        meant=values.get("due_date_ok", ""),
        today=today,
        current=current_due,
    )
    fields: dict[str, Any] = {
        "title": values.get("title", ""),
        "description": values.get("description", ""),
        "due_date": values.get("due_date", "").strip() or None,
        "owner_id": parse_id(values.get("owner_id", "")),
        "confirm_personal_data": confirmed(values.get("confirm_personal_data", "")),
    }
    if fields["owner_id"] is None:
        problems["owner_id"] = required("owner_id")
    doel = parse_doel(values.get("doel", ""))
    if doel is None:
        problems["doel"] = _(UNKNOWN_DOEL)
        doel = (None, None)
    fields["ambition_id"], fields["goal_id"] = doel
    meeting = values.get("meeting_id", "").strip()
    fields["meeting_id"] = parse_id(meeting) if meeting else None
    if meeting and fields["meeting_id"] is None:
        problems["meeting_id"] = _(UNKNOWN_MEETING)
    if with_reason:
        fields["blocked_reason"] = values.get("blocked_reason", "")
    return fields, problems


def confirmed(value: str) -> bool:
    """A ticked box (the privacy guard's "Ik weet zeker ..."): any value but empty."""
    return bool(value.strip())


def version_of(value: str) -> tuple[int | None, dict[str, str]]:
    """The version a change was made on (a hidden field), or the form is incomplete."""
    number = parse_id(value)
    return number, ({} if number is not None else {"form": _(UNREADABLE_FORM)})


def status_change(
    action: Action,
    *,
    version: int | None,
    status: str,
    reason: str,
    position: int | None = None,
    problems: dict[str, str] | None = None,
    confirm_personal_data: bool = False,
) -> ActionUpdate:
    """A move of the action to another status (and place) as the write model. A move needs a
    status; a move to Geblokkeerd takes the reason typed, and a blocked action that stays
    blocked keeps its own reason when none was typed."""
    fields: dict[str, Any] = {"version": version, "status": status or None}
    if confirm_personal_data:
        fields["confirm_personal_data"] = True
    if status == ActionStatus.blocked and (reason.strip() or action.status != ActionStatus.blocked):
        fields["blocked_reason"] = reason
    if position is not None:
        fields["position"] = position
    data = build(ActionUpdate, fields, problems)
    if data.status is None:
        raise FormError({"status": required("status")})
    return data
