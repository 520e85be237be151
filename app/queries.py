"""Read models for boards, lists and dashboards, each in a fixed number of queries."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func
from sqlmodel import Session, col, or_, select

from app.domain.due import is_due_soon, is_overdue, personal_order
from app.models import (
    Action,
    ActionStatus,
    Ambition,
    AmbitionTeam,
    AuditEvent,
    Comment,
    Escalation,
    EscalationStatus,
    Goal,
    Membership,
    Sprint,
    SprintProgress,
    Team,
    User,
)

T = TypeVar("T")
BOARD_ORDER = (ActionStatus.todo, ActionStatus.doing, ActionStatus.done, ActionStatus.blocked)


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int


def paged(session: Session, statement: Select[Any], *, limit: int, offset: int) -> Page[Any]:
    total = session.exec(select(func.count()).select_from(statement.subquery())).one()  # type: ignore[call-overload]
    # scalars(): the entities themselves, whether the statement is SQLModel's select or Core's
    items = list(session.scalars(statement.limit(limit).offset(offset)))
    return Page(items=items, total=total)


@dataclass
class ChildLane:
    team: Team
    counts: dict[str, int]
    open_escalations: int


@dataclass
class Board:
    team: Team
    sprint: Sprint
    columns: list[tuple[ActionStatus, list[Action]]]
    escalations: list[Escalation]
    children: list[ChildLane] = field(default_factory=list)


def board(session: Session, *, team: Team, sprint: Sprint) -> Board:
    """A team's board for one sprint: its columns, its knelpunten and its child teams' lanes."""
    actions = session.exec(
        select(Action)
        .where(Action.team_id == team.id, Action.sprint_id == sprint.id)
        .order_by(col(Action.position), col(Action.id))
    ).all()
    by_status: dict[str, list[Action]] = defaultdict(list)
    for action in actions:
        by_status[action.status].append(action)
    escalations = session.exec(
        select(Escalation)
        .where(
            Escalation.status == EscalationStatus.open,
            (Escalation.from_team_id == team.id) | (Escalation.to_team_id == team.id),
        )
        .order_by(col(Escalation.created_at), col(Escalation.id))
    ).all()
    children = session.exec(
        select(Team).where(Team.parent_id == team.id).order_by(col(Team.name))
    ).all()
    child_ids = [child.id for child in children]
    counts: dict[int, dict[str, int]] = {
        child_id: dict.fromkeys(BOARD_ORDER, 0) for child_id in child_ids if child_id is not None
    }
    open_counts: Counter[int] = Counter()
    if child_ids:
        for team_id, status, number in session.exec(
            select(Action.team_id, Action.status, func.count())
            .where(col(Action.team_id).in_(child_ids), Action.sprint_id == sprint.id)
            .group_by(col(Action.team_id), col(Action.status))
        ):
            counts[team_id][status] = number
        for team_id, number in session.exec(
            select(Escalation.from_team_id, func.count())
            .where(
                col(Escalation.from_team_id).in_(child_ids),
                Escalation.status == EscalationStatus.open,
            )
            .group_by(col(Escalation.from_team_id))
        ):
            open_counts[team_id] = number
    return Board(
        team=team,
        sprint=sprint,
        columns=[(status, by_status.get(status, [])) for status in BOARD_ORDER],
        escalations=list(escalations),
        children=[
            ChildLane(
                team=child,
                counts=counts[child.id],  # type: ignore[index]
                open_escalations=open_counts[child.id],  # type: ignore[index]
            )
            for child in children
        ],
    )


def actions_statement(
    *,
    team_id: int | None = None,
    owner_id: int | None = None,
    sprint_id: int | None = None,
    status: ActionStatus | None = None,
    ambition_id: int | None = None,
) -> Select[Any]:
    statement = select(Action)
    for column, value in (
        (Action.team_id, team_id),
        (Action.owner_id, owner_id),
        (Action.sprint_id, sprint_id),
        (Action.status, status),
        (Action.ambition_id, ambition_id),
    ):
        if value is not None:
            statement = statement.where(column == value)
    return statement.order_by(col(Action.due_date).is_(None), col(Action.due_date), col(Action.id))  # type: ignore[return-value]


def history(session: Session, *, entity: str, entity_id: int) -> list[AuditEvent]:
    return list(
        session.exec(
            select(AuditEvent)
            .where(AuditEvent.entity == entity, AuditEvent.entity_id == entity_id)
            .order_by(col(AuditEvent.id))
        ).all()
    )


def comments(session: Session, *, action_id: int) -> list[Comment]:
    return list(
        session.exec(
            select(Comment)
            .where(Comment.action_id == action_id)
            .order_by(col(Comment.created_at), col(Comment.id))
        ).all()
    )


def team_escalations(
    session: Session, *, team_id: int, status: EscalationStatus | None
) -> Select[Any]:
    statement = select(Escalation).where(
        (Escalation.from_team_id == team_id) | (Escalation.to_team_id == team_id)
    )
    if status is not None:
        statement = statement.where(Escalation.status == status)
    return statement.order_by(col(Escalation.created_at), col(Escalation.id))  # type: ignore[return-value]


def members(session: Session, *, team_id: int) -> list[tuple[Membership, User]]:
    return list(
        session.exec(
            select(Membership, User)
            .join(User, col(User.id) == Membership.user_id)
            .where(Membership.team_id == team_id)
            .order_by(col(User.name))
        ).all()
    )


def ambition_details(
    session: Session, ambitions: list[Ambition]
) -> tuple[dict[int, list[int]], dict[int, list[Goal]]]:
    """Team ids and goals for a list of ambitions, in two queries."""
    ids = [ambition.id for ambition in ambitions]
    teams: dict[int, list[int]] = defaultdict(list)
    goals: dict[int, list[Goal]] = defaultdict(list)
    if not ids:
        return teams, goals
    for ambition_id, team_id in session.exec(
        select(AmbitionTeam.ambition_id, AmbitionTeam.team_id)
        .where(col(AmbitionTeam.ambition_id).in_(ids))
        .order_by(col(AmbitionTeam.team_id))
    ):
        teams[ambition_id].append(team_id)
    for goal in session.exec(
        select(Goal)
        .where(col(Goal.ambition_id).in_(ids))
        .order_by(col(Goal.due).is_(None), col(Goal.due), col(Goal.id))
    ):
        goals[goal.ambition_id].append(goal)
    return teams, goals


def ambition_progress(session: Session, *, ambition_id: int) -> list[SprintProgress]:
    """Per sprint: actions planned, done, carried over to the next sprint, and blocked.

    A closed sprint no longer holds the actions it carried over, so those are read from the
    audit event its closing wrote.
    """
    sprints = session.exec(select(Sprint).order_by(col(Sprint.start_date))).all()
    held: dict[int, Counter[str]] = defaultdict(Counter)
    for sprint_id, status, number in session.exec(
        select(Action.sprint_id, Action.status, func.count())
        .where(Action.ambition_id == ambition_id)
        .group_by(col(Action.sprint_id), col(Action.status))
    ):
        held[sprint_id][status] = number
    ambition_actions = set(session.exec(select(Action.id).where(Action.ambition_id == ambition_id)))
    closings = session.exec(
        select(AuditEvent).where(
            AuditEvent.entity == "sprint",
            AuditEvent.verb == "updated",
            col(AuditEvent.entity_id).in_([sprint.id for sprint in sprints]),
        )
    ).all()
    carried_out: dict[int, Counter[str]] = defaultdict(Counter)
    for closing in closings:
        carried = closing.changes.get("carried")
        if not carried:
            continue
        for action_id, status in carried[1]:
            if action_id in ambition_actions:
                carried_out[closing.entity_id][status] += 1
    progress = []
    for sprint in sprints:
        assert sprint.id is not None
        inside, out = held[sprint.id], carried_out[sprint.id]
        if not inside and not out:
            continue
        progress.append(
            SprintProgress(
                sprint_id=sprint.id,
                start_date=sprint.start_date,
                end_date=sprint.end_date,
                planned=sum(inside.values()) + sum(out.values()),
                done=inside[ActionStatus.done],
                carried_over=sum(out.values()),
                blocked=inside[ActionStatus.blocked] + out[ActionStatus.blocked],
            )
        )
    return progress


def open_escalations_for_ambition(session: Session, *, ambition_id: int) -> list[Escalation]:
    return list(
        session.exec(
            select(Escalation)
            .join(Action, col(Action.id) == Escalation.action_id)
            .where(Action.ambition_id == ambition_id, Escalation.status == EscalationStatus.open)
            .order_by(col(Escalation.created_at))
        ).all()
    )


# --- Personal pages and ambitions ---------------------------------------------------------


@dataclass(frozen=True)
class OwnedAction:
    """One of a user's actions, with the flags the personal pages show."""

    action: Action
    team: Team
    is_overdue: bool
    is_due_soon: bool


