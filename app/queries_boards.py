"""Read models for the board pages (team board, card detail, stand-up), each query fixed in
number whatever the size of the board."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from app.models import (
    Action,
    Ambition,
    AmbitionStatus,
    AuditEvent,
    Comment,
    Goal,
    Membership,
    Role,
    Sprint,
    Team,
    User,
)


def user_names(session: Session, ids: Collection[int | None]) -> dict[int, str]:
    """Names of these users, in one query."""
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    rows = session.exec(select(User.id, User.name).where(col(User.id).in_(wanted)))
    return {user_id: name for user_id, name in rows if user_id is not None}


def teams_named(session: Session, ids: Collection[int | None]) -> dict[int, Team]:
    """These teams by id, in one query."""
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    return {
        team.id: team
        for team in session.exec(select(Team).where(col(Team.id).in_(wanted)))
        if team.id is not None
    }


def lane_ambitions(session: Session, *, referenced: Collection[int]) -> list[Ambition]:
    """The ambitions a board can show a row for: every active one, and any other its actions
    refer to; by title, in one query."""
    condition = col(Ambition.status) == AmbitionStatus.active
    if referenced:
        condition = or_(condition, col(Ambition.id).in_(sorted(referenced)))  # type: ignore[assignment]
    return list(
        session.exec(
            select(Ambition).where(condition).order_by(col(Ambition.title), col(Ambition.id))
        ).all()
    )


def open_goals(
    session: Session,
    *,
    ambition_ids: Collection[int],
    team_id: int,
    including: Collection[int] = (),
) -> dict[int, list[Goal]]:
    """Per ambition, the goals not yet done that belong to no team or to this one, and the
    goals in `including` (those the board's actions already have)."""
    goals: dict[int, list[Goal]] = defaultdict(list)
    if not ambition_ids:
        return goals
    wanted = (col(Goal.is_done).is_(False)) & or_(
        col(Goal.team_id).is_(None), col(Goal.team_id) == team_id
    )
    if including:
        wanted = or_(wanted, col(Goal.id).in_(sorted(including)))  # type: ignore[assignment]
    for goal in session.exec(
        select(Goal)
        .where(col(Goal.ambition_id).in_(sorted(ambition_ids)), wanted)
        .order_by(col(Goal.due).is_(None), col(Goal.due), col(Goal.id))
    ):
        goals[goal.ambition_id].append(goal)
    return goals


def board_writers(session: Session, *, team_id: int) -> list[User]:
    """The active people who may own an action on this board: its members and the
    representatives of its child teams, by name, in one query."""
    child_teams = select(Team.id).where(Team.parent_id == team_id)
    member_ids = select(Membership.user_id).where(
        or_(
            col(Membership.team_id) == team_id,
            (col(Membership.team_id).in_(child_teams))
            & (col(Membership.role) == Role.representative),
        )
    )
    return list(
        session.exec(
            select(User)
            .where(col(User.id).in_(member_ids), col(User.is_active).is_(True))
            .order_by(col(User.name), col(User.id))
        ).all()
    )


@dataclass(frozen=True)
class Neighbours:
    previous: Sprint | None
    following: Sprint | None


def neighbour_sprints(session: Session, sprint: Sprint) -> Neighbours:
    """The sprints just before and just after this one, in two queries."""
    previous = session.exec(
        select(Sprint)
        .where(Sprint.start_date < sprint.start_date)
        .order_by(col(Sprint.start_date).desc())
        .limit(1)
    ).first()
    following = session.exec(
        select(Sprint)
        .where(Sprint.start_date > sprint.start_date)
        .order_by(col(Sprint.start_date))
        .limit(1)
    ).first()
    return Neighbours(previous=previous, following=following)


def column_order(session: Session, *, team_id: int, sprint_id: int, status: str) -> list[int]:
    """The ids of one column of a board, top to bottom."""
    return [
        action_id
        for action_id in session.exec(
            select(Action.id)
            .where(
                Action.team_id == team_id,
                Action.sprint_id == sprint_id,
                Action.status == status,
            )
            .order_by(col(Action.position), col(Action.id))
        )
        if action_id is not None
    ]


def drop_index(
    session: Session, action: Action, status: str, *, below: int | None, above: int | None
) -> int | None:
    """Where a dragged card lands in its column: just before the card below it, or after the
    one above it (a row of the board shows only part of a column); None for the bottom."""
    if below is None and above is None:
        return None
    order = [
        other
        for other in column_order(
            session, team_id=action.team_id, sprint_id=action.sprint_id, status=status
        )
        if other != action.id
    ]
    if below in order:
        return order.index(below)
    if above in order:
        return order.index(above) + 1
    return None


def action_history_named(session: Session, *, action_id: int) -> list[tuple[AuditEvent, str]]:
    """An action's audit events, oldest first, each with the name of who made it."""
    rows = session.exec(
        select(AuditEvent, User.name)
        .outerjoin(User, col(User.id) == AuditEvent.actor_id)
        .where(AuditEvent.entity == "action", AuditEvent.entity_id == action_id)
        .order_by(col(AuditEvent.id))
    ).all()
    return [(event, name or "") for event, name in rows]


def action_comments_named(session: Session, *, action_id: int) -> list[tuple[Comment, str]]:
    """An action's reacties, oldest first, each with its author's name."""
    rows = session.exec(
        select(Comment, User.name)
        .join(User, col(User.id) == Comment.author_id)
        .where(Comment.action_id == action_id)
        .order_by(col(Comment.created_at), col(Comment.id))
    ).all()
    return [(comment, name) for comment, name in rows]


def child_teams(session: Session, *, team_id: int) -> list[Team]:
    """The teams directly under a team of teams, by name."""
    return list(
        session.exec(
            select(Team).where(Team.parent_id == team_id).order_by(col(Team.name), col(Team.id))
        ).all()
    )


def action_titles(session: Session, ids: Collection[int]) -> dict[int, str]:
    """Titles of these actions, in one query."""
    if not ids:
        return {}
    rows = session.exec(select(Action.id, Action.title).where(col(Action.id).in_(sorted(ids))))
    return {action_id: title for action_id, title in rows if action_id is not None}


def comment_counts(session: Session, ids: Collection[int]) -> dict[int, int]:
    """How many reacties each of these actions has, in one query."""
    if not ids:
        return {}
    rows = session.exec(
        select(Comment.action_id, func.count())
        .where(col(Comment.action_id).in_(sorted(ids)))
        .group_by(col(Comment.action_id))
    )
    return {action_id: number for action_id, number in rows}
