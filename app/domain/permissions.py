"""Who may do what (DESIGN.md, "Who may do what"), as pure functions over one actor's roles."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from app.domain.teams import Parents
from app.models.common import Role

# The roles that give a seat in the team of teams above the team: the representative and the
# deputy (plaatsvervangend vertegenwoordiger), who sits there when the representative cannot.
SEATED_ROLES = frozenset({Role.representative, Role.deputy})


@dataclass(frozen=True)
class Access:
    """What one user holds: admin flag and their role per team, with the tree above those teams."""

    user_id: int
    is_admin: bool
    roles: Mapping[int, Role] = field(default_factory=dict)
    parents: Parents = field(default_factory=dict)

    def board_teams(self) -> frozenset[int]:
        """Teams whose board this user writes on: their own, and for a representative or deputy
        the team of teams above it."""
        teams = set(self.roles)
        for team_id, role in self.roles.items():
            parent = self.parents.get(team_id)
            if role in SEATED_ROLES and parent is not None:
                teams.add(parent)
        return frozenset(teams)

    def represents_in(self, team_id: int) -> list[int]:
        """The child teams through which this user sits in the team of teams team_id, as their
        representative or deputy."""
        return [
            child
            for child, role in self.roles.items()
            if role in SEATED_ROLES and self.parents.get(child) == team_id
        ]

    def can_write_board(self, team_id: int) -> bool:
        """Create, edit, move, delete and comment on actions, escalate from, resolve escalations
        sent to, this team."""
        return self.is_admin or team_id in self.board_teams()

    def can_delete_action(
        self, *, team_id: int, owner_id: int | None, created_by_id: int | None
    ) -> bool:
        """An action is deleted by its owner, its creator or a lead of its team (and admins);
        owner and creator only while they write on its board. Other team members don't."""
        if self.is_admin or self.roles.get(team_id) == Role.lead:
            return True
        return self.can_write_board(team_id) and self.user_id in (owner_id, created_by_id)

    def is_member_of(self, team_id: int) -> bool:
        return team_id in self.board_teams()

    def can_manage_members(self, team_id: int) -> bool:
        return self.is_admin or self.roles.get(team_id) == Role.lead

    def can_edit_ambition(self, owner_team_id: int | None) -> bool:
        if self.is_admin:
            return True
        return owner_team_id is not None and self.roles.get(owner_team_id) == Role.lead

    def can_administer(self) -> bool:
        """Locations, users, teams and sprints."""
        return self.is_admin
