"""Teams, their tree and their members."""

import pytest
from sqlmodel import Session, col, select

from app.domain.teams import NOT_EMPTY
from app.models import (
    ActionStatus,
    ApiToken,
    EscalationCreate,
    EscalationResolve,
    Membership,
    Role,
    Team,
    TeamCreate,
    TeamUpdate,
    User,
    UserCreate,
    UserUpdate,
)
from app.queries.boards import history
from app.queries.org import board_member_ids
from app.services import escalations, org, privacy
from app.services.access import access_for
from app.services.auth import verify_password
from app.services.errors import Forbidden, Invalid, NotFound
from app.services.org import TeamNotEmpty
from tests.integration.service_helpers import as_, audit_rows, new_action
from tests.support.builders import World


def new_team(session: Session, world: World, name: str, parent_id: int | None = None) -> Team:
    return org.create_team(
        session=session,
        actor=as_(session, world, "admin"),
        data=TeamCreate(name=name, parent_id=parent_id),
    )


def rehang(session: Session, world: World, team_id: int, parent_id: int | None) -> Team:
    return org.update_team(
        session=session,
        actor=as_(session, world, "admin"),
        team_id=team_id,
        data=TeamUpdate(parent_id=parent_id),
    )


def put(session: Session, world: World, who: str, team_id: int, user_id: int, role: Role):
    return org.put_member(
        session=session, actor=as_(session, world, who), team_id=team_id, user_id=user_id, role=role
    )


def new_user(session: Session, world: World, name: str):
    return org.create_user(
        session=session,
        actor=as_(session, world, "admin"),
        data=UserCreate(email=f"{name}@example.org", name=name.title()),
    ).user


# --- the tree -------------------------------------------------------------------------------
def test_a_team_cannot_hang_under_itself(world: World, session: Session):
    with pytest.raises(Invalid) as refused:
        rehang(session, world, world.team.id, world.team.id)
    assert "parent_id" in refused.value.errors


def test_a_team_of_teams_cannot_hang_under_its_own_team(world: World, session: Session):
    with pytest.raises(Invalid):
        rehang(session, world, world.team_of_teams.id, world.team.id)


def test_a_cycle_deep_in_the_tree_is_refused_and_changes_nothing(world: World, session: Session):
    sub = new_team(session, world, "Sub", world.team.id)
    subsub = new_team(session, world, "Subsub", sub.id)
    before = audit_rows(session)
    with pytest.raises(Invalid):
        rehang(session, world, world.team_of_teams.id, subsub.id)
    session.rollback()
    assert session.get(Team, world.team_of_teams.id).parent_id is None
    assert audit_rows(session) == before


def test_a_team_may_move_to_another_branch_or_to_the_top(world: World, session: Session):
    moved = rehang(session, world, world.team.id, world.other_team.id)
    assert moved.parent_id == world.other_team.id
    last = history(session, entity="team", entity_id=world.team.id)[-1]
    assert last.changes == {"parent_id": [world.team_of_teams.id, world.other_team.id]}
    assert rehang(session, world, world.team.id, None).parent_id is None


def test_a_team_under_an_unknown_parent_is_refused(world: World, session: Session):
    with pytest.raises(Invalid):
        new_team(session, world, "Zwevend", 999)


def test_only_an_admin_creates_or_changes_teams(world: World, session: Session):
    with pytest.raises(Forbidden):
        org.create_team(
            session=session, actor=as_(session, world, "lead"), data=TeamCreate(name="Eigen")
        )
    with pytest.raises(Forbidden):
        org.update_team(
            session=session,
            actor=as_(session, world, "lead"),
            team_id=world.team.id,
            data=TeamUpdate(name="Hernoemd"),
        )


# --- members --------------------------------------------------------------------------------
def test_a_team_has_at_most_one_representative(world: World, session: Session):
    with pytest.raises(Invalid) as refused:
        put(session, world, "admin", world.team.id, world.users["member"].id, Role.representative)
    assert "role" in refused.value.errors
    session.rollback()
    # the representative themselves may be set again
    same = put(
        session,
        world,
        "admin",
        world.team.id,
        world.users["representative"].id,
        Role.representative,
    )
    assert same.role == Role.representative


