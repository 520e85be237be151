"""When an action is late or due soon, and the order of a personal list of actions."""

from __future__ import annotations

from datetime import date, timedelta

from app.models.common import ActionStatus

DUE_SOON_DAYS = 7


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