def my_actions(
    session: Session, *, user_id: int, today: date, sprint_id: int | None = None
) -> list[OwnedAction]:
    """A user's open actions in any sprint, plus (with sprint_id) all of theirs in that sprint;
    late first, then by due date, no date last. One query."""
    wanted = col(Action.status) != ActionStatus.done
    if sprint_id is not None:
        wanted = or_(wanted, col(Action.sprint_id) == sprint_id)  # type: ignore[assignment]
    rows = session.exec(
        select(Action, Team)
        .join(Team, col(Team.id) == Action.team_id)
        .where(Action.owner_id == user_id, wanted)
    ).all()
    owned = [
        OwnedAction(
            action=action,
            team=team,
            is_overdue=is_overdue(status=action.status, due_date=action.due_date, today=today),
            is_due_soon=is_due_soon(status=action.status, due_date=action.due_date, today=today),
        )
        for action, team in rows
    ]
    return sorted(
        owned,
        key=lambda item: personal_order(
            overdue=item.is_overdue,
            due_date=item.action.due_date,
            action_id=item.action.id or 0,
        ),
    )


def teams_by_id(session: Session) -> dict[int, Team]:
    return {team.id: team for team in session.exec(select(Team)) if team.id is not None}


@dataclass
class TeamNode:
    team: Team
    children: list[TeamNode] = field(default_factory=list)


