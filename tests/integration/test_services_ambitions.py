"""Ambitions and goals, edited by admins and leads of the owning team."""

import pytest
from sqlmodel import Session

from app.models import AmbitionCreate, AmbitionStatus, AmbitionUpdate, GoalCreate, Role
from app.queries.boards import history
from app.services import ambitions, org
from app.services.errors import Forbidden, Invalid
from tests.integration.service_helpers import as_
from tests.support.builders import World


def owned_by_team(session: Session, world: World):
    return ambitions.create_ambition(
        session=session,
        actor=as_(session, world, "admin"),
        data=AmbitionCreate(
            title="Iedereen doet mee",
            owner_team_id=world.team.id,
            team_ids=[world.team.id, world.other_team.id],
        ),
    )


def rename(session: Session, world: World, who: str, ambition_id: int, title: str):
    return ambitions.update_ambition(
        session=session,
        actor=as_(session, world, who),
        ambition_id=ambition_id,
        data=AmbitionUpdate(title=title),
    )


def test_the_lead_of_the_owning_team_edits_the_ambition(world: World, session: Session):
    ambition = owned_by_team(session, world)
    edited = rename(session, world, "lead", ambition.id, "Iedereen doet echt mee")
    assert edited.title == "Iedereen doet echt mee"
    last = history(session, entity="ambition", entity_id=ambition.id)[-1]
    assert last.changes["title"] == ["Iedereen doet mee", "Iedereen doet echt mee"]


def test_a_lead_of_another_team_may_not_edit_the_ambition(world: World, session: Session):
    ambition = owned_by_team(session, world)
    org.put_member(
        session=session,
        actor=as_(session, world, "admin"),
        team_id=world.other_team.id,
        user_id=world.users["outsider"].id,
        role=Role.lead,
    )
    with pytest.raises(Forbidden):
        rename(session, world, "outsider", ambition.id, "Overgenomen")
    session.rollback()
    assert session.get(type(ambition), ambition.id).title == "Iedereen doet mee"


@pytest.mark.parametrize("who", ["member", "representative"])
def test_members_of_the_owning_team_may_not_edit_the_ambition(
    world: World, session: Session, who: str
):
    ambition = owned_by_team(session, world)
    with pytest.raises(Forbidden):
        rename(session, world, who, ambition.id, "Anders")


def test_a_lead_creates_an_ambition_only_for_a_team_they_lead(world: World, session: Session):
    lead = as_(session, world, "lead")
    own = ambitions.create_ambition(
        session=session, actor=lead, data=AmbitionCreate(title="Eigen", owner_team_id=world.team.id)
    )
    assert own.owner_team_id == world.team.id
    with pytest.raises(Forbidden):
        ambitions.create_ambition(
            session=session,
            actor=lead,
            data=AmbitionCreate(title="Andermans", owner_team_id=world.other_team.id),
        )


def test_a_lead_cannot_hand_an_ambition_to_a_team_they_do_not_lead(world: World, session: Session):
    ambition = owned_by_team(session, world)
    with pytest.raises(Forbidden):
        ambitions.update_ambition(
            session=session,
            actor=as_(session, world, "lead"),
            ambition_id=ambition.id,
            data=AmbitionUpdate(owner_team_id=world.other_team.id),
        )


def test_the_teams_working_on_an_ambition_are_kept_and_their_change_recorded(
    world: World, session: Session
):
    ambition = owned_by_team(session, world)
    assert ambitions.team_ids_of(session, ambition.id) == sorted(
        [world.team.id, world.other_team.id]
    )
    ambitions.update_ambition(
        session=session,
        actor=as_(session, world, "lead"),
        ambition_id=ambition.id,
        data=AmbitionUpdate(team_ids=[world.team.id], status=AmbitionStatus.achieved),
    )
    assert ambitions.team_ids_of(session, ambition.id) == [world.team.id]
    last = history(session, entity="ambition", entity_id=ambition.id)[-1]
    assert last.changes["team_ids"] == [
        sorted([world.team.id, world.other_team.id]),
        [world.team.id],
    ]
    assert last.changes["status"] == ["active", "achieved"]


def test_unknown_teams_are_refused(world: World, session: Session):
    with pytest.raises(Invalid) as refused:
        ambitions.create_ambition(
            session=session,
            actor=as_(session, world, "admin"),
            data=AmbitionCreate(title="Nergens", team_ids=[999]),
        )
    assert "team_ids" in refused.value.errors


def test_the_lead_adds_a_goal_and_another_lead_may_not(world: World, session: Session):
    ambition = owned_by_team(session, world)
    goal = ambitions.add_goal(
        session=session,
        actor=as_(session, world, "lead"),
        ambition_id=ambition.id,
        data=GoalCreate(title="Wachtlijst halveren", team_id=world.team.id),
    )
    assert (goal.ambition_id, goal.team_id, goal.is_done) == (ambition.id, world.team.id, False)
    assert history(session, entity="goal", entity_id=goal.id)[0].changes["title"] == [
        None,
        "Wachtlijst halveren",
    ]
    with pytest.raises(Forbidden):
        ambitions.add_goal(
            session=session,
            actor=as_(session, world, "member"),
            ambition_id=ambition.id,
            data=GoalCreate(title="Ook een doel"),
        )


def test_a_goal_for_an_unknown_team_is_refused(world: World, session: Session):
    ambition = owned_by_team(session, world)
    with pytest.raises(Invalid):
        ambitions.add_goal(
            session=session,
            actor=as_(session, world, "admin"),
            ambition_id=ambition.id,
            data=GoalCreate(title="Doel", team_id=999),
        )
