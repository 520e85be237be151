"""The governing bodies' calendars: meetings per location kept by admins, the lead time per
location, and actions and goals tied to a meeting getting its document deadline."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session

from app.models import (
    AmbitionCreate,
    GoalCreate,
    GoalUpdate,
    LeadTimeUpdate,
    Location,
    LocationCreate,
    MeetingBody,
    MeetingCreate,
)
from app.queries.meetings import meetings_named, upcoming
from app.services import ambitions, meetings, org
from app.services.errors import Forbidden, Invalid
from tests.integration.service_helpers import as_, edit, new_action
from tests.support.builders import World


def location(session: Session, world: World, name: str = "Baarle-Nassau") -> Location:
    return org.create_location(
        session=session, actor=as_(session, world, "admin"), data=LocationCreate(name=name)
    )


def meeting(session: Session, world: World, location_id: int, held_on: date, body="council"):
    return meetings.add_meeting(
        session=session,
        actor=as_(session, world, "admin"),
        location_id=location_id,
        data=MeetingCreate(body=body, date=held_on, title="Begroting"),
    )


def test_an_admin_keeps_the_calendar_and_the_lead_time(world: World, session: Session):
    place = location(session, world)
    assert place.deadline_lead_days == 10
    council = meeting(session, world, place.id, date(2026, 12, 10))
    college = meeting(session, world, place.id, date(2026, 12, 1), body=MeetingBody.college)
    found = upcoming(session, today=date(2026, 11, 25))
    assert [info.meeting.id for info in found] == [college.id, council.id]
    assert found[1].deadline == date(2026, 11, 30)
    meetings.set_lead_days(
        session=session,
        actor=as_(session, world, "admin"),
        location_id=place.id,
        data=LeadTimeUpdate(deadline_lead_days=14),
    )
    assert meetings_named(session, [council.id])[council.id].deadline == date(2026, 11, 26)
    meetings.remove_meeting(
        session=session, actor=as_(session, world, "admin"), meeting_id=college.id
    )
    assert [i.meeting.id for i in upcoming(session, today=date(2026, 11, 25))] == [council.id]


def test_only_admins_keep_the_calendar(world: World, session: Session):
    place = location(session, world)
    for who in ("lead", "member"):
        with pytest.raises(Forbidden):
            meetings.add_meeting(
                session=session,
                actor=as_(session, world, who),
                location_id=place.id,
                data=MeetingCreate(body="college", date=date(2026, 12, 1)),
            )
        with pytest.raises(Forbidden):
            meetings.set_lead_days(
                session=session,
                actor=as_(session, world, who),
                location_id=place.id,
                data=LeadTimeUpdate(deadline_lead_days=3),
            )


def test_an_action_tied_to_a_meeting_is_due_on_its_document_deadline(
    world: World, session: Session
):
    place = location(session, world)
    council = meeting(session, world, place.id, date(2026, 12, 10))
    action = new_action(session, world, due_date=date(2027, 1, 1), meeting_id=council.id)
    assert (action.meeting_id, action.due_date) == (council.id, date(2026, 11, 30))
    # an edit that keeps the meeting keeps the date typed
    changed = edit(session, world, action, due_date=date(2026, 11, 28), meeting_id=council.id)
    assert changed.due_date == date(2026, 11, 28)
    later = meeting(session, world, place.id, date(2027, 1, 21), body="college")
    moved = edit(session, world, changed, meeting_id=later.id)
    assert (moved.meeting_id, moved.due_date) == (later.id, date(2027, 1, 11))
    untied = edit(session, world, moved, meeting_id=None)
    assert (untied.meeting_id, untied.due_date) == (None, date(2027, 1, 11))


def test_an_unknown_meeting_is_a_message_on_the_field(world: World, session: Session):
    with pytest.raises(Invalid) as refused:
        new_action(session, world, meeting_id=9999)
    assert "vergadering" in refused.value.errors["meeting_id"]


def test_a_goal_tied_to_a_meeting_is_due_on_its_document_deadline(world: World, session: Session):
    place = location(session, world, "Gilze en Rijen")
    college = meeting(session, world, place.id, date(2027, 2, 2), body="college")
    admin = as_(session, world, "admin")
    ambition = ambitions.create_ambition(
        session=session, actor=admin, data=AmbitionCreate(title="Ambitie")
    )
    goal = ambitions.add_goal(
        session=session,
        actor=admin,
        ambition_id=ambition.id,
        data=GoalCreate(title="Raadsvoorstel klaar", meeting_id=college.id),
    )
    assert (goal.meeting_id, goal.due) == (college.id, date(2027, 1, 23))
    plain = ambitions.add_goal(
        session=session, actor=admin, ambition_id=ambition.id, data=GoalCreate(title="Ander")
    )
    tied = ambitions.update_goal(
        session=session, actor=admin, goal_id=plain.id, data=GoalUpdate(meeting_id=college.id)
    )
    assert tied.due == date(2027, 1, 23)
