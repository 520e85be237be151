"""Database engines: SQLite with WAL and BEGIN IMMEDIATE for writes, or PostgreSQL via psycopg 3."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, Index, MetaData, create_engine, event, text
from sqlalchemy.pool import NullPool
from sqlmodel import Session, SQLModel

from app.config import Settings
from app.models.common import NAMING_CONVENTION  # noqa: F401  (sets it before any table exists)
from app.models.work import Action

metadata: MetaData = SQLModel.metadata

# --- Search over action titles and descriptions ------------------------------------------------
# PostgreSQL: Dutch stemming with to_tsvector('dutch', ...) and a GIN index on that expression,
# declared on the action table here (only PostgreSQL creates it), so create_all makes it and
# autogenerate knows it; queries/across.py repeats the expression exactly, so the planner uses it.
#
# SQLite: an FTS5 index over action (external content: no second copy of the text) kept in step
# by three triggers. Not tables of the models: create_all makes them through the events below,
# the migration 2026_12_02_0005 in an existing database (with its own copy of these statements;
# tests/migrations/test_action_search.py checks the two agree), and autogenerate skips them
# (include_in_autogenerate). FTS5 has no Dutch stemmer, and its `porter` stemmer is English:
# it leaves Dutch plurals (-en) alone and even breaks prefix search ("woning"* no longer finds
# "woningen"). So unicode61 folds case and diacritics ("financien" finds "financiën") and every
# search word is a prefix (queries/across.py): "woning" finds "woningen"; an irregular form
# ("aanvraag" for "aanvragen") is not found. A batch migration that rebuilds the action table
# on SQLite drops these triggers with the old table: it has to make them again.
SEARCH_TABLE = "action_search"
SEARCH_INDEX = "ix_action_search"
SQLITE_SEARCH_DDL = (
    """CREATE VIRTUAL TABLE IF NOT EXISTS action_search USING fts5(
    title, description, content='action', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER IF NOT EXISTS action_search_insert AFTER INSERT ON action BEGIN
    INSERT INTO action_search(rowid, title, description)
    VALUES (new.id, new.title, new.description);
END""",
    """CREATE TRIGGER IF NOT EXISTS action_search_delete AFTER DELETE ON action BEGIN
    INSERT INTO action_search(action_search, rowid, title, description)
    VALUES ('delete', old.id, old.title, old.description);
END""",
    """CREATE TRIGGER IF NOT EXISTS action_search_update AFTER UPDATE OF title, description
ON action BEGIN
    INSERT INTO action_search(action_search, rowid, title, description)
    VALUES ('delete', old.id, old.title, old.description);
    INSERT INTO action_search(rowid, title, description)
    VALUES (new.id, new.title, new.description);
END""",
)
SQLITE_SEARCH_DROP = (
    "DROP TRIGGER IF EXISTS action_search_update",
    "DROP TRIGGER IF EXISTS action_search_delete",
    "DROP TRIGGER IF EXISTS action_search_insert",
    "DROP TABLE IF EXISTS action_search",
)

Index(
    SEARCH_INDEX,
    text("to_tsvector('dutch'::regconfig, (title || ' ') || description)"),
    _table=Action.__table__,  # type: ignore[attr-defined]
    postgresql_using="gin",
).ddl_if(dialect="postgresql")


def is_search_object(name: str | None) -> bool:
    """Whether a table is SQLite's FTS5 table or one it keeps its index in: made by raw SQL,
    unknown to the models, so autogenerate must leave it alone."""
    return name is not None and name.startswith(SEARCH_TABLE)


def include_in_autogenerate(name: str | None, type_: str, _parents: object) -> bool:
    """Alembic's include_name: everything but SQLite's search tables."""
    return not (type_ == "table" and is_search_object(name))


@event.listens_for(metadata, "after_create")
def _create_search(_target: MetaData, connection: Connection, **_kw: Any) -> None:
    if connection.dialect.name == "sqlite":
        for statement in SQLITE_SEARCH_DDL:
            connection.exec_driver_sql(statement)


@event.listens_for(metadata, "before_drop")
def _drop_search(_target: MetaData, connection: Connection, **_kw: Any) -> None:
    if connection.dialect.name == "sqlite":
        for statement in SQLITE_SEARCH_DROP:
            connection.exec_driver_sql(statement)


WRITE_OPTION = "verbeterbord_write"


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def create_db_engine(settings: Settings, *, url: str | None = None) -> Engine:
    """Build the engine for the configured database, with the SQLite pragmas we rely on."""
    url = url or settings.resolved_database_url
    if is_sqlite(url):
        return _create_sqlite_engine(url, busy_timeout_ms=settings.sqlite_busy_timeout_ms)
    return create_engine(
        url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_pool_size,
        pool_pre_ping=True,
    )


def _create_sqlite_engine(url: str, *, busy_timeout_ms: int) -> Engine:
    path = url.split("///", 1)[-1]
    if path and path != ":memory:":
        from pathlib import Path

        Path(path).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": busy_timeout_ms / 1000},
        poolclass=NullPool if path in ("", ":memory:") else None,
        # WAL readers do not wait for each other: a connection for every worker thread of the
        # server (anyio's 40) rather than SQLAlchemy's 5 + 10, for which a crowd of readers
        # waited 30 s (measured: Mijn acties at 50 clients)
        **({} if path in ("", ":memory:") else {"pool_size": 10, "max_overflow": 30}),
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's begin event decide how a transaction starts, instead of pysqlite.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # A write takes the lock up front: with a deferred BEGIN, concurrent writers that
        # upgrade from read to write fail with "database is locked" instead of waiting.
        if connection.get_execution_options().get(WRITE_OPTION):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")

    return engine


def writer(engine: Engine) -> Engine:
    """The same engine, but its transactions are write transactions."""
    return engine.execution_options(**{WRITE_OPTION: True})


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """A session whose transaction is opened for writing; commits on success."""
    with Session(writer(engine), expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        yield session
