"""The migrations upgrade, downgrade and upgrade again on SQLite and PostgreSQL, keep the rows of
every table a step doesn't drop, and build exactly the schema the models describe."""

from __future__ import annotations

import shutil
import sqlite3
import textwrap
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, MetaData, create_engine, inspect, select, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

import app.models  # noqa: F401  (every table on the metadata)
from app.config import Settings
from app.db import create_db_engine, include_in_autogenerate, is_search_object, metadata, writer
from app.migrate import ALEMBIC_INI
from app.models import (
    Action,
    ActionStatus,
    Ambition,
    AmbitionTeam,
    CalendarFeed,
    Comment,
    Escalation,
    EscalationStep,
    EscalationStepRecord,
    Evaluation,
    Goal,
    Indicator,
    Location,
    LoginAttempt,
    Measurement,
    Meeting,
    Mention,
    Organisation,
    RecoveryCode,
    SentMail,
    SprintReview,
    StandupAttendee,
    StandupDecision,
    StandupRecord,
    StandupTurn,
    User,
    UserSession,
)
from tests.conftest import TODAY
from tests.support.builders import build_world

VERSION_TABLE = "alembic_version"
PROBE_REVISION = "zz_test_rebuild_every_table"


# --- helpers ---------------------------------------------------------------------------------


def alembic_config(url: str, script_location: Path | None = None) -> Config:
    """The repository's alembic.ini, pointed at url (migrations/env.py honours sqlalchemy.url)."""
    config = Config(str(ALEMBIC_INI))
    config.attributes["configure_logging"] = False
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    if script_location is not None:
        config.set_main_option("script_location", str(script_location))
    return config


def revisions(config: Config) -> list[tuple[str, str]]:
    """(revision, the revision it revises or "base") for every step, newest first."""
    steps = []
    for script in ScriptDirectory.from_config(config).walk_revisions():
        down = script.down_revision
        assert down is None or isinstance(down, str), f"merge revision {script.revision}"
        steps.append((script.revision, down or "base"))
    return steps


def plain_engine(url: str) -> Engine:
    """An engine without the app's pragmas, to look at what the migrations built."""
    return create_engine(url)


def table_names(url: str) -> set[str]:
    engine = plain_engine(url)
    try:
        # SQLite's FTS5 search tables are not the models' (app/db.py)
        names = inspect(engine).get_table_names()
        return {name for name in names if not is_search_object(name)} - {VERSION_TABLE}
    finally:
        engine.dispose()


Snapshot = dict[str, tuple[list[str], list[dict[str, Any]]]]


def snapshot(url: str) -> Snapshot:
    """Every row of every table (reflected, so whatever the revision), ordered by primary key."""
    engine = plain_engine(url)
    try:
        reflected = MetaData()
        reflected.reflect(bind=engine)
        tables: Snapshot = {}
        with engine.connect() as connection:
            for table in reflected.sorted_tables:
                # the search index is rebuilt, not kept: same words, other pages (app/db.py)
                if table.name == VERSION_TABLE or is_search_object(table.name):
                    continue
                order = list(table.primary_key.columns) or list(table.columns)
                rows = connection.execute(select(table).order_by(*order)).mappings().all()
                tables[table.name] = ([c.name for c in table.columns], [dict(r) for r in rows])
        return tables
    finally:
        engine.dispose()


def assert_rows_survived(before: Snapshot, after: Snapshot, step: str) -> None:
    """Every table in both snapshots holds the same rows, compared on the columns in both."""
    for name in sorted(before.keys() & after.keys()):
        columns_before, rows_before = before[name]
        columns_after, rows_after = after[name]
        common = [c for c in columns_before if c in columns_after]
        assert [{c: r[c] for c in common} for r in rows_after] == [
            {c: r[c] for c in common} for r in rows_before
        ], f"{step}: rows of table {name!r} changed"


