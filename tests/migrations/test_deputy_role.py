"""Step 0006: the membership role may be `deputy` (plaatsvervangend vertegenwoordiger); going
back makes every deputy a plain member, and on SQLite no membership id comes back."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import Connection, text
from sqlalchemy.exc import IntegrityError

from app.models.common import Role, enum_check
from tests.migrations.test_migrations import alembic_config, plain_engine

BEFORE = "0005"
AFTER = "0006"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'deputy.db'}"
    return request.getfixturevalue("postgres_url")  # type: ignore[no-any-return]


def add_member(connection: Connection, membership_id: int, user_id: int, role: str) -> None:
    connection.execute(
        text(
            "INSERT INTO membership (id, team_id, user_id, role, created_at)"
            " VALUES (:id, 2, :user_id, :role, '2026-12-01')"
        ),
        {"id": membership_id, "user_id": user_id, "role": role},
    )


def roles(connection: Connection) -> dict[int, str]:
    return dict(connection.execute(text("SELECT user_id, role FROM membership")).all())  # type: ignore[arg-type]


def test_the_deputy_role_comes_and_goes_with_the_step(database_url: str) -> None:
    config = alembic_config(database_url)
    command.upgrade(config, BEFORE)
    engine = plain_engine(database_url)
    sqlite = database_url.startswith("sqlite")
    try:
        with engine.begin() as connection:
            for n in (1, 2, 3, 4):
                connection.execute(
                    text(
                        'INSERT INTO "user" (id, email, name, is_admin, is_active, locale,'
                        " created_at, updated_at) VALUES (:id, :email, 'U', false, true, 'nl',"
                        " '2026-12-01', '2026-12-01')"
                    ),
                    {"id": n, "email": f"u{n}@example.org"},
                )
            connection.execute(
                text(
                    "INSERT INTO team (id, name, description, parent_id, created_at) VALUES"
                    " (1, 'Team van teams', '', NULL, '2026-12-01'),"
                    " (2, 'Team Noord', '', 1, '2026-12-01')"
                )
            )
            add_member(connection, 1, 1, "representative")
            add_member(connection, 2, 2, "member")
            add_member(connection, 3, 4, "member")
        with pytest.raises(IntegrityError), engine.begin() as connection:
            add_member(connection, 9, 3, "deputy")
        with engine.begin() as connection:
            # the newest membership is gone before the step: its id stays used
            connection.execute(text("DELETE FROM membership WHERE id = 3"))

        command.upgrade(config, AFTER)

        with engine.begin() as connection:
            assert roles(connection) == {1: "representative", 2: "member"}
            if sqlite:  # the step writes the CHECK the model declares (autogenerate skips it)
                schema = connection.execute(
                    text("SELECT sql FROM sqlite_master WHERE name = 'membership'")
                ).scalar_one()
                assert f"CHECK ({enum_check('role', Role)})" in schema
            connection.execute(text("UPDATE membership SET role = 'deputy' WHERE user_id = 2"))
            if sqlite:
                new_id = connection.execute(
                    text(
                        "INSERT INTO membership (team_id, user_id, role, created_at)"
                        " VALUES (2, 3, 'member', '2026-12-01')"
                    )
                ).lastrowid
                assert new_id == 4
            else:
                add_member(connection, 4, 3, "member")
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(text("UPDATE membership SET role = 'chief' WHERE user_id = 3"))

        command.downgrade(config, BEFORE)

        with engine.begin() as connection:
            assert roles(connection) == {1: "representative", 2: "member", 3: "member"}
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(text("UPDATE membership SET role = 'deputy' WHERE user_id = 3"))
    finally:
        engine.dispose()
