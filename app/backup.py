"""Backing up and restoring the SQLite database (`verbeterbord backup` and `verbeterbord restore`).

Both go through SQLite's online backup API, so they work while the server runs:

- backup copies the live database from one read transaction into a file beside the target,
  checks it and only then renames it into place: a failed backup never replaces a good one.
- restore first checks the backup (integrity, foreign keys, a revision this version knows),
  then copies it *into* the configured database through the backup API, as one write
  transaction. A server that has the database open keeps working: its connections see the old
  database until the copy commits and the restored one after, never a mix. Replacing the file
  by renaming a temporary copy over it would be atomic on disk, but wrong for a live WAL
  database: open connections keep reading the old, unlinked file, and the old -wal file beside
  the new one could be replayed onto it.

PostgreSQL has its own tools (pg_dump, pg_restore); both functions refuse it with a pointer.
Messages are Dutch, like the command line.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from app.db import is_sqlite


class BackupRefused(Exception):
    """A backup or restore that was not done; the message says why, in Dutch."""


@dataclass(frozen=True)
class Restored:
    path: Path
    revision: str | None
    replaced: bool  # there was a database, now overwritten


def database_file(url: str, *, action: str) -> Path:
    """The file of a SQLite URL; PostgreSQL and in-memory databases are refused."""
    if not is_sqlite(url):
        if action == "backup":
            raise BackupRefused(
                "een back-up van PostgreSQL maak je met pg_dump, bijvoorbeeld: "
                "pg_dump --format=custom --file=verbeterbord.dump "
                '"$VERBETERBORD_DATABASE_URL"'
            )
        raise BackupRefused(
            "een back-up terugzetten in PostgreSQL doe je met pg_restore, bijvoorbeeld: "
            "pg_restore --clean --if-exists --dbname "
            '"$VERBETERBORD_DATABASE_URL" verbeterbord.dump'
        )
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupRefused("er is geen databasebestand.")
    return Path(database)


# --- backup --------------------------------------------------------------------------------


def backup_database(url: str, target: Path, *, force: bool = False, timeout_s: float = 5.0) -> int:
    """Copy the database at url to target; returns the size of the copy in bytes."""
    source = database_file(url, action="backup")
    if not source.is_file():
        raise BackupRefused(f"geen database gevonden in {source}.")
    if target.exists() and not force:
        raise BackupRefused(f"{target} bestaat al; gebruik --force om het te overschrijven.")
    if target.exists() and target.resolve() == source.resolve():
        raise BackupRefused("de back-up kan niet over de database zelf heen.")
    if not target.parent.is_dir():
        raise BackupRefused(f"de map {target.parent} bestaat niet.")
    result = backup_sqlite(source, target, timeout_s=timeout_s)
    if result != "ok":
        raise BackupRefused(
            f"de kopie is niet in orde (integrity_check: {result}); er is niets bewaard."
        )
    return target.stat().st_size


def backup_sqlite(source: Path, target: Path, *, timeout_s: float = 5.0) -> str:
    """Copy a live SQLite database with the online backup API into target, as one file.

    The copy is written beside target and renamed only when PRAGMA integrity_check answers
    "ok", so a failed backup never replaces a good one. Returns the check's answer.
    """
    partial = target.with_name(f".{target.name}.{secrets.token_hex(4)}.partial")
    try:
        with (
            closing(sqlite3.connect(source, timeout=timeout_s)) as live,
            closing(sqlite3.connect(partial)) as copy,
        ):
            # one step: the whole database from one read transaction, so the copy is consistent
            live.backup(copy)
            # a self-contained file: no -wal/-shm beside it
            copy.execute("PRAGMA journal_mode=DELETE")
            rows = copy.execute("PRAGMA integrity_check").fetchall()
        answer = "; ".join(str(row[0]) for row in rows)
        if answer == "ok":
            os.replace(partial, target)
        return answer
    finally:
        partial.unlink(missing_ok=True)


# --- restore -------------------------------------------------------------------------------


def check_backup(path: Path) -> str | None:
    """Refuse a file that is not a sound Verbeterbord database; returns its Alembic revision."""
    if not path.is_file():
        raise BackupRefused(f"geen back-up gevonden in {path}.")
    try:
        # read-only: checking a backup must not change it (no journal replayed, no WAL made)
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as backup:
            integrity = [str(row[0]) for row in backup.execute("PRAGMA integrity_check")]
            if integrity != ["ok"]:
                shown = "; ".join(integrity[:5])
                raise BackupRefused(f"de back-up is beschadigd (integrity_check: {shown}).")
            broken = backup.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                shown = ", ".join(f"{table} rij {rowid}" for table, rowid, *_ in broken[:5])
                raise BackupRefused(f"de back-up verwijst naar rijen die er niet zijn: {shown}.")
            tables = {row[0] for row in backup.execute("SELECT name FROM sqlite_master")}
            if "alembic_version" not in tables:
                raise BackupRefused(f"{path} is geen back-up van Verbeterbord.")
            revision = backup.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError as error:
        raise BackupRefused(f"{path} is geen leesbare SQLite-database ({error}).") from error
    found = str(revision[0]) if revision else None
    if found is not None and not _known_revision(found):
        raise BackupRefused(
            f"de back-up heeft databaseversie {found}, die deze versie van Verbeterbord niet "
            "kent; zet hem terug met de versie die hem maakte."
        )
    return found


def restore_database(
    url: str, backup: Path, *, force: bool = False, timeout_s: float = 5.0
) -> Restored:
    """Copy a checked backup into the database at url (created when it does not exist)."""
    target = database_file(url, action="restore")
    revision = check_backup(backup)
    exists = target.is_file() and target.stat().st_size > 0
    if exists and backup.resolve() == target.resolve():
        raise BackupRefused("de back-up is de database zelf.")
    if exists and not force:
        raise BackupRefused(
            f"er staat al een database in {target}; gebruik --force om hem te overschrijven "
            "(maak eerst een back-up met `verbeterbord backup` als je hem wilt bewaren)."
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    source_uri = f"{backup.resolve().as_uri()}?mode=ro"
    try:
        with (
            closing(sqlite3.connect(source_uri, uri=True)) as source,
            closing(sqlite3.connect(target, timeout=timeout_s)) as live,
        ):
            # the whole backup in one step: one write transaction on the live database
            source.backup(live)
            integrity = [str(row[0]) for row in live.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as error:
        raise BackupRefused(
            f"terugzetten is mislukt ({error}); de database is niet gewijzigd."
        ) from error
    if integrity != ["ok"]:
        raise BackupRefused(
            f"na het terugzetten klopt de database niet: {'; '.join(integrity[:5])}."
        )
    return Restored(path=target, revision=revision, replaced=exists)


def _known_revision(revision: str) -> bool:
    from alembic.script import ScriptDirectory

    from app.migrate import alembic_config

    scripts = ScriptDirectory.from_config(alembic_config())
    return revision in {script.revision for script in scripts.walk_revisions()}


@contextmanager
def closing(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    # sqlite3's own context manager commits but does not close
    try:
        yield connection
    finally:
        connection.close()
