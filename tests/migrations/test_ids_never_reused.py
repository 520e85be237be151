"""Migration 0004 rebuilds SQLite's tables with AUTOINCREMENT: each counter starts after the
largest id the table or its history has held, and downgrading takes AUTOINCREMENT away again."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command

from tests.migrations.test_migrations import alembic_config, seed

BEFORE = "0003"
AFTER = "0004"


def schema_of(path: Path, table: str) -> str:
    with sqlite3.connect(path) as connection:
        (sql,) = connection.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table,)
        ).fetchone()
    return str(sql)


def test_after_the_migration_a_new_row_never_takes_an_id_the_table_or_its_history_held(
    tmp_path: Path,
) -> None:
    path = tmp_path / "ids.db"
    config = alembic_config(f"sqlite:///{path}")
    # seeded through today's models, then taken back to the schema before the step
    command.upgrade(config, "head")
    seed(f"sqlite:///{path}")
    command.downgrade(config, BEFORE)
    with sqlite3.connect(path) as connection:
        # the newest action was deleted before the migration: only its history names its id
        (newest,) = connection.execute("SELECT max(id) FROM action").fetchone()
        connection.execute("DELETE FROM escalation")
        connection.execute("DELETE FROM comment")
        connection.execute("DELETE FROM action WHERE id = ?", (newest,))
        connection.execute(
            "INSERT INTO audit_event (occurred_at, entity, entity_id, verb, changes)"
            " VALUES ('2026-11-30 10:00:00', 'action', ?, 'deleted', '{}')",
            (newest,),
        )
        largest = {
            table: connection.execute(f'SELECT max(id) FROM "{table}"').fetchone()[0]
            for table in ("user", "team", "audit_event")
        }

    command.upgrade(config, AFTER)

    assert "CONSTRAINT pk_action PRIMARY KEY AUTOINCREMENT" in schema_of(path, "action")
    with sqlite3.connect(path) as connection:
        sequence = dict(connection.execute("SELECT name, seq FROM sqlite_sequence").fetchall())
        assert sequence["action"] == newest
        for table, largest_id in largest.items():
            assert sequence[table] == largest_id, table
        # a copy of an existing action, given a new id
        connection.execute("CREATE TEMP TABLE copy AS SELECT * FROM action LIMIT 1")
        connection.execute("UPDATE copy SET id = NULL")
        new_id = connection.execute("INSERT INTO action SELECT * FROM copy").lastrowid
    assert new_id == newest + 1

    command.downgrade(config, BEFORE)

    assert "AUTOINCREMENT" not in schema_of(path, "action")
    assert "CONSTRAINT pk_action PRIMARY KEY (id)" in schema_of(path, "action")
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT count(*) FROM sqlite_sequence").fetchone() == (0,)
