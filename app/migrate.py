"""Bringing the database schema up to date with Alembic, for the command line and the tests."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

import app

ALEMBIC_INI = Path(app.__file__).resolve().parent.parent / "alembic.ini"


def alembic_config(url: str | None = None) -> Config:
    """The repository's Alembic configuration; without url, migrations/env.py uses the settings."""
    config = Config(str(ALEMBIC_INI))
    # The command line and the server keep their own logging; alembic.ini's would replace it.
    config.attributes["configure_logging"] = False
    if url is not None:
        # configparser treats % as interpolation, and a password in a URL may hold one
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def migrate_to_head(url: str | None = None) -> None:
    """Upgrade the configured database (or the one at url) to the newest migration."""
    command.upgrade(alembic_config(url), "head")


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The revision the database is at, or None for a database Alembic never touched."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def schema_is_current(engine: Engine) -> bool:
    return current_revision(engine) == head_revision()
