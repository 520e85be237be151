"""Pure rules of the evaluation and the stand-up record."""

from __future__ import annotations

from datetime import date

import pytest

from app.domain import evaluation, standup


@pytest.mark.parametrize(
    ("typed", "seconds"),
    [
        ("2:30", 150),
        ("02:30", 150),
        ("0:05", 5),
        ("90", 90),
        ("1:02:03", 3723),
        ("2.30", 150),
        ("  ", 0),
        ("", 0),
        ("2:60", None),
        ("twee", None),
        ("1:2:3:4", None),
        ("-1:00", None),
    ],
)
def test_a_typed_time_is_read_as_minutes_and_seconds(typed: str, seconds: int | None):
    assert standup.parse_clock(typed) == seconds


def test_seconds_are_written_back_as_a_person_types_them():
    assert [standup.clock(s) for s in (0, 5, 150, 3723)] == ["0:00", "0:05", "2:30", "1:02:03"]
    assert all(standup.parse_clock(standup.clock(s)) == s for s in range(0, 4000, 37))


def test_the_walked_teams_are_the_team_of_teams_and_its_teams_once_each():
    assert standup.turn_problem(allowed=[1, 2, 3], walked=[1, 3]) is None
    assert standup.turn_problem(allowed=[1, 2, 3], walked=[2, 2]) == standup.TEAM_NOT_HERE
    assert standup.turn_problem(allowed=[1, 2, 3], walked=[4]) == standup.TEAM_NOT_HERE


def test_a_decision_is_an_action_or_an_answer_not_both():
    assert standup.decision_problem(owner_id=1, escalation_id=None) is None
    assert standup.decision_problem(owner_id=None, escalation_id=None) is None
    assert standup.decision_problem(owner_id=1, escalation_id=2) == standup.ACTION_OR_ANSWER


def test_a_stand_up_is_not_held_in_the_future():
    today = date(2026, 11, 25)
    assert standup.held_on_problem(held_on=today, today=today) is None
    assert standup.held_on_problem(held_on=date(2026, 11, 26), today=today) is not None


def test_a_sprint_is_evaluated_once_it_has_begun():
    today = date(2026, 11, 25)
    assert evaluation.sprint_problem(start_date=today, today=today) is None
    assert evaluation.sprint_problem(start_date=date(2026, 12, 7), today=today) is not None


def test_the_parts_are_in_the_organisations_feedback_order():
    assert evaluation.FIELDS == ("goes_well", "vulnerable", "notably_absent", "highlights")
    assert evaluation.is_empty({"goes_well": "  "}) and not evaluation.is_empty({"highlights": "x"})


def test_too_long_names_each_part():
    found = evaluation.too_long({"goes_well": "x" * 11, "vulnerable": "y" * 10}, 10)
    assert list(found) == ["goes_well"]
    assert found["goes_well"] == "Maak wat goed gaat korter: hoogstens 10 tekens."
