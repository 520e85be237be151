"""Shared fixtures: an isolated database per test, on SQLite and (for API tests) PostgreSQL.

Building the schema and the builder's organisation for every test costs a few hundred
milliseconds of fsyncs; copying a finished SQLite file costs a few. The copy holds exactly
what `metadata.create_all` (and, for tests that ask for `world`, `build_world`) would make.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, event, text
from sqlmodel import Session

import app.models  # noqa: F401  (every table on the metadata)
from app.config import Settings, get_settings
from app.db import create_db_engine, metadata, writer
from app.models import Sprint, Team, User
from app.services import auth
from tests.support.builders import World, build_world

pytest_plugins = ["tests.postgres"]

# Most tests log in as an admin with a password and no second factor; the rule that such an
# admin must first set up two-factor (on by default) has its own tests, which switch it on
# (tests/web/test_two_factor_pages.py). Servers the tests start get it too
# (tests/support/server.py).
os.environ["VERBETERBORD_ADMIN_TWO_FACTOR_REQUIRED"] = "false"


# A Monday inside a sprint of the default cadence (anchor 2026-01-05, 14 days).
TODAY = date(2026, 11, 25)


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing() -> Iterator[None]:
    # argon2 with production cost makes hundreds of test users slow; the rules stay the same.
    original = auth._hasher
    auth._hasher = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    yield
    auth._hasher = original


@pytest.fixture
def settings(tmp_path, monkeypatch) -> Iterator[Settings]:
    monkeypatch.setenv("VERBETERBORD_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("VERBETERBORD_SECRET_KEY", "test-secret-key")
    monkeypatch.delenv("VERBETERBORD_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def postgres_schema_url(postgres_server: str) -> Iterator[str]:
    """One PostgreSQL database with the schema, emptied between tests."""
    from tests.postgres import create_database, drop_database

    url = create_database(postgres_server)
    engine = create_db_engine(Settings(), url=url)
    metadata.create_all(engine)
    engine.dispose()
    yield url
    drop_database(postgres_server, url.rsplit("/", 1)[-1])


@pytest.fixture
def postgres_engine(postgres_schema_url: str, settings: Settings) -> Iterator[Engine]:
    engine = create_db_engine(settings, url=postgres_schema_url)
    tables = ", ".join(f'"{table.name}"' for table in metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    yield engine
    engine.dispose()


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
)
def engine(request: pytest.FixtureRequest) -> Engine:
    """The API and service tests run once on SQLite and once on PostgreSQL."""
    name = "sqlite_engine" if request.param == "sqlite" else "postgres_engine"
    return request.getfixturevalue(name)  # type: ignore[no-any-return]


@pytest.fixture
def session(sqlite_engine: Engine) -> Iterator[Session]:
    """A write session on a fresh SQLite database, for service tests."""
    with Session(writer(sqlite_engine), expire_on_commit=False) as session:
        yield session


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


def _load_world(engine: Engine, ids: World) -> World:
    """The builder's organisation, loaded from this test's own copy."""
    with Session(engine, expire_on_commit=False) as session:
        return World(
            engine=engine,
            today=ids.today,
            team_of_teams=session.get_one(Team, ids.team_of_teams.id),
            team=session.get_one(Team, ids.team.id),
            other_team=session.get_one(Team, ids.other_team.id),
            sprint=session.get_one(Sprint, ids.sprint.id),
            users={name: session.get_one(User, user.id) for name, user in ids.users.items()},
            tokens=dict(ids.tokens),
        )


@pytest.fixture
def world(request: pytest.FixtureRequest, _templates: Templates) -> World:
    """The builder's organisation on the test's database: copied from a template on SQLite,
    built anew on PostgreSQL."""
    name = "engine" if "engine" in request.fixturenames else "sqlite_engine"
    engine: Engine = request.getfixturevalue(name)
    if engine.dialect.name == "sqlite":
        return _load_world(engine, _templates.world_ids)
    return build_world(engine, today=TODAY)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Under pytest-xdist (`make test` runs `--dist loadgroup`) a group's tests go to one worker.
    # The browser tests share one server and one Chromium, the concurrency tests one server
    # process: grouped, each is started once. Run serially the browser tests come last, so that
    # Chromium starts once (tests/browser/conftest.py); the order is otherwise kept.
    for item in items:
        if item.get_closest_marker("browser") is not None:
            item.add_marker(pytest.mark.xdist_group("browser"))
        elif "live_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.xdist_group("live-server"))
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
