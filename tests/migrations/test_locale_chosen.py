"""Step 0003: users who already chose a language keep it; everyone else gets the browser's."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import text

from tests.migrations.test_migrations import alembic_config, plain_engine


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'locale.db'}"
    return request.getfixturevalue("postgres_url")  # type: ignore[no-any-return]


USERS = {
    # email: (locale, chose it on the profile)
    "default@example.org": ("nl", False),
    "english@example.org": ("en", True),
    "dutch@example.org": ("nl", True),
    "renamed@example.org": ("nl", False),
}


def test_upgrade_marks_the_users_who_chose_a_language(database_url: str) -> None:
    config = alembic_config(database_url)
    command.upgrade(config, "0002")
    engine = plain_engine(database_url)
    try:
        with engine.begin() as connection:
            for n, (email, (locale, _)) in enumerate(USERS.items(), start=1):
                connection.execute(
                    text(
                        'INSERT INTO "user" (id, email, name, is_admin, is_active, locale,'
                        " created_at, updated_at) VALUES (:id, :email, 'U', false, true,"
                        " :locale, '2026-11-22', '2026-11-22')"
                    ),
                    {"id": n, "email": email, "locale": locale},
                )
            # dutch@ chose English, then Dutch again; renamed@ only had another change
            for entity_id, changes in (
                (2, '{"locale": ["nl", "en"]}'),
                (3, '{"locale": ["nl", "en"]}'),
                (3, '{"locale": ["en", "nl"]}'),
                (4, '{"name": ["Old", "U"]}'),
            ):
                connection.execute(
                    text(
                        "INSERT INTO audit_event (occurred_at, entity, entity_id, verb, changes)"
                        " VALUES ('2026-11-22', 'user', :entity_id, 'updated', :changes)"
                    ),
                    {"entity_id": entity_id, "changes": changes},
                )
        command.upgrade(config, "0003")
        with engine.connect() as connection:
            rows = connection.execute(text('SELECT email, locale, locale_chosen FROM "user"'))
            assert {email: (locale, bool(chosen)) for email, locale, chosen in rows} == USERS
        command.downgrade(config, "0002")
        with engine.connect() as connection:
            rows = connection.execute(text('SELECT email, locale FROM "user"'))
            assert dict(rows.all()) == {email: locale for email, (locale, _) in USERS.items()}
    finally:
        engine.dispose()
