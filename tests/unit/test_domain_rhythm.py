"""The rhythm's pure rules: a sprint after a changed start weekday, the setting's bounds, days
left, and which status changes only a period's close may make."""

from datetime import date

import pytest

from app.domain.sprints import (
    DROPPED_ACTION,
    DROPPED_ELSEWHERE,
    anchor_on,
    days_left,
    setting_problems,
    sprint_after,
    status_problem,
)

SUNDAY = date(2026, 12, 6)


def test_without_a_weekday_the_sprint_after_is_just_its_length():
    after = sprint_after(SUNDAY, length_days=14)
    assert (after.start, after.end) == (date(2026, 12, 7), date(2026, 12, 20))


@pytest.mark.parametrize("weekday", range(7))
@pytest.mark.parametrize("length", [7, 10, 14, 21, 56])
def test_the_sprint_after_ends_so_that_the_next_starts_on_the_weekday(weekday, length):
    after = sprint_after(SUNDAY, length_days=length, weekday=weekday)
    assert after.start == date(2026, 12, 7)
    assert length <= (after.end - after.start).days + 1 < length + 7
    assert sprint_after(after.end, length_days=length, weekday=weekday).start.weekday() == weekday


def test_an_aligned_chain_keeps_its_length():
    after = sprint_after(SUNDAY, length_days=14, weekday=0)
    assert (after.end - after.start).days + 1 == 14


def test_the_anchor_moves_forward_to_the_weekday():
    monday = date(2026, 1, 5)
    assert anchor_on(0, anchor=monday) == monday
    assert anchor_on(2, anchor=monday) == date(2026, 1, 7)
    assert anchor_on(6, anchor=monday) == date(2026, 1, 11)


@pytest.mark.parametrize(
    ("days", "weekday", "fields"),
    [
        (7, 0, set()),
        (56, 6, set()),
        (6, 0, {"sprint_days"}),
        (57, 3, {"sprint_days"}),
        (14, -1, {"sprint_weekday"}),
        (14, 7, {"sprint_weekday"}),
    ],
)
def test_the_setting_is_checked_per_field(days, weekday, fields):
    assert set(setting_problems(sprint_days=days, sprint_weekday=weekday)) == fields


def test_days_left_count_today_and_stop_at_zero():
    assert days_left(SUNDAY, date(2026, 11, 25)) == 12
    assert days_left(SUNDAY, SUNDAY) == 1
    assert days_left(SUNDAY, date(2026, 12, 7)) == 0


def test_only_closing_a_period_drops_and_a_dropped_action_stays_as_it_is():
    assert status_problem("dropped") == DROPPED_ELSEWHERE
    assert status_problem("done") is None and status_problem(None) is None
    assert status_problem(None, was="dropped") == DROPPED_ACTION
    assert status_problem("todo", was="dropped") == DROPPED_ACTION
