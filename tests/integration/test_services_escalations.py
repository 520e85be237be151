"""Knelpunten: raised from a team's action to its team of teams, resolved there."""

import pytest
from sqlmodel import Session

from app.models import EscalationCreate, EscalationResolve, EscalationStatus
from app.queries.boards import history
from app.services import escalations
from app.services.errors import Forbidden, Invalid, NotFound
from tests.integration.service_helpers import as_, audit_rows, new_action
from tests.support.builders import World


def raise_from(session: Session, world: World, action_id: int, who: str = "member"):
    return escalations.raise_escalation(
        session=session,
        actor=as_(session, world, who),
        action_id=action_id,
        data=EscalationCreate(note="We hebben een besluit nodig"),
    )


def resolve(session: Session, world: World, escalation_id: int, who: str):
    return escalations.resolve_escalation(
        session=session,
        actor=as_(session, world, who),
        escalation_id=escalation_id,
        data=EscalationResolve(resolution="Besloten in het overleg"),
    )


def test_an_escalation_goes_from_the_team_to_its_team_of_teams(world: World, session: Session):
    action = new_action(session, world)
    escalation = raise_from(session, world, action.id)
    assert (escalation.from_team_id, escalation.to_team_id) == (
        world.team.id,
        world.team_of_teams.id,
    )
    assert escalation.status == EscalationStatus.open
    assert escalation.raised_by_id == world.users["member"].id


def test_an_escalation_is_recorded_for_both_boards(world: World, session: Session):
    escalation = raise_from(session, world, new_action(session, world).id)
    events = history(session, entity="escalation", entity_id=escalation.id)
    assert {(e.verb, e.team_id) for e in events} == {
        ("created", world.team.id),
        ("created", world.team_of_teams.id),
    }
    assert events[0].changes["note"] == [None, "We hebben een besluit nodig"]


def test_a_team_without_a_team_of_teams_cannot_escalate(world: World, session: Session):
    action = new_action(session, world, "representative", team_id=world.team_of_teams.id)
    before = audit_rows(session)
    with pytest.raises(Invalid):
        raise_from(session, world, action.id, "representative")
    session.rollback()
    assert audit_rows(session) == before


def test_someone_outside_the_team_cannot_escalate_its_action(world: World, session: Session):
    action = new_action(session, world)
    with pytest.raises(Forbidden):
        raise_from(session, world, action.id, "outsider")


def test_an_action_has_at_most_one_open_escalation(world: World, session: Session):
    action = new_action(session, world)
    first = raise_from(session, world, action.id)
    with pytest.raises(Invalid):
        raise_from(session, world, action.id, "lead")
    session.rollback()
    resolve(session, world, first.id, "representative")
    # once answered, a new knelpunt may be raised
    assert raise_from(session, world, action.id).id != first.id


def test_the_representative_resolves_as_a_member_of_the_receiving_team(
    world: World, session: Session
):
    escalation = raise_from(session, world, new_action(session, world).id)
    resolved = resolve(session, world, escalation.id, "representative")
    assert resolved.status == EscalationStatus.resolved
    assert resolved.resolution == "Besloten in het overleg"
    assert resolved.resolved_by_id == world.users["representative"].id
    assert resolved.resolved_at is not None
    last = history(session, entity="escalation", entity_id=escalation.id)[-1]
    assert last.changes["status"] == ["open", "resolved"]


@pytest.mark.parametrize("who", ["member", "lead", "outsider"])
def test_only_members_of_the_receiving_team_resolve(world: World, session: Session, who: str):
    escalation = raise_from(session, world, new_action(session, world).id)
    with pytest.raises(Forbidden):
        resolve(session, world, escalation.id, who)
    session.rollback()
    assert session.get(type(escalation), escalation.id).status == EscalationStatus.open


def test_resolving_twice_is_refused(world: World, session: Session):
    escalation = raise_from(session, world, new_action(session, world).id)
    resolve(session, world, escalation.id, "admin")
    before = audit_rows(session)
    with pytest.raises(Invalid):
        resolve(session, world, escalation.id, "representative")
    session.rollback()
    assert audit_rows(session) == before
    assert session.get(type(escalation), escalation.id).resolved_by_id == world.users["admin"].id


def test_an_unknown_escalation_or_action_is_not_found(world: World, session: Session):
    with pytest.raises(NotFound):
        resolve(session, world, 999, "admin")
    with pytest.raises(NotFound):
        raise_from(session, world, 999, "admin")