def schema_differences(url: str) -> list[Any]:
    """What alembic autogenerate would still want to change: nothing, when the migrations and
    the models agree."""
    engine = plain_engine(url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection,
                opts={
                    "compare_type": True,
                    "compare_server_default": False,
                    "include_name": include_in_autogenerate,
                },
            )
            return list(compare_metadata(context, metadata))
    finally:
        engine.dispose()


def seed(url: str) -> None:
    """At least one row in every table of the newest schema, through the models."""
    engine = create_db_engine(Settings(), url=url)
    try:
        world = build_world(engine, today=TODAY)
        ids = world.ids
        with Session(writer(engine), expire_on_commit=False) as session:
            location = Location(name="Gemeente Noord")
            session.add(location)
            session.flush()
            member = session.get(User, ids["member"])
            assert member is not None
            member.location_id = location.id
            ambition = Ambition(
                title="Iedereen doet mee", intent="Minder wachten", owner_team_id=world.team.id
            )
            session.add(ambition)
            session.flush()
            assert ambition.id is not None and world.team.id is not None
            session.add(AmbitionTeam(ambition_id=ambition.id, team_id=world.team.id))
            goal = Goal(title="Wachtlijst halveren", ambition_id=ambition.id, team_id=world.team.id)
            session.add(goal)
            session.flush()
            actions = [
                Action(
                    title=f"Actie {n}",
                    description="Één omschrijving met ‘Nederlandse’ tekens",
                    team_id=world.team.id,
                    owner_id=ids["member"],
                    sprint_id=world.sprint.id,
                    ambition_id=ambition.id,
                    goal_id=goal.id,
                    status=status,
                    blocked_reason="wacht op budget" if status == ActionStatus.blocked else None,
                    position=n,
                    created_by_id=ids["member"],
                )
                # every status but `dropped`, which a downgrade past 0007 turns into `todo`
                for n, status in enumerate(ActionStatus)
                if status != ActionStatus.dropped
            ]
            session.add_all(actions)
            session.flush()
            session.add(Comment(action_id=actions[0].id, author_id=ids["lead"], body="Goed bezig"))
            assert world.team_of_teams.id is not None
            escalation = Escalation(
                action_id=actions[3].id,
                from_team_id=world.team.id,
                to_team_id=world.team_of_teams.id,
                note="Budget nodig",
                raised_by_id=ids["representative"],
            )
            session.add(escalation)
            session.flush()
            session.add(
                EscalationStepRecord(
                    escalation_id=escalation.id,
                    kind=EscalationStep.raised,
                    team_id=world.team_of_teams.id,
                    actor_id=ids["representative"],
                    note="Budget nodig",
                )
            )
            session.add(Organisation(id=1, sprint_days=14, sprint_weekday=0))
            session.add(SprintReview(team_id=world.team.id, sprint_id=world.sprint.id))
            session.add(
                Evaluation(
                    team_id=world.team.id,
                    sprint_id=world.sprint.id,
                    goes_well="Samen",
                    highlights="Wachtlijst korter",
                )
            )
            indicator = Indicator(
                ambition_id=ambition.id, name="Wachttijd", unit="dagen", target=14
            )
            meeting = Meeting(location_id=location.id, held_on=TODAY, title="Raad")
            standup = StandupRecord(team_id=world.team_of_teams.id, held_on=TODAY)
            session.add_all([indicator, meeting, standup])
            session.flush()
            session.add(Measurement(indicator_id=indicator.id, measured_on=TODAY, value=21.5))
            session.add(
                StandupAttendee(
                    standup_id=standup.id, user_id=ids["representative"], location_id=location.id
                )
            )
            session.add(StandupTurn(standup_id=standup.id, team_id=world.team.id, seconds=95))
            session.add(
                StandupDecision(
                    standup_id=standup.id, text="Budget gaat naar de raad", action_id=actions[0].id
                )
            )
            session.add(
                UserSession(user_id=ids["member"], token_hash="a" * 64, csrf_token="b" * 64)
            )
            session.add(LoginAttempt(email="member@example.org", client="127.0.0.1"))
            session.add(
                CalendarFeed(user_id=ids["member"], team_id=world.team.id, token_hash="c" * 64)
            )
            session.add(SentMail(user_id=ids["member"], mail_key="digest:2026-12-07"))
            session.flush()
            session.add(
                Mention(
                    user_id=ids["lead"],
                    author_id=ids["member"],
                    action_id=actions[3].id,
                    escalation_id=escalation.id,
                )
            )
            session.add(RecoveryCode(user_id=ids["lead"], code_hash="d" * 64))
            session.commit()
    finally:
        engine.dispose()
    empty = sorted(name for name, (_, rows) in snapshot(url).items() if not rows)
    assert not empty, f"seed() leaves these tables empty, give them a row: {empty}"


