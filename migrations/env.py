"""Alembic environment: the app's own engine (same pragmas), batch mode on SQLite."""

from __future__ import annotations

from logging.config import fileConfig

from alembic import context
from sqlalchemy import Connection

import app.models  # noqa: F401  (registers every table on the metadata)
from app.config import get_settings
from app.db import (
    SQLITE_SEARCH_DDL,
    create_db_engine,
    include_in_autogenerate,
    metadata,
    writer,
)

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logging", True):
    fileConfig(config.config_file_name, disable_existing_loggers=False)


def _configure(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        # the search objects are raw SQL, not in the models (app/db.py)
        include_name=include_in_autogenerate,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        transaction_per_migration=False,
        # Alembic assumes SQLite can't roll back DDL and then commits every step on its own;
        # it can (the driver leaves transactions to us, see app/db.py), so one transaction.
        transactional_ddl=True,
    )


def run_migrations_offline() -> None:
    context.configure(
        url=config.get_main_option("sqlalchemy.url") or get_settings().resolved_database_url,
        target_metadata=metadata,
        literal_binds=True,
        render_as_batch=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    url = config.get_main_option("sqlalchemy.url") or None
    engine = create_db_engine(get_settings(), url=url)
    try:
        with writer(engine).connect() as connection:
            sqlite = connection.dialect.name == "sqlite"
            if sqlite:
                # With foreign keys on, SQLite's DROP TABLE first deletes every row, firing
                # ON DELETE CASCADE/SET NULL/RESTRICT in other tables: a batch migration that
                # rebuilds a table (copy, drop, rename) would empty or refuse it. So they are off
                # while migrating (the pragma only takes effect outside a transaction, hence
                # the driver connection) and checked before the commit instead.
                _foreign_keys(connection, on=False)
            try:
                _configure(connection)
                # One transaction for the whole upgrade: a migration that fails halfway leaves
                # the schema and the version as they were (SQLite and PostgreSQL both have
                # transactional DDL).
                with context.begin_transaction():
                    context.run_migrations()
                    if sqlite:
                        _check_foreign_keys(connection)
                        _restore_search_triggers(connection)
            finally:
                if sqlite:
                    _foreign_keys(connection, on=True)
    finally:
        engine.dispose()


def _foreign_keys(connection: Connection, *, on: bool) -> None:
    connection.connection.driver_connection.execute(  # type: ignore[union-attr]
        f"PRAGMA foreign_keys={'ON' if on else 'OFF'}"
    )


def _restore_search_triggers(connection: Connection) -> None:
    """A batch step that rebuilds the action table (copy, drop, rename) drops the triggers that
    keep the search index in step (app/db.py) with the old table: make them again and index
    the actions anew."""
    search = connection.exec_driver_sql(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'action_search'"
    ).scalar_one()
    triggers = connection.exec_driver_sql(
        "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'action' "
        "AND name LIKE 'action_search_%'"
    ).scalar_one()
    if search and triggers < len(SQLITE_SEARCH_DDL) - 1:
        for statement in SQLITE_SEARCH_DDL[1:]:
            connection.exec_driver_sql(statement)
        connection.exec_driver_sql("INSERT INTO action_search(action_search) VALUES ('rebuild')")


def _check_foreign_keys(connection: Connection) -> None:
    violations = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if violations:
        shown = ", ".join(
            f"{table} row {rowid} → {parent}" for table, rowid, parent, _ in violations[:10]
        )
        raise RuntimeError(f"the migration leaves rows with broken foreign keys: {shown}")


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
