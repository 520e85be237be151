"""The demo organisation (content in app/demo/content.py), seeded through the services so every
board, dashboard and history page has something real to show.

`seed_demo` is idempotent: on an empty database it builds the organisation; when the demo
organisation is already there it only gives the demo admin a fresh password, so `make run`
always prints credentials that work.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from sqlalchemy import Engine, func
from sqlmodel import Session, select

from app.db import writer
from app.demo.common import DEMO_ADMIN_EMAIL, DEMO_ADMIN_NAME, new_password
from app.demo.large import LargeScale, seed_large
from app.demo.small import SmallDemo
from app.models import (
    Action,
    Ambition,
    Location,
    Sprint,
    Team,
    User,
    UserCreate,
)
from app.services import org


class DemoRefused(Exception):
    """The database already holds another organisation; the demo would mix into it."""


@dataclass(frozen=True)
class DemoResult:
    email: str
    password: str
    seeded: bool  # False: the demo organisation existed and only the password was renewed
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
    """Seed the demo organisation on an empty database, or renew the demo admin's password.

    Raises DemoRefused when the database holds users but no demo admin. size sets the large
    scale's dimensions (the benchmark size by default).
    """
    with one_transaction(engine) as session:
        admin = session.exec(select(User).where(User.email == DEMO_ADMIN_EMAIL)).first()
        if admin is not None:
            password = new_password(admin)
            org.set_password(session=session, actor_id=None, user=admin, password=password)
            return DemoResult(email=admin.email, password=password, seeded=False)
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
        assert created.generated_password is not None
        shared_password = None
        if scale == "large":
            shared_password = seed_large(
                session, admin=created.user, today=today, size=size or LargeScale()
            )
        else:
            SmallDemo(session, admin=created.user, today=today).seed()
        return DemoResult(
            email=created.user.email,
            password=created.generated_password,
            seeded=True,
            counts=counts(session),
            shared_password=shared_password,
        )


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
