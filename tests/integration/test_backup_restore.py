"""`verbeterbord backup` during writes and `verbeterbord restore`: a backup taken while writers
are busy restores into a database that passes the integrity and foreign-key checks and holds a
consistent prefix of the writes; restore refuses a live database without --force, a damaged
backup, and PostgreSQL."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine, event, text

from app.backup import BackupRefused, backup_database, restore_database
from app.cli import main
from app.config import Settings, get_settings
from app.db import create_db_engine, write_session
from app.migrate import head_revision, migrate_to_head
from tests.conftest import TODAY, _no_fsync
from tests.integration.service_helpers import new_action
from tests.support.builders import World, build_world

WRITERS = 3


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


@pytest.fixture
def database(settings: Settings) -> Iterator[Engine]:
    """The configured database, migrated (so it has an Alembic version) and with the builder's
    organisation in it."""
    migrate_to_head()
    engine = create_db_engine(settings)
    event.listen(engine, "connect", _no_fsync)
    yield engine
    engine.dispose()


@pytest.fixture
def world(database: Engine) -> World:
    return build_world(database, today=TODAY)


def database_path(settings: Settings) -> Path:
    return settings.data_dir / "verbeterbord.db"


def checks(path: Path) -> tuple[str, list[tuple[object, ...]]]:
    """(PRAGMA integrity_check, PRAGMA foreign_key_check) of a database file."""
    connection = sqlite3.connect(path)
    try:
        integrity = connection.execute("PRAGMA integrity_check").fetchone()[0]
        return str(integrity), connection.execute("PRAGMA foreign_key_check").fetchall()
    finally:
        connection.close()


def query(path: Path, sql: str) -> list[tuple[object, ...]]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def action_ids(path: Path) -> list[int]:
    return [int(row[0]) for row in query(path, "SELECT id FROM action ORDER BY id")]


def created_events(path: Path) -> set[int]:
    rows = query(path, "SELECT entity_id FROM audit_event WHERE entity='action' AND verb='created'")
    return {int(row[0]) for row in rows}


def emails(path: Path) -> list[str]:
    return [str(row[0]) for row in query(path, 'SELECT email FROM "user" ORDER BY email')]


# --- a backup during writes ------------------------------------------------------------------


def test_a_backup_taken_during_concurrent_writes_restores_a_consistent_prefix_of_them(
    world: World, settings: Settings, tmp_path: Path
) -> None:
    live = database_path(settings)
    stop = threading.Event()
    errors: list[Exception] = []
    written = [0] * WRITERS

    def write(n: int) -> None:
        try:
            while not stop.is_set():
                with write_session(world.engine) as session:
                    new_action(session, world, "member", title=f"Schrijver {n} actie {written[n]}")
                written[n] += 1
        except Exception as error:  # reported by the test below
            errors.append(error)

    threads = [threading.Thread(target=write, args=(n,), daemon=True) for n in range(WRITERS)]
    for thread in threads:
        thread.start()
    backups = []
    try:
        time.sleep(0.2)  # the writers are under way
        for n in range(3):
            target = tmp_path / f"kopie-{n}.db"
            backup_database(settings.resolved_database_url, target, timeout_s=5)
            backups.append(target)
            time.sleep(0.1)
    finally:
        stop.set()
        for thread in threads:
            thread.join(timeout=10)
    assert not errors, errors
    everything = action_ids(live)
    assert sum(written) == len(everything) and len(everything) > 0

    restored_settings = Settings(data_dir=tmp_path / "teruggezet")
    restored_path = restored_settings.data_dir / "verbeterbord.db"
    sizes = []
    for copy in backups:
        restore_database(restored_settings.resolved_database_url, copy, force=True)
        assert checks(restored_path) == ("ok", [])
        ids = action_ids(restored_path)
        # a snapshot: the actions committed before it (ids are handed out in commit order)...
        assert ids == everything[: len(ids)], copy.name
        # ...each with the history event written in the same transaction
        assert created_events(restored_path) == set(ids), copy.name
        sizes.append(len(ids))
    assert sizes == sorted(sizes)  # later backups hold at least as much
    assert sizes[-1] > 0


# --- restore through the command line -------------------------------------------------------


def test_restore_into_a_missing_database_creates_it_at_the_backed_up_revision(
    world: World, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    backup = tmp_path / "kopie.db"
    assert run("backup", str(backup)).exit_code == 0
    monkeypatch.setenv("VERBETERBORD_DATA_DIR", str(tmp_path / "nieuw"))
    get_settings.cache_clear()

    result = run("restore", str(backup))

    assert result.exit_code == 0, result.output
    assert "integriteitscontrole: ok" in result.output
    restored = tmp_path / "nieuw" / "verbeterbord.db"
    assert checks(restored) == ("ok", [])
    assert emails(restored) == emails(database_path(settings))
    assert query(restored, "SELECT version_num FROM alembic_version") == [(head_revision(),)]


def test_restore_refuses_to_overwrite_a_live_database_without_force(
    world: World, database: Engine, settings: Settings, tmp_path: Path
) -> None:
    backup = tmp_path / "kopie.db"
    assert run("backup", str(backup)).exit_code == 0
    with write_session(database) as session:
        new_action(session, world, title="Na de back-up")
    before = action_ids(database_path(settings))

    refused = run("restore", str(backup))

    assert refused.exit_code == 1
    assert "--force" in refused.output
    assert action_ids(database_path(settings)) == before

    forced = run("restore", str(backup), "--force")

    assert forced.exit_code == 0, forced.output
    assert "overschreven" in forced.output
    assert action_ids(database_path(settings)) == before[:-1]
    assert checks(database_path(settings)) == ("ok", [])


def test_a_server_that_has_the_database_open_sees_the_restored_one(
    world: World, database: Engine, settings: Settings, tmp_path: Path
) -> None:
    """The backup API writes into the live database as one transaction: an open engine (a
    running server) keeps working and sees the restored rows, and the database stays in WAL."""
    backup = tmp_path / "kopie.db"
    backup_database(settings.resolved_database_url, backup)
    with write_session(database) as session:
        new_action(session, world, title="Verdwijnt bij het terugzetten")
    with database.connect() as connection:  # a pooled connection, open during the restore
        assert connection.execute(text("SELECT count(*) FROM action")).scalar_one() == 1
        connection.rollback()

        restore_database(settings.resolved_database_url, backup, force=True)

        assert connection.execute(text("SELECT count(*) FROM action")).scalar_one() == 0
        assert connection.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
    with write_session(database) as session:  # and writes go on
        new_action(session, world, title="Na het terugzetten")
    assert checks(database_path(settings)) == ("ok", [])


def test_restore_refuses_a_damaged_backup_and_leaves_the_database_alone(
    world: World, settings: Settings, tmp_path: Path
) -> None:
    backup = tmp_path / "kopie.db"
    backup_database(settings.resolved_database_url, backup)
    before = emails(database_path(settings))
    size = backup.stat().st_size
    for name, offset in (("kapotte-kop.db", 0), ("kapotte-pagina.db", size // 2)):
        damaged = tmp_path / name
        data = bytearray(backup.read_bytes())
        data[offset : offset + 4096] = b"\xde\xad\xbe\xef" * 1024
        damaged.write_bytes(bytes(data))

        result = run("restore", str(damaged), "--force")

        assert result.exit_code == 1, (name, result.output)
        assert "Fout:" in result.output
        assert emails(database_path(settings)) == before
    assert checks(database_path(settings)) == ("ok", [])


def test_restore_refuses_a_backup_with_broken_foreign_keys(
    world: World, settings: Settings, tmp_path: Path
) -> None:
    backup = tmp_path / "kopie.db"
    backup_database(settings.resolved_database_url, backup)
    connection = sqlite3.connect(backup)  # foreign keys are off on a plain connection
    with connection:
        connection.execute("UPDATE team SET parent_id = 999999")
    connection.close()

    with pytest.raises(BackupRefused, match="verwijst naar rijen die er niet zijn: team"):
        restore_database(settings.resolved_database_url, backup, force=True)


def test_restore_refuses_a_database_that_is_not_a_verbeterbord_backup(
    settings: Settings, tmp_path: Path
) -> None:
    other = tmp_path / "ander.db"
    connection = sqlite3.connect(other)
    connection.execute("CREATE TABLE boodschappen (naam TEXT)")
    connection.close()

    result = run("restore", str(other))

    assert result.exit_code == 1
    assert "geen back-up van Verbeterbord" in result.output
    assert not database_path(settings).exists()


def test_restore_into_postgresql_points_to_pg_restore(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("VERBETERBORD_DATABASE_URL", "postgresql://verbeterbord@db/verbeterbord")
    get_settings.cache_clear()

    result = run("restore", str(tmp_path / "kopie.db"))

    assert result.exit_code == 1
    assert "pg_restore" in result.output
