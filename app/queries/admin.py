"""Read models for the admin and profile pages, each in a fixed number of queries."""

from __future__ import annotations

from sqlalchemy import case, func
from sqlmodel import Session, col, select

from app.domain.permissions import SEATED_ROLES
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
from app.queries import org
from app.queries.common import teams_named
from app.queries.org import TeamNode


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


def team_tree(session: Session) -> list[TeamNode]:
    """The teams as a forest, each with its number of members, in two queries."""
    counts = session.exec(
        select(Membership.team_id, func.count()).group_by(col(Membership.team_id))
    ).all()
    return org.team_tree(teams(session), dict(counts))


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
    """These teams, by name."""
    return sorted(teams_named(session, team_ids).values(), key=lambda team: team.name)


team_members = org.members


def represented_members(session: Session, *, team_id: int) -> list[tuple[User, Team, Role]]:
    """The representatives and deputies of a team of teams' child teams, who are members by
    that role: each with the child team and their role there, by team, representative first."""
    rows = session.exec(
        select(User, Team, Membership.role)
        .join(Membership, col(Membership.user_id) == User.id)
        .join(Team, col(Team.id) == Membership.team_id)
        .where(Team.parent_id == team_id, col(Membership.role).in_(sorted(SEATED_ROLES)))
        .order_by(
            col(Team.name),
            case((col(Membership.role) == Role.representative, 0), else_=1),
            col(User.name),
        )
    ).all()
    return [(user, team, Role(role)) for user, team, role in rows]
