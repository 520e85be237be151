"""The verbeterbord command, run through click's CliRunner on a migrated SQLite database in the
test's own data folder (the root conftest's `settings` fixture points VERBETERBORD_DATA_DIR
there)."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import Engine, inspect
from sqlmodel import Session, select

from app import clock
from app.cli import main
from app.config import Settings, get_settings
from app.db import create_db_engine, write_session
from app.migrate import current_revision, head_revision, migrate_to_head
from app.models import (
    Action,
    ActionCreate,
    LocationCreate,
    Role,
    Sprint,
    SprintCreate,
    TeamCreate,
    User,
    UserCreate,
)
from app.services import actions, auth, org, sprints
from app.services.access import access_for

TODAY = date(2026, 11, 25)  # a Wednesday in the sprint of 23 November – 6 December 2026


@pytest.fixture(autouse=True)
def _fixed_today(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "today", lambda: TODAY)


@pytest.fixture
def database(settings: Settings) -> Iterator[Engine]:
    """The configured database, migrated to head as `verbeterbord migrate` leaves it."""
    migrate_to_head()
    engine = create_db_engine(settings)
    yield engine
    engine.dispose()


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def user_by_email(engine: Engine, email: str) -> User | None:
    with Session(engine) as session:
        return session.exec(select(User).where(User.email == email)).first()


def make_admin(session: Session, email: str = "beheer@gemeente.nl") -> User:
    data = UserCreate(email=email, name="Bea Beheer", is_admin=True)
    return org.create_user(session=session, actor=None, data=data).user


def printed_password(output: str) -> str:
    match = re.search(r"Wachtwoord: (\S+)", output)
    assert match, output
    return match.group(1)


# --- migrate and serve --------------------------------------------------------------------
def test_migrate_creates_every_table_at_the_newest_revision(settings: Settings) -> None:
    result = run("migrate")

    assert result.exit_code == 0, result.output
    engine = create_db_engine(settings)
    try:
        tables = set(inspect(engine).get_table_names())
        assert {"user", "team", "membership", "action", "sprint", "audit_event"} <= tables
        assert current_revision(engine) == head_revision()
        assert f"versie {head_revision()}" in result.output
    finally:
        engine.dispose()


def test_migrating_twice_changes_nothing(settings: Settings) -> None:
    assert run("migrate").exit_code == 0
    again = run("migrate")

    assert again.exit_code == 0, again.output


def test_commands_refuse_a_database_that_was_not_migrated(settings: Settings) -> None:
    result = run("user", "create", "--email", "a@gemeente.nl", "--name", "Ann")

    assert result.exit_code == 1
    assert "verbeterbord migrate" in result.output


def test_serve_migrates_and_then_runs_the_app_factory(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uvicorn

    calls: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *a, **kw: calls.append((a, kw)))

    result = run("serve", "--host", "0.0.0.0", "--port", "8123")

    assert result.exit_code == 0, result.output
    assert calls == [
        (
            ("app.cli:serving_app",),
            {
                "factory": True,
                "host": "0.0.0.0",
                "port": 8123,
                "workers": 1,
                "loop": "uvloop",
                "http": "httptools",
                "timeout_graceful_shutdown": 5,
                "timeout_worker_healthcheck": 30,
                "proxy_headers": False,
            },
        )
    ]
    engine = create_db_engine(settings)
    try:
        assert current_revision(engine) == head_revision()
    finally:
        engine.dispose()


def test_the_demo_on_an_empty_data_folder_migrates_it_and_prints_four_logins_that_work(
    settings: Settings,
) -> None:
    result = run("demo")

    assert result.exit_code == 0, result.output
    assert "Demo-organisatie aangemaakt" in result.output
    assert "Log in op http://127.0.0.1:8000 als:" in result.output
    rows = re.findall(r"^  (\S+) +(\S+@\S+) +wachtwoord (\S+)$", result.output, re.MULTILINE)
    assert [role for role, _, _ in rows] == [
        "teamlid",
        "vertegenwoordiger",
        "afdelingshoofd",
        "beheerder",
    ], result.output
    engine = create_db_engine(settings)
    try:
        assert current_revision(engine) == head_revision()
        for role, email, password in rows:
            user = user_by_email(engine, email)
            assert user is not None and user.is_admin == (role == "beheerder"), role
            assert auth.verify_password(user.password_hash, password), role
    finally:
        engine.dispose()


def test_serve_refuses_several_workers_on_sqlite(settings: Settings) -> None:
    # live board updates only cross processes through PostgreSQL
    result = run("serve", "--workers", "2")

    assert result.exit_code == 2
    assert "met SQLite draait Verbeterbord in één proces" in result.output
    assert "PostgreSQL" in result.output


# --- user create --------------------------------------------------------------------------
def test_creating_a_user_without_a_password_prints_one_that_works(database: Engine) -> None:
    result = run("user", "create", "--email", "Ann.Smit@Gemeente.nl", "--name", "Ann Smit")

    assert result.exit_code == 0, result.output
    user = user_by_email(database, "ann.smit@gemeente.nl")
    assert user is not None and not user.is_admin
    assert auth.verify_password(user.password_hash, printed_password(result.output))


def test_creating_a_user_with_a_password_does_not_print_it(database: Engine) -> None:
    result = run(
        "user", "create", "--email", "ann@gemeente.nl", "--name", "Ann Smit",
        "--password", "lang-genoeg-wachtwoord",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert "lang-genoeg-wachtwoord" not in result.output
    user = user_by_email(database, "ann@gemeente.nl")
    assert user is not None
    assert auth.verify_password(user.password_hash, "lang-genoeg-wachtwoord")


def test_an_admin_can_be_created_with_a_home_location_by_name_or_number(
    database: Engine,
) -> None:
    with write_session(database) as session:
        admin = access_for(session, make_admin(session))
        location = org.create_location(
            session=session, actor=admin, data=LocationCreate(name="Gemeente Heuveldam")
        )

    by_name = run(
        "user", "create", "--email", "a@gemeente.nl", "--name", "Ann", "--admin",
        "--location", "gemeente heuveldam",
    )  # fmt: skip
    by_id = run(
        "user", "create", "--email", "b@gemeente.nl", "--name", "Bob",
        "--location", str(location.id),
    )  # fmt: skip

    assert by_name.exit_code == 0, by_name.output
    assert by_id.exit_code == 0, by_id.output
    ann, bob = user_by_email(database, "a@gemeente.nl"), user_by_email(database, "b@gemeente.nl")
    assert ann is not None and ann.is_admin and ann.location_id == location.id
    assert bob is not None and not bob.is_admin and bob.location_id == location.id
    assert "beheerder" in by_name.output


def test_an_unknown_location_is_refused_with_the_known_ones(database: Engine) -> None:
    with write_session(database) as session:
        admin = access_for(session, make_admin(session))
        org.create_location(session=session, actor=admin, data=LocationCreate(name="Lindewaard"))

    result = run("user", "create", "--email", "a@gemeente.nl", "--name", "Ann", "--location", "X")

    assert result.exit_code == 1
    assert "--location" in result.output and "Lindewaard" in result.output
    assert user_by_email(database, "a@gemeente.nl") is None


def test_a_second_user_with_the_same_email_address_is_refused(database: Engine) -> None:
    assert run("user", "create", "--email", "ann@gemeente.nl", "--name", "Ann").exit_code == 0

    result = run("user", "create", "--email", "ANN@gemeente.nl", "--name", "Ann Twee")

    assert result.exit_code == 1
    assert "--email: Er is al een medewerker met dit e-mailadres." in result.output
    with Session(database) as session:
        assert len(session.exec(select(User)).all()) == 1


def test_bad_input_is_refused_with_a_message_per_field(database: Engine) -> None:
    bad_email = run("user", "create", "--email", "geen-adres", "--name", "Ann")
    short_password = run(
        "user", "create", "--email", "ann@gemeente.nl", "--name", "Ann", "--password", "kort"
    )

    assert bad_email.exit_code == 1
    assert "--email: Dit is geen geldig e-mailadres." in bad_email.output
    assert short_password.exit_code == 1
    assert "--password: Een wachtwoord heeft minstens 12 tekens." in short_password.output
    with Session(database) as session:
        assert session.exec(select(User)).first() is None


# --- user set-password --------------------------------------------------------------------
def test_set_password_without_a_password_prints_a_new_one_and_ends_every_token(
    database: Engine,
) -> None:
    run("user", "create", "--email", "ann@gemeente.nl", "--name", "Ann Smit")
    token = run("token", "create", "--email", "ann@gemeente.nl").stdout.strip()

    result = run("user", "set-password", "--email", "Ann@Gemeente.nl")

    assert result.exit_code == 0, result.output
    assert "Nieuw wachtwoord ingesteld voor Ann Smit <ann@gemeente.nl>" in result.output
    user = user_by_email(database, "ann@gemeente.nl")
    assert user is not None
    assert auth.verify_password(user.password_hash, printed_password(result.output))
    with Session(database) as session:
        assert auth.user_for_token(session, token) is None


def test_set_password_with_a_password_sets_it_and_does_not_print_it(database: Engine) -> None:
    run("user", "create", "--email", "ann@gemeente.nl", "--name", "Ann Smit")

    result = run(
        "user", "set-password", "--email", "ann@gemeente.nl",
        "--password", "een nieuw lang wachtwoord",
    )  # fmt: skip

    assert result.exit_code == 0, result.output
    assert "een nieuw lang wachtwoord" not in result.output
    user = user_by_email(database, "ann@gemeente.nl")
    assert user is not None
    assert auth.verify_password(user.password_hash, "een nieuw lang wachtwoord")


def test_set_password_refuses_a_weak_password_and_an_unknown_address(database: Engine) -> None:
    run("user", "create", "--email", "ann@gemeente.nl", "--name", "Ann Smit")
    before = user_by_email(database, "ann@gemeente.nl")
    assert before is not None

    weak = run("user", "set-password", "--email", "ann@gemeente.nl", "--password", "kort")
    unknown = run("user", "set-password", "--email", "niemand@gemeente.nl")

    assert weak.exit_code == 1 and "--password: " in weak.output
    assert unknown.exit_code == 1 and "niemand@gemeente.nl" in unknown.output
    after = user_by_email(database, "ann@gemeente.nl")
    assert after is not None and after.password_hash == before.password_hash


# --- token create -------------------------------------------------------------------------
def test_a_new_api_token_authenticates_its_user(database: Engine) -> None:
    run("user", "create", "--email", "ann@gemeente.nl", "--name", "Ann")

    result = run("token", "create", "--email", "Ann@Gemeente.nl", "--name", "Rapportage")

    assert result.exit_code == 0, result.output
    token = result.stdout.strip()  # the token alone on stdout, so scripts can capture it
    assert token.startswith(auth.TOKEN_PREFIX)
    with Session(database) as session:
        user = auth.user_for_token(session, token)
        assert user is not None and user.email == "ann@gemeente.nl"


def test_a_token_for_an_unknown_email_address_is_refused(database: Engine) -> None:
    result = run("token", "create", "--email", "niemand@gemeente.nl")

    assert result.exit_code == 1
    assert "niemand@gemeente.nl" in result.output
    assert result.stdout == ""


def test_a_token_without_a_name_is_refused_with_the_name_rule(database: Engine) -> None:
    run("user", "create", "--email", "ann@gemeente.nl", "--name", "Ann")

    result = run("token", "create", "--email", "ann@gemeente.nl", "--name", "  ")

    assert result.exit_code == 1
    assert "--name: Geef de sleutel een naam" in result.output
    assert result.stdout == ""


# --- rollover -----------------------------------------------------------------------------
def _ended_sprint_with_open_work(engine: Engine) -> tuple[int, list[int]]:
    """A sprint that ended before TODAY, with two open actions and one done."""
    with write_session(engine) as session:
        admin_user = make_admin(session)
        admin = access_for(session, admin_user)
        team = org.create_team(session=session, actor=admin, data=TeamCreate(name="Wmo"))
        assert team.id is not None and admin_user.id is not None
        org.put_member(
            session=session, actor=admin, team_id=team.id, user_id=admin_user.id, role=Role.lead
        )
        admin = access_for(session, admin_user)
        ended = sprints.create_sprint(
            session=session,
            actor=admin,
            data=SprintCreate(start_date=date(2026, 11, 9), end_date=date(2026, 11, 22)),
        )
        assert ended.id is not None
        ids = []
        for title, status in (("Open", "todo"), ("Bezig", "doing"), ("Klaar", "done")):
            action = actions.create_action(
                session=session,
                actor=admin,
                data=ActionCreate(title=title, team_id=team.id, sprint_id=ended.id, status=status),
                today=TODAY,
            )
            assert action.id is not None
            ids.append(action.id)
        return ended.id, ids


def test_rollover_closes_an_ended_sprint_and_carries_open_actions_once(database: Engine) -> None:
    ended_id, (open_id, doing_id, done_id) = _ended_sprint_with_open_work(database)

    first = run("rollover")
    second = run("rollover")

    assert first.exit_code == 0, first.output
    assert "2 acties doorgeschoven" in first.output
    assert "week 46–47 (9 november 2026 t/m 22 november 2026)" in first.output
    assert second.exit_code == 0, second.output
    assert "Geen afgelopen periodes" in second.output
    with Session(database) as session:
        closed = session.get(Sprint, ended_id)
        assert closed is not None and closed.closed_at is not None
        carried = [session.get(Action, i) for i in (open_id, doing_id)]
        assert all(a is not None and a.carried_over == 1 for a in carried)
        assert all(a is not None and a.sprint_id != ended_id for a in carried)
        done = session.get(Action, done_id)
        assert done is not None and done.sprint_id == ended_id and done.carried_over == 0


def test_rollover_with_no_ended_sprint_says_so(database: Engine) -> None:
    result = run("rollover")

    assert result.exit_code == 0, result.output
    assert "Geen afgelopen periodes om af te sluiten." in result.output


# --- backup -------------------------------------------------------------------------------
def _integrity(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        answer = connection.execute("PRAGMA integrity_check").fetchone()[0]
    connection.close()
    return str(answer)


def _emails(path: Path) -> list[str]:
    connection = sqlite3.connect(path)
    try:
        return [row[0] for row in connection.execute('SELECT email FROM "user" ORDER BY email')]
    finally:
        connection.close()


def test_a_backup_is_a_single_file_that_passes_the_integrity_check(
    database: Engine, tmp_path: Path
) -> None:
    with write_session(database) as session:
        make_admin(session)
    target = tmp_path / "kopie.db"

    result = run("backup", str(target))

    assert result.exit_code == 0, result.output
    assert "integriteitscontrole: ok" in result.output
    assert _integrity(target) == "ok"
    assert _emails(target) == ["beheer@gemeente.nl"]
    # no write-ahead log beside it: the copy is complete on its own
    assert not Path(f"{target}-wal").exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".kopie")) == []


def test_a_backup_during_an_unfinished_write_holds_only_what_was_committed(
    database: Engine, settings: Settings, tmp_path: Path
) -> None:
    with write_session(database) as session:
        make_admin(session)
    writer = sqlite3.connect(settings.data_dir / "verbeterbord.db", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute(
        'INSERT INTO "user" (email, name, is_admin, is_active, locale, created_at, updated_at)'
        " VALUES ('half@gemeente.nl', 'Half', 0, 1, 'nl', '2026-11-25', '2026-11-25')"
    )
    try:
        result = run("backup", str(tmp_path / "kopie.db"))
    finally:
        writer.execute("ROLLBACK")
        writer.close()

    assert result.exit_code == 0, result.output
    assert _emails(tmp_path / "kopie.db") == ["beheer@gemeente.nl"]


def test_a_backup_does_not_overwrite_an_existing_file_without_force(
    database: Engine, tmp_path: Path
) -> None:
    target = tmp_path / "kopie.db"
    target.write_text("de vorige back-up")

    refused = run("backup", str(target))

    assert refused.exit_code == 1
    assert "--force" in refused.output
    assert target.read_text() == "de vorige back-up"

    forced = run("backup", str(target), "--force")

    assert forced.exit_code == 0, forced.output
    assert _integrity(target) == "ok"


def test_a_backup_of_postgresql_points_to_pg_dump(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("VERBETERBORD_DATABASE_URL", "postgresql://verbeterbord@db/verbeterbord")
    get_settings.cache_clear()

    result = run("backup", str(tmp_path / "kopie.db"))

    assert result.exit_code == 1
    assert "pg_dump" in result.output
    assert not (tmp_path / "kopie.db").exists()


def test_a_backup_without_a_database_says_so(settings: Settings, tmp_path: Path) -> None:
    result = run("backup", str(tmp_path / "kopie.db"))

    assert result.exit_code == 1
    assert "geen database gevonden" in result.output
