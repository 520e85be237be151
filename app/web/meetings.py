"""How the pages name a college or council meeting, and the "Vergadering" choice of the
action and goal forms (upcoming meetings grouped per municipality)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session

from app.models import MeetingBody
from app.queries.meetings import MeetingInfo, meetings_named
from app.translatable import N_
from app.web.i18n import day
from app.web.i18n import gettext as _

BODY_LABELS = {
    MeetingBody.college: N_("College van B&W"),
    MeetingBody.council: N_("Gemeenteraad"),
}
# on a card, next to the streefdatum: "Raad Baarle-Nassau 10 dec."
BODY_SHORT = {MeetingBody.college: N_("College"), MeetingBody.council: N_("Raad")}
UNKNOWN_MEETING = N_("Kies een vergadering uit de lijst.")


def body_label(body: str) -> str:
    return _(BODY_LABELS[MeetingBody(body)])


def card_label(info: MeetingInfo) -> str:
    """ "Raad Baarle-Nassau 10 dec.": the body, the municipality and the day, for a card."""
    short = _(BODY_SHORT[MeetingBody(info.meeting.body)])
    return f"{short} {info.location.name} {day(info.meeting.held_on, weekday=False)}"


def full_label(info: MeetingInfo) -> str:
    """ "Gemeenteraad 10 dec. (stukken uiterlijk 30 nov.)": for a choice and a goal."""
    text = _("%(orgaan)s %(datum)s (stukken uiterlijk %(uiterlijk)s)") % {
        "orgaan": body_label(info.meeting.body),
        "datum": day(info.meeting.held_on, weekday=False),
        "uiterlijk": day(info.deadline, weekday=False),
    }
    return f"{text} · {info.meeting.title}" if info.meeting.title else text


def named_label(info: MeetingInfo) -> str:
    """ "Gemeenteraad Baarle-Nassau 10 dec. (stukken uiterlijk 30 nov.)": outside a list that
    is grouped per municipality."""
    text = _("%(orgaan)s %(gemeente)s %(datum)s (stukken uiterlijk %(uiterlijk)s)") % {
        "orgaan": body_label(info.meeting.body),
        "gemeente": info.location.name,
        "datum": day(info.meeting.held_on, weekday=False),
        "uiterlijk": day(info.deadline, weekday=False),
    }
    return f"{text} · {info.meeting.title}" if info.meeting.title else text


def meeting_label_of(session: Session, meeting_id: int | None) -> str:
    """The named label of one meeting (one query), or "" for none."""
    if meeting_id is None:
        return ""
    info = meetings_named(session, [meeting_id]).get(meeting_id)
    return named_label(info) if info else ""


@dataclass(frozen=True)
class MeetingChoice:
    value: str
    label: str
    selected: bool


@dataclass(frozen=True)
class MeetingGroup:
    """One <optgroup>: a municipality and its meetings."""

    label: str
    choices: list[MeetingChoice]


def meeting_groups(meetings: Sequence[MeetingInfo], selected: str) -> list[MeetingGroup]:
    """The choices per municipality, in the order given (by municipality, then date)."""
    groups: list[MeetingGroup] = []
    for info in meetings:
        if not groups or groups[-1].label != info.location.name:
            groups.append(MeetingGroup(label=info.location.name, choices=[]))
        groups[-1].choices.append(
            MeetingChoice(
                value=str(info.meeting.id),
                label=full_label(info),
                selected=str(info.meeting.id) == selected,
            )
        )
    return groups
