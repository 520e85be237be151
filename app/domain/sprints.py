"""The organisation-wide sprint cadence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from app.domain.messages import Message
from app.translatable import N_

CLOSED_SPRINT = N_("Deze periode is afgesloten; je kunt er niets meer in veranderen.")


@dataclass(frozen=True)
class SprintDates:
    start: date
    end: date  # inclusive: a 14-day sprint ends on start + 13

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end


def sprint_containing(day: date, *, anchor: date, length_days: int) -> SprintDates:
    """The sprint of the cadence that holds this day."""
    offset = (day - anchor).days // length_days
    start = anchor + timedelta(days=offset * length_days)
    return SprintDates(start=start, end=start + timedelta(days=length_days - 1))


def sprint_after(end: date, *, length_days: int, weekday: int | None = None) -> SprintDates:
    """The sprint that starts the day after a sprint ends. With a start weekday (0 is Monday)
    it lasts a few days longer when needed, so the sprint after it starts on that weekday: a
    changed setting puts the chain in step again without moving existing sprints."""
    start = end + timedelta(days=1)
    last = start + timedelta(days=length_days - 1)
    if weekday is not None:
        last += timedelta(days=(weekday - (last + timedelta(days=1)).weekday()) % 7)
    return SprintDates(start=start, end=last)


def anchor_on(weekday: int, *, anchor: date) -> date:
    """The first day on this weekday from the configured anchor on: sprints start there."""
    return anchor + timedelta(days=(weekday - anchor.weekday()) % 7)


MIN_SPRINT_DAYS = 7
MAX_SETTING_DAYS = 56
SPRINT_DAYS_RANGE = N_("Een periode duurt minstens %(min)d en hoogstens %(max)d dagen.")
NOT_A_WEEKDAY = N_("Kies een dag van de week.")


def setting_problems(*, sprint_days: int, sprint_weekday: int) -> dict[str, str]:
    """What is wrong with the organisation's rhythm (field: message)."""
    problems: dict[str, str] = {}
    if not MIN_SPRINT_DAYS <= sprint_days <= MAX_SETTING_DAYS:
        problems["sprint_days"] = Message(
            SPRINT_DAYS_RANGE, min=MIN_SPRINT_DAYS, max=MAX_SETTING_DAYS
        )
    if not 0 <= sprint_weekday <= 6:
        problems["sprint_weekday"] = NOT_A_WEEKDAY
    return problems


def days_left(end: date, today: date) -> int:
    """Days of the sprint still to come, today included (0 once it has ended)."""
    return max((end - today).days + 1, 0)


def default_end(start: date, *, length_days: int) -> date:
    return start + timedelta(days=length_days - 1)


def overlaps(a: SprintDates, b: SprintDates) -> bool:
    return a.start <= b.end and b.start <= a.end


def iso_weeks(sprint: SprintDates) -> tuple[int, int]:
    """The ISO week numbers a sprint starts and ends in ("week 47–48")."""
    return sprint.start.isocalendar().week, sprint.end.isocalendar().week


def write_problem(*, closed_at: datetime | None) -> str | None:
    """Why actions of this sprint cannot be added or changed (None: they can). Every sprint
    that is not closed takes changes: today's, and those a team plans ahead."""
    return CLOSED_SPRINT if closed_at is not None else None


DROPPED = "dropped"  # ActionStatus.dropped
DROPPED_ELSEWHERE = N_(
    "Een actie laat je vallen als je team de periode afsluit (met een reden), niet door de "
    "status te veranderen."
)
DROPPED_ACTION = N_(
    "Deze actie is losgelaten toen de periode werd afgesloten. Je kunt haar niet meer veranderen."
)


def status_problem(new: str | None, *, was: str | None = None) -> str | None:
    """Why this status change is refused (None: it is not). Only closing a period drops an
    action, with a reason; a dropped action is no longer changed."""
    if was == DROPPED:
        return DROPPED_ACTION
    if new == DROPPED:
        return DROPPED_ELSEWHERE
    return None
