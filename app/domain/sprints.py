"""The organisation-wide sprint cadence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

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


def sprint_after(end: date, *, length_days: int) -> SprintDates:
    """The sprint that starts the day after a sprint ends."""
    start = end + timedelta(days=1)
    return SprintDates(start=start, end=start + timedelta(days=length_days - 1))


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
