"""The record of a team of teams' stand-up: attendance per office, turns, decisions that become
actions or answers, all in one transaction."""

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from app.models import (
    Action,
    Escalation,
    EscalationCreate,
    EscalationResolve,
    EscalationStatus,
    Location,
    StandupCreate,
    StandupRecord,
    User,
    utcnow,
)
from app.queries.standups import (
    answered_on,
    by_office,
    candidates,
    details,
    open_escalations,
    records_of,
)
from app.services import escalations, standups
from app.services.errors import Forbidden, Invalid
from tests.integration.service_helpers import as_, audit_rows, new_action
from tests.support.builders import World


def knelpunt(session: Session, world: World) -> Escalation:
    action = new_action(session, world, title="Subsidieregeling vastgelopen")
    return escalations.raise_escalation(
        session=session,
        actor=as_(session, world, "member"),
        action_id=action.id,
        data=EscalationCreate(note="Wie beslist over de regeling?"),
    )


def record(session: Session, world: World, who: str = "representative", **fields):
    return standups.record_standup(
        session=session,
        actor=as_(session, world, who),
        team_id=world.team_of_teams.id,
        data=StandupCreate(**fields),
        today=world.today,
    )


def offices(session: Session, world: World) -> None:
    """Alphen for the representative, Rijen for the lead."""
    alphen, rijen = Location(name="Alphen"), Location(name="Rijen")
    session.add_all([alphen, rijen])
    session.flush()
    for who, place in (("representative", alphen), ("lead", rijen)):
        user = session.get(User, world.users[who].id)
        user.location_id = place.id
    session.commit()


def test_a_stand_up_is_recorded_with_attendees_per_office_and_turns(world: World, session: Session):
    offices(session, world)
    saved = record(
        session,
        world,
        attendee_ids=[world.users["representative"].id, world.users["lead"].id],
        turns=[
            {"team_id": world.team_of_teams.id, "seconds": 95},
            {"team_id": world.other_team.id, "seconds": 130},
            {"team_id": world.team.id, "seconds": 61},
        ],
        notes="Kort overleg.",
    )
    found = details(session, [saved])[0]
    assert found.record.held_on == world.today
    assert [(t.team, t.seconds) for t in found.turns] == [
        ("Team van teams", 95),
        ("Werk", 130),
        ("Jeugd", 61),
    ]
    assert found.total_seconds == 286
    grouped = [(o.location, [a.user_id for a in o.attendees]) for o in by_office(found.attendees)]
    assert grouped == [
        ("Alphen", [world.users["representative"].id]),
        ("Rijen", [world.users["lead"].id]),
    ]


def test_the_office_is_kept_as_it_was_on_the_day(world: World, session: Session):
    offices(session, world)
    saved = record(session, world, attendee_ids=[world.users["representative"].id])
    user = session.get(User, world.users["representative"].id)
    user.location_id = None
    session.commit()
    assert details(session, [saved])[0].attendees[0].location == "Alphen"


def test_a_decision_becomes_an_action_with_an_owner(world: World, session: Session):
    saved = record(
        session,
        world,
        decisions=[
            {
                "text": "Plan de werksessie met de drie gemeenten",
                "owner_id": world.users["representative"].id,
            }
        ],
    )
    decision = details(session, [saved])[0].decisions[0]
    action = session.get(Action, decision.action_id)
    assert action is not None
    assert (action.team_id, action.owner_id, action.title) == (
        world.team_of_teams.id,
        world.users["representative"].id,
        "Plan de werksessie met de drie gemeenten",
    )
    assert decision.owner == world.users["representative"].name


def test_a_decision_answers_an_open_knelpunt(world: World, session: Session):
    escalation = knelpunt(session, world)
    saved = record(
        session,
        world,
        decisions=[{"text": "Het college beslist op 8 december.", "escalation_id": escalation.id}],
    )
    session.refresh(escalation)
    assert escalation.status == EscalationStatus.resolved
    assert escalation.resolution == "Het college beslist op 8 december."
    decision = details(session, [saved])[0].decisions[0]
    assert (decision.escalation_id, decision.escalation_team) == (escalation.id, "Jeugd")
    assert open_escalations(session, team_id=world.team_of_teams.id) == []


