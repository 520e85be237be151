"""The security log: failed logins and refused writes as JSON lines on "verbeterbord.security",
never with a password, session cookie, CSRF token or API token in them."""

from __future__ import annotations

import io
import json
import logging

import pytest
from fastapi.testclient import TestClient

from app.logging_setup import LOGGER_NAME, JsonFormatter, security_log
from tests.support.builders import PASSWORD, World
from tests.web.conftest import app_for_pages, login  # noqa: F401  (fixtures)

WRONG_PASSWORD = "Geheim-en-fout-123!"


@pytest.fixture
def security_lines(caplog):
    """The security log's records, each as the JSON line the formatter writes."""
    caplog.set_level(logging.INFO, logger=LOGGER_NAME)
    formatter = JsonFormatter()

    def _lines() -> list[dict]:
        records = [r for r in caplog.records if r.name == LOGGER_NAME]
        return [json.loads(formatter.format(record)) for record in records]

    return _lines


def test_a_failed_login_is_logged_with_the_address_and_client_but_not_the_password(
    app_for_pages,  # noqa: F811
    world: World,
    security_lines,
    caplog,
):
    TestClient(app_for_pages).post(
        "/login", data={"email": " Member@Example.org ", "password": WRONG_PASSWORD}
    )
    TestClient(app_for_pages).post(
        "/login", data={"email": "nobody@example.org", "password": WRONG_PASSWORD}
    )

    lines = security_lines()
    assert [line["event"] for line in lines] == ["login_failed", "login_failed"]
    assert lines[0]["email"] == "member@example.org" and lines[0]["client"] == "testclient"
    assert lines[0]["reason"] == lines[1]["reason"] == "unknown_or_wrong"
    assert lines[0]["level"] == "WARNING" and lines[0]["logger"] == LOGGER_NAME
    assert WRONG_PASSWORD not in caplog.text and WRONG_PASSWORD not in json.dumps(lines)


def test_a_throttled_login_is_logged_as_throttled(settings, sqlite_engine, world, security_lines):
    from app.main import create_app

    app = create_app(
        settings.model_copy(update={"login_attempts_allowed": 1}), engine=sqlite_engine
    )
    client = TestClient(app)
    for _ in range(2):
        client.post("/login", data={"email": "member@example.org", "password": WRONG_PASSWORD})
    assert [line["reason"] for line in security_lines()] == ["unknown_or_wrong", "throttled"]


def test_a_forbidden_api_write_is_logged_with_user_method_path_and_status(
    app_for_pages,  # noqa: F811
    world: World,
    security_lines,
):
    response = TestClient(app_for_pages).post(
        "/api/v1/teams", json={"name": "Niet van mij"}, headers=world.headers("member")
    )
    assert response.status_code == 403
    [line] = security_lines()
    assert line["event"] == "write_refused"
    assert line["user_id"] == world.users["member"].id
    assert (line["method"], line["path"], line["status"]) == ("POST", "/api/v1/teams", 403)


def test_a_write_on_another_teams_object_is_logged(login, world: World, security_lines):  # noqa: F811
    client = login("outsider")
    response = client.post(
        "/api/v1/actions",
        json={"title": "Niet mijn team", "team_id": world.team.id},
        headers={"X-CSRF-Token": client.csrf_token},
    )
    assert response.status_code in (403, 404)
    [line] = [line for line in security_lines() if line["event"] == "write_refused"]
    assert line["user_id"] == world.users["outsider"].id and line["status"] == response.status_code


def test_a_write_without_the_csrf_token_is_logged_with_the_user(login, world, security_lines):  # noqa: F811
    client = login("member")
    assert client.post("/profiel/taal", data={"locale": "en"}).status_code == 403
    assert client.post("/api/v1/teams", json={"name": "x"}).status_code == 403
    lines = [line for line in security_lines() if line["event"] == "write_refused"]
    assert [(line["path"], line["status"]) for line in lines] == [
        ("/profiel/taal", 403),
        ("/api/v1/teams", 403),
    ]
    assert {line["user_id"] for line in lines} == {world.users["member"].id}


def test_an_anonymous_write_is_logged_without_a_user(app_for_pages, world, security_lines):  # noqa: F811
    assert TestClient(app_for_pages).post("/api/v1/teams", json={"name": "x"}).status_code == 401
    [line] = security_lines()
    assert line["user_id"] is None and line["status"] == 401


def test_reads_and_successful_writes_are_not_logged(login, world, security_lines):  # noqa: F811
    client = login("member")
    client.get("/profiel")
    client.get("/api/v1/teams/999999", headers=world.headers("member"))
    client.post("/profiel/taal", data={"locale": "en", "csrf_token": client.csrf_token})
    assert security_lines() == []


def test_no_password_cookie_or_token_ever_reaches_the_log(
    login,  # noqa: F811
    app_for_pages,  # noqa: F811
    world: World,
    caplog,
):
    caplog.set_level(logging.DEBUG)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    security_log.addHandler(handler)
    try:
        client = login("member")
        anonymous = TestClient(app_for_pages)
        anonymous.post("/login", data={"email": "member@example.org", "password": WRONG_PASSWORD})
        anonymous.post("/login", data={"email": WRONG_PASSWORD, "password": PASSWORD})
        client.post("/profiel/taal", data={"locale": "en"})  # no CSRF token
        client.post(
            "/profiel/wachtwoord",
            data={
                "csrf_token": client.csrf_token,
                "current_password": WRONG_PASSWORD,
                "new_password": "nieuw-en-lang-genoeg-1",
                "repeat_password": "nieuw-en-lang-genoeg-1",
            },
        )
        anonymous.post("/api/v1/teams", json={"name": "x"}, headers=world.headers("outsider"))
        anonymous.post(
            "/api/v1/teams", json={"name": "x"}, headers={"Authorization": "Bearer vb_fake"}
        )
        cookie = next(iter(client.cookies.values()))
    finally:
        security_log.removeHandler(handler)
    output = stream.getvalue() + caplog.text
    assert output.count("\n") >= 5, output
    secrets = [PASSWORD, "nieuw-en-lang-genoeg-1", client.csrf_token, cookie, "vb_fake"]
    secrets += list(world.tokens.values())
    for secret in secrets:
        assert secret not in output
    assert "password_change_failed" in output
    # a password typed into the address field is logged as typed: the address is the only
    # free text that goes in (an accepted risk, docs/security.md)


def test_a_newline_in_a_logged_field_cannot_forge_a_second_line():
    record = logging.LogRecord(
        LOGGER_NAME, logging.WARNING, __file__, 1, "login_failed", None, None
    )
    record.security = {"email": 'x@y.nl\n{"event": "forged"}'}
    line = JsonFormatter().format(record)
    assert "\n" not in line and json.loads(line)["email"].endswith('"forged"}')
