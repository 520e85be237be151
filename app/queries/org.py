"""Read models of the organisation: teams as a tree, members."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session, col, select

from app.models import (
    Membership,
    Team,
    User,
)


def members(session: Session, *, team_id: int) -> list[tuple[Membership, User]]:
    return list(
        session.exec(
            select(Membership, User)
            .join(User, col(User.id) == Membership.user_id)
            .where(Membership.team_id == team_id)
            .order_by(col(User.name))
        ).all()
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