def test_a_refused_decision_stores_nothing_at_all(world: World, session: Session):
    escalation = knelpunt(session, world)
    before = audit_rows(session)
    with pytest.raises(Invalid) as refused:
        record(
            session,
            world,
            attendee_ids=[world.users["representative"].id],
            decisions=[
                {"text": "Antwoord", "escalation_id": escalation.id},
                # the owner must sit on the team of teams' board: the outsider does not
                {"text": "Actie", "owner_id": world.users["outsider"].id},
            ],
        )
    assert "decisions.1.owner_id" in refused.value.errors
    session.rollback()
    assert audit_rows(session) == before
    assert session.exec(select(StandupRecord)).all() == []
    session.refresh(escalation)
    assert escalation.status == EscalationStatus.open


def test_what_is_refused_before_anything_is_written(world: World, session: Session):
    escalation = knelpunt(session, world)
    with pytest.raises(Invalid) as refused:
        record(
            session,
            world,
            held_on=world.today + timedelta(days=1),
            turns=[{"team_id": world.team.id}, {"team_id": world.team.id}],
            attendee_ids=[999_999],
            decisions=[
                {
                    "text": "Beide",
                    "owner_id": world.users["lead"].id,
                    "escalation_id": escalation.id,
                },
                {"text": "Onbekend", "escalation_id": 999_999},
            ],
            notes="x" * 2001,
        )
    assert set(refused.value.errors) == {
        "held_on",
        "turns",
        "attendee_ids",
        "notes",
        "decisions.0",
        "decisions.1.escalation_id",
    }


def test_a_knelpunt_of_another_team_of_teams_or_answered_already_is_refused(
    world: World, session: Session
):
    escalation = knelpunt(session, world)
    record(session, world, decisions=[{"text": "Eerste antwoord", "escalation_id": escalation.id}])
    with pytest.raises(Invalid) as refused:
        record(session, world, decisions=[{"text": "Nog eens", "escalation_id": escalation.id}])
    assert "decisions.0.escalation_id" in refused.value.errors


def test_only_board_writers_of_the_team_of_teams_record(world: World, session: Session):
    with pytest.raises(Forbidden):
        record(session, world, "member")
    assert record(session, world, "admin").id is not None


def test_a_team_without_teams_has_no_stand_up_to_record(world: World, session: Session):
    with pytest.raises(Invalid) as refused:
        standups.record_standup(
            session=session,
            actor=as_(session, world, "member"),
            team_id=world.team.id,
            data=StandupCreate(),
            today=world.today,
        )
    assert "team_id" in refused.value.errors


def test_past_stand_ups_are_listed_latest_first(world: World, session: Session):
    first = record(session, world, held_on=world.today - timedelta(days=14))
    second = record(session, world)
    assert [r.id for r in records_of(session, team_id=world.team_of_teams.id)] == [
        second.id,
        first.id,
    ]


def test_candidates_are_the_board_members_of_the_team_of_teams(world: World, session: Session):
    names = {a.user_id for a in candidates(session, team_id=world.team_of_teams.id)}
    assert world.users["representative"].id in names
    assert world.users["member"].id not in names


def test_knelpunten_answered_that_day_on_the_stand_up_screen_join_the_record(
    world: World, session: Session
):
    answered = knelpunt(session, world)
    escalations.resolve_escalation(
        session=session,
        actor=as_(session, world, "representative"),
        escalation_id=answered.id,
        data=EscalationResolve(resolution="Geregeld in het overleg."),
    )
    assert [
        e.id for e in answered_on(session, team_id=world.team_of_teams.id, day=utcnow().date())
    ] == [answered.id]
    saved = standups.record_standup(
        session=session,
        actor=as_(session, world, "representative"),
        team_id=world.team_of_teams.id,
        data=StandupCreate(),
        today=utcnow().date(),
    )
    decision = details(session, [saved])[0].decisions[0]
    assert (decision.escalation_id, decision.text) == (answered.id, "Geregeld in het overleg.")
    # a second record of that day does not take it again
    assert answered_on(session, team_id=world.team_of_teams.id, day=utcnow().date()) == []
