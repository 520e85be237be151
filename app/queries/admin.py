"""Read models for the admin and profile pages, each in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.models import (
    OPEN_STATUSES,
    Action,
    ApiToken,
    Location,
    Membership,
    Role,
    Sprint,
    Team,
    User,
)


def locations(session: Session) -> list[Location]:
    return list(session.exec(select(Location).order_by(col(Location.name))).all())


def users_with_locations(session: Session) -> list[tuple[User, Location | None]]:
    """Every staff member with their home location, by name."""
    return list(
        session.exec(
            select(User, Location)
            .outerjoin(Location, col(Location.id) == User.location_id)
            .order_by(col(User.name), col(User.id))
        ).all()
    )


def active_users(session: Session) -> list[User]:
    return list(
        session.exec(
            select(User).where(col(User.is_active).is_(True)).order_by(col(User.name), col(User.id))
        ).all()
    )


def teams(session: Session) -> list[Team]:
    return list(session.exec(select(Team).order_by(col(Team.name), col(Team.id))).all())


@dataclass
class TeamNode:
    team: Team
    member_count: int
    children: list[TeamNode] = field(default_factory=list)


def team_tree(session: Session) -> list[TeamNode]:
    """The teams as a forest: every team of teams with its child teams beneath it, by name."""
    counts: dict[int | None, int] = dict(
        session.exec(
            select(Membership.team_id, func.count()).group_by(col(Membership.team_id))
        ).all()
    )
    all_teams = teams(session)
    nodes = {
        team.id: TeamNode(team=team, member_count=counts.get(team.id, 0)) for team in all_teams
    }
    roots: list[TeamNode] = []
    for team in all_teams:
        node = nodes[team.id]
        parent = nodes.get(team.parent_id) if team.parent_id is not None else None
        (parent.children if parent is not None else roots).append(node)
    return roots


def sprints_newest_first(session: Session) -> list[Sprint]:
    return list(session.exec(select(Sprint).order_by(col(Sprint.start_date).desc())).all())


def open_action_count(session: Session, *, sprint_id: int) -> int:
    """How many actions closing this sprint would carry over."""
    return session.exec(
        select(func.count()).where(
            Action.sprint_id == sprint_id, col(Action.status).in_(OPEN_STATUSES)
        )
    ).one()


def tokens_of(session: Session, *, user_id: int) -> list[ApiToken]:
    """A user's own API tokens, newest first."""
    return list(
        session.exec(
            select(ApiToken)
            .where(ApiToken.user_id == user_id)
            .order_by(col(ApiToken.created_at).desc(), col(ApiToken.id).desc())
        ).all()
    )


def teams_by_id(session: Session, team_ids: list[int]) -> list[Team]:
    if not team_ids:
        return []
    return list(
        session.exec(select(Team).where(col(Team.id).in_(team_ids)).order_by(col(Team.name))).all()
    )


def team_members(session: Session, *, team_id: int) -> list[tuple[Membership, User]]:
    """A team's own members, by name."""
    return list(
        session.exec(
            select(Membership, User)
            .join(User, col(User.id) == Membership.user_id)
            .where(Membership.team_id == team_id)
            .order_by(col(User.name), col(User.id))
        ).all()
    )


def represented_members(session: Session, *, team_id: int) -> list[tuple[User, Team]]:
    """The representatives of a team of teams' child teams, who are members by that role."""
    return list(
        session.exec(
            select(User, Team)
            .join(Membership, col(Membership.user_id) == User.id)
            .join(Team, col(Team.id) == Membership.team_id)
            .where(Team.parent_id == team_id, Membership.role == Role.representative)
            .order_by(col(Team.name), col(User.name))
        ).all()
    )
