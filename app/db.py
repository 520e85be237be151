"""Database engines: SQLite with WAL and BEGIN IMMEDIATE for writes, or PostgreSQL via psycopg 3."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, MetaData, create_engine, event
from sqlalchemy.pool import NullPool
from sqlmodel import Session, SQLModel

from app.config import Settings
from app.models.common import NAMING_CONVENTION  # noqa: F401  (sets it before any table exists)

metadata: MetaData = SQLModel.metadata

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
