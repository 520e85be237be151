"""A small organisation to test against: one team of teams, two teams, one person per role."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Engine
from sqlmodel import Session

from app.db import writer
from app.domain.permissions import Access
from app.models import Role, Sprint, Team, TeamCreate, User, UserCreate
from app.services import auth, org, sprints
from app.services.access import access_for

PASSWORD = "correct horse battery staple"


@dataclass
class World:
    engine: Engine
    today: date
    team_of_teams: Team
    team: Team  # the team the people below belong to
    other_team: Team  # a sibling team under the same team of teams
    sprint: Sprint
    users: dict[str, User] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)

    def headers(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def access(self, who: str) -> Access:
        with Session(self.engine) as session:
            return access_for(session, self.users[who])

    @property
    def ids(self) -> dict[str, int]:
        return {name: user.id for name, user in self.users.items()}  # type: ignore[misc]


ROLES = ("outsider", "member", "representative", "lead", "admin")


def build_world(engine: Engine, *, today: date) -> World:
    """Admin, a lead, a representative and a member of `team`, an outsider in `other_team`."""
    with Session(writer(engine), expire_on_commit=False) as session:
        admin = org.create_user(
            session=session,
            actor=None,
            data=UserCreate(
                email="admin@example.org", name="Ada Beheer", is_admin=True, password=PASSWORD
            ),
        ).user
        root = access_for(session, admin)
        team_of_teams = org.create_team(
            session=session, actor=root, data=TeamCreate(name="Team van teams")
        )
        team = org.create_team(
            session=session, actor=root, data=TeamCreate(name="Jeugd", parent_id=team_of_teams.id)
        )
        other_team = org.create_team(
            session=session, actor=root, data=TeamCreate(name="Werk", parent_id=team_of_teams.id)
        )
        users = {"admin": admin}
        for name, role, in_team in (
            ("member", Role.member, team),
            ("representative", Role.representative, team),
            ("lead", Role.lead, team),
            ("outsider", Role.member, other_team),
        ):
            user = org.create_user(
                session=session,
                actor=root,
                data=UserCreate(email=f"{name}@example.org", name=name.title(), password=PASSWORD),
            ).user
            assert in_team.id is not None and user.id is not None
            org.put_member(
                session=session, actor=root, team_id=in_team.id, user_id=user.id, role=role
            )
            users[name] = user
        sprint = sprints.ensure_current(session=session, today=today)
        tokens = {
            name: auth.create_token(session=session, user=user, name="test", actor_id=None)
            for name, user in users.items()
        }
        return World(
            engine=engine,
            today=today,
            team_of_teams=team_of_teams,
            team=team,
            other_team=other_team,
            sprint=sprint,
            users=users,
            tokens=tokens,
        )
