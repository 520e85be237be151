"""Knelpunten in the flow of a team of teams, per child team: actions carried over twice or
more, knelpunten open longer than one sprint, actions whose owner is no longer on the team, and
actions past their streefdatum. Five queries however many child teams and actions."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import or_
from sqlmodel import Session, col, select

from app.domain import escalations as rules
from app.domain.due import is_overdue
from app.domain.permissions import SEATED_ROLES
from app.models import (
    Action,
    ActionStatus,
    Escalation,
    EscalationStatus,
    Membership,
    Organisation,
    Sprint,
    Team,
    User,
)

CARRIED_OVER_OFTEN = 2
OPEN_STATUSES = (ActionStatus.todo, ActionStatus.doing, ActionStatus.blocked)


@dataclass
class Flagged:
    action: Action
    owner_name: str


@dataclass
class Waiting:
    escalation: Escalation
    action_title: str
    days: int


@dataclass
class ChildBottlenecks:
    team: Team
    carried: list[Flagged] = field(default_factory=list)  # carried over twice or more
    waiting: list[Waiting] = field(default_factory=list)  # knelpunten open longer than a sprint
    ownerless: list[Flagged] = field(default_factory=list)  # owner left the team or inactive
    overdue: list[Flagged] = field(default_factory=list)  # past their streefdatum

    @property
    def total(self) -> int:
        return len(self.carried) + len(self.waiting) + len(self.ownerless) + len(self.overdue)


@dataclass
class Bottlenecks:
    children: list[ChildBottlenecks]
    sprint_days: int

    @property
    def total(self) -> int:
        return sum(child.total for child in self.children)


def bottlenecks(session: Session, *, team_id: int, sprint: Sprint, today: date) -> Bottlenecks:
    """Per child team of this team of teams, what holds up its work in the sprint shown."""
    children = list(
        session.exec(select(Team).where(Team.parent_id == team_id).order_by(col(Team.name)))
    )
    organisation = session.get(Organisation, 1)
    sprint_days = organisation.sprint_days if organisation else 14
    found = {child.id: ChildBottlenecks(child) for child in children if child.id is not None}
    if not found:
        return Bottlenecks([], sprint_days)
    child_ids = sorted(found)

    # who is on each child team's board: its members and the representatives of its own teams
    on_board: dict[int, set[int]] = defaultdict(set)
    for user_id, member_of, role, parent_id in session.exec(
        select(Membership.user_id, Membership.team_id, Membership.role, Team.parent_id)
        .join(Team, col(Team.id) == col(Membership.team_id))
        .where(or_(col(Membership.team_id).in_(child_ids), col(Team.parent_id).in_(child_ids)))
    ):
        if member_of in found:
            on_board[member_of].add(user_id)
        if parent_id in found and role in SEATED_ROLES:
            on_board[parent_id].add(user_id)

    for action, owner_name, owner_active in session.exec(
        select(Action, User.name, User.is_active)
        .join(User, col(User.id) == col(Action.owner_id))
        .where(
            col(Action.team_id).in_(child_ids),
            Action.sprint_id == sprint.id,
            col(Action.status).in_(OPEN_STATUSES),
        )
        .order_by(col(Action.due_date).is_(None), col(Action.due_date), col(Action.id))
    ):
        child = found[action.team_id]
        flagged = Flagged(action, owner_name)
        if action.carried_over >= CARRIED_OVER_OFTEN:
            child.carried.append(flagged)
        if not owner_active or action.owner_id not in on_board[action.team_id]:
            child.ownerless.append(flagged)
        if is_overdue(status=action.status, due_date=action.due_date, today=today):
            child.overdue.append(flagged)

    for escalation, title in session.exec(
        select(Escalation, Action.title)
        .outerjoin(Action, col(Action.id) == col(Escalation.action_id))
        .where(
            col(Escalation.from_team_id).in_(child_ids),
            Escalation.status == EscalationStatus.open,
        )
        .order_by(col(Escalation.created_at), col(Escalation.id))
    ):
        raised_on = rules.day_of(escalation.created_at)
        if rules.open_too_long(raised_on=raised_on, today=today, sprint_days=sprint_days):
            found[escalation.from_team_id].waiting.append(
                Waiting(escalation, title or "", rules.days_waited(escalation.created_at, today))
            )
    return Bottlenecks(list(found.values()), sprint_days)