# --- fixtures --------------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database: a SQLite file, or a fresh PostgreSQL database."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'migrations.db'}"
    return request.getfixturevalue("postgres_url")  # type: ignore[no-any-return]


@pytest.fixture
def config(database_url: str) -> Config:
    return alembic_config(database_url)


def with_extra_step(url: str, folder: Path, revision: str, upgrade: str, downgrade: str) -> Config:
    """The repository's migrations copied to folder, plus one test-only step after head."""
    scripts = ScriptDirectory.from_config(alembic_config(url))
    copy = folder / "migrations"
    shutil.copytree(scripts.dir, copy, ignore=shutil.ignore_patterns("__pycache__"))
    (copy / "versions" / f"{revision}.py").write_text(
        f"""import sqlalchemy as sa
from alembic import op

revision = {revision!r}
down_revision = {scripts.get_current_head()!r}
branch_labels = None
depends_on = None
TABLES = {[table.name for table in metadata.sorted_tables]!r}


def upgrade() -> None:
{textwrap.indent(textwrap.dedent(upgrade), "    ")}

def downgrade() -> None:
{textwrap.indent(textwrap.dedent(downgrade), "    ")}
"""
    )
    return alembic_config(url, script_location=copy)


@pytest.fixture
def probe_config(database_url: str, tmp_path: Path) -> Config:
    """A test-only step that adds a column to every table and drops it on downgrade. On SQLite
    dropping a column rebuilds the table (create a copy, copy the rows, drop the original,
    rename), the way any future batch migration that alters a column will."""
    return with_extra_step(
        database_url,
        tmp_path,
        PROBE_REVISION,
        upgrade="""
            for table in TABLES:
                with op.batch_alter_table(table) as batch_op:
                    batch_op.add_column(sa.Column("probe", sa.Integer(), nullable=True))
        """,
        downgrade="""
            for table in reversed(TABLES):
                with op.batch_alter_table(table) as batch_op:
                    batch_op.drop_column("probe")
        """,
    )


# --- the tests -------------------------------------------------------------------------------


def test_there_is_one_head_and_every_step_has_a_downgrade(config: Config) -> None:
    scripts = ScriptDirectory.from_config(config)
    assert len(scripts.get_heads()) == 1, f"branched migrations: {scripts.get_heads()}"
    for script in scripts.walk_revisions():
        assert callable(getattr(script.module, "downgrade", None)), script.revision


def test_upgrade_downgrade_upgrade(config: Config, database_url: str) -> None:
    command.upgrade(config, "head")
    assert table_names(database_url) == set(metadata.tables)
    command.downgrade(config, "base")
    assert table_names(database_url) == set(), "downgrade to base leaves tables behind"
    command.upgrade(config, "head")
    assert table_names(database_url) == set(metadata.tables)
    assert schema_differences(database_url) == []
    engine = plain_engine(database_url)
    try:
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()
    assert current == ScriptDirectory.from_config(config).get_current_head()


