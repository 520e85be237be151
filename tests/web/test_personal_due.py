"""When an action counts as late or due soon, and the personal order: no database."""

from __future__ import annotations

from datetime import date, timedelta

from app.domain.due import is_due_soon, is_overdue, personal_order
from app.models.common import ActionStatus

TODAY = date(2026, 11, 25)


def test_an_open_action_past_its_due_date_is_late():
    for status in (ActionStatus.todo, ActionStatus.doing, ActionStatus.blocked):
        assert is_overdue(status=status, due_date=TODAY - timedelta(days=1), today=TODAY)


def test_an_action_due_today_is_not_late_yet():
    assert not is_overdue(status=ActionStatus.todo, due_date=TODAY, today=TODAY)


def test_a_finished_or_undated_action_is_never_late():
    assert not is_overdue(status=ActionStatus.done, due_date=TODAY - timedelta(days=9), today=TODAY)
    assert not is_overdue(status=ActionStatus.todo, due_date=None, today=TODAY)


def test_due_soon_means_late_or_due_within_seven_days():
    def soon(days: int, status: ActionStatus = ActionStatus.todo) -> bool:
        return is_due_soon(status=status, due_date=TODAY + timedelta(days=days), today=TODAY)

    assert soon(-30) and soon(0) and soon(7)
    assert not soon(8)
    assert not soon(1, ActionStatus.done)
    assert not is_due_soon(status=ActionStatus.todo, due_date=None, today=TODAY)


def test_the_personal_order_puts_late_first_then_by_date_and_undated_last():
    items = [
        ("zonder datum", False, None, 1),
        ("later", False, TODAY + timedelta(days=5), 2),
        ("klaar, vroeg", False, TODAY - timedelta(days=4), 3),
        ("te laat", True, TODAY - timedelta(days=1), 4),
        ("erg te laat", True, TODAY - timedelta(days=6), 5),
        ("morgen", False, TODAY + timedelta(days=1), 6),
        ("ook zonder datum", False, None, 7),
    ]
    ordered = sorted(
        items,
        key=lambda item: personal_order(overdue=item[1], due_date=item[2], action_id=item[3]),
    )
    assert [item[0] for item in ordered] == [
        "erg te laat",
        "te laat",
        "klaar, vroeg",
        "morgen",
        "later",
        "zonder datum",
        "ook zonder datum",
    ]