def team_tree(teams: list[Team]) -> list[TeamNode]:
    """Teams nested under their team of teams, each level by name; a team whose parent is
    missing becomes a root."""
    nodes = {team.id: TeamNode(team) for team in teams}
    roots: list[TeamNode] = []
    for team in sorted(teams, key=lambda t: (t.name.casefold(), t.id or 0)):
        node = nodes[team.id]
        parent = nodes.get(team.parent_id) if team.parent_id is not None else None
        (parent.children if parent is not None else roots).append(node)
    return roots


def open_escalations_to(session: Session, *, team_ids: Collection[int]) -> list[Escalation]:
    """Open knelpunten sent to any of these teams, oldest first."""
    if not team_ids:
        return []
    return list(
        session.exec(
            select(Escalation)
            .where(
                col(Escalation.to_team_id).in_(list(team_ids)),
                Escalation.status == EscalationStatus.open,
            )
            .order_by(col(Escalation.created_at), col(Escalation.id))
        ).all()
    )


@dataclass(frozen=True)
class AmbitionSummary:
    ambition: Ambition
    team_ids: list[int]
    goals: list[Goal]
    open_escalations: int


def ambition_summaries(session: Session) -> list[AmbitionSummary]:
    """Every ambition with its teams, goals and number of open knelpunten, in four queries."""
    ambitions = list(session.exec(select(Ambition).order_by(col(Ambition.title), col(Ambition.id))))
    teams, goals = ambition_details(session, ambitions)
    open_counts: Counter[int] = Counter()
    for ambition_id, number in session.exec(
        select(Action.ambition_id, func.count())
        .join(Escalation, col(Escalation.action_id) == Action.id)
        .where(col(Action.ambition_id).is_not(None), Escalation.status == EscalationStatus.open)
        .group_by(col(Action.ambition_id))
    ):
        if ambition_id is not None:
            open_counts[ambition_id] = number
    return [
        AmbitionSummary(
            ambition=ambition,
            team_ids=teams[ambition.id],  # type: ignore[index]
            goals=goals[ambition.id],  # type: ignore[index]
            open_escalations=open_counts[ambition.id],  # type: ignore[index]
        )
        for ambition in ambitions
    ]


def last_editor_name(session: Session, *, entity: str, entity_id: int) -> str | None:
    """The name of whoever made the latest recorded change to this object."""
    return session.exec(
        select(User.name)
        .join(AuditEvent, col(AuditEvent.actor_id) == User.id)
        .where(AuditEvent.entity == entity, AuditEvent.entity_id == entity_id)
        .order_by(col(AuditEvent.id).desc())
        .limit(1)
    ).first()
