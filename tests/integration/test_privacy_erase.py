"""AVG: `verbeterbord user erase --email E` replaces a person's personal data with
"Verwijderde gebruiker" everywhere, keeps the history (pseudonymised) and ends their sessions
and tokens."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import Engine, func, select, text
from sqlmodel import Session
from sqlmodel import select as sm_select

from app import deps
from app.cli import main
from app.config import Settings
from app.db import metadata, write_session
from app.main import create_app
from app.models import (
    Action,
    ActionCreate,
    AuditEvent,
    CalendarFeed,
    CommentCreate,
    EscalationCreate,
    EscalationResolve,
    LoginAttempt,
    RecoveryCode,
    Role,
    User,
    UserCreate,
    utcnow,
)
from app.services import actions, auth, escalations, org, privacy, sessions
from app.services.access import access_for
from tests.conftest import TODAY
from tests.support.builders import PASSWORD, World

NAME = "Zoë Wisselaar-Testpersoon"
EMAIL = "zoe.wisselaar@example.org"


@dataclass
class Person:
    id: int
    token: str
    action_id: int


def _busy_person(engine: Engine, world: World) -> Person:
    """A member of the team who did a bit of everything: owns and made an action, commented,
    escalated and resolved, has a token and a session, and once mistyped their password."""
    with write_session(engine) as session:
        admin = access_for(session, world.users["admin"])
        user = org.create_user(
            session=session,
            actor=admin,
            data=UserCreate(email=EMAIL, name=NAME, password=PASSWORD),
        ).user
        assert user.id is not None and world.team.id is not None
        org.put_member(
            session=session, actor=admin, team_id=world.team.id, user_id=user.id, role=Role.member
        )
        org.put_member(
            session=session,
            actor=admin,
            team_id=world.team_of_teams.id or 0,
            user_id=user.id,
            role=Role.member,
        )
        me = access_for(session, user)
        action = actions.create_action(
            session=session,
            actor=me,
            data=ActionCreate(title="Wachtlijst doorlichten", team_id=world.team.id),
            today=TODAY,
        )
        assert action.id is not None
        actions.add_comment(
            session=session, actor=me, action_id=action.id, data=CommentCreate(body="Ik pak dit op")
        )
        raised = escalations.raise_escalation(
            session=session, actor=me, action_id=action.id, data=EscalationCreate(note="Hulp nodig")
        )
        assert raised.id is not None
        escalations.resolve_escalation(
            session=session,
            actor=access_for(session, user),
            escalation_id=raised.id,
            data=EscalationResolve(resolution="Opgelost"),
        )
        token = auth.create_token(session=session, user=user, name="mijn script", actor_id=user.id)
        sessions.start_session(session=session, user=user)
        session.add(LoginAttempt(email=EMAIL, client="testclient"))
        return Person(id=user.id, token=token, action_id=action.id)


def _erase(engine: Engine, user_id: int) -> privacy.Erased:
    with write_session(engine) as session:
        return privacy.erase_user(session=session, actor_id=None, user_id=user_id)


def _every_text_value(engine: Engine) -> list[tuple[str, str, Any]]:
    """(table, column, value) for every value in every table (text, JSON and the rest)."""
    found = []
    with engine.connect() as connection:
        for table in metadata.sorted_tables:
            columns = list(table.columns)
            for row in connection.execute(select(*columns)):
                for column, value in zip(columns, row, strict=True):
                    if value is not None:
                        found.append((table.name, column.name, value))
    return found


def test_after_erasure_the_name_and_email_appear_in_no_table(engine: Engine, world: World):
    person = _busy_person(engine, world)
    before = [(t, c) for t, c, v in _every_text_value(engine) if _mentions(v)]
    assert ("user", "name") in before and ("audit_event", "changes") in before
    assert ("login_attempt", "email") in before

    _erase(engine, person.id)

    left = [(t, c, v) for t, c, v in _every_text_value(engine) if _mentions(v)]
    assert left == []


def _mentions(value: Any) -> bool:
    text_ = str(value).casefold()
    return NAME.casefold() in text_ or EMAIL.casefold() in text_


def test_erasure_keeps_every_history_row_and_adds_one_erased_event_without_personal_data(
    engine: Engine, world: World
):
    person = _busy_person(engine, world)
    with Session(engine) as session:
        ids_before = set(session.exec(sm_select(AuditEvent.id)).all())

    erased = _erase(engine, person.id)

    with Session(engine) as session:
        events = session.exec(sm_select(AuditEvent).order_by(AuditEvent.id)).all()  # type: ignore[arg-type]
        own = [e for e in events if e.entity == "user" and e.entity_id == person.id]
    assert ids_before <= {event.id for event in events}
    # ending one session and one token is history too; nothing else is added
    assert len(events) == len(ids_before) + 1 + erased.sessions + erased.tokens
    assert (erased.sessions, erased.tokens) == (1, 1)
    created, last = own[0], own[-1]
    assert created.changes["name"] == [None, privacy.ERASED_NAME]
    assert created.changes["email"] == [None, f"verwijderd-{person.id}@verwijderd.invalid"]
    assert last.verb == "erased" and last.actor_id is None
    assert last.changes["name"] == ["***", privacy.ERASED_NAME]
    # the person's own actions in the history still point at them, by id
    assert any(e.actor_id == person.id and e.entity == "action" for e in events)


def test_the_erased_user_is_anonymous_inactive_and_without_a_password(
    sqlite_engine: Engine, world: World
):
    person = _busy_person(sqlite_engine, world)

    _erase(sqlite_engine, person.id)

    with Session(sqlite_engine) as session:
        user = session.get_one(User, person.id)
        action = session.get_one(Action, person.action_id)
    assert user.name == "Verwijderde gebruiker"
    assert user.email == f"verwijderd-{person.id}@verwijderd.invalid"
    assert user.password_hash is None and not user.is_active and not user.is_admin
    assert (user.locale, user.locale_chosen, user.location_id) == ("nl", False, None)
    # the work stays, owned by the now-anonymous user
    assert action.owner_id == person.id and action.created_by_id == person.id


def test_erasing_twice_changes_nothing_the_second_time(sqlite_engine: Engine, world: World):
    person = _busy_person(sqlite_engine, world)
    _erase(sqlite_engine, person.id)
    with Session(sqlite_engine) as session:
        count = session.exec(sm_select(func.count()).select_from(AuditEvent)).one()

    again = _erase(sqlite_engine, person.id)

    with Session(sqlite_engine) as session:
        assert session.exec(sm_select(func.count()).select_from(AuditEvent)).one() == count
    assert again.already


def test_the_old_email_address_can_be_used_for_a_new_colleague(sqlite_engine: Engine, world: World):
    person = _busy_person(sqlite_engine, world)
    _erase(sqlite_engine, person.id)

    with write_session(sqlite_engine) as session:
        created = org.create_user(
            session=session, actor=None, data=UserCreate(email=EMAIL, name="Nieuwe collega")
        )
    assert created.user.id != person.id


@pytest.fixture
def app_client(sqlite_engine: Engine, settings: Settings, world: World):
    app = create_app(settings, engine=sqlite_engine)
    app.dependency_overrides[deps.get_today] = lambda: TODAY
    with TestClient(app) as client:
        yield client


def test_after_erasure_the_persons_token_and_session_are_refused(
    app_client: TestClient, sqlite_engine: Engine, world: World
):
    person = _busy_person(sqlite_engine, world)
    person_client = TestClient(app_client.app)
    logged_in = person_client.post(
        "/login", data={"email": EMAIL, "password": PASSWORD, "next": "/"}, follow_redirects=False
    )
    assert logged_in.status_code == 303
    bearer = {"Authorization": f"Bearer {person.token}"}
    assert app_client.get("/api/v1/me", headers=bearer).status_code == 200

    _erase(sqlite_engine, person.id)

    assert app_client.get("/api/v1/me", headers=bearer).status_code == 401
    page = person_client.get("/profiel", follow_redirects=False)
    assert page.status_code in (302, 303) and "/login" in page.headers["location"]
    again = person_client.post(
        "/login", data={"email": EMAIL, "password": PASSWORD, "next": "/"}, follow_redirects=False
    )
    assert again.status_code != 303


def test_pages_show_verwijderde_gebruiker_as_owner_and_author(
    app_client: TestClient, sqlite_engine: Engine, world: World
):
    person = _busy_person(sqlite_engine, world)
    _erase(sqlite_engine, person.id)
    app_client.post(
        "/login",
        data={"email": world.users["lead"].email, "password": PASSWORD, "next": "/"},
        follow_redirects=False,
    )

    board = app_client.get(f"/teams/{world.team.id}")
    detail = app_client.get(f"/teams/{world.team.id}/acties/{person.action_id}")
    members = app_client.get(f"/api/v1/teams/{world.team.id}/members").json()

    assert board.status_code == 200 and detail.status_code == 200
    for html in (board.text, detail.text):
        assert "Verwijderde gebruiker" in html
        assert "Zo&#235;" not in html and "Zoë" not in html and EMAIL not in html
    assert "Ik pak dit op" in detail.text  # the comment stays
    assert {"id": person.id, "name": "Verwijderde gebruiker"}.items() <= next(
        m["user"] for m in members if m["user"]["id"] == person.id
    ).items()


def test_the_command_erases_by_email_and_refuses_an_unknown_address(
    settings: Settings, sqlite_engine: Engine, world: World, monkeypatch: pytest.MonkeyPatch
):
    person = _busy_person(sqlite_engine, world)
    # the test database is built from the models; tell the command it is at head
    monkeypatch.setattr("app.cli.current_revision", lambda engine: "head")
    monkeypatch.setattr("app.cli.head_revision", lambda: "head")
    runner = CliRunner()

    unknown = runner.invoke(main, ["user", "erase", "--email", "niemand@example.org"])
    done = runner.invoke(main, ["user", "erase", "--email", EMAIL.upper()])

    assert unknown.exit_code == 1
    assert "er is geen medewerker met e-mailadres niemand@example.org" in unknown.output
    assert done.exit_code == 0, done.output
    assert "Verwijderde gebruiker" in done.output and EMAIL not in done.output
    with sqlite_engine.connect() as connection:
        name = connection.execute(
            text("SELECT name FROM user WHERE id = :id"), {"id": person.id}
        ).scalar_one()
    assert name == "Verwijderde gebruiker"


def test_erasure_removes_the_second_factor_the_sso_link_mail_settings_and_agenda_links(
    sqlite_engine: Engine, world: World
):
    person = _busy_person(sqlite_engine, world)
    with write_session(sqlite_engine) as session:
        user = session.get_one(User, person.id)
        user.totp_secret, user.totp_enabled_at = "JBSWY3DPEHPK3PXP", utcnow()
        user.oidc_subject = "entra|0a1b2c"
        session.add(user)
        session.add(RecoveryCode(user_id=person.id, code_hash="e" * 64))
        session.add(CalendarFeed(user_id=person.id, token_hash="f" * 64))
        session.commit()

    _erase(sqlite_engine, person.id)

    with Session(sqlite_engine) as session:
        user = session.get_one(User, person.id)
        codes = session.exec(sm_select(RecoveryCode).where(RecoveryCode.user_id == person.id))
        feeds = session.exec(sm_select(CalendarFeed).where(CalendarFeed.user_id == person.id))
        assert (user.totp_secret, user.totp_enabled_at, user.oidc_subject) == (None, None, None)
        assert (user.digest_weekday, user.mention_mail) == (None, False)
        assert list(codes) == []
        assert [feed.revoked_at is not None for feed in feeds] == [True]