def test_only_a_team_under_a_team_of_teams_has_a_representative(world: World, session: Session):
    with pytest.raises(Invalid) as refused:
        put(
            session,
            world,
            "admin",
            world.team_of_teams.id,
            world.users["member"].id,
            Role.representative,
        )
    assert "role" in refused.value.errors


def test_a_new_representative_may_take_over_once_the_old_one_stepped_down(
    world: World, session: Session
):
    put(session, world, "lead", world.team.id, world.users["representative"].id, Role.member)
    taken = put(
        session, world, "lead", world.team.id, world.users["member"].id, Role.representative
    )
    assert taken.role == Role.representative


def test_a_team_has_at_most_one_deputy_representative(world: World, session: Session):
    first = put(session, world, "lead", world.team.id, world.users["member"].id, Role.deputy)
    assert first.role == Role.deputy
    second = new_user(session, world, "tweede")
    with pytest.raises(Invalid) as refused:
        put(session, world, "admin", world.team.id, second.id, Role.deputy)
    assert refused.value.errors == {
        "role": "Dit team heeft al een plaatsvervangend vertegenwoordiger."
    }
    session.rollback()
    # the deputy themselves may be set again, and a representative and a deputy sit side by side
    assert put(session, world, "admin", world.team.id, first.user_id, Role.deputy).role == "deputy"
    roles = {
        m.role for m in session.exec(select(Membership).where(Membership.team_id == world.team.id))
    }
    assert {Role.representative, Role.deputy} <= roles


def test_only_a_team_under_a_team_of_teams_has_a_deputy(world: World, session: Session):
    with pytest.raises(Invalid) as refused:
        put(session, world, "admin", world.team_of_teams.id, world.users["member"].id, Role.deputy)
    assert refused.value.errors == {"role": "Dit team valt niet onder een team van teams."}


def test_the_representative_becomes_deputy_only_by_giving_up_the_representative_role(
    world: World, session: Session
):
    """One membership holds one role: the representative who becomes deputy is no longer the
    representative, and the seat is free for someone else."""
    representative = world.users["representative"].id
    put(session, world, "lead", world.team.id, representative, Role.deputy)
    taken = put(
        session, world, "lead", world.team.id, world.users["member"].id, Role.representative
    )
    assert taken.role == Role.representative
    rows = session.exec(select(Membership).where(Membership.user_id == representative)).all()
    assert [(row.team_id, row.role) for row in rows] == [(world.team.id, Role.deputy)]


def test_a_deputy_writes_on_the_board_of_the_team_of_teams_and_resolves_its_knelpunten(
    world: World, session: Session
):
    member = world.users["member"]
    with pytest.raises(Forbidden):
        new_action(session, world, "member", team_id=world.team_of_teams.id)
    session.rollback()
    put(session, world, "lead", world.team.id, member.id, Role.deputy)
    action = new_action(
        session, world, "member", team_id=world.team_of_teams.id, owner_id=member.id
    )
    assert action.team_id == world.team_of_teams.id
    assert member.id in board_member_ids(session, team_id=world.team_of_teams.id)
    blocked = new_action(
        session, world, "member", status=ActionStatus.blocked, blocked_reason="wacht op budget"
    )
    assert blocked.id is not None
    escalation = escalations.raise_escalation(
        session=session,
        actor=as_(session, world, "member"),
        action_id=blocked.id,
        data=EscalationCreate(note="Budget nodig"),
    )
    assert escalation.id is not None and escalation.to_team_id == world.team_of_teams.id
    resolved = escalations.resolve_escalation(
        session=session,
        actor=as_(session, world, "member"),
        escalation_id=escalation.id,
        data=EscalationResolve(resolution="Budget komt"),
    )
    assert resolved.resolved_by_id == member.id


def test_a_lead_manages_the_members_of_their_own_team_only(world: World, session: Session):
    newcomer = new_user(session, world, "nieuweling")
    membership = put(session, world, "lead", world.team.id, newcomer.id, Role.member)
    assert (membership.team_id, membership.role) == (world.team.id, Role.member)
    with pytest.raises(Forbidden):
        put(session, world, "lead", world.other_team.id, newcomer.id, Role.member)
    session.rollback()
    with pytest.raises(Forbidden):
        put(session, world, "member", world.team.id, newcomer.id, Role.lead)


