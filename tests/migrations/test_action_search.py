"""The search step (0005): it indexes the actions already there, builds exactly what create_all
builds, is left alone by autogenerate, and goes away on downgrade."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, create_engine, text

from app.db import include_in_autogenerate, metadata
from tests.migrations.test_migrations import alembic_config, seed

SEARCH_STEP = "0005"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'search.db'}"
    return request.getfixturevalue("postgres_url")  # type: ignore[no-any-return]


def search_objects(engine: Engine) -> list[tuple[str, str]]:
    """The search's tables, triggers and index as the database holds them."""
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            rows = connection.execute(
                text(
                    "SELECT name, sql FROM sqlite_master WHERE name LIKE 'action_search%' "
                    "AND sql IS NOT NULL ORDER BY name"
                )
            )
        else:
            rows = connection.execute(
                text(
                    "SELECT indexname, indexdef FROM pg_indexes "
                    "WHERE indexname = 'ix_action_search'"
                )
            )
        return [(name, " ".join(sql.split())) for name, sql in rows]


def found(engine: Engine, word: str) -> int:
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            query = "SELECT count(*) FROM action_search WHERE action_search MATCH :word"
        else:
            query = (
                "SELECT count(*) FROM action WHERE "
                "to_tsvector('dutch'::regconfig, (title || ' ') || description)"
                " @@ plainto_tsquery('dutch'::regconfig, :word)"
            )
        return int(connection.execute(text(query), {"word": word}).scalar_one())


def test_the_search_step_indexes_existing_actions_and_goes_away_on_downgrade(database_url: str):
    config = alembic_config(database_url)
    command.upgrade(config, "head")
    seed(database_url)  # actions "Actie 0" … "Actie 3", with Dutch text in the description
    engine = create_engine(database_url)
    try:
        made = search_objects(engine)
        assert made
        command.downgrade(config, f"{SEARCH_STEP}-1")
        assert search_objects(engine) == []
        command.upgrade(config, SEARCH_STEP)
        assert search_objects(engine) == made
        # the rebuild indexed the actions that were there before the step
        assert found(engine, "omschrijving") == 4
    finally:
        engine.dispose()


def test_the_migration_builds_what_create_all_builds(database_url: str, tmp_path: Path):
    command.upgrade(alembic_config(database_url), "head")
    migrated = create_engine(database_url)
    if database_url.startswith("sqlite"):
        fresh = create_engine(f"sqlite:///{tmp_path / 'fresh.db'}")
    else:
        fresh = migrated
    try:
        expected = search_objects(migrated)
        if fresh is migrated:
            with migrated.begin() as connection:
                metadata.drop_all(connection)
                metadata.create_all(connection)
        else:
            metadata.create_all(fresh)
        assert search_objects(fresh) == expected
    finally:
        migrated.dispose()
        fresh.dispose()


def test_autogenerate_leaves_the_search_alone(database_url: str):
    command.upgrade(alembic_config(database_url), "head")
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={"compare_type": True, "include_name": include_in_autogenerate},
            )
            assert list(compare_metadata(context, metadata)) == []
    finally:
        engine.dispose()
