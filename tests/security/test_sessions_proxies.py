"""Login throttling counts per real client: a spoofed X-Forwarded-For from an untrusted client
does not give it a fresh budget; behind a trusted proxy each forwarded client has its own."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.config import Settings
from app.main import create_app
from app.models import LoginAttempt
from tests.support.builders import PASSWORD, World

PROXY = "10.0.0.1"


def _app(settings: Settings, engine: Engine, **changes):
    return create_app(
        settings.model_copy(update={"login_attempts_allowed": 2, **changes}), engine=engine
    )


def _login(client: TestClient, password: str, forwarded_for: str) -> int:
    response = client.post(
        "/login",
        data={"email": "member@example.org", "password": password},
        headers={"X-Forwarded-For": forwarded_for},
        follow_redirects=False,
    )
    return response.status_code


def test_a_spoofed_x_forwarded_for_from_an_untrusted_client_does_not_reset_throttling(
    settings: Settings, sqlite_engine: Engine, world: World
):
    app = _app(settings, sqlite_engine, trusted_proxies=PROXY)
    client = TestClient(app, client=("203.0.113.9", 5000))
    assert _login(client, "wrong-password-1", "1.1.1.1") == 401
    assert _login(client, "wrong-password-2", "2.2.2.2") == 401
    # the right password, from a "new" address: still throttled, the header is not believed
    assert _login(client, PASSWORD, "3.3.3.3") == 429
    with Session(sqlite_engine) as session:
        clients = set(session.exec(select(LoginAttempt.client)).all())
    assert clients == {"203.0.113.9"}


def test_behind_a_trusted_proxy_each_forwarded_client_is_throttled_on_its_own(
    settings: Settings, sqlite_engine: Engine, world: World
):
    app = _app(settings, sqlite_engine, trusted_proxies=PROXY)
    proxy = TestClient(app, client=(PROXY, 5000))
    assert _login(proxy, "wrong-password-1", "198.51.100.7") == 401
    assert _login(proxy, "wrong-password-2", "198.51.100.7") == 401
    assert _login(proxy, PASSWORD, "198.51.100.7") == 429
    # someone else behind the same proxy is not locked out by the first client
    assert _login(proxy, PASSWORD, "198.51.100.8") == 303
    with Session(sqlite_engine) as session:
        clients = set(session.exec(select(LoginAttempt.client)).all())
    assert clients == {"198.51.100.7"}