def test_every_step_keeps_the_rows_it_does_not_drop(config: Config, database_url: str) -> None:
    """From head down to base one step at a time: each downgrade keeps the rows of the tables it
    leaves in place, and upgrading that step again brings back the same tables with those rows.
    The first step's downgrade removes everything."""
    command.upgrade(config, "head")
    seed(database_url)
    before = snapshot(database_url)
    for revision, down in revisions(config):
        step = f"{revision} → {down}"
        command.downgrade(config, down)
        after = snapshot(database_url)
        assert_rows_survived(before, after, f"downgrade {step}")
        command.upgrade(config, revision)
        again = snapshot(database_url)
        assert again.keys() == before.keys(), f"upgrade {step} again: other tables"
        assert_rows_survived(after, again, f"upgrade {step} again")
        command.downgrade(config, down)
        before = snapshot(database_url)
        if down == "base":
            assert before == {}, f"downgrade {step} leaves tables behind"
    command.upgrade(config, "head")
    assert schema_differences(database_url) == []


def test_a_step_that_rebuilds_every_table_keeps_every_row(
    probe_config: Config, database_url: str
) -> None:
    command.upgrade(probe_config, "head")
    assert "probe" in snapshot(database_url)["team"][0]
    command.downgrade(probe_config, "-1")
    seed(database_url)
    before = snapshot(database_url)
    command.upgrade(probe_config, PROBE_REVISION)
    assert_rows_survived(before, snapshot(database_url), "upgrade to the probe step")
    command.downgrade(probe_config, "-1")
    after = snapshot(database_url)
    assert after == before
    # and the rebuilt tables are still the models' tables, constraints and all
    assert schema_differences(database_url) == []
    if database_url.startswith("sqlite"):
        assert_sqlite_constraints(database_url)


def test_migrations_match_the_models(config: Config, database_url: str) -> None:
    command.upgrade(config, "head")
    differences = schema_differences(database_url)
    assert differences == [], "the models and the migrations differ: run alembic revision "
    "--autogenerate and review it"


def assert_sqlite_constraints(url: str) -> None:
    """The constraint names of the naming convention, and the checks, are in the database."""
    path = url.split("///", 1)[1]
    with sqlite3.connect(path) as connection:
        schema = "\n".join(
            sql
            for (sql,) in connection.execute("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL")
        )
    for name in (
        "fk_action_team_id_team",
        "fk_membership_user_id_user",
        "fk_team_parent_id_team",
        "pk_action",
        "uq_user_email",
        "ck_action_status",
        "ck_action_carried_over_not_negative",
        "ck_sprint_dates_in_order",
    ):
        assert f"CONSTRAINT {name} " in schema, f"constraint {name} missing"


def test_the_migrated_sqlite_database_enforces_foreign_keys_and_names_constraints(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'fk.db'}"
    command.upgrade(alembic_config(url), "head")
    assert_sqlite_constraints(url)
    engine = create_db_engine(Settings(), url=url)
    try:
        names = {fk["name"] for fk in inspect(engine).get_foreign_keys("action")}
        assert "fk_action_team_id_team" in names
        seed(url)
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA foreign_keys")).scalar_one() == 1
            assert connection.execute(text("PRAGMA journal_mode")).scalar_one() == "wal"
            assert connection.execute(text("PRAGMA foreign_key_check")).all() == []
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(text("UPDATE action SET team_id = 999999"))
        # ON DELETE RESTRICT: a team with actions stays
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(text("DELETE FROM team"))
    finally:
        engine.dispose()


def test_a_sqlite_migration_that_breaks_foreign_keys_changes_nothing(tmp_path: Path) -> None:
    """Foreign keys are off while migrating SQLite (see migrations/env.py), so they are checked
    before the commit: a step that leaves a dangling reference is rolled back as a whole."""
    url = f"sqlite:///{tmp_path / 'broken.db'}"
    config = with_extra_step(
        url,
        tmp_path,
        "zz_test_dangling_reference",
        upgrade="""
            op.execute("UPDATE team SET parent_id = 999999")
            op.create_table("scratch", sa.Column("id", sa.Integer(), primary_key=True))
        """,
        downgrade="""
            op.drop_table("scratch")
        """,
    )
    command.upgrade(alembic_config(url), "head")  # the repository's head
    seed(url)
    before = snapshot(url)
    with pytest.raises(RuntimeError, match="broken foreign keys: team row"):
        command.upgrade(config, "head")
    assert snapshot(url) == before
    assert "scratch" not in table_names(url)
