"""When an action is late or due soon, which due dates are unusual enough to ask about, and the
order of a personal list of actions."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

from app.models.common import ActionStatus

DUE_SOON_DAYS = 7
FAR_AHEAD_YEARS = 2


class UnusualDue(StrEnum):
    """Why a streefdatum typed into a form may be a typing mistake."""

    past = "past"
    far_ahead = "far_ahead"


def years_later(day: date, years: int) -> date:
    """The same day so many years on (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def unusual_due_date(due_date: date | None, *, today: date) -> UnusualDue | None:
    """A due date before today or more than two years ahead is probably mistyped (a wrong year):
    the form asks once whether it is meant. Today and exactly two years ahead are usual."""
    if due_date is None:
        return None
    if due_date < today:
        return UnusualDue.past
    if due_date > years_later(today, FAR_AHEAD_YEARS):
        return UnusualDue.far_ahead
    return None


def is_overdue(*, status: str, due_date: date | None, today: date) -> bool:
    """An unfinished action whose due date has passed (due today is not late yet)."""
    return status != ActionStatus.done and due_date is not None and due_date < today


def is_due_soon(
    *, status: str, due_date: date | None, today: date, days: int = DUE_SOON_DAYS
) -> bool:
    """An unfinished action that is late or due within the coming days."""
    return (
        status != ActionStatus.done
        and due_date is not None
        and due_date <= today + timedelta(days=days)
    )


def personal_order(
    *, overdue: bool, due_date: date | None, action_id: int
) -> tuple[bool, bool, date, int]:
    """Sort key: late actions first, then by due date, actions without a date last."""
    return (not overdue, due_date is None, due_date or date.max, action_id)
