"""The organisation's rhythm as a setting, and a team closing its part of a sprint."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func
from sqlmodel import Session, select

from app.domain.sprints import DROPPED_ACTION
from app.models import (
    Action,
    ActionStatus,
    AmbitionCreate,
    AuditEvent,
    DropChoice,
    Organisation,
    OrganisationUpdate,
    Sprint,
    SprintReview,
    TeamSprintClose,
)
from app.queries.ambitions import ambition_progress
from app.services import ambitions, rhythm, sprints
from app.services.errors import Forbidden, Invalid
from app.services.sprints import Cadence
from tests.conftest import TODAY
from tests.integration.service_helpers import as_, audit_rows, edit, new_action
from tests.support.builders import World


def sprint_count(session: Session) -> int:
    return session.exec(select(func.count()).select_from(Sprint)).one()


def set_rhythm(session: Session, world: World, days: int, weekday: int):
    return rhythm.update_organisation(
        session=session,
        actor=as_(session, world, "admin"),
        data=OrganisationUpdate(sprint_days=days, sprint_weekday=weekday),
    )


# --- the setting ------------------------------------------------------------------------------
def test_without_a_setting_the_environment_gives_fourteen_days_from_monday(session: Session):
    assert session.get(Organisation, 1) is None
    shown = rhythm.organisation_settings(session)
    assert (shown.sprint_days, shown.sprint_weekday) == (14, 0)
    assert Cadence.of(session) == Cadence.from_settings()


def test_an_admin_sets_the_rhythm_and_it_is_audited(world: World, session: Session):
    shown = set_rhythm(session, world, 21, 2)
    assert (shown.sprint_days, shown.sprint_weekday) == (21, 2)
    row = session.get(Organisation, 1)
    assert (row.sprint_days, row.sprint_weekday) == (21, 2)
    event = session.exec(select(AuditEvent).where(AuditEvent.entity == "organisation")).one()
    assert event.changes == {"sprint_days": [14, 21], "sprint_weekday": [0, 2]}
    again = set_rhythm(session, world, 7, 2)
    assert again.sprint_days == 7
    assert Cadence.of(session).length_days == 7 and Cadence.of(session).weekday == 2


@pytest.mark.parametrize(
    ("days", "weekday", "fields"),
    [
        (6, 0, {"sprint_days"}),
        (57, 0, {"sprint_days"}),
        (14, 7, {"sprint_weekday"}),
        (0, -1, {"sprint_days", "sprint_weekday"}),
    ],
)
def test_the_rhythm_is_refused_per_field_outside_its_bounds(
    world: World, session: Session, days: int, weekday: int, fields: set[str]
):
    before = audit_rows(session)
    with pytest.raises(Invalid) as refused:
        set_rhythm(session, world, days, weekday)
    assert set(refused.value.errors) == fields
    if "sprint_days" in fields:
        assert refused.value.errors["sprint_days"] == (
            "Een periode duurt minstens 7 en hoogstens 56 dagen."
        )
    session.rollback()
    assert session.get(Organisation, 1) is None and audit_rows(session) == before


def test_only_an_admin_sets_the_rhythm(world: World, session: Session):
    with pytest.raises(Forbidden):
        rhythm.update_organisation(
            session=session,
            actor=as_(session, world, "lead"),
            data=OrganisationUpdate(sprint_days=7, sprint_weekday=0),
        )


def test_a_changed_rhythm_applies_to_new_sprints_and_existing_ones_keep_their_dates(
    world: World, session: Session
):
    before = (world.sprint.start_date, world.sprint.end_date)
    set_rhythm(session, world, 7, 2)  # one week, from Wednesday
    stored = session.get(Sprint, world.sprint.id)
    assert (stored.start_date, stored.end_date) == before
    # the first sprint after the change starts the day after, and lasts until a Wednesday start
    after_end = stored.end_date + timedelta(days=1)
    first = sprints.ensure_current(session=session, today=after_end)
    assert first.start_date == after_end == date(2026, 12, 7)  # a Monday
    assert first.end_date == date(2026, 12, 15)  # so the next starts on Wednesday 16 December
    second = sprints.ensure_current(session=session, today=first.end_date + timedelta(days=1))
    assert second.start_date == date(2026, 12, 16) and second.start_date.weekday() == 2
    assert second.end_date == date(2026, 12, 22)


def test_a_planned_sprint_follows_the_set_length(world: World, session: Session):
    set_rhythm(session, world, 21, 0)
    planned = sprints.create_sprint(
        session=session,
        actor=as_(session, world, "admin"),
        data=sprints.SprintCreate(start_date=date(2027, 1, 4)),
    )
    assert planned.end_date == date(2027, 1, 24)


# --- a team closes its part -------------------------------------------------------------------
def close(session, world, who="member", drop=(), team=None, sprint_id=None, today=TODAY):
    return rhythm.close_team_sprint(
        session=session,
        actor=as_(session, world, who),
        team_id=(team or world.team).id,
        sprint_id=sprint_id or world.sprint.id,
        data=TeamSprintClose(drop=[DropChoice(action_id=a, reason=r) for a, r in drop]),
        today=today,
    )


def test_a_team_carries_over_by_default_and_drops_with_a_reason(world: World, session: Session):
    keep = new_action(session, world, title="Meenemen")
    busy = new_action(session, world, title="Bezig", status=ActionStatus.doing)
    let_go = new_action(session, world, title="Laten vallen")
    done = new_action(session, world, title="Klaar", status=ActionStatus.done)
    theirs = new_action(session, world, "outsider", title="Ander team", team_id=world.other_team.id)

    result = close(session, world, drop=[(let_go.id, "Niet meer nodig na het besluit")])

    assert (result.carried_over, result.dropped) == (2, 1)
    following = result.next_sprint
    assert following.start_date == world.sprint.end_date + timedelta(days=1)
    for action in (keep, busy):
        session.refresh(action)
        assert (action.sprint_id, action.carried_over, action.version) == (following.id, 1, 2)
    session.refresh(let_go)
    assert (let_go.status, let_go.drop_reason, let_go.sprint_id) == (
        ActionStatus.dropped,
        "Niet meer nodig na het besluit",
        world.sprint.id,
    )
    history = session.exec(
        select(AuditEvent).where(AuditEvent.entity == "action", AuditEvent.entity_id == let_go.id)
    ).all()
    assert history[-1].changes["status"] == ["todo", "dropped"]
    assert history[-1].changes["drop_reason"][1] == "Niet meer nodig na het besluit"
    session.refresh(done)
    session.refresh(theirs)
    assert done.sprint_id == world.sprint.id  # done work stays
    assert theirs.sprint_id == world.sprint.id  # another team's part is theirs to close
    review = session.get(SprintReview, (world.team.id, world.sprint.id))
    assert review.closed_by_id == world.users["member"].id
    # the sprint itself runs on for everyone until it ends
    assert session.get(Sprint, world.sprint.id).closed_at is None


def test_carried_actions_land_at_the_end_of_their_column(world: World, session: Session):
    following = sprints.create_sprint(
        session=session,
        actor=as_(session, world, "admin"),
        data=sprints.SprintCreate(start_date=world.sprint.end_date + timedelta(days=1)),
    )
    planned = new_action(session, world, title="Al gepland", sprint_id=following.id)
    carried = new_action(session, world, title="Mee")
    close(session, world)
    session.refresh(carried)
    assert carried.sprint_id == following.id
    assert carried.position == planned.position + 1


def test_a_second_close_is_refused_and_changes_nothing(world: World, session: Session):
    new_action(session, world)
    close(session, world)
    later = new_action(session, world, title="Na het afsluiten", sprint_id=None)
    before = audit_rows(session)
    with pytest.raises(Invalid) as refused:
        close(session, world, who="lead")
    assert refused.value.errors == {"sprint_id": rhythm.ALREADY_CLOSED}
    session.rollback()
    assert audit_rows(session) == before
    session.refresh(later)
    assert later.carried_over == 0


def test_a_drop_without_reason_is_refused_on_its_field_and_nothing_is_written(
    world: World, session: Session
):
    first = new_action(session, world, title="Een")
    second = new_action(session, world, title="Twee")
    before = audit_rows(session)
    with pytest.raises(Invalid) as refused:
        close(session, world, drop=[(first.id, "Reden"), (second.id, "   ")])
    assert refused.value.errors == {"drop.1.reason": rhythm.REASON_REQUIRED}
    session.rollback()
    assert audit_rows(session) == before
    assert session.get(SprintReview, (world.team.id, world.sprint.id)) is None
    for action in (first, second):
        session.refresh(action)
        assert (action.status, action.sprint_id) == (ActionStatus.todo, world.sprint.id)


def test_a_drop_of_an_action_that_is_not_open_in_the_teams_sprint_is_refused(
    world: World, session: Session
):
    done = new_action(session, world, status=ActionStatus.done)
    theirs = new_action(session, world, "outsider", team_id=world.other_team.id)
    with pytest.raises(Invalid) as refused:
        close(session, world, drop=[(done.id, "x"), (theirs.id, "y")])
    assert set(refused.value.errors) == {"drop.0.action_id", "drop.1.action_id"}


def test_only_the_teams_board_writers_close_its_part(world: World, session: Session):
    with pytest.raises(Forbidden):
        close(session, world, who="outsider")
    session.rollback()
    assert session.get(SprintReview, (world.team.id, world.sprint.id)) is None
    close(session, world, who="representative")
    review = session.get(SprintReview, (world.team.id, world.sprint.id))
    assert review.closed_by_id == world.users["representative"].id


def test_a_sprint_closed_for_everyone_or_not_begun_cannot_be_closed_by_a_team(
    world: World, session: Session
):
    following = sprints.create_sprint(
        session=session,
        actor=as_(session, world, "admin"),
        data=sprints.SprintCreate(start_date=world.sprint.end_date + timedelta(days=1)),
    )
    with pytest.raises(Invalid) as early:
        close(session, world, sprint_id=following.id)
    assert early.value.errors == {"sprint_id": rhythm.NOT_STARTED}
    session.rollback()
    sprints.close_sprint(
        session=session, actor=as_(session, world, "admin"), sprint_id=world.sprint.id, today=TODAY
    )
    with pytest.raises(Invalid) as closed:
        close(session, world)
    assert closed.value.errors == {"sprint_id": rhythm.SPRINT_CLOSED}


def test_progress_counts_dropped_apart_and_team_carried_actions_as_carried(
    world: World, session: Session
):
    ambition = ambitions.create_ambition(
        session=session, actor=as_(session, world, "admin"), data=AmbitionCreate(title="Ambitie")
    )
    keep = new_action(session, world, ambition_id=ambition.id)
    gone = new_action(session, world, ambition_id=ambition.id)
    new_action(session, world, ambition_id=ambition.id, status=ActionStatus.done)
    close(session, world, drop=[(gone.id, "Andere prioriteit")])
    session.refresh(keep)
    progress = {p.sprint_id: p for p in ambition_progress(session, ambition_id=ambition.id)}
    closed = progress[world.sprint.id]
    assert (closed.planned, closed.done, closed.carried_over, closed.dropped) == (3, 1, 1, 1)
    assert progress[keep.sprint_id].planned == 1
    assert (
        session.exec(
            select(func.count()).select_from(Action).where(Action.status == ActionStatus.dropped)
        ).one()
        == 1
    )


def test_a_dropped_action_is_not_changed_any_more(world: World, session: Session):
    gone = new_action(session, world, title="Weg")
    close(session, world, drop=[(gone.id, "Niet meer nodig")])
    session.refresh(gone)
    with pytest.raises(Invalid) as refused:
        edit(session, world, gone, title="Toch weer")
    assert refused.value.errors == {"status": DROPPED_ACTION}
    with pytest.raises(Invalid):
        edit(session, world, gone, status=ActionStatus.todo)
