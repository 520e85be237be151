"""Service tests: a fresh SQLite database per test, copied from a template built once.

Building the schema and the builder's organisation for every test costs a few hundred
milliseconds of fsyncs; copying a finished file costs a few. The copy holds exactly what
`metadata.create_all` (and, for tests that ask for `world`, `build_world`) would have made.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event
from sqlmodel import Session

from app.config import Settings, get_settings
from app.db import create_db_engine, metadata
from app.models import Sprint, Team, User
from tests.builders import World, build_world
from tests.conftest import TODAY


@dataclass(frozen=True)
class Templates:
    schema: Path
    world: Path
    world_ids: World  # ids and tokens only; its ORM objects belong to the template's session


def _copy(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def _no_fsync(dbapi_connection: Any, _record: Any) -> None:
    # runs after the engine's own pragmas; a test database need not survive a power cut
    dbapi_connection.execute("PRAGMA synchronous=OFF")


@pytest.fixture(scope="session")
def _templates(tmp_path_factory: pytest.TempPathFactory, _fast_password_hashing) -> Templates:
    folder = tmp_path_factory.mktemp("templates")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("VERBETERBORD_DATA_DIR", str(folder))
        env.setenv("VERBETERBORD_SECRET_KEY", "test-secret-key")
        env.delenv("VERBETERBORD_DATABASE_URL", raising=False)
        get_settings.cache_clear()
        paths = {}
        world = None
        for name in ("schema", "world"):
            settings = Settings(data_dir=folder / name)
            engine = create_db_engine(settings)
            event.listen(engine, "connect", _no_fsync)
            metadata.create_all(engine)
            if name == "world":
                world = build_world(engine, today=TODAY)
            engine.dispose()
            paths[name] = folder / name / "verbeterbord.db"
        get_settings.cache_clear()
    assert world is not None
    return Templates(schema=paths["schema"], world=paths["world"], world_ids=world)


@pytest.fixture
def sqlite_engine(
    settings: Settings, request: pytest.FixtureRequest, _templates: Templates
) -> Iterator[Engine]:
    """The root fixture's fresh database, with the organisation already in it when the test
    asks for `world`."""
    source = _templates.world if "world" in request.fixturenames else _templates.schema
    _copy(source, settings.data_dir / "verbeterbord.db")
    engine = create_db_engine(settings)
    event.listen(engine, "connect", _no_fsync)
    yield engine
    engine.dispose()


@pytest.fixture
def world(sqlite_engine: Engine, _templates: Templates) -> World:
    """The builder's organisation, loaded from this test's own copy."""
    ids = _templates.world_ids
    with Session(sqlite_engine, expire_on_commit=False) as session:
        return World(
            engine=sqlite_engine,
            today=ids.today,
            team_of_teams=session.get_one(Team, ids.team_of_teams.id),
            team=session.get_one(Team, ids.team.id),
            other_team=session.get_one(Team, ids.other_team.id),
            sprint=session.get_one(Sprint, ids.sprint.id),
            users={name: session.get_one(User, user.id) for name, user in ids.users.items()},
            tokens=dict(ids.tokens),
        )
