"""Session lifetime, cookie and throttling rules that were already in place, proved here:
idle timeout, absolute lifetime, the __Host- cookie, 429 after too many failures (counted even
for a request that fails anyway), argon2 hashes."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.config import Settings
from app.main import create_app
from app.models import User, UserSession
from tests.support.builders import PASSWORD, World


def _log_in(client: TestClient, password: str = PASSWORD, email: str = "member@example.org"):
    return client.post(
        "/login", data={"email": email, "password": password}, follow_redirects=False
    )


def _age_sessions(engine: Engine, *, created: timedelta, seen: timedelta) -> None:
    with Session(engine) as session:
        for record in session.exec(select(UserSession)).all():
            record.created_at -= created
            record.last_seen_at -= seen
            session.add(record)
        session.commit()


def test_a_session_ends_after_the_idle_timeout_and_after_the_absolute_lifetime(
    settings: Settings, sqlite_engine: Engine, world: World
):
    app = create_app(
        settings.model_copy(update={"session_idle_minutes": 30, "session_max_hours": 2}),
        engine=sqlite_engine,
    )
    client = TestClient(app)
    assert _log_in(client).status_code == 303
    _age_sessions(sqlite_engine, created=timedelta(minutes=20), seen=timedelta(minutes=20))
    assert client.get("/", follow_redirects=False).status_code == 200  # still within both
    _age_sessions(sqlite_engine, created=timedelta(0), seen=timedelta(minutes=31))
    assert client.get("/", follow_redirects=False).status_code == 303  # idle too long

    fresh = TestClient(app)
    assert _log_in(fresh).status_code == 303
    with Session(sqlite_engine) as session:
        newest = max(session.exec(select(UserSession)).all(), key=lambda r: r.id or 0)
        newest.created_at -= timedelta(hours=2, minutes=1)  # active all along, but too old
        session.add(newest)
        session.commit()
    assert fresh.get("/", follow_redirects=False).status_code == 303


def test_with_secure_cookies_the_cookie_is_host_prefixed_secure_and_httponly(
    settings: Settings, sqlite_engine: Engine, world: World
):
    app = create_app(settings.model_copy(update={"secure_cookies": True}), engine=sqlite_engine)
    response = _log_in(TestClient(app, base_url="https://testserver"))
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("__Host-verbeterbord=")
    assert "Secure" in cookie and "HttpOnly" in cookie and "Path=/" in cookie
    assert "Domain" not in cookie


def test_too_many_failures_give_429_with_a_generic_message_even_for_the_right_password(
    settings: Settings, sqlite_engine: Engine, world: World
):
    app = create_app(
        settings.model_copy(update={"login_attempts_allowed": 2}), engine=sqlite_engine
    )
    client = TestClient(app)
    assert _log_in(client, "wrong-password-1").status_code == 401
    assert _log_in(client, "wrong-password-2").status_code == 401
    throttled = _log_in(client)
    assert throttled.status_code == 429
    assert "Te veel mislukte pogingen." in throttled.text
    # the throttled attempt counts too, and another address has its own budget
    assert _log_in(client).status_code == 429
    assert _log_in(client, email="lead@example.org").status_code == 303


def test_an_unknown_address_counts_towards_throttling_like_a_known_one(
    settings: Settings, sqlite_engine: Engine, world: World
):
    app = create_app(
        settings.model_copy(update={"login_attempts_allowed": 1}), engine=sqlite_engine
    )
    client = TestClient(app)
    first = _log_in(client, "whatever-password", email="nobody@example.org")
    second = _log_in(client, "whatever-password", email="nobody@example.org")
    assert (first.status_code, second.status_code) == (401, 429)


def test_passwords_are_stored_as_argon2id_hashes(world: World):
    with Session(world.engine) as session:
        hashes = [user.password_hash or "" for user in session.exec(select(User)).all()]
    assert hashes and all(h.startswith("$argon2id$") for h in hashes)
    assert all(PASSWORD not in h for h in hashes)
