"""A real server process (tests/support/server.py) on a migrated, seeded SQLite file, shared by
these tests."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import pytest
from sqlmodel import Session

from app import clock
from app.config import Settings
from app.db import create_db_engine, writer
from app.models import Role, UserCreate
from app.services import auth, org
from app.services.access import access_for
from tests.support.builders import World, build_world
from tests.support.server import ServerProcess, migrated_data_dir, serve

SECRET_KEY = "concurrency-test-secret-key"
EXTRA_MEMBERS = 7  # with the builder's member, representative and lead: 10 writers


@dataclass
class LiveServer:
    server: ServerProcess
    database_url: str
    world: World
    writers: list[str]  # names in world.tokens of users who may write on world.team's board

    @property
    def url(self) -> str:
        return self.server.url

    def client(self, who: str = "member", timeout: httpx.Timeout | None = None) -> httpx.Client:
        return httpx.Client(
            base_url=self.url,
            headers=self.world.headers(who),
            timeout=timeout or httpx.Timeout(10.0),
        )

    def log_tail(self) -> str:
        return self.server.log_tail()


def seed(database_url: str) -> tuple[World, list[str]]:
    """The builder's organisation on the server's clock, plus more members for `team`."""
    engine = create_db_engine(Settings(), url=database_url)
    try:
        world = build_world(engine, today=clock.today())
        writers = ["member", "representative", "lead"]
        with Session(writer(engine), expire_on_commit=False) as session:
            admin = access_for(session, world.users["admin"])
            for n in range(EXTRA_MEMBERS):
                name = f"extra{n}"
                user = org.create_user(
                    session=session,
                    actor=admin,
                    data=UserCreate(email=f"{name}@example.org", name=f"Extra {n}"),
                ).user
                assert world.team.id is not None and user.id is not None
                org.put_member(
                    session=session,
                    actor=admin,
                    team_id=world.team.id,
                    user_id=user.id,
                    role=Role.member,
                )
                world.users[name] = user
                world.tokens[name] = auth.create_token(
                    session=session, user=user, name="test", actor_id=None
                )
                writers.append(name)
        return world, writers
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    data_dir, database_url = migrated_data_dir(tmp_path_factory, "live-server")
    world, writers = seed(database_url)
    with serve(data_dir, secret_key=SECRET_KEY) as server:
        yield LiveServer(server=server, database_url=database_url, world=world, writers=writers)