def test_changing_a_role_is_recorded_with_old_and_new_role(world: World, session: Session):
    membership = put(session, world, "admin", world.team.id, world.users["member"].id, Role.lead)
    last = history(session, entity="membership", entity_id=membership.id)[-1]
    assert (last.verb, last.changes["role"]) == ("updated", ["member", "lead"])


def test_setting_the_same_role_again_writes_no_history(world: World, session: Session):
    before = audit_rows(session)
    put(session, world, "admin", world.team.id, world.users["member"].id, Role.member)
    assert audit_rows(session) == before


def test_a_deactivated_user_cannot_join_a_team(world: World, session: Session):
    newcomer = new_user(session, world, "vertrokken")
    newcomer.is_active = False
    session.add(newcomer)
    session.commit()
    with pytest.raises(Invalid):
        put(session, world, "admin", world.team.id, newcomer.id, Role.member)


def test_removing_a_member_ends_their_write_access(world: World, session: Session):
    removed = org.remove_member(
        session=session,
        actor=as_(session, world, "lead"),
        team_id=world.team.id,
        user_id=world.users["member"].id,
    )
    assert session.get(Membership, removed.id) is None
    assert not as_(session, world, "member").can_write_board(world.team.id)
    last = history(session, entity="membership", entity_id=removed.id)[-1]
    assert (last.verb, last.changes["role"]) == ("deleted", ["member", None])


def test_removing_someone_who_is_not_a_member_is_not_found(world: World, session: Session):
    with pytest.raises(NotFound):
        org.remove_member(
            session=session,
            actor=as_(session, world, "admin"),
            team_id=world.team.id,
            user_id=world.users["outsider"].id,
        )


def test_a_plain_member_cannot_remove_others(world: World, session: Session):
    with pytest.raises(Forbidden):
        org.remove_member(
            session=session,
            actor=as_(session, world, "member"),
            team_id=world.team.id,
            user_id=world.users["lead"].id,
        )


# --- deleting teams -------------------------------------------------------------------------
def test_a_team_with_actions_cannot_be_deleted(world: World, session: Session):
    new_action(session, world)
    with pytest.raises(TeamNotEmpty) as refused:
        org.delete_team(session=session, actor=as_(session, world, "admin"), team_id=world.team.id)
    # the one text the page and the API both show (app.domain.teams)
    assert refused.value.message == NOT_EMPTY and str(refused.value) == NOT_EMPTY
    session.rollback()
    assert session.get(Team, world.team.id) is not None


def test_a_team_of_teams_with_subteams_cannot_be_deleted(world: World, session: Session):
    with pytest.raises(TeamNotEmpty):
        org.delete_team(
            session=session, actor=as_(session, world, "admin"), team_id=world.team_of_teams.id
        )


def test_an_empty_team_is_deleted_with_its_memberships_and_history_kept(
    world: World, session: Session
):
    empty = new_team(session, world, "Tijdelijk", world.team_of_teams.id)
    put(session, world, "admin", empty.id, world.users["member"].id, Role.member)
    org.delete_team(session=session, actor=as_(session, world, "admin"), team_id=empty.id)
    assert session.get(Team, empty.id) is None
    assert session.exec(select(Membership).where(Membership.team_id == empty.id)).all() == []
    deleted = history(session, entity="team", entity_id=empty.id)[-1]
    assert deleted.verb == "deleted"
    assert deleted.changes["name"] == ["Tijdelijk", None]


def test_only_an_admin_deletes_a_team(world: World, session: Session):
    empty = new_team(session, world, "Tijdelijk")
    with pytest.raises(Forbidden):
        org.delete_team(session=session, actor=as_(session, world, "lead"), team_id=empty.id)


# --- users ----------------------------------------------------------------------------------
def test_an_email_address_is_unique_whatever_its_case(world: World, session: Session):
    with pytest.raises(Invalid) as refused:
        org.create_user(
            session=session,
            actor=as_(session, world, "admin"),
            data=UserCreate(email="MEMBER@example.org", name="Dubbel"),
        )
    assert "email" in refused.value.errors


