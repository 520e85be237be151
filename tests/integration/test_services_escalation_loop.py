"""A knelpunt as a closed loop: raised one level up with a type, a reason and a date, passed
further up one level at a time, given an owner and an answer where it lies, read by the team
that raised it; every step on the timeline and on every board it passed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

import pytest
from sqlmodel import Session, select

from app.models import (
    Action,
    ActionStatus,
    EscalationCreate,
    EscalationForward,
    EscalationOwnerSet,
    EscalationResolve,
    EscalationStatus,
    EscalationStep,
    Role,
    Team,
    TeamCreate,
    TeamUpdate,
    User,
    UserCreate,
)
from app.queries.boards import history
from app.queries.bottlenecks import bottlenecks
from app.queries.escalations import board_knelpunten, knelpunt_page, steps_of
from app.services import escalations, org
from app.services.errors import Forbidden, Invalid
from tests.integration.service_helpers import as_, audit_rows, new_action
from tests.support.builders import PASSWORD, World
from tests.support.query_counts import counting_statements


@dataclass
class Tiers:
    top: Team  # the team of teams above world.team_of_teams
    top_member: User
    middle_member: User  # a member of world.team_of_teams itself


@pytest.fixture
def tiers(session: Session, world: World) -> Tiers:
    admin = as_(session, world, "admin")
    top = org.create_team(session=session, actor=admin, data=TeamCreate(name="Directie"))
    assert world.team_of_teams.id is not None and top.id is not None
    org.update_team(
        session=session,
        actor=admin,
        team_id=world.team_of_teams.id,
        data=TeamUpdate(parent_id=top.id),
    )
    people = {}
    for name, team_id in (("Dirk Directeur", top.id), ("Mila Midden", world.team_of_teams.id)):
        user = org.create_user(
            session=session,
            actor=admin,
            data=UserCreate(
                email=f"{name.split()[0].lower()}@example.org", name=name, password=PASSWORD
            ),
        ).user
        assert user.id is not None
        org.put_member(
            session=session, actor=admin, team_id=team_id, user_id=user.id, role=Role.member
        )
        people[name] = user
    return Tiers(top, people["Dirk Directeur"], people["Mila Midden"])


def raise_(session: Session, world: World, action_id: int, **fields):
    fields.setdefault("note", "We hebben een besluit nodig over de inzet")
    return escalations.raise_escalation(
        session=session,
        actor=as_(session, world, "member"),
        action_id=action_id,
        data=EscalationCreate(**fields),
        today=world.today,
    )


def access_of(session: Session, user: User):
    from app.services.access import access_for

    return access_for(session, user)


# --- raising ----------------------------------------------------------------------------------


def test_an_escalation_has_a_type_a_reason_a_date_and_no_owner_yet(world: World, session: Session):
    action = new_action(session, world)
    needed = world.today + timedelta(days=5)
    escalation = raise_(session, world, action.id, type="capacity", needed_by=needed)
    assert escalation.type == "capacity"
    assert escalation.needed_by == needed
    assert escalation.owner_id is None
    assert escalation.to_team_id == world.team_of_teams.id


def test_the_type_is_help_unless_said_otherwise(world: World, session: Session):
    assert raise_(session, world, new_action(session, world).id).type == "help"


def test_an_answer_cannot_be_needed_in_the_past(world: World, session: Session):
    action = new_action(session, world)
    with pytest.raises(Invalid) as refused:
        raise_(session, world, action.id, needed_by=world.today - timedelta(days=1))
    assert set(refused.value.errors) == {"needed_by"}


def test_a_note_with_a_citizens_personal_data_needs_confirming(world: World, session: Session):
    action = new_action(session, world)
    before = audit_rows(session)
    with pytest.raises(Invalid) as refused:
        raise_(session, world, action.id, note="Inwoner met BSN 111222333 wacht op ons")
    assert set(refused.value.errors) == {"note"}
    session.rollback()
    assert audit_rows(session) == before
    confirmed = raise_(
        session, world, action.id, note="Zaaknummer 111222333", confirm_personal_data=True
    )
    assert confirmed.id is not None


def test_raising_writes_the_first_step_of_the_timeline(world: World, session: Session):
    escalation = raise_(session, world, new_action(session, world).id)
    [step] = steps_of(session, escalation.id)
    assert (step.kind, step.team_id, step.note) == (
        EscalationStep.raised,
        world.team_of_teams.id,
        "We hebben een besluit nodig over de inzet",
    )
    assert step.actor_id == world.users["member"].id


# --- forwarding ---------------------------------------------------------------------------------


def test_the_team_of_teams_passes_it_exactly_one_level_up(
    world: World, session: Session, tiers: Tiers
):
    escalation = raise_(session, world, new_action(session, world).id)
    forwarded = escalations.forward_escalation(
        session=session,
        actor=as_(session, world, "representative"),
        escalation_id=escalation.id,
        data=EscalationForward(note="Dit gaat over budget, dat beslist de directie"),
    )
    assert forwarded.to_team_id == tiers.top.id
    assert forwarded.from_team_id == world.team.id
    assert [s.kind for s in steps_of(session, escalation.id)] == ["raised", "forwarded"]


def test_forwarding_clears_the_owner_so_the_next_tier_chooses_one(
    world: World, session: Session, tiers: Tiers
):
    escalation = raise_(session, world, new_action(session, world).id)
    escalations.set_owner(
        session=session,
        actor=as_(session, world, "representative"),
        escalation_id=escalation.id,
        data=EscalationOwnerSet(owner_id=tiers.middle_member.id),
    )
    forwarded = escalations.forward_escalation(
        session=session,
        actor=as_(session, world, "representative"),
        escalation_id=escalation.id,
        data=EscalationForward(note="Naar boven"),
    )
    assert forwarded.owner_id is None


def test_there_is_no_forwarding_above_the_top(world: World, session: Session):
    escalation = raise_(session, world, new_action(session, world).id)
    with pytest.raises(Invalid) as refused:
        escalations.forward_escalation(
            session=session,
            actor=as_(session, world, "representative"),
            escalation_id=escalation.id,
            data=EscalationForward(note="Verder"),
        )
    assert set(refused.value.errors) == {"note"}


def test_only_the_team_of_teams_it_lies_with_forwards_it(
    world: World, session: Session, tiers: Tiers
):
    escalation = raise_(session, world, new_action(session, world).id)
    for who in ("member", "outsider"):
        with pytest.raises(Forbidden):
            escalations.forward_escalation(
                session=session,
                actor=as_(session, world, who),
                escalation_id=escalation.id,
                data=EscalationForward(note="Verder"),
            )
    # once it went up, the middle tier no longer holds it
    escalations.forward_escalation(
        session=session,
        actor=access_of(session, tiers.middle_member),
        escalation_id=escalation.id,
        data=EscalationForward(note="Verder"),
    )
    with pytest.raises(Forbidden):
        escalations.forward_escalation(
            session=session,
            actor=access_of(session, tiers.middle_member),
            escalation_id=escalation.id,
            data=EscalationForward(note="Nog verder"),
        )


# --- owner --------------------------------------------------------------------------------------


def test_the_owner_is_a_member_of_the_team_of_teams_it_lies_with(
    world: World, session: Session, tiers: Tiers
):
    escalation = raise_(session, world, new_action(session, world).id)
    actor = as_(session, world, "representative")
    with pytest.raises(Invalid) as refused:
        escalations.set_owner(
            session=session,
            actor=actor,
            escalation_id=escalation.id,
            data=EscalationOwnerSet(owner_id=tiers.top_member.id),
        )
    assert set(refused.value.errors) == {"owner_id"}
    chosen = escalations.set_owner(
        session=session,
        actor=actor,
        escalation_id=escalation.id,
        data=EscalationOwnerSet(owner_id=tiers.middle_member.id),
    )
    assert chosen.owner_id == tiers.middle_member.id


def test_the_raising_team_does_not_choose_the_owner(world: World, session: Session):
    escalation = raise_(session, world, new_action(session, world).id)
    with pytest.raises(Forbidden):
        escalations.set_owner(
            session=session,
            actor=as_(session, world, "member"),
            escalation_id=escalation.id,
            data=EscalationOwnerSet(owner_id=world.users["member"].id),
        )


# --- answering and reading ------------------------------------------------------------------------


def test_the_full_loop_up_two_levels_and_back_down(world: World, session: Session, tiers: Tiers):
    action = new_action(session, world, status=ActionStatus.blocked, blocked_reason="Geen budget")
    escalation = raise_(session, world, action.id, type="decision")
    escalations.forward_escalation(
        session=session,
        actor=as_(session, world, "representative"),
        escalation_id=escalation.id,
        data=EscalationForward(note="Budget ligt bij de directie"),
    )
    answered = escalations.resolve_escalation(
        session=session,
        actor=access_of(session, tiers.top_member),
        escalation_id=escalation.id,
        data=EscalationResolve(resolution="Er komt € 20.000 uit de reserve."),
    )
    assert answered.status == EscalationStatus.resolved
    assert answered.acknowledged_at is None

    # the answer shows on the raising team's board and on the middle tier's until it is read
    own = board_knelpunten(session, team_id=world.team.id, today=world.today)
    assert own.answers[action.id].escalation.resolution == "Er komt € 20.000 uit de reserve."
    middle = board_knelpunten(session, team_id=world.team_of_teams.id, today=world.today)
    assert [k.id for k in middle.passed] == [escalation.id]
    top = board_knelpunten(session, team_id=tiers.top.id, today=world.today)
    assert top.here == []  # answered: no longer waiting there

    read = escalations.acknowledge_escalation(
        session=session, actor=as_(session, world, "member"), escalation_id=escalation.id
    )
    assert read.acknowledged_by_id == world.users["member"].id
    assert board_knelpunten(session, team_id=world.team.id, today=world.today).any is False
    assert board_knelpunten(session, team_id=world.team_of_teams.id, today=world.today).any is False
    assert [(s.kind, s.team_id) for s in steps_of(session, escalation.id)] == [
        ("raised", world.team_of_teams.id),
        ("forwarded", tiers.top.id),
        ("answered", tiers.top.id),
        ("acknowledged", world.team.id),
    ]


def test_every_step_is_an_event_on_every_board_it_passed(
    world: World, session: Session, tiers: Tiers
):
    escalation = raise_(session, world, new_action(session, world).id)
    escalations.forward_escalation(
        session=session,
        actor=as_(session, world, "representative"),
        escalation_id=escalation.id,
        data=EscalationForward(note="Verder"),
    )
    escalations.resolve_escalation(
        session=session,
        actor=access_of(session, tiers.top_member),
        escalation_id=escalation.id,
        data=EscalationResolve(resolution="Akkoord"),
    )
    events = history(session, entity="escalation", entity_id=escalation.id)
    boards = {team for team in (world.team.id, world.team_of_teams.id, tiers.top.id)}
    created = {e.team_id for e in events if e.verb == "created"}
    assert created == {world.team.id, world.team_of_teams.id}
    # the answer is heard on the raising team's board, the middle tier's and the top's
    answered = [e for e in events if e.changes.get("resolution")]
    assert {e.team_id for e in answered} == boards


def test_the_answer_is_read_once_and_only_after_it_is_given(world: World, session: Session):
    escalation = raise_(session, world, new_action(session, world).id)
    member = as_(session, world, "member")
    with pytest.raises(Invalid):
        escalations.acknowledge_escalation(
            session=session, actor=member, escalation_id=escalation.id
        )
    session.rollback()
    escalations.resolve_escalation(
        session=session,
        actor=as_(session, world, "representative"),
        escalation_id=escalation.id,
        data=EscalationResolve(resolution="Geregeld"),
    )
    escalations.acknowledge_escalation(session=session, actor=member, escalation_id=escalation.id)
    with pytest.raises(Invalid):
        escalations.acknowledge_escalation(
            session=session, actor=member, escalation_id=escalation.id
        )


def test_only_the_raising_team_reads_the_answer(world: World, session: Session):
    escalation = raise_(session, world, new_action(session, world).id)
    escalations.resolve_escalation(
        session=session,
        actor=as_(session, world, "representative"),
        escalation_id=escalation.id,
        data=EscalationResolve(resolution="Geregeld"),
    )
    with pytest.raises(Forbidden):
        escalations.acknowledge_escalation(
            session=session, actor=as_(session, world, "outsider"), escalation_id=escalation.id
        )


def test_an_answer_with_personal_data_needs_confirming(world: World, session: Session):
    escalation = raise_(session, world, new_action(session, world).id)
    with pytest.raises(Invalid) as refused:
        escalations.resolve_escalation(
            session=session,
            actor=as_(session, world, "representative"),
            escalation_id=escalation.id,
            data=EscalationResolve(resolution="Bel mevrouw op 06-12345678"),
        )
    assert set(refused.value.errors) == {"resolution"}


def test_an_answer_from_before_the_loop_is_not_brought_back_to_read(world: World, session: Session):
    # answered before escalations had a timeline: no step, no "Gelezen" asked for
    escalation = raise_(session, world, new_action(session, world).id)
    for step in steps_of(session, escalation.id):
        session.delete(step)
    escalation.status = EscalationStatus.resolved
    escalation.resolution = "Lang geleden opgelost"
    session.add(escalation)
    session.commit()
    assert board_knelpunten(session, team_id=world.team.id, today=world.today).any is False


# --- waiting ------------------------------------------------------------------------------------


def test_every_tier_sees_how_long_it_waited_in_total_and_there(
    world: World, session: Session, tiers: Tiers
):
    escalation = raise_(session, world, new_action(session, world).id)
    escalation.created_at = escalation.created_at - timedelta(days=9)
    session.add(escalation)
    [raised] = steps_of(session, escalation.id)
    raised.created_at = escalation.created_at
    session.add(raised)
    session.commit()
    escalations.forward_escalation(
        session=session,
        actor=as_(session, world, "representative"),
        escalation_id=escalation.id,
        data=EscalationForward(note="Verder"),
    )
    from app import clock

    today = clock.today()
    [top] = board_knelpunten(session, team_id=tiers.top.id, today=today).here
    assert (top.days_waited, top.days_here) == (9, 0)
    page = knelpunt_page(session, escalation=escalation, today=today, with_owners=True)
    assert [s.record.kind for s in page.knelpunt.steps] == ["raised", "forwarded"]
    assert tiers.top_member.id in {u.id for u in page.owners}
    assert page.parent is None  # nothing above the top


# --- bottlenecks --------------------------------------------------------------------------------


def _child_teams(session: Session, world: World, n: int) -> list[Team]:
    admin = as_(session, world, "admin")
    return [
        org.create_team(
            session=session,
            actor=admin,
            data=TeamCreate(name=f"Team {i}", parent_id=world.team_of_teams.id),
        )
        for i in range(n)
    ]


def test_bottlenecks_per_child_team(world: World, session: Session):
    carried = new_action(session, world, title="Steeds doorgeschoven")
    late = new_action(session, world, title="Te laat", due_date=world.today + timedelta(days=1))
    orphan = new_action(session, world, title="Zonder eigenaar", owner_id=world.users["lead"].id)
    for action, fields in (
        (carried, {"carried_over": 2}),
        (late, {"due_date": world.today - timedelta(days=3)}),
    ):
        stored = session.get(Action, action.id)
        assert stored is not None
        for key, value in fields.items():
            setattr(stored, key, value)
        session.add(stored)
    # the lead left the team
    from app.models import Membership

    membership = session.exec(
        select(Membership).where(
            Membership.user_id == world.users["lead"].id, Membership.team_id == world.team.id
        )
    ).one()
    session.delete(membership)
    session.commit()
    old = raise_(session, world, carried.id)
    old.created_at = datetime.combine(world.today - timedelta(days=20), time(12), tzinfo=UTC)
    session.add(old)
    session.commit()
    raise_(session, world, late.id)  # new: not a bottleneck yet

    found = bottlenecks(
        session, team_id=world.team_of_teams.id, sprint=world.sprint, today=world.today
    )
    jeugd = next(c for c in found.children if c.team.id == world.team.id)
    assert [f.action.title for f in jeugd.carried] == ["Steeds doorgeschoven"]
    assert [f.action.title for f in jeugd.overdue] == ["Te laat"]
    assert [f.action.title for f in jeugd.ownerless] == ["Zonder eigenaar"]
    assert [w.escalation.id for w in jeugd.waiting] == [old.id]
    assert jeugd.waiting[0].days == 20
    werk = next(c for c in found.children if c.team.id == world.other_team.id)
    assert werk.total == 0
    assert orphan.id is not None


def test_bottlenecks_take_the_same_number_of_queries_for_2_or_6_teams(
    world: World, session: Session
):
    def counted() -> int:
        with counting_statements(session.get_bind()) as statements:  # type: ignore[arg-type]
            found = bottlenecks(
                session, team_id=world.team_of_teams.id, sprint=world.sprint, today=world.today
            )
        assert found.children
        return len(statements)

    two = counted()  # Jeugd and Werk
    admin = as_(session, world, "admin")
    for team in _child_teams(session, world, 4):
        assert team.id is not None
        org.put_member(
            session=session,
            actor=admin,
            team_id=team.id,
            user_id=world.ids["outsider"],
            role=Role.member,
        )
        new_action(session, world, "admin", team_id=team.id, owner_id=world.ids["outsider"])
    assert counted() == two
