"""The demo's indicators with their measurements over the last months (one ambition going
well, one off target), the college and council meetings of the three municipalities in the
coming months with a lead time each, and a few actions and a goal tied to a meeting; built
through the services as the people it is about."""

from __future__ import annotations

from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlmodel import select

from app.demo.content import LOCATIONS, TEAM_OF_TEAMS
from app.models import (
    Action,
    ActionUpdate,
    GoalUpdate,
    IndicatorCreate,
    IndicatorDirection,
    LeadTimeUpdate,
    Location,
    MeasurementCreate,
    Meeting,
    MeetingBody,
    MeetingCreate,
)
from app.services import actions, ambitions, indicators, meetings

if TYPE_CHECKING:
    from app.demo.small import SmallDemo

up, down = IndicatorDirection.up, IndicatorDirection.down
# (ambition, name, unit, target, direction, values of the last months, oldest first, notes)
# fmt: off
INDICATORS: tuple[
    tuple[str, str, str, float, IndicatorDirection, tuple[float, ...], dict[int, str]], ...
] = (
    # going well: the waiting time comes down to the target
    ("jong", "Werkdagen tot het eerste gesprek na een melding", "werkdagen", 10, down,
     (19, 17, 15, 13, 11, 9), {5: "Nieuwe werkwijze voor meldingen in Baarle-Nassau"}),
    ("jong", "Basisscholen met een vaste contactpersoon", "%", 100, up,
     (35, 45, 60, 70, 80, 85), {}),
    # off target: the Wmo takes longer while two consulenten wait for access
    ("thuis", "Doorlooptijd van een Wmo-aanvraag", "weken", 6, down,
     (7, 7.5, 8, 8.5, 9.5, 10), {5: "Twee nieuwe consulenten hebben nog geen toegang"}),
    ("werk", "Leerwerkplekken bij werkgevers", "plekken", 20, up,
     (3, 5, 6, 9, 11, 14), {3: "Werkgeversontbijt in Rijen"}),
)
# per municipality: its lead time for documents, the weekday of the college and of the council
MUNICIPALITIES = {
    LOCATIONS[0]: (10, 1, 3),  # Alphen-Chaam: college on Tuesday, council on Thursday
    LOCATIONS[1]: (14, 1, 3),  # Baarle-Nassau wants its documents two weeks ahead
    LOCATIONS[2]: (7, 2, 3),  # Gilze en Rijen: college on Wednesday
}
COUNCIL_TOPICS = ("Raadsvergadering", "Begroting en voorjaarsnota", "Raadsvergadering")
# fmt: on


def _first_of_month(day: date, months_back: int) -> date:
    month = day.month - months_back
    year = day.year + (month - 1) // 12
    return date(year, (month - 1) % 12 + 1, 1)


def _next_weekday(day: date, weekday: int) -> date:
    return day + timedelta(days=(weekday - day.weekday()) % 7)


def seed_indicators(demo: SmallDemo) -> None:
    lead = demo.as_person(TEAM_OF_TEAMS.lead)  # the department head owns the ambitions
    for key, name, unit, target, direction, values, notes in INDICATORS:
        ambition_id = demo.ambitions[key].id
        assert ambition_id is not None
        indicator = indicators.add_indicator(
            session=demo.session,
            actor=lead,
            ambition_id=ambition_id,
            data=IndicatorCreate(name=name, unit=unit, target=target, direction=direction),
        )
        assert indicator.id is not None
        for index, value in enumerate(values):
            indicators.add_measurement(
                session=demo.session,
                actor=lead,
                indicator_id=indicator.id,
                data=MeasurementCreate(
                    date=_first_of_month(demo.today, len(values) - 1 - index),
                    value=value,
                    note=notes.get(index, ""),
                ),
            )


def seed_meetings(demo: SmallDemo) -> dict[str, list[Meeting]]:
    """College every two weeks and the council once a month, for the coming three months."""
    admin = demo.as_admin()
    found: dict[str, list[Meeting]] = {}
    for location in demo.session.exec(select(Location)).all():
        if location.name not in MUNICIPALITIES or location.id is None:
            continue
        lead_days, college_day, council_day = MUNICIPALITIES[location.name]
        meetings.set_lead_days(
            session=demo.session,
            actor=admin,
            location_id=location.id,
            data=LeadTimeUpdate(deadline_lead_days=lead_days),
        )
        planned = [
            (MeetingBody.college, _next_weekday(demo.today, college_day) + timedelta(weeks=2 * n),
             "Collegevergadering")
            for n in range(6)
        ] + [
            (MeetingBody.council,
             _next_weekday(_first_of_month(demo.today, -n - 1) + timedelta(days=7), council_day),
             COUNCIL_TOPICS[n])
            for n in range(3)
        ]  # fmt: skip
        found[location.name] = [
            meetings.add_meeting(
                session=demo.session,
                actor=admin,
                location_id=location.id,
                data=MeetingCreate(body=body, date=held_on, title=title),
            )
            for body, held_on, title in sorted(planned, key=lambda item: item[1])
        ]
    return found


def _first(found: list[Meeting], body: MeetingBody, *, after: date) -> Meeting:
    return next(m for m in found if m.body == body and m.held_on >= after)


def seed_ties(demo: SmallDemo, found: dict[str, list[Meeting]]) -> None:
    """A few actions and a goal for a meeting: their streefdatum becomes its deadline."""
    soon = demo.today + timedelta(days=21)  # so the document deadline is still ahead
    ties = (
        ("college", LOCATIONS[0], MeetingBody.college),
        ("werkwijze_testen", LOCATIONS[1], MeetingBody.council),
        ("scholen", LOCATIONS[2], MeetingBody.college),
    )
    owners = {user.id: key for key, user in demo.users.items()}
    for action_key, place, body in ties:
        action = demo.session.get(Action, demo.actions[action_key].id)
        assert action is not None and action.id is not None
        actions.update_action(
            session=demo.session,
            actor=demo.as_person(owners[action.owner_id]),
            action_id=action.id,
            data=ActionUpdate(
                version=action.version, meeting_id=_first(found[place], body, after=soon).id
            ),
        )
    lead = demo.as_person(TEAM_OF_TEAMS.lead)
    goal = demo.goals["thuis", 1]  # een ontmoetingsplek voor ouderen in elke gemeente
    assert goal.id is not None
    ambitions.update_goal(
        session=demo.session,
        actor=lead,
        goal_id=goal.id,
        data=GoalUpdate(
            meeting_id=_first(
                found[LOCATIONS[2]], MeetingBody.council, after=soon + timedelta(days=21)
            ).id
        ),
    )
    done = demo.goals["voordeur", 0]  # één telefoonnummer en één webformulier
    assert done.id is not None
    ambitions.update_goal(
        session=demo.session, actor=lead, goal_id=done.id, data=GoalUpdate(is_done=True)
    )


def seed_indicators_and_meetings(demo: SmallDemo) -> None:
    seed_indicators(demo)
    seed_ties(demo, seed_meetings(demo))
