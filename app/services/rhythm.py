"""The organisation's rhythm (sprint length and start weekday) and a team closing its part of a
sprint: per open action carry it over (the default) or drop it with a reason."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, select

from app.domain.permissions import Access
from app.domain.sprints import setting_problems
from app.models import (
    ActionStatus,
    Organisation,
    OrganisationPublic,
    OrganisationUpdate,
    Sprint,
    SprintReview,
    Team,
    TeamSprintClose,
    utcnow,
)
from app.services import audit
from app.services.access import get_or_404, require_admin, require_board_writer
from app.services.errors import Invalid, check
from app.services.sprints import (
    ORGANISATION_ID,
    Cadence,
    carry_actions,
    ensure_working,
    find_working,
    next_sprint_for,
    open_actions_of,
    serialise,
)
from app.translatable import N_

ALREADY_CLOSED = N_("Dit team heeft deze periode al afgesloten.")
SPRINT_CLOSED = N_("Deze periode is al afgesloten. De open acties staan in de volgende periode.")
NOT_STARTED = N_("Deze periode is nog niet begonnen. Je sluit een periode af als die loopt.")
REASON_REQUIRED = N_("Schrijf op waarom je deze actie laat vallen.")
NOT_OPEN_HERE = N_("Deze actie staat niet open in deze periode van dit team.")
TWICE = N_("Deze actie staat er twee keer in.")


# --- the organisation's setting --------------------------------------------------------------
def organisation_settings(session: Session) -> OrganisationPublic:
    """The rhythm in force: the stored setting, or the environment's defaults."""
    cadence = Cadence.of(session)
    return OrganisationPublic(sprint_days=cadence.length_days, sprint_weekday=cadence.weekday)


def update_organisation(
    *, session: Session, actor: Access, data: OrganisationUpdate
) -> OrganisationPublic:
    """Change the rhythm. Sprints made from now on follow it; existing sprints keep their
    dates."""
    require_admin(actor)
    check(setting_problems(sprint_days=data.sprint_days, sprint_weekday=data.sprint_weekday))
    before = organisation_settings(session)
    row = session.get(Organisation, ORGANISATION_ID)
    created = row is None
    if row is None:
        row = Organisation(id=ORGANISATION_ID)
    row.sprint_days = data.sprint_days
    row.sprint_weekday = data.sprint_weekday
    row.updated_at = utcnow()
    changes = {
        name: [getattr(before, name), getattr(data, name)]
        for name in ("sprint_days", "sprint_weekday")
        if getattr(before, name) != getattr(data, name)
    }
    audit.store(
        session, row, "created" if created else "updated", actor_id=actor.user_id, changes=changes
    )
    session.commit()
    return organisation_settings(session)


# --- a team closes its part of a sprint ------------------------------------------------------
@dataclass(frozen=True)
class TeamClose:
    carried_over: int
    dropped: int
    next_sprint: Sprint


def review_of(session: Session, *, team_id: int, sprint_id: int) -> SprintReview | None:
    return session.exec(
        select(SprintReview).where(
            SprintReview.team_id == team_id, SprintReview.sprint_id == sprint_id
        )
    ).first()


def close_problem(session: Session, *, team_id: int, sprint: Sprint, today: date) -> str | None:
    """Why this team cannot close its part of the sprint now (None: it can)."""
    assert sprint.id is not None
    if review_of(session, team_id=team_id, sprint_id=sprint.id) is not None:
        return ALREADY_CLOSED
    if sprint.closed_at is not None:
        return SPRINT_CLOSED
    if sprint.start_date > today:
        return NOT_STARTED
    return None