def test_a_new_user_without_password_gets_one_generated_and_no_hash_in_history(
    world: World, session: Session
):
    created = org.create_user(
        session=session,
        actor=as_(session, world, "admin"),
        data=UserCreate(email="nieuw@example.org", name="Nieuw"),
    )
    assert created.generated_password
    (event,) = history(session, entity="user", entity_id=created.user.id)
    assert "password_hash" not in event.changes
    assert event.changes["email"] == [None, "nieuw@example.org"]


def test_a_weak_password_is_refused(world: World, session: Session):
    with pytest.raises(Invalid) as refused:
        org.create_user(
            session=session,
            actor=as_(session, world, "admin"),
            data=UserCreate(email="kees@example.org", name="Kees", password="kort"),
        )
    assert "password" in refused.value.errors


# --- editing a person and a temporary password ---------------------------------------------
def update(session: Session, world: World, who: str, user_id: int, **fields):
    return org.update_user(
        session=session, actor=as_(session, world, who), user_id=user_id, data=UserUpdate(**fields)
    )


def test_an_admin_edits_a_person_and_the_history_names_what_changed(world: World, session: Session):
    member_id = world.users["member"].id
    person = update(session, world, "admin", member_id, name="Mia", email="Mia@Example.org")
    assert (person.name, person.email) == ("Mia", "mia@example.org")
    last = history(session, entity="user", entity_id=member_id)[-1]
    assert last.changes == {
        "name": ["Member", "Mia"],
        "email": ["member@example.org", "mia@example.org"],
    }


def test_an_edit_that_changes_nothing_adds_no_history(world: World, session: Session):
    before = audit_rows(session)
    update(session, world, "admin", world.users["member"].id, name="Member")
    assert audit_rows(session) == before


def test_an_edited_email_address_is_unique_whatever_its_case(world: World, session: Session):
    with pytest.raises(Invalid) as refused:
        update(session, world, "admin", world.users["member"].id, email="LEAD@example.org")
    assert refused.value.errors == {"email": org.EMAIL_TAKEN}
    # keeping one's own address in another case is no clash
    assert update(session, world, "admin", world.users["member"].id, email="MEMBER@example.org")


def test_an_admin_cannot_take_away_their_own_admin_flag(world: World, session: Session):
    with pytest.raises(Invalid) as refused:
        update(session, world, "admin", world.users["admin"].id, is_admin=False)
    assert refused.value.errors == {"is_admin": org.OWN_ADMIN_FLAG}
    session.rollback()
    # another admin may
    other = update(session, world, "admin", world.users["lead"].id, is_admin=True)
    demoted = org.update_user(
        session=session,
        actor=access_for(session, other),
        user_id=world.users["admin"].id,
        data=UserUpdate(is_admin=False),
    )
    assert not demoted.is_admin


def test_only_an_admin_edits_a_person(world: World, session: Session):
    with pytest.raises(Forbidden):
        update(session, world, "lead", world.users["member"].id, name="Overgenomen")


def test_an_erased_person_cannot_be_given_a_name_again(world: World, session: Session):
    member_id = world.users["member"].id
    privacy.erase_user(session=session, actor_id=None, user_id=member_id)
    with pytest.raises(Invalid):
        update(session, world, "admin", member_id, name="Weer terug")


def test_a_temporary_password_ends_every_session_and_is_recorded_without_the_password(
    world: World, session: Session
):
    member = world.users["member"]
    reset = org.reset_password(
        session=session, actor=as_(session, world, "admin"), user_id=member.id
    )
    assert verify_password(session.get_one(User, member.id).password_hash, reset.password)
    assert (
        session.exec(
            select(ApiToken).where(
                ApiToken.user_id == member.id, col(ApiToken.revoked_at).is_(None)
            )
        ).all()
        == []
    )
    last = history(session, entity="user", entity_id=member.id)[-1]
    assert last.changes == {"password": ["***", "***"]}
    assert reset.password not in str(last.changes)


def test_a_temporary_password_is_not_for_oneself_nor_for_non_admins(world: World, session: Session):
    with pytest.raises(Invalid):
        org.reset_password(
            session=session, actor=as_(session, world, "admin"), user_id=world.users["admin"].id
        )
    with pytest.raises(Forbidden):
        org.reset_password(
            session=session, actor=as_(session, world, "lead"), user_id=world.users["member"].id
        )
