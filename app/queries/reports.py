"""What the reports hold: an ambition report and a team's sprint report, read in one go.

The same parts as the department head's view (app/queries/head.py), for one ambition and every
sprint; app/services/reports.py writes them as PDF, XLSX and CSV.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from app.models import (
    Action,
    ActionStatus,
    Ambition,
    Evaluation,
    Goal,
    Location,
    Sprint,
    SprintProgress,
    Team,
    User,
)
from app.queries.ambitions import ambition_details, ambition_progress
from app.queries.head import (
    Highlight,
    IndicatorStand,
    OpenEscalation,
    carried_out,
    highlights,
    indicator_stands,
    open_escalations,
)
from app.queries.org import teams_by_id

ORGANISATION = "Werkorganisatie"
WINS_IN_REPORT = 20


def organisation_name(session: Session) -> str:
    """ "Werkorganisatie Alphen-Chaam, Baarle-Nassau en Gilze en Rijen": the organisation is
    named after the municipalities it works for."""
    names = list(session.exec(select(Location.name).order_by(col(Location.name))))
    if not names:
        return ORGANISATION
    if len(names) == 1:
        return f"{ORGANISATION} {names[0]}"
    return f"{ORGANISATION} {', '.join(names[:-1])} en {names[-1]}"


@dataclass(frozen=True)
class GoalRow:
    goal: Goal
    team: Team | None


@dataclass(frozen=True)
class AmbitionReport:
    organisation: str
    made_on: date
    ambition: Ambition
    owner_team: Team | None
    teams: list[Team]
    progress: list[SprintProgress]
    goals: list[GoalRow]
    indicators: list[IndicatorStand]
    escalations: list[OpenEscalation]
    wins: list[Highlight]

    @property
    def goals_met(self) -> int:
        return sum(1 for row in self.goals if row.goal.is_done)


def ambition_report(session: Session, *, ambition: Ambition, today: date) -> AmbitionReport:
    assert ambition.id is not None
    teams = teams_by_id(session)
    team_ids, goals = ambition_details(session, [ambition])
    ids = [ambition.id]
    return AmbitionReport(
        organisation=organisation_name(session),
        made_on=today,
        ambition=ambition,
        owner_team=teams.get(ambition.owner_team_id) if ambition.owner_team_id else None,
        teams=[teams[team_id] for team_id in team_ids[ambition.id] if team_id in teams],
        progress=ambition_progress(session, ambition_id=ambition.id),
        goals=[
            GoalRow(goal=goal, team=teams.get(goal.team_id) if goal.team_id else None)
            for goal in goals[ambition.id]
        ],
        indicators=indicator_stands(session, ids)[ambition.id],
        escalations=open_escalations(session, ids, teams, today)[ambition.id],
        wins=highlights(session, ids, teams, limit=WINS_IN_REPORT)[ambition.id],
    )


# --- a team's sprint ------------------------------------------------------------------------

CARRIED = "carried_over"  # the row status of an action the sprint's close carried onward


@dataclass(frozen=True)
class SprintActionRow:
    action: Action
    owner: str
    # todo | doing | done | blocked | dropped, or carried_over for one that went to a later sprint
    status: str
    ambition: str


@dataclass(frozen=True)
class SprintReport:
    organisation: str
    made_on: date
    team: Team
    sprint: Sprint
    actions: list[SprintActionRow]
    evaluation: Evaluation | None

    def _count(self, *statuses: str) -> int:
        return sum(1 for row in self.actions if row.status in statuses)

    @property
    def planned(self) -> int:
        """Every action the team had in the sprint, also those carried onward or dropped."""
        return len(self.actions)

    @property
    def done(self) -> int:
        return self._count(ActionStatus.done)

    @property
    def carried_over(self) -> int:
        return self._count(CARRIED)

    @property
    def dropped(self) -> int:
        return self._count(ActionStatus.dropped)


STATUS_ORDER = {
    ActionStatus.done: 0,
    ActionStatus.doing: 1,
    ActionStatus.todo: 2,
    ActionStatus.blocked: 3,
    CARRIED: 4,
    ActionStatus.dropped: 5,
}


def sprint_report(session: Session, *, team: Team, sprint: Sprint, today: date) -> SprintReport:
    assert team.id is not None and sprint.id is not None
    held = list(
        session.exec(
            select(Action)
            .where(Action.team_id == team.id, Action.sprint_id == sprint.id)
            .order_by(col(Action.position), col(Action.id))
        )
    )
    moved_ids = [action_id for action_id, _ in carried_out(session, [sprint.id])[sprint.id]]
    moved = [
        action
        for action in session.exec(
            select(Action).where(col(Action.id).in_(moved_ids), Action.team_id == team.id)
        )
        # carried and then moved back in by hand: it counts where it is now
        if action.sprint_id != sprint.id
    ]
    owner_ids = {action.owner_id for action in [*held, *moved]}
    ambition_ids = {action.ambition_id for action in [*held, *moved] if action.ambition_id}
    owners = {
        user_id: name
        for user_id, name in session.exec(
            select(User.id, User.name).where(col(User.id).in_(owner_ids))
        )
    }
    titles = {
        ambition_id: title
        for ambition_id, title in session.exec(
            select(Ambition.id, Ambition.title).where(col(Ambition.id).in_(ambition_ids))
        )
    }
    rows = [
        SprintActionRow(
            action=action,
            owner=owners.get(action.owner_id, ""),
            status=status,
            ambition=titles.get(action.ambition_id, "") if action.ambition_id else "",
        )
        for action, status in [
            *((action, action.status) for action in held),
            *((action, CARRIED) for action in moved),
        ]
    ]
    rows.sort(key=lambda row: (STATUS_ORDER.get(row.status, 9), row.action.title.casefold()))
    evaluation = session.exec(
        select(Evaluation).where(Evaluation.team_id == team.id, Evaluation.sprint_id == sprint.id)
    ).first()
    return SprintReport(
        organisation=organisation_name(session),
        made_on=today,
        team=team,
        sprint=sprint,
        actions=rows,
        evaluation=evaluation,
    )
