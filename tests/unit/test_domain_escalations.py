"""The pure rules of a knelpunt's loop, without a database."""

from __future__ import annotations

from datetime import UTC, date, datetime

from app.domain import escalations as rules
from app.models import EscalationStatus

TODAY = date(2026, 11, 25)


def test_days_waited_count_calendar_days_in_the_netherlands():
    # 23:30 UTC on the 19th is already the 20th in Amsterdam
    assert rules.days_waited(datetime(2026, 11, 19, 23, 30, tzinfo=UTC), TODAY) == 5
    assert rules.days_waited(datetime(2026, 11, 25, 8, 0, tzinfo=UTC), TODAY) == 0
    # a moment after today (a clock ahead) never waits a negative number of days
    assert rules.days_waited(datetime(2026, 12, 1, 8, 0, tzinfo=UTC), TODAY) == 0


def test_an_answer_may_be_needed_today_but_not_yesterday():
    assert rules.needed_by_problem(None, TODAY) is None
    assert rules.needed_by_problem(TODAY, TODAY) is None
    assert rules.needed_by_problem(date(2026, 11, 24), TODAY) == rules.NEEDED_BY_PAST


def test_only_an_open_knelpunt_with_a_higher_tier_is_forwarded():
    open_ = EscalationStatus.open
    assert rules.forward_problem(status=open_, has_parent=True) is None
    assert rules.forward_problem(status=open_, has_parent=False) == rules.NO_HIGHER_TIER
    resolved = EscalationStatus.resolved
    assert rules.forward_problem(status=resolved, has_parent=True) == rules.ALREADY_ANSWERED


def test_the_answer_is_read_once_after_it_is_given():
    open_, resolved = EscalationStatus.open, EscalationStatus.resolved
    assert rules.acknowledge_problem(status=open_, acknowledged=False) == rules.NOT_ANSWERED_YET
    assert rules.acknowledge_problem(status=resolved, acknowledged=False) is None
    assert rules.acknowledge_problem(status=resolved, acknowledged=True) == rules.ALREADY_READ


def test_the_path_lists_each_team_of_teams_once_in_order():
    steps = [("raised", 2), ("forwarded", 1), ("answered", 1), ("acknowledged", 5)]
    assert rules.path(steps) == [2, 1]


def test_it_arrived_at_a_tier_with_its_last_raise_or_forward_there():
    first, second = datetime(2026, 11, 1, tzinfo=UTC), datetime(2026, 11, 10, tzinfo=UTC)
    steps = [("raised", first, 2), ("forwarded", second, 1), ("answered", second, 1)]
    assert rules.arrived(steps, 1) == second
    assert rules.arrived(steps, 2) == first
    assert rules.arrived(steps, 9) is None


def test_open_longer_than_one_sprint():
    assert not rules.open_too_long(raised_on=date(2026, 11, 11), today=TODAY, sprint_days=14)
    assert rules.open_too_long(raised_on=date(2026, 11, 10), today=TODAY, sprint_days=14)
