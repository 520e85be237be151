"""The demo organisation (content in app/demo/content.py), seeded through the services so every
board, dashboard and history page has something real to show.

`seed_demo` is idempotent: on an empty database it builds the organisation; when the demo
organisation is already there it changes nothing else. Either way it gives four demo people (a
team member, a representative, the department head and the admin) a fresh password, so
`make run` always prints logins that work and no password stays the same between runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from app.db import writer
from app.demo.common import DEMO_ADMIN_EMAIL, DEMO_ADMIN_NAME, new_password
from app.demo.large import LargeScale, seed_large
from app.demo.small import SmallDemo
from app.models import (
    Action,
    Ambition,
    Location,
    Membership,
    Role,
    Sprint,
    Team,
    User,
    UserCreate,
)
from app.services import org


class DemoRefused(Exception):
    """The database already holds another organisation; the demo would mix into it."""


@dataclass(frozen=True)
class DemoLogin:
    role: str  # as on screen: teamlid, vertegenwoordiger, afdelingshoofd, beheerder
    email: str
    password: str


@dataclass(frozen=True)
class DemoResult:
    logins: list[DemoLogin]
    seeded: bool  # False: the demo organisation existed and only the passwords were renewed
    counts: dict[str, int] = field(default_factory=dict)
    shared_password: str | None = None  # large scale: the password every other demo user has


@contextmanager
def one_transaction(engine: Engine) -> Iterator[Session]:
    """A session in which every service's commit is only a savepoint of one outer transaction,
    so the demo is written completely or not at all."""
    with writer(engine).connect() as connection:
        transaction = connection.begin()
        session = Session(
            bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
        )
        try:
            yield session
            session.close()
            transaction.commit()
        except BaseException:
            session.close()
            transaction.rollback()
            raise


def seed_demo(
    *,
    engine: Engine,
    today: date,
    scale: Literal["small", "large"] = "small",
    size: LargeScale | None = None,
) -> DemoResult:
    """Seed the demo organisation on an empty database; either way renew the demo logins.

    Raises DemoRefused when the database holds users but no demo admin. size sets the large
    scale's dimensions (the benchmark size by default).
    """
    with one_transaction(engine) as session:
        admin = session.exec(select(User).where(User.email == DEMO_ADMIN_EMAIL)).first()
        if admin is not None:
            return DemoResult(logins=renew_logins(session), seeded=False)
        if session.exec(select(User.id)).first() is not None:
            raise DemoRefused(
                "Deze database bevat al medewerkers, maar geen demo-organisatie. "
                "De demo wordt alleen in een lege database aangemaakt."
            )
        created = org.create_user(
            session=session,
            actor=None,
            data=UserCreate(email=DEMO_ADMIN_EMAIL, name=DEMO_ADMIN_NAME, is_admin=True),
        )
        shared_password = None
        if scale == "large":
            shared_password = seed_large(
                session, admin=created.user, today=today, size=size or LargeScale()
            )
        else:
            SmallDemo(session, admin=created.user, today=today).seed()
        return DemoResult(
            logins=renew_logins(session),
            seeded=True,
            counts=counts(session),
            shared_password=shared_password,
        )


def renew_logins(session: Session) -> list[DemoLogin]:
    """Give the people `make run` shows how to log in as a fresh password each."""
    logins = []
    for role, user in login_people(session):
        password = new_password(user)
        org.set_password(session=session, actor_id=None, user=user, password=password)
        logins.append(DemoLogin(role=role, email=user.email, password=password))
    return logins


def login_people(session: Session) -> list[tuple[str, User]]:
    """One person for each kind of use, found by role so both scales have them: the first
    member and the representative of the first team without teams below it, the lead of the
    team at the top (the department head) and the demo admin."""
    teams = session.exec(select(Team).order_by(col(Team.id))).all()
    parents = {team.parent_id for team in teams}
    top = next(team.id for team in teams if team.parent_id is None)
    first = next(team.id for team in teams if team.id not in parents)
    wanted = (
        ("teamlid", first, Role.member),
        ("vertegenwoordiger", first, Role.representative),
        ("afdelingshoofd", top, Role.lead),
    )
    people = []
    for role, team_id, team_role in wanted:
        user = session.exec(
            select(User)
            .join(Membership, col(Membership.user_id) == User.id)
            .where(Membership.team_id == team_id, Membership.role == team_role)
            .order_by(col(Membership.id))
        ).first()
        if user is not None:
            people.append((role, user))
    admin = session.exec(select(User).where(User.email == DEMO_ADMIN_EMAIL)).one()
    return [*people, ("beheerder", admin)]


def counts(session: Session) -> dict[str, int]:
    """How much the organisation holds, for the command line's summary."""
    tables: dict[str, type] = {
        "locations": Location,
        "users": User,
        "teams": Team,
        "ambitions": Ambition,
        "sprints": Sprint,
        "actions": Action,
    }
    return {
        name: session.exec(select(func.count()).select_from(model)).one()
        for name, model in tables.items()
    }