def close_team_sprint(
    *,
    session: Session,
    actor: Access,
    team_id: int,
    sprint_id: int,
    data: TeamSprintClose,
    today: date,
) -> TeamClose:
    """Close the team's part of the sprint in one transaction: the open actions named in
    `data.drop` get status dropped with their reason, every other open action moves to the
    next sprint (as the sprint's own close does), and a SprintReview records who closed it.
    A second close is refused and changes nothing."""
    get_or_404(session, Team, team_id, "Team")
    require_board_writer(actor, team_id)
    get_or_404(session, Sprint, sprint_id, "Periode")
    serialise(session)
    sprint = session.exec(
        select(Sprint)
        .where(Sprint.id == sprint_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    if problem := close_problem(session, team_id=team_id, sprint=sprint, today=today):
        raise Invalid({"sprint_id": problem})
    open_actions = open_actions_of(session, sprint_id, team_id)
    by_id = {action.id: action for action in open_actions}
    errors: dict[str, str] = {}
    reasons: dict[int, str] = {}
    for index, choice in enumerate(data.drop):
        if choice.action_id not in by_id:
            errors[f"drop.{index}.action_id"] = NOT_OPEN_HERE
        elif choice.action_id in reasons:
            errors[f"drop.{index}.action_id"] = TWICE
        elif not choice.reason.strip():
            errors[f"drop.{index}.reason"] = REASON_REQUIRED
        reasons.setdefault(choice.action_id, choice.reason.strip())
    check(errors)

    cadence = Cadence.of(session)
    next_sprint = next_sprint_for(session, sprint, today, cadence, actor.user_id)
    carried = [action for action in open_actions if action.id not in reasons]
    carry_actions(session, carried, next_sprint, actor.user_id)
    dropped = [action for action in open_actions if action.id in reasons]
    now = utcnow()
    for action in dropped:
        assert action.id is not None
        reason = reasons[action.id]
        changes = {
            "status": [action.status, ActionStatus.dropped],
            "drop_reason": [action.drop_reason, reason],
        }
        was = action.status
        action.status = ActionStatus.dropped
        action.drop_reason = reason
        action.version += 1
        action.updated_at = now
        audit.store(
            session,
            action,
            "updated",
            actor_id=actor.user_id,
            team_id=action.team_id,
            changes=changes,
            live={
                "action_ids": [action.id],
                "statuses": [was, ActionStatus.dropped],
                "owner_ids": [action.owner_id],
                "sprint_ids": [sprint_id],
            },
        )
    session.add(SprintReview(team_id=team_id, sprint_id=sprint_id, closed_by_id=actor.user_id))
    audit.record(
        session,
        actor_id=actor.user_id,
        entity="sprint",
        entity_id=sprint_id,
        verb="updated",
        team_id=team_id,
        # "carried" as the sprint's own close writes it, so progress per sprint counts these
        changes={
            "team_closed": [None, team_id],
            "carried": [None, [[action.id, action.status] for action in carried]],
            "dropped": [None, [[action.id, reasons[action.id or 0]] for action in dropped]],
        },
    )
    session.commit()
    return TeamClose(carried_over=len(carried), dropped=len(dropped), next_sprint=next_sprint)


# --- what a board says about its period ---------------------------------------------------------
@dataclass(frozen=True)
class PeriodState:
    """What a team's board says about the period it shows."""

    closed_early: bool  # it holds today but was closed before its end: the team works in the next
    team_closed_at: datetime | None  # when this team closed its part
    can_close: bool  # the viewer may close the team's part now
    can_plan_next: bool  # the viewer may make the next period to plan in (none exists yet)
    # a later period where the team works now, because the one holding today was closed early
    works_here_early: bool = False


def period_state(
    session: Session,
    *,
    access: Access,
    team_id: int,
    sprint: Sprint,
    today: date,
    has_following: bool,
) -> PeriodState:
    """One query (the team's review of this sprint); three more for a period still to come."""
    assert sprint.id is not None
    review = review_of(session, team_id=team_id, sprint_id=sprint.id)
    writer = access.can_write_board(team_id)
    holds_today = sprint.start_date <= today <= sprint.end_date
    early = False
    if sprint.start_date > today and sprint.closed_at is None:
        working = find_working(session=session, today=today)
        early = working is not None and working.id == sprint.id
    return PeriodState(
        closed_early=sprint.closed_at is not None and holds_today,
        team_closed_at=review.closed_at if review is not None else None,
        can_close=writer
        and review is None
        and sprint.closed_at is None
        and sprint.start_date <= today,
        can_plan_next=writer and not has_following and sprint.end_date >= today,
        works_here_early=early,
    )


def plan_next(*, session: Session, actor: Access, team_id: int, today: date) -> Sprint:
    """The period after the one the team works in now, made when missing, so the team can plan
    it on its own board (the team's board writers)."""
    get_or_404(session, Team, team_id, "Team")
    require_board_writer(actor, team_id)
    working = ensure_working(session=session, today=today, actor_id=actor.user_id)
    serialise(session)
    following = next_sprint_for(session, working, today, Cadence.of(session), actor.user_id)
    session.commit()
    return following
