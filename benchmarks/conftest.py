"""A board with many actions on a migrated SQLite file, and a client for it.

Kept apart from tests/ (pytest's testpaths): `make bench` runs these with --benchmark-only.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, insert
from sqlmodel import Session

from app import deps
from app.config import Settings
from app.db import create_db_engine, writer
from app.main import create_app
from app.migrate import migrate_to_head
from app.models import Action, ActionStatus, Comment, Escalation, utcnow
from app.services import auth
from tests.conftest import TODAY
from tests.support.builders import World, build_world

ACTIONS_ON_THE_BOARD = 400
ACTIONS_PER_CHILD_TEAM = 150


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing() -> Iterator[None]:
    original = auth._hasher
    auth._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    auth._hasher = original


def bulk_actions(engine: Engine, world: World, team_id: int, owners: list[int], n: int) -> None:
    """n actions spread over the four columns, inserted in one statement."""
    rng = random.Random(team_id)  # noqa: S311  (made-up data, the same every run)
    now = utcnow()
    statuses = list(ActionStatus)
    rows = []
    for i in range(n):
        status = statuses[i % len(statuses)]
        rows.append(
            {
                "title": f"Actie {i} van team {team_id}",
                "description": "Iets wat we deze twee weken doen. " * rng.randint(0, 8),
                "team_id": team_id,
                "owner_id": rng.choice(owners),
                "sprint_id": world.sprint.id,
                "status": status,
                "blocked_reason": "wacht op een besluit"
                if status == ActionStatus.blocked
                else None,
                "due_date": world.today + timedelta(days=rng.randint(0, 13)),
                "position": i // len(statuses),
                "carried_over": rng.choice((0, 0, 0, 1, 2)),
                "version": 1,
                "created_at": now,
                "updated_at": now,
                "created_by_id": owners[0],
            }
        )
    with Session(writer(engine)) as session:
        session.execute(insert(Action), rows)
        session.commit()


@dataclass
class Bench:
    engine: Engine
    world: World
    client: TestClient

    def count_statements(self, call: Callable[[], object]) -> int:
        """How many SQL statements one call of call() sends to the database."""
        statements = 0

        def count(*_: object) -> None:
            nonlocal statements
            statements += 1

        event.listen(self.engine, "before_cursor_execute", count)
        try:
            call()
        finally:
            event.remove(self.engine, "before_cursor_execute", count)
        return statements


@pytest.fixture(scope="session")
def bench(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Bench]:
    folder: Path = tmp_path_factory.mktemp("bench")
    settings = Settings(data_dir=folder, secret_key="bench-secret-key")  # noqa: S106
    migrate_to_head(settings.resolved_database_url)
    engine = create_db_engine(settings)
    world = build_world(engine, today=TODAY)
    ids = world.ids
    team_owners = [ids["member"], ids["representative"], ids["lead"]]
    assert world.team.id and world.other_team.id and world.team_of_teams.id
    bulk_actions(engine, world, world.team.id, team_owners, ACTIONS_ON_THE_BOARD)
    bulk_actions(engine, world, world.other_team.id, [ids["outsider"]], ACTIONS_PER_CHILD_TEAM)
    with Session(writer(engine)) as session:
        for n in range(20):
            session.add(
                Escalation(
                    from_team_id=world.team.id,
                    to_team_id=world.team_of_teams.id,
                    note=f"Knelpunt {n}",
                    raised_by_id=ids["representative"],
                )
            )
            session.add(Comment(action_id=n + 1, author_id=ids["lead"], body="Goed bezig"))
        session.commit()

    app = create_app(settings, engine=engine)
    app.dependency_overrides[deps.get_today] = lambda: TODAY
    with TestClient(app) as client:
        yield Bench(engine=engine, world=world, client=client)
    engine.dispose()
