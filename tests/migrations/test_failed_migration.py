"""A migration that fails halfway leaves the schema, the rows and the Alembic version as they
were, on SQLite and on PostgreSQL: the whole upgrade is one transaction (migrations/env.py).

Each test copies migrations/ and adds a test-only step after head that first changes things
(creates a table, adds a column, rebuilds a table, updates rows) and then fails."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from tests.migrations.test_migrations import (
    alembic_config,
    plain_engine,
    seed,
    snapshot,
    with_extra_step,
)

FAILING_REVISION = "zz_test_fails_halfway"

# the changes made before the failure; on SQLite the `action` table is rebuilt (copy, drop,
# rename), the way a batch migration that alters a column does it
CHANGES = """
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.create_table(
        "scratch",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("note", sa.String(50)),
    )
    op.execute("INSERT INTO scratch (id, note) VALUES (1, 'half af')")
    with op.batch_alter_table("team") as batch_op:
        batch_op.add_column(sa.Column("scratch_note", sa.String(50), nullable=True))
    with op.batch_alter_table("action", recreate="always" if sqlite else "auto") as batch_op:
        batch_op.add_column(sa.Column("scratch_flag", sa.Integer(), nullable=True))
    op.execute("UPDATE team SET name = 'Overschreven'")
    op.create_index("ix_scratch_note", "scratch", ["note"])
"""

FAILURES = {
    "an exception": 'raise RuntimeError("deliberately failing migration")',
    "invalid SQL": 'op.execute("INSERT INTO no_such_table (x) VALUES (1)")',
}


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'failing.db'}"
    return request.getfixturevalue("postgres_url")  # type: ignore[no-any-return]


def failing_config(url: str, folder: Path, failure: str) -> Config:
    return with_extra_step(
        url,
        folder,
        FAILING_REVISION,
        upgrade=textwrap.dedent(CHANGES) + failure + "\n",
        downgrade="pass",
    )


Schema = dict[str, dict[str, Any]]


def schema(url: str) -> Schema:
    """Tables with their columns, indexes, foreign keys and unique constraints."""
    engine = plain_engine(url)
    try:
        inspector = inspect(engine)
        return {
            table: {
                "columns": [
                    (c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)
                ],
                "indexes": sorted(
                    (i["name"] or "", tuple(i["column_names"]))
                    for i in inspector.get_indexes(table)
                ),
                "foreign_keys": sorted(
                    (fk["name"] or "", tuple(fk["constrained_columns"]), fk["referred_table"])
                    for fk in inspector.get_foreign_keys(table)
                ),
                "unique": sorted(
                    (u["name"] or "", tuple(u["column_names"]))
                    for u in inspector.get_unique_constraints(table)
                ),
            }
            for table in sorted(inspector.get_table_names())
        }
    finally:
        engine.dispose()


def version(url: str) -> str | None:
    engine = plain_engine(url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def test_a_step_that_fails_halfway_leaves_schema_rows_and_version_as_they_were(
    database_url: str, tmp_path: Path
) -> None:
    """The step's changes are made, then its invalid SQL fails: all of them are undone."""
    command.upgrade(alembic_config(database_url), "head")
    seed(database_url)
    head = version(database_url)
    schema_before, rows_before = schema(database_url), snapshot(database_url)
    assert "alembic_version" in schema_before

    with pytest.raises(Exception, match="no_such_table"):
        command.upgrade(failing_config(database_url, tmp_path, FAILURES["invalid SQL"]), "head")

    assert version(database_url) == head
    assert schema(database_url) == schema_before
    assert "scratch" not in schema(database_url)
    assert snapshot(database_url) == rows_before


def test_a_failure_in_the_last_of_several_steps_undoes_the_earlier_steps_too(
    database_url: str, tmp_path: Path
) -> None:
    """From one revision behind, `upgrade head` runs the repository's newest step and then the
    failing one (an exception this time): both are undone, the version stays one behind."""
    config = failing_config(database_url, tmp_path, FAILURES["an exception"])
    scripts = ScriptDirectory.from_config(config)
    real_head = scripts.get_revision(FAILING_REVISION).down_revision
    previous = scripts.get_revision(real_head).down_revision
    assert isinstance(real_head, str) and isinstance(previous, str)
    command.upgrade(alembic_config(database_url), previous)
    schema_before = schema(database_url)

    with pytest.raises(RuntimeError, match="deliberately failing"):
        command.upgrade(config, "head")

    assert version(database_url) == previous
    assert schema(database_url) == schema_before
    # and the repository's own migrations still go up from there
    command.upgrade(alembic_config(database_url), "head")
    assert version(database_url) == real_head
