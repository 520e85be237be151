"""Which streefdatum is unusual enough for the form to ask whether it is meant."""

from __future__ import annotations

from datetime import date

from app.domain.due import UnusualDue, unusual_due_date, years_later

TODAY = date(2026, 11, 25)


def test_no_date_and_dates_in_the_coming_two_years_are_usual():
    assert unusual_due_date(None, today=TODAY) is None
    assert unusual_due_date(TODAY, today=TODAY) is None
    assert unusual_due_date(date(2026, 12, 3), today=TODAY) is None
    assert unusual_due_date(date(2028, 11, 25), today=TODAY) is None


def test_a_date_before_today_is_in_the_past():
    assert unusual_due_date(date(2026, 11, 24), today=TODAY) is UnusualDue.past
    assert unusual_due_date(date(2025, 12, 3), today=TODAY) is UnusualDue.past


def test_a_date_more_than_two_years_ahead_is_far_ahead():
    assert unusual_due_date(date(2028, 11, 26), today=TODAY) is UnusualDue.far_ahead
    assert unusual_due_date(date(2226, 12, 3), today=TODAY) is UnusualDue.far_ahead


def test_two_years_after_a_leap_day_is_the_28th_of_february():
    assert years_later(date(2028, 2, 29), 2) == date(2030, 2, 28)
    assert unusual_due_date(date(2030, 3, 1), today=date(2028, 2, 29)) is UnusualDue.far_ahead
