"""Changing your own password: the current one first, the password rule, then every session
and API token of the user ends and they log in again."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.models import AuditEvent, User
from app.services import org, sessions
from app.services.auth import verify_password
from app.services.errors import Invalid
from tests.support.builders import PASSWORD, World
from tests.web.conftest import app_for_pages, login  # noqa: F401  (fixtures)

NEW_PASSWORD = "paars-konijn-onder-de-brug-42"


def _change(client, current: str, new: str, repeat: str | None = None):
    return client.post(
        "/profiel/wachtwoord",
        data={
            "csrf_token": client.csrf_token,
            "current_password": current,
            "new_password": new,
            "repeat_password": new if repeat is None else repeat,
        },
        follow_redirects=False,
    )


def _password_hash(world: World, who: str) -> str:
    with Session(world.engine) as session:
        return session.get_one(User, world.users[who].id).password_hash or ""


def _log_in(app, email: str, password: str) -> int:
    client = TestClient(app)
    response = client.post(
        "/login", data={"email": email, "password": password}, follow_redirects=False
    )
    return response.status_code


def test_a_new_password_ends_every_session_and_token_and_works_at_the_next_login(
    login,  # noqa: F811
    app_for_pages,  # noqa: F811
    world: World,
):
    client, other_browser = login("member"), login("member")
    token_headers = world.headers("member")

    response = _change(client, PASSWORD, NEW_PASSWORD)

    assert response.status_code == 303
    assert response.headers["location"] == "/login?wachtwoord=gewijzigd"
    assert (
        "Max-Age=0" in response.headers["set-cookie"]
        or "expires" in response.headers["set-cookie"].lower()
    )
    assert client.get("/", follow_redirects=False).status_code == 303
    assert other_browser.get("/", follow_redirects=False).status_code == 303
    assert TestClient(app_for_pages).get("/api/v1/me", headers=token_headers).status_code == 401
    assert verify_password(_password_hash(world, "member"), NEW_PASSWORD)
    assert _log_in(app_for_pages, "member@example.org", PASSWORD) == 401
    assert _log_in(app_for_pages, "member@example.org", NEW_PASSWORD) == 303


def test_the_login_page_says_the_password_was_changed(app_for_pages, world: World):  # noqa: F811
    page = TestClient(app_for_pages).get("/login?wachtwoord=gewijzigd")
    assert "Je wachtwoord is gewijzigd. Log opnieuw in met je nieuwe wachtwoord." in page.text
    assert "wachtwoord-gewijzigd" not in TestClient(app_for_pages).get("/login").text


REFUSED = [
    (
        "niet-mijn-wachtwoord",
        NEW_PASSWORD,
        None,
        "current_password",
        "Je huidige wachtwoord klopt niet.",
    ),
    ("", NEW_PASSWORD, None, "current_password", "Vul je huidige wachtwoord in."),
    (PASSWORD, "", None, "new_password", "Vul een nieuw wachtwoord in."),
    (
        PASSWORD,
        NEW_PASSWORD,
        "iets-anders-dan-dat",
        "repeat_password",
        "Het herhaalde wachtwoord is niet hetzelfde.",
    ),
    (PASSWORD, "kort", None, "new_password", "Een wachtwoord heeft minstens 12 tekens."),
    (
        PASSWORD,
        "member-heeft-een-fiets",
        None,
        "new_password",
        "Je wachtwoord mag je naam of e-mailadres niet bevatten.",
    ),
    (PASSWORD, PASSWORD, None, "new_password", "Kies een ander wachtwoord dan je huidige."),
]


def test_a_refused_password_change_shows_a_dutch_message_and_changes_nothing(
    login,  # noqa: F811
    world: World,
):
    client = login("member")
    page = client.get("/profiel")
    assert 'action="/profiel/wachtwoord"' in page.text
    assert 'for="veld-current_password">Huidig wachtwoord</label>' in page.text
    assert 'for="veld-new_password">Nieuw wachtwoord</label>' in page.text
    assert 'for="veld-repeat_password">Herhaal het nieuwe wachtwoord</label>' in page.text
    assert 'autocomplete="new-password"' in page.text
    before = _password_hash(world, "member")
    # one login for all cases: every password check costs half a second of argon2
    for current, new, repeat, field, message in REFUSED:
        response = _change(client, current, new, repeat)

        assert response.status_code == 422, (field, message)
        assert f'id="fout-{field}">{message}</p>' in response.text
        for typed in {current, new, repeat} - {None, ""}:
            assert f'value="{typed}"' not in response.text
    assert _password_hash(world, "member") == before
    assert client.get("/", follow_redirects=False).status_code == 200


def test_a_password_change_without_the_csrf_token_is_refused(login, world: World):  # noqa: F811
    client = login("member")
    before = _password_hash(world, "member")
    response = client.post(
        "/profiel/wachtwoord",
        data={
            "current_password": PASSWORD,
            "new_password": NEW_PASSWORD,
            "repeat_password": NEW_PASSWORD,
        },
    )
    assert response.status_code == 403
    assert _password_hash(world, "member") == before


def test_the_password_form_reads_in_english(login):  # noqa: F811
    client = login("member")
    client.post("/profiel/taal", data={"locale": "en", "csrf_token": client.csrf_token})
    page = client.get("/profiel")
    assert "Change password" in page.text and "Repeat the new password" in page.text
    response = _change(client, "niet-mijn-wachtwoord", NEW_PASSWORD)
    assert "Your current password is not correct." in response.text


def test_change_password_records_an_audit_event_without_the_password(world: World):
    user_id = world.users["member"].id
    with Session(world.engine) as session:
        user = session.get_one(User, user_id)
        sessions.start_session(session=session, user=user)
        org.change_password(
            session=session, user=user, current_password=PASSWORD, new_password=NEW_PASSWORD
        )
    with Session(world.engine) as session:
        events = session.exec(
            select(AuditEvent).where(AuditEvent.actor_id == user_id).order_by(col(AuditEvent.id))
        ).all()
    changed = [e for e in events if e.entity == "user" and "password" in json.dumps(e.changes)]
    assert changed, "no audit event for the password change"
    dumped = json.dumps([event.changes for event in events], default=str)
    assert PASSWORD not in dumped and NEW_PASSWORD not in dumped
    assert {"user_session", "api_token"} <= {event.entity for event in events}


def test_change_password_refuses_a_wrong_current_password(world: World):
    with Session(world.engine) as session:
        user = session.get_one(User, world.users["member"].id)
        with pytest.raises(Invalid) as refused:
            org.change_password(
                session=session, user=user, current_password="fout", new_password=NEW_PASSWORD
            )
    assert refused.value.errors == {"current_password": "Je huidige wachtwoord klopt niet."}


def test_an_admin_setting_a_password_ends_the_users_sessions_and_tokens(
    app_for_pages,  # noqa: F811
    world: World,
):
    with Session(world.engine) as session:
        user = session.get_one(User, world.users["member"].id)
        org.set_password(
            session=session, actor_id=world.users["admin"].id, user=user, password=NEW_PASSWORD
        )
    client = TestClient(app_for_pages)
    assert client.get("/api/v1/me", headers=world.headers("member")).status_code == 401
