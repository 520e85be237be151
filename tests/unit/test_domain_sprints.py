"""The sprint cadence as pure date arithmetic: no database."""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from app.domain.sprints import (
    SprintDates,
    default_end,
    iso_weeks,
    overlaps,
    sprint_after,
    sprint_containing,
)

ANCHOR = date(2026, 1, 5)  # the default cadence's first Monday


def test_the_anchor_day_starts_a_fourteen_day_sprint_that_ends_thirteen_days_later():
    assert sprint_containing(ANCHOR, anchor=ANCHOR, length_days=14) == SprintDates(
        start=date(2026, 1, 5), end=date(2026, 1, 18)
    )


def test_a_day_after_the_anchor_falls_in_the_sprint_counted_from_the_anchor():
    assert sprint_containing(date(2026, 11, 25), anchor=ANCHOR, length_days=14) == SprintDates(
        start=date(2026, 11, 23), end=date(2026, 12, 6)
    )


def test_a_day_before_the_anchor_falls_in_a_sprint_counted_backwards():
    assert sprint_containing(date(2026, 1, 4), anchor=ANCHOR, length_days=14) == SprintDates(
        start=date(2025, 12, 22), end=date(2026, 1, 4)
    )
    assert sprint_containing(date(2025, 12, 22), anchor=ANCHOR, length_days=14).start == date(
        2025, 12, 22
    )


def test_the_last_day_of_a_sprint_is_inclusive_and_the_next_day_starts_a_new_one():
    start = date(2026, 11, 23)
    last_day = start + timedelta(days=13)
    assert sprint_containing(last_day, anchor=ANCHOR, length_days=14).start == start
    assert sprint_containing(last_day + timedelta(days=1), anchor=ANCHOR, length_days=14).start == (
        start + timedelta(days=14)
    )


def test_a_configured_cadence_of_one_week_makes_seven_day_sprints():
    assert sprint_containing(date(2026, 1, 14), anchor=ANCHOR, length_days=7) == SprintDates(
        start=date(2026, 1, 12), end=date(2026, 1, 18)
    )


def test_the_sprint_after_starts_the_day_after_the_end_and_lasts_the_cadence():
    assert sprint_after(date(2026, 12, 6), length_days=14) == SprintDates(
        start=date(2026, 12, 7), end=date(2026, 12, 20)
    )


def test_the_default_end_of_a_fourteen_day_sprint_is_start_plus_thirteen():
    assert default_end(date(2026, 12, 7), length_days=14) == date(2026, 12, 20)


def test_a_sprint_contains_its_first_and_last_day_and_nothing_outside():
    sprint = SprintDates(start=date(2026, 12, 7), end=date(2026, 12, 20))
    assert sprint.contains(date(2026, 12, 7))
    assert sprint.contains(date(2026, 12, 20))
    assert not sprint.contains(date(2026, 12, 6))
    assert not sprint.contains(date(2026, 12, 21))


def test_sprints_sharing_a_day_overlap_and_adjacent_sprints_do_not():
    first = SprintDates(start=date(2026, 11, 23), end=date(2026, 12, 6))
    assert overlaps(first, SprintDates(start=date(2026, 12, 6), end=date(2026, 12, 19)))
    assert overlaps(first, SprintDates(start=date(2026, 11, 1), end=date(2027, 1, 1)))
    assert not overlaps(first, SprintDates(start=date(2026, 12, 7), end=date(2026, 12, 20)))
    assert not overlaps(SprintDates(start=date(2026, 12, 7), end=date(2026, 12, 20)), first)


def test_iso_weeks_names_the_weeks_a_sprint_starts_and_ends_in():
    assert iso_weeks(SprintDates(start=date(2026, 11, 23), end=date(2026, 12, 6))) == (48, 49)


def test_iso_weeks_of_a_sprint_across_new_year_follow_the_iso_calendar():
    # 2026 has 53 ISO weeks: the sprint ending on 3 January 2027 ends in week 53, not week 1
    assert iso_weeks(SprintDates(start=date(2026, 12, 21), end=date(2027, 1, 3))) == (52, 53)
    assert iso_weeks(SprintDates(start=date(2027, 1, 4), end=date(2027, 1, 17))) == (1, 2)


days = st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31))


@settings(database=None, deadline=None)
@given(day=days, anchor=days, length_days=st.integers(min_value=1, max_value=60))
def test_the_sprint_containing_a_day_always_holds_it_and_starts_in_step_with_the_anchor(
    day: date, anchor: date, length_days: int
):
    sprint = sprint_containing(day, anchor=anchor, length_days=length_days)
    assert sprint.contains(day)
    assert (sprint.start - anchor).days % length_days == 0
    assert (sprint.end - sprint.start).days == length_days - 1


@settings(database=None, deadline=None)
@given(day=days, length_days=st.integers(min_value=1, max_value=60))
def test_the_sprint_after_a_sprint_of_the_cadence_is_the_next_sprint_of_the_cadence(
    day: date, length_days: int
):
    sprint = sprint_containing(day, anchor=ANCHOR, length_days=length_days)
    following = sprint_after(sprint.end, length_days=length_days)
    assert following == sprint_containing(
        sprint.end + timedelta(days=1), anchor=ANCHOR, length_days=length_days
    )
    assert not overlaps(sprint, following)
