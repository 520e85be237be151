"""Actions on a board: create, edit, move, reorder and delete, each with its history."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event
from sqlmodel import Session, select

from app.db import write_session
from app.models import (
    Action,
    ActionStatus,
    AmbitionCreate,
    AuditEvent,
    Comment,
    CommentCreate,
    GoalCreate,
    Role,
    SprintCreate,
)
from app.queries.boards import history
from app.services import actions, ambitions, org, sprints
from app.services.errors import Forbidden, Invalid, NotFound, StaleVersion
from tests.integration.service_helpers import as_, audit_rows, column, edit, new_action
from tests.support.builders import World


def make_ambition_with_goal(session: Session, world: World, title: str = "Ambitie"):
    admin = as_(session, world, "admin")
    ambition = ambitions.create_ambition(
        session=session, actor=admin, data=AmbitionCreate(title=title)
    )
    goal = ambitions.add_goal(
        session=session, actor=admin, ambition_id=ambition.id, data=GoalCreate(title="Doel")
    )
    return ambition, goal


# --- create ---------------------------------------------------------------------------------
def test_a_new_action_starts_at_version_one_in_the_current_sprint_owned_by_its_maker(
    world: World, session: Session
):
    action = new_action(session, world, "member", title="Wachtlijst uitzoeken")
    assert action.version == 1
    assert action.sprint_id == world.sprint.id
    assert action.owner_id == world.users["member"].id
    assert action.created_by_id == world.users["member"].id
    assert action.carried_over == 0
    assert action.done_at is None


def test_a_new_action_goes_to_the_bottom_of_its_column(world: World, session: Session):
    first, second, third = (new_action(session, world, title=t) for t in "abc")
    doing = new_action(session, world, status=ActionStatus.doing)
    assert [first.position, second.position, third.position] == [0, 1, 2]
    assert doing.position == 0


def test_a_new_done_action_records_when_it_was_done(world: World, session: Session):
    assert new_action(session, world, status=ActionStatus.done).done_at is not None


def test_the_owner_must_be_a_member_of_the_team(world: World, session: Session):
    with pytest.raises(Invalid) as refused:
        new_action(session, world, owner_id=world.users["outsider"].id)
    assert "owner_id" in refused.value.errors


def test_the_owner_may_be_another_member_of_the_team(world: World, session: Session):
    action = new_action(session, world, "member", owner_id=world.users["lead"].id)
    assert action.owner_id == world.users["lead"].id


def test_a_representative_may_own_an_action_on_the_team_of_teams_board(
    world: World, session: Session
):
    action = new_action(
        session,
        world,
        "admin",
        team_id=world.team_of_teams.id,
        owner_id=world.users["representative"].id,
    )
    assert action.owner_id == world.users["representative"].id


def test_a_representative_creates_actions_on_the_team_of_teams_board(
    world: World, session: Session
):
    action = new_action(session, world, "representative", team_id=world.team_of_teams.id)
    assert action.team_id == world.team_of_teams.id


def test_a_plain_member_neither_writes_on_nor_owns_work_of_the_team_of_teams(
    world: World, session: Session
):
    with pytest.raises(Forbidden):
        new_action(session, world, "member", team_id=world.team_of_teams.id)
    with pytest.raises(Invalid) as refused:
        new_action(
            session,
            world,
            "admin",
            team_id=world.team_of_teams.id,
            owner_id=world.users["member"].id,
        )
    assert "owner_id" in refused.value.errors


def test_someone_outside_the_team_cannot_add_to_its_board(world: World, session: Session):
    before = audit_rows(session)
    with pytest.raises(Forbidden):
        new_action(session, world, "outsider")
    session.rollback()
    assert audit_rows(session) == before


def test_a_goal_alone_implies_its_ambition(world: World, session: Session):
    ambition, goal = make_ambition_with_goal(session, world)
    action = new_action(session, world, goal_id=goal.id)
    assert (action.ambition_id, action.goal_id) == (ambition.id, goal.id)


def test_a_goal_of_another_ambition_is_refused(world: World, session: Session):
    _, goal = make_ambition_with_goal(session, world, "Eerste")
    other, _ = make_ambition_with_goal(session, world, "Tweede")
    with pytest.raises(Invalid) as refused:
        new_action(session, world, ambition_id=other.id, goal_id=goal.id)
    assert "goal_id" in refused.value.errors


def test_an_unknown_ambition_is_refused(world: World, session: Session):
    with pytest.raises(Invalid) as refused:
        new_action(session, world, ambition_id=999)
    assert "ambition_id" in refused.value.errors


def test_a_new_action_in_a_closed_sprint_is_refused(world: World, session: Session):
    sprints.close_sprint(
        session=session,
        actor=as_(session, world, "admin"),
        sprint_id=world.sprint.id,
        today=world.today,
    )
    with pytest.raises(Invalid) as refused:
        new_action(session, world, sprint_id=world.sprint.id)
    assert "sprint_id" in refused.value.errors


def test_a_new_blocked_action_needs_a_reason(world: World, session: Session):
    with pytest.raises(Invalid) as refused:
        new_action(session, world, status=ActionStatus.blocked)
    assert "blocked_reason" in refused.value.errors


def test_a_reason_given_with_an_action_that_is_not_blocked_is_not_stored(
    world: World, session: Session
):
    assert new_action(session, world, blocked_reason="Geen idee").blocked_reason is None


# --- update ---------------------------------------------------------------------------------
def test_an_edit_raises_the_version_by_one(world: World, session: Session):
    action = new_action(session, world)
    edited = edit(session, world, action, title="Nieuwe titel")
    assert (edited.title, edited.version) == ("Nieuwe titel", 2)


def test_an_edit_on_a_stale_version_is_refused_with_the_current_action(
    world: World, session: Session
):
    action = new_action(session, world, title="Oud")
    edit(session, world, action, title="Nieuw")
    before = audit_rows(session)
    with pytest.raises(StaleVersion) as stale:
        edit(session, world, action, title="Overschreven", version=1)
    assert (stale.value.current.version, stale.value.current.title) == (2, "Nieuw")
    session.rollback()
    assert session.get(Action, action.id).title == "Nieuw"
    assert audit_rows(session) == before


def test_a_status_change_appends_to_the_bottom_of_the_new_column(world: World, session: Session):
    doing = [new_action(session, world, status=ActionStatus.doing) for _ in range(2)]
    todo = new_action(session, world)
    moved = edit(session, world, todo, status=ActionStatus.doing)
    assert moved.position == 2
    assert column(
        session, team_id=world.team.id, sprint_id=world.sprint.id, status=ActionStatus.doing
    ) == [(doing[0].id, 0), (doing[1].id, 1), (todo.id, 2)]


def test_a_card_moved_into_an_empty_column_becomes_its_first_card(world: World, session: Session):
    *_, last = (new_action(session, world, title=t) for t in "abc")
    assert last.position == 2
    assert edit(session, world, last, status=ActionStatus.doing).position == 0


def test_a_position_reorders_the_column_with_unique_positions(world: World, session: Session):
    a, b, c, d = (new_action(session, world, title=t) for t in "abcd")
    edit(session, world, d, position=1)
    assert column(
        session, team_id=world.team.id, sprint_id=world.sprint.id, status=ActionStatus.todo
    ) == [(a.id, 0), (d.id, 1), (b.id, 2), (c.id, 3)]
    # moving a neighbour is bookkeeping: their open copies do not become stale
    session.refresh(b)
    assert b.version == 1


def test_a_move_to_another_column_at_a_position_places_it_there(world: World, session: Session):
    a, b = (new_action(session, world, status=ActionStatus.doing) for _ in range(2))
    todo = new_action(session, world)
    edit(session, world, todo, status=ActionStatus.doing, position=0)
    assert column(
        session, team_id=world.team.id, sprint_id=world.sprint.id, status=ActionStatus.doing
    ) == [(todo.id, 0), (a.id, 1), (b.id, 2)]


def test_a_position_past_the_end_puts_the_action_last(world: World, session: Session):
    a, b, c = (new_action(session, world, title=t) for t in "abc")
    edit(session, world, a, position=500)
    assert column(
        session, team_id=world.team.id, sprint_id=world.sprint.id, status=ActionStatus.todo
    ) == [(b.id, 0), (c.id, 1), (a.id, 2)]


def test_blocking_an_action_needs_a_reason(world: World, session: Session):
    action = new_action(session, world)
    with pytest.raises(Invalid) as refused:
        edit(session, world, action, status=ActionStatus.blocked)
    assert "blocked_reason" in refused.value.errors
    session.rollback()
    with pytest.raises(Invalid):
        edit(session, world, action, status=ActionStatus.blocked, blocked_reason="   ")
    session.rollback()
    blocked = edit(session, world, action, status=ActionStatus.blocked, blocked_reason="Wacht")
    assert (blocked.status, blocked.blocked_reason) == (ActionStatus.blocked, "Wacht")


def test_clearing_the_reason_of_a_blocked_action_is_refused(world: World, session: Session):
    action = new_action(session, world, status=ActionStatus.blocked, blocked_reason="Wacht")
    with pytest.raises(Invalid):
        edit(session, world, action, blocked_reason=None)


def test_leaving_blocked_clears_the_reason_and_the_history_keeps_it(world: World, session: Session):
    action = new_action(session, world, status=ActionStatus.blocked, blocked_reason="Wacht")
    moved = edit(session, world, action, status=ActionStatus.doing)
    assert moved.blocked_reason is None
    last = history(session, entity="action", entity_id=action.id)[-1]
    assert last.changes["blocked_reason"] == ["Wacht", None]
    assert last.changes["status"] == ["blocked", "doing"]


def test_done_at_is_set_when_done_and_cleared_when_reopened(world: World, session: Session):
    action = new_action(session, world)
    done = edit(session, world, action, status=ActionStatus.done)
    assert done.done_at is not None
    assert done.done_at <= datetime.now(UTC)
    retitled = edit(session, world, done, title="Nog steeds klaar")
    assert retitled.done_at is not None
    reopened = edit(session, world, retitled, status=ActionStatus.doing)
    assert reopened.done_at is None


def test_moving_an_action_to_a_team_the_actor_is_not_in_is_refused(world: World, session: Session):
    action = new_action(session, world, "member")
    with pytest.raises(Forbidden):
        edit(
            session,
            world,
            action,
            "member",
            team_id=world.other_team.id,
            owner_id=world.users["outsider"].id,
        )
    session.rollback()
    assert session.get(Action, action.id).team_id == world.team.id


def test_moving_an_action_needs_write_access_on_both_teams(world: World, session: Session):
    org.put_member(
        session=session,
        actor=as_(session, world, "admin"),
        team_id=world.team.id,
        user_id=world.users["outsider"].id,
        role=Role.member,
    )
    action = new_action(session, world, "member")
    moved = edit(
        session,
        world,
        action,
        "outsider",
        team_id=world.other_team.id,
        owner_id=world.users["outsider"].id,
    )
    assert (moved.team_id, moved.position, moved.version) == (world.other_team.id, 0, 2)
    # the old board hears that the card left
    verbs = [(e.verb, e.team_id) for e in history(session, entity="action", entity_id=action.id)]
    assert verbs[-2:] == [("updated", world.other_team.id), ("deleted", world.team.id)]


def test_moving_an_action_to_another_team_needs_an_owner_in_that_team(
    world: World, session: Session
):
    action = new_action(session, world, "member")
    with pytest.raises(Invalid) as refused:
        edit(session, world, action, "admin", team_id=world.other_team.id)
    assert "owner_id" in refused.value.errors


def test_an_owner_who_left_the_team_keeps_their_open_action_editable(
    world: World, session: Session
):
    action = new_action(session, world, "member")
    org.remove_member(
        session=session,
        actor=as_(session, world, "admin"),
        team_id=world.team.id,
        user_id=world.users["member"].id,
    )
    assert edit(session, world, action, "lead", title="Overgenomen").version == 2


def test_an_empty_title_or_status_is_refused(world: World, session: Session):
    action = new_action(session, world)
    for field in ("title", "status", "owner_id"):
        with pytest.raises(Invalid) as refused:
            edit(session, world, action, **{field: None})
        assert field in refused.value.errors
        session.rollback()


def test_an_action_moves_to_another_open_sprint_but_not_into_a_closed_one(
    world: World, session: Session
):
    admin = as_(session, world, "admin")
    later = sprints.create_sprint(
        session=session,
        actor=admin,
        data=SprintCreate(start_date=world.sprint.end_date + timedelta(days=1)),
    )
    action = new_action(session, world)
    assert edit(session, world, action, sprint_id=later.id).sprint_id == later.id
    sprints.close_sprint(session=session, actor=admin, sprint_id=world.sprint.id, today=world.today)
    other = new_action(session, world, sprint_id=later.id)
    with pytest.raises(Invalid) as refused:
        edit(session, world, other, sprint_id=world.sprint.id)
    assert "sprint_id" in refused.value.errors


def test_an_unknown_action_is_not_found(world: World, session: Session):
    with pytest.raises(NotFound):
        actions.update_action(
            session=session,
            actor=as_(session, world, "admin"),
            action_id=999,
            data=actions.ActionUpdate(version=1, title="x"),
        )


# --- delete ---------------------------------------------------------------------------------
def test_a_deleted_action_is_gone_but_its_history_stays(world: World, session: Session):
    action = new_action(session, world, title="Weg ermee")
    actions.delete_action(session=session, actor=as_(session, world, "member"), action_id=action.id)
    assert session.get(Action, action.id) is None
    events = history(session, entity="action", entity_id=action.id)
    assert [e.verb for e in events] == ["created", "deleted"]
    # the history still says what was removed
    assert events[-1].changes["title"] == ["Weg ermee", None]
    assert events[-1].team_id == world.team.id


def test_deleting_a_stale_copy_or_as_an_outsider_is_refused(world: World, session: Session):
    action = new_action(session, world)
    edit(session, world, action, title="Nieuw")
    with pytest.raises(StaleVersion):
        actions.delete_action(
            session=session, actor=as_(session, world, "member"), action_id=action.id, version=1
        )
    session.rollback()
    with pytest.raises(Forbidden):
        actions.delete_action(
            session=session, actor=as_(session, world, "outsider"), action_id=action.id
        )
    session.rollback()
    assert session.get(Action, action.id) is not None


def test_a_team_member_who_neither_owns_nor_created_an_action_may_not_delete_it(
    world: World, session: Session
):
    # made by the member for the lead: the representative is only a colleague on the board
    action = new_action(session, world, "member", owner_id=world.users["lead"].id)
    before = audit_rows(session)
    with pytest.raises(Forbidden) as refused:
        actions.delete_action(
            session=session, actor=as_(session, world, "representative"), action_id=action.id
        )
    assert refused.value.message == actions.DELETE_REFUSED
    session.rollback()
    assert session.get(Action, action.id) is not None
    assert audit_rows(session) == before


@pytest.mark.parametrize("who", ["member", "lead", "representative", "admin"])
def test_the_creator_the_owner_the_lead_and_an_admin_may_delete_an_action(
    world: World, session: Session, who: str
):
    # created by the member, owned by the representative
    action = new_action(session, world, "member", owner_id=world.users["representative"].id)
    actions.delete_action(session=session, actor=as_(session, world, who), action_id=action.id)
    assert session.get(Action, action.id) is None


def test_deleting_an_action_removes_its_comments(world: World, session: Session):
    action = new_action(session, world)
    actions.add_comment(
        session=session,
        actor=as_(session, world, "lead"),
        action_id=action.id,
        data=CommentCreate(body="Goed bezig"),
    )
    actions.delete_action(session=session, actor=as_(session, world, "lead"), action_id=action.id)
    assert session.exec(select(Comment)).all() == []


def test_only_members_comment_on_an_action(world: World, session: Session):
    action = new_action(session, world)
    with pytest.raises(Forbidden):
        actions.add_comment(
            session=session,
            actor=as_(session, world, "outsider"),
            action_id=action.id,
            data=CommentCreate(body="Mag ik ook iets zeggen?"),
        )


# --- audit ----------------------------------------------------------------------------------
def action_events(session: Session, action_id: int) -> list[AuditEvent]:
    return history(session, entity="action", entity_id=action_id)


def test_creating_an_action_records_who_made_it_and_its_fields(world: World, session: Session):
    action = new_action(session, world, title="Nieuw")
    (created,) = action_events(session, action.id)
    assert created.actor_id == world.users["member"].id
    assert (created.verb, created.version, created.team_id) == ("created", 1, world.team.id)
    assert created.changes["title"] == [None, "Nieuw"]
    assert created.changes["status"] == [None, "todo"]


def test_an_edit_records_old_and_new_values_of_what_changed_only(world: World, session: Session):
    action = new_action(session, world, title="Oud")
    edit(session, world, action, "lead", title="Nieuw", due_date="2026-12-01")
    updated = action_events(session, action.id)[-1]
    assert updated.actor_id == world.users["lead"].id
    assert (updated.verb, updated.version) == ("updated", 2)
    assert updated.changes == {"title": ["Oud", "Nieuw"], "due_date": [None, "2026-12-01"]}


def test_every_change_to_an_action_leaves_one_event_per_version(world: World, session: Session):
    action = new_action(session, world)
    action = edit(session, world, action, status=ActionStatus.doing)
    action = edit(session, world, action, status=ActionStatus.done)
    assert [e.version for e in action_events(session, action.id)] == [1, 2, 3]


def test_a_refused_edit_writes_no_history_and_changes_nothing(world: World, session: Session):
    action = new_action(session, world, title="Zo blijft het")
    before = audit_rows(session)
    with pytest.raises(Invalid):
        edit(session, world, action, title="Anders", status=ActionStatus.blocked)
    session.rollback()
    assert audit_rows(session) == before
    stored = session.get(Action, action.id)
    session.refresh(stored)
    assert (stored.title, stored.status, stored.version) == ("Zo blijft het", "todo", 1)


def test_the_change_and_its_history_are_one_transaction(world: World, session: Session):
    action = new_action(session, world, title="Oud")
    seen_before_commit = []

    def fail_the_commit(s: Session) -> None:
        seen_before_commit.append(
            s.exec(
                select(AuditEvent.id).where(
                    AuditEvent.entity_id == action.id, AuditEvent.version == 2
                )
            ).all()
        )
        raise RuntimeError("de schijf is vol")

    with pytest.raises(RuntimeError), write_session(world.engine) as other:
        event.listen(other, "before_commit", fail_the_commit)
        edit(other, world, other.get(Action, action.id), title="Nieuw")
    # the event was written inside the change's transaction, and went down with it
    assert len(seen_before_commit[0]) == 1
    session.expire_all()
    assert session.get(Action, action.id).title == "Oud"
    assert [e.version for e in action_events(session, action.id)] == [1]


def test_carrying_over_records_the_move_on_each_action(world: World, session: Session):
    action = new_action(session, world)
    result = sprints.close_sprint(
        session=session,
        actor=as_(session, world, "admin"),
        sprint_id=world.sprint.id,
        today=world.today,
    )
    carried = action_events(session, action.id)[-1]
    assert carried.version == 2
    assert carried.changes["sprint_id"] == [world.sprint.id, result.next_sprint.id]
    assert carried.changes["carried_over"] == [0, 1]
    assert carried.actor_id == world.users["admin"].id


def test_the_history_of_an_action_holds_only_that_action(world: World, session: Session):
    first, second = new_action(session, world), new_action(session, world)
    assert {e.entity_id for e in action_events(session, first.id)} == {first.id}
    assert {e.entity_id for e in action_events(session, second.id)} == {second.id}
