"""The current sprint, planning sprints and closing them with carry-over."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from app.domain.sprints import sprint_containing
from app.models import Action, ActionStatus, Sprint, SprintCreate
from app.services import sprints
from app.services.errors import Forbidden, Invalid
from tests.conftest import TODAY
from tests.integration.service_helpers import as_, edit, new_action
from tests.support.builders import World

ANCHOR = date(2026, 1, 5)


def sprint_count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Sprint)).one()


def test_ensure_current_creates_exactly_one_sprint_holding_today(session: Session):
    sprint = sprints.ensure_current(session=session, today=TODAY)
    assert (sprint.start_date, sprint.end_date) == (date(2026, 11, 23), date(2026, 12, 6))
    assert sprint.closed_at is None
    assert sprint_count(session) == 1


def test_ensure_current_is_idempotent(session: Session):
    first = sprints.ensure_current(session=session, today=TODAY)
    again = sprints.ensure_current(session=session, today=TODAY + timedelta(days=3))
    assert again.id == first.id
    assert sprint_count(session) == 1


def test_ensure_current_on_the_last_day_keeps_the_sprint(session: Session):
    first = sprints.ensure_current(session=session, today=TODAY)
    assert sprints.ensure_current(session=session, today=first.end_date).id == first.id
    assert first.closed_at is None


def test_after_the_end_date_the_ended_sprint_closes_and_open_actions_carry_over(
    world: World, session: Session
):
    todo = new_action(session, world, title="Te doen")
    doing = new_action(session, world, title="Bezig", status=ActionStatus.doing)
    blocked = new_action(
        session, world, title="Vast", status=ActionStatus.blocked, blocked_reason="Wacht"
    )
    done = new_action(session, world, title="Klaar", status=ActionStatus.done)

    current = sprints.ensure_current(session=session, today=world.sprint.end_date + timedelta(1))

    assert (current.start_date, current.end_date) == (date(2026, 12, 7), date(2026, 12, 20))
    assert session.get(Sprint, world.sprint.id).closed_at is not None
    for action in (todo, doing, blocked):
        session.refresh(action)
        assert (action.sprint_id, action.carried_over) == (current.id, 1)
        assert action.version == 2  # an open copy of the old board is now stale
    session.refresh(done)
    # done work stays in the sprint it was done in
    assert (done.sprint_id, done.carried_over) == (world.sprint.id, 0)
    assert blocked.blocked_reason == "Wacht"


def test_carried_actions_land_at_the_bottom_of_their_column_in_the_next_sprint(
    world: World, session: Session
):
    first = new_action(session, world, title="Eerste")
    second = new_action(session, world, title="Tweede")
    next_sprint = sprints.close_sprint(
        session=session, actor=as_(session, world, "admin"), sprint_id=world.sprint.id, today=TODAY
    ).next_sprint
    fresh = new_action(session, world, title="Nieuw", sprint_id=next_sprint.id)
    assert fresh.position == 2
    assert [first.position, second.position] == [0, 1]


def test_a_gap_of_several_sprints_carries_over_once_into_the_sprint_holding_today(
    world: World, session: Session
):
    action = new_action(session, world)
    later = TODAY + timedelta(days=45)

    current = sprints.ensure_current(session=session, today=later)

    assert current.start_date <= later <= current.end_date
    assert (current.start_date, current.end_date) == (date(2027, 1, 4), date(2027, 1, 17))
    # still in step with the organisation's cadence
    assert sprint_containing(later, anchor=ANCHOR, length_days=14).start == current.start_date
    assert sprint_count(session) == 2
    session.refresh(action)
    assert (action.sprint_id, action.carried_over) == (current.id, 1)


def test_a_gap_before_a_planned_sprint_carries_open_actions_into_today_not_the_future(
    world: World, session: Session
):
    planned = sprints.create_sprint(
        session=session,
        actor=as_(session, world, "admin"),
        data=SprintCreate(start_date=date(2027, 2, 1)),
    )
    action = new_action(session, world)
    later = date(2027, 1, 6)

    current = sprints.ensure_current(session=session, today=later)

    assert current.id != planned.id
    assert current.start_date <= later <= current.end_date < planned.start_date
    session.refresh(action)
    # the open action is on the board people look at today, not hidden in a future sprint
    assert (action.sprint_id, action.carried_over) == (current.id, 1)


def test_a_sprint_closed_early_stays_current_and_work_goes_to_the_next(
    world: World, session: Session
):
    # the board shows the period that holds today; the team works in the next one
    result = sprints.close_sprint(
        session=session, actor=as_(session, world, "admin"), sprint_id=world.sprint.id, today=TODAY
    )
    assert result.next_sprint.start_date == world.sprint.end_date + timedelta(days=1)
    assert sprints.find_current(session=session, today=TODAY).id == world.sprint.id
    assert sprints.ensure_current(session=session, today=TODAY).id == world.sprint.id
    assert sprints.find_working(session=session, today=TODAY).id == result.next_sprint.id
    assert sprints.ensure_working(session=session, today=TODAY).id == result.next_sprint.id
    assert sprint_count(session) == 2
    # once the closed sprint has ended, the next one holds today
    assert sprints.ensure_current(session=session, today=result.next_sprint.start_date).id == (
        result.next_sprint.id
    )
    assert sprint_count(session) == 2


def test_work_added_after_an_early_close_goes_to_the_next_sprint(world: World, session: Session):
    result = sprints.close_sprint(
        session=session, actor=as_(session, world, "admin"), sprint_id=world.sprint.id, today=TODAY
    )
    assert new_action(session, world).sprint_id == result.next_sprint.id


def test_closing_a_sprint_twice_carries_nothing_the_second_time(world: World, session: Session):
    action = new_action(session, world)
    admin = as_(session, world, "admin")
    first = sprints.close_sprint(
        session=session, actor=admin, sprint_id=world.sprint.id, today=TODAY
    )
    second = sprints.close_sprint(
        session=session, actor=admin, sprint_id=world.sprint.id, today=TODAY
    )
    assert (first.carried_over, second.carried_over) == (1, 0)
    assert second.next_sprint.id == first.next_sprint.id
    session.refresh(action)
    assert action.carried_over == 1
    assert sprint_count(session) == 2


def test_only_an_admin_closes_a_sprint(world: World, session: Session):
    with pytest.raises(Forbidden):
        sprints.close_sprint(
            session=session,
            actor=as_(session, world, "lead"),
            sprint_id=world.sprint.id,
            today=TODAY,
        )


def test_close_ended_closes_every_ended_sprint_once(world: World, session: Session):
    new_action(session, world)
    after = world.sprint.end_date + timedelta(days=1)
    assert sprints.close_ended(session=session, today=TODAY) == []
    results = sprints.close_ended(session=session, today=after)
    assert [(r.closed.id, r.carried_over) for r in results] == [(world.sprint.id, 1)]
    assert sprints.close_ended(session=session, today=after) == []


def test_close_ended_walks_through_consecutive_ended_sprints_oldest_first(
    world: World, session: Session
):
    admin = as_(session, world, "admin")
    planned = sprints.create_sprint(
        session=session, actor=admin, data=SprintCreate(start_date=date(2026, 12, 7))
    )
    action = new_action(session, world)
    results = sprints.close_ended(session=session, today=date(2026, 12, 25))
    assert [r.closed.id for r in results] == [world.sprint.id, planned.id]
    session.refresh(action)
    # one more for every sprint that ended with the action still open
    assert (action.sprint_id, action.carried_over) == (results[-1].next_sprint.id, 2)
    last = results[-1].next_sprint
    assert last.start_date <= date(2026, 12, 25) <= last.end_date


def test_create_sprint_plans_fourteen_days_by_default(world: World, session: Session):
    sprint = sprints.create_sprint(
        session=session,
        actor=as_(session, world, "admin"),
        data=SprintCreate(start_date=date(2026, 12, 7)),
    )
    assert sprint.end_date == date(2026, 12, 20)


def test_create_sprint_refuses_an_overlap(world: World, session: Session):
    with pytest.raises(Invalid) as refused:
        sprints.create_sprint(
            session=session,
            actor=as_(session, world, "admin"),
            data=SprintCreate(start_date=world.sprint.end_date),
        )
    assert "start_date" in refused.value.errors
    session.rollback()
    assert sprint_count(session) == 1


def test_create_sprint_refuses_an_end_before_the_start(world: World, session: Session):
    with pytest.raises(Invalid) as refused:
        sprints.create_sprint(
            session=session,
            actor=as_(session, world, "admin"),
            data=SprintCreate(start_date=date(2027, 1, 10), end_date=date(2027, 1, 9)),
        )
    assert "end_date" in refused.value.errors


def test_a_one_day_sprint_is_allowed(world: World, session: Session):
    sprint = sprints.create_sprint(
        session=session,
        actor=as_(session, world, "admin"),
        data=SprintCreate(start_date=date(2027, 1, 10), end_date=date(2027, 1, 10)),
    )
    assert sprint.start_date == sprint.end_date


def test_only_an_admin_plans_sprints(world: World, session: Session):
    with pytest.raises(Forbidden):
        sprints.create_sprint(
            session=session,
            actor=as_(session, world, "lead"),
            data=SprintCreate(start_date=date(2027, 1, 10)),
        )


def test_ensure_current_ends_todays_sprint_the_day_before_a_planned_one(session: Session):
    # an admin planned ahead on an empty database; today's sprint must not overlap it
    sprints.ensure_current(session=session, today=date(2026, 1, 10))  # a first sprint
    planned_start = date(2026, 1, 25)
    session.add(Sprint(start_date=planned_start, end_date=date(2026, 2, 7)))
    session.commit()
    current = sprints.ensure_current(session=session, today=date(2026, 1, 20))
    assert current.start_date == date(2026, 1, 19)
    assert current.end_date == planned_start - timedelta(days=1)


def test_an_action_edited_after_the_close_is_refused_in_the_closed_sprint(
    world: World, session: Session
):
    done = new_action(session, world, status=ActionStatus.done)
    sprints.close_sprint(
        session=session, actor=as_(session, world, "admin"), sprint_id=world.sprint.id, today=TODAY
    )
    with pytest.raises(Invalid) as refused:
        edit(session, world, done, title="Later nog aangepast")
    assert "sprint_id" in refused.value.errors
    session.rollback()
    assert session.get(Action, done.id).title == "Actie"
