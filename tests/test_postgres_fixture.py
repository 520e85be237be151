"""The throwaway PostgreSQL server of tests/postgres.py works."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.postgres import create_database, drop_database

pytestmark = pytest.mark.postgres


def test_database_can_be_created_and_queried(postgres_url: str) -> None:
    assert make_url(postgres_url).drivername == "postgresql+psycopg"
    engine = create_engine(postgres_url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("select 1")).scalar_one() == 1
            version = conn.execute(text("show server_version")).scalar_one()
            assert version.startswith("15")
            assert conn.execute(text("show server_encoding")).scalar_one() == "UTF8"
            conn.execute(text("create table t (name text)"))
            conn.execute(text("insert into t values ('Één')"))
            assert conn.execute(text("select lower(name) from t")).scalar_one() == "één"
    finally:
        engine.dispose()


def test_databases_are_separate_and_dropped(postgres_server: str) -> None:
    url = create_database(postgres_server, "fixture_check")
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            conn.execute(text("create table t (id int)"))
        # An open pooled connection must not keep the database from being dropped.
        with engine.connect() as conn:
            drop_database(postgres_server, "fixture_check")
    finally:
        engine.dispose()
    admin = create_engine(postgres_server + "postgres")
    try:
        with admin.connect() as conn:
            names = conn.execute(text("select datname from pg_database")).scalars().all()
        assert "fixture_check" not in names
    finally:
        admin.dispose()
