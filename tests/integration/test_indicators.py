"""Goals marked achieved, indicators (at most five) and their measurements, by hand or from a
CSV file: the services and the pure rules behind them."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session, select

from app.domain.indicators import format_value, on_target, parse_csv, parse_date, parse_value
from app.models import (
    AmbitionCreate,
    AuditEvent,
    GoalCreate,
    GoalUpdate,
    IndicatorCreate,
    Measurement,
    MeasurementCreate,
)
from app.queries.indicators import indicators_of, measurements_of
from app.services import ambitions, indicators
from app.services.errors import Forbidden, Invalid
from tests.integration.service_helpers import as_
from tests.support.builders import World


def ambition_of_team(session: Session, world: World):
    return ambitions.create_ambition(
        session=session,
        actor=as_(session, world, "admin"),
        data=AmbitionCreate(title="Iedereen doet mee", owner_team_id=world.team.id),
    )


def indicator(session: Session, world: World, ambition_id: int, name: str = "Wachttijd", **kw):
    kw.setdefault("target", 30)
    return indicators.add_indicator(
        session=session,
        actor=as_(session, world, kw.pop("who", "lead")),
        ambition_id=ambition_id,
        data=IndicatorCreate(name=name, unit="dagen", **kw),
    )


# --- goals -----------------------------------------------------------------------------------


def test_the_lead_marks_a_goal_achieved_and_back(world: World, session: Session):
    ambition = ambition_of_team(session, world)
    goal = ambitions.add_goal(
        session=session,
        actor=as_(session, world, "lead"),
        ambition_id=ambition.id,
        data=GoalCreate(title="Wachtlijst halveren"),
    )
    done = ambitions.update_goal(
        session=session,
        actor=as_(session, world, "lead"),
        goal_id=goal.id,
        data=GoalUpdate(is_done=True),
    )
    assert done.is_done is True
    event = session.exec(
        select(AuditEvent).where(AuditEvent.entity == "goal", AuditEvent.verb == "updated")
    ).one()
    assert event.changes["is_done"] == [False, True]
    again = ambitions.update_goal(
        session=session,
        actor=as_(session, world, "lead"),
        goal_id=goal.id,
        data=GoalUpdate(is_done=False),
    )
    assert again.is_done is False


def test_a_member_may_not_mark_a_goal_achieved(world: World, session: Session):
    ambition = ambition_of_team(session, world)
    goal = ambitions.add_goal(
        session=session,
        actor=as_(session, world, "admin"),
        ambition_id=ambition.id,
        data=GoalCreate(title="Doel"),
    )
    with pytest.raises(Forbidden):
        ambitions.update_goal(
            session=session,
            actor=as_(session, world, "member"),
            goal_id=goal.id,
            data=GoalUpdate(is_done=True),
        )


# --- indicators ------------------------------------------------------------------------------


def test_an_ambition_takes_five_indicators_and_refuses_a_sixth_in_dutch(
    world: World, session: Session
):
    ambition = ambition_of_team(session, world)
    for n in range(5):
        indicator(session, world, ambition.id, name=f"Indicator {n}")
    with pytest.raises(Invalid) as refused:
        indicator(session, world, ambition.id, name="Nummer zes")
    assert "hoogstens vijf indicatoren" in refused.value.errors["name"]
    found = indicators_of(session, ambition_id=ambition.id)
    assert [i.position for i in found] == [0, 1, 2, 3, 4]


def test_removing_an_indicator_makes_room_and_keeps_the_order(world: World, session: Session):
    ambition = ambition_of_team(session, world)
    made = [indicator(session, world, ambition.id, name=f"I{n}") for n in range(5)]
    indicators.remove_indicator(
        session=session, actor=as_(session, world, "lead"), indicator_id=made[1].id
    )
    found = indicators_of(session, ambition_id=ambition.id)
    assert [(i.name, i.position) for i in found] == [("I0", 0), ("I2", 1), ("I3", 2), ("I4", 3)]
    indicator(session, world, ambition.id, name="Nieuw")


def test_only_the_ambitions_editors_add_indicators(world: World, session: Session):
    ambition = ambition_of_team(session, world)
    for who in ("member", "representative", "outsider"):
        with pytest.raises(Forbidden):
            indicator(session, world, ambition.id, who=who)


def test_a_second_value_for_the_same_date_replaces_the_first(world: World, session: Session):
    ambition = ambition_of_team(session, world)
    found = indicator(session, world, ambition.id)
    lead = as_(session, world, "lead")
    first = indicators.add_measurement(
        session=session,
        actor=lead,
        indicator_id=found.id,
        data=MeasurementCreate(date=date(2026, 11, 1), value=41),
    )
    second = indicators.add_measurement(
        session=session,
        actor=lead,
        indicator_id=found.id,
        data=MeasurementCreate(date=date(2026, 11, 1), value=38.5, note="na telling"),
    )
    assert second.id == first.id
    [stored] = session.exec(select(Measurement)).all()
    assert (stored.value, stored.note) == (38.5, "na telling")


def test_a_checked_file_is_stored_whole_and_an_invalid_one_not_at_all(
    world: World, session: Session
):
    ambition = ambition_of_team(session, world)
    found = indicator(session, world, ambition.id)
    lead = as_(session, world, "lead")
    bad = parse_csv("datum;waarde\n2026-10-01;40\n31-02-2026;12\n")
    with pytest.raises(Invalid):
        indicators.import_measurements(
            session=session, actor=lead, indicator_id=found.id, rows=bad.rows
        )
    session.rollback()
    assert session.exec(select(Measurement)).all() == []
    good = parse_csv('datum;waarde;toelichting\n2026-10-01;40\n01-11-2026;"36,5";"na actie"\n')
    assert (
        indicators.import_measurements(
            session=session, actor=lead, indicator_id=found.id, rows=good.rows
        )
        == 2
    )
    values = measurements_of(session, [found.id])[found.id]
    assert [(m.measured_on, m.value, m.note) for m in values] == [
        (date(2026, 10, 1), 40.0, ""),
        (date(2026, 11, 1), 36.5, "na actie"),
    ]


# --- the pure rules --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [("12,5", 12.5), ("12.5", 12.5), ("1.234,5", 1234.5), ("1.234", 1234.0), ("-3", -3.0),
     ("0,25", 0.25), ("", None), ("twaalf", None), ("1,2,3", None), ("nan", None)],
)  # fmt: skip
def test_values_are_read_the_dutch_way(text, value):
    assert parse_value(text) == value


@pytest.mark.parametrize(
    ("text", "day"),
    [("2026-11-25", date(2026, 11, 25)), ("25-11-2026", date(2026, 11, 25)),
     ("5/1/2027", date(2027, 1, 5)), ("31-02-2026", None), ("november", None)],
)  # fmt: skip
def test_dates_are_read_as_iso_or_day_month_year(text, day):
    assert parse_date(text) == day


def test_a_csv_with_commas_and_a_header_is_read_row_by_row_with_a_message_per_row():
    result = parse_csv(
        "Datum,Waarde,Toelichting\n2026-10-01,40,start\n2026-10-01,41\nmorgen,\n2026-12-01,x,y,z\n"
    )
    assert not result.valid
    rows = {row.line: row for row in result.rows}
    assert rows[2].valid and rows[2].value == 40 and rows[2].note == "start"
    assert "regel 2" in rows[3].errors["date"]
    assert set(rows[4].errors) == {"date", "value"}
    assert set(rows[5].errors) == {"form", "value"}


def test_an_empty_file_is_one_problem():
    assert parse_csv("datum;waarde\n").problem is not None
    assert parse_csv("").problem is not None


def test_on_target_follows_the_direction():
    assert on_target(80, target=80, direction="up")
    assert not on_target(79, target=80, direction="up")
    assert on_target(20, target=30, direction="down")
    assert not on_target(31, target=30, direction="down")
    assert format_value(12.5) == "12,5" and format_value(40.0) == "40"
