"""Shared fixtures: an isolated database per test, on SQLite and (for API tests) PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Engine, text
from sqlmodel import Session

import app.models  # noqa: F401  (every table on the metadata)
from app.config import Settings, get_settings
from app.db import create_db_engine, metadata, writer
from app.services import auth

pytest_plugins = ["tests.postgres"]

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


@pytest.fixture
def sqlite_engine(settings: Settings) -> Iterator[Engine]:
    engine = create_db_engine(settings)
    metadata.create_all(engine)
    yield engine
    engine.dispose()


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
