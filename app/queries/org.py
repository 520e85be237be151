"""Read models of the organisation: teams as a tree, members."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, or_
from sqlmodel import Session, col, select

from app.domain.permissions import SEATED_ROLES
from app.models import Membership, Team, User


def members(session: Session, *, team_id: int) -> list[tuple[Membership, User]]:
    return list(
        session.exec(
            select(Membership, User)
            .join(User, col(User.id) == Membership.user_id)
            .where(Membership.team_id == team_id)
            .order_by(col(User.name), col(User.id))
        ).all()
    )


def teams_by_id(session: Session) -> dict[int, Team]:
    return {team.id: team for team in session.exec(select(Team)) if team.id is not None}


@dataclass
class TeamNode:
    team: Team
    member_count: int = 0
    children: list[TeamNode] = field(default_factory=list)


def team_tree(teams: list[Team], member_counts: Mapping[int, int] | None = None) -> list[TeamNode]:
    """Teams nested under their team of teams, each level by name; a team whose parent is
    missing becomes a root."""
    counts = member_counts or {}
    nodes = {team.id: TeamNode(team, counts.get(team.id or 0, 0)) for team in teams}
    roots: list[TeamNode] = []
    for team in sorted(teams, key=lambda t: (t.name.casefold(), t.id or 0)):
        node = nodes[team.id]
        parent = nodes.get(team.parent_id) if team.parent_id is not None else None
        (parent.children if parent is not None else roots).append(node)
    return roots


def board_members(team_id: int) -> Select[Any]:
    """Who counts as a member of a team's board: its own members and the representatives and
    deputies of its child teams (the same rule as Access.board_teams, seen from the team), as a
    subquery."""
    child_teams = select(Team.id).where(Team.parent_id == team_id)
    return select(Membership.user_id).where(  # type: ignore[return-value]
        or_(
            col(Membership.team_id) == team_id,
            col(Membership.team_id).in_(child_teams)
            & col(Membership.role).in_(sorted(SEATED_ROLES)),
        )
    )


def board_member_ids(session: Session, *, team_id: int) -> set[int]:
    return set(session.scalars(board_members(team_id)))
