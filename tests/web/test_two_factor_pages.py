"""Two-factor for local accounts: enrolment on the profile (QR code and secret, confirmed with a
code, ten recovery codes shown once), the second step of a password login, switching it off,
and the rule that an admin must have it while passwords are on."""

from __future__ import annotations

import re

import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, col, select

from app.config import Settings
from app.models import AuditEvent, LoginAttempt, RecoveryCode, User
from app.services import two_factor
from tests.support.builders import PASSWORD, World
from tests.support.clients import create_test_app, csrf_token_of, log_in

SECRET = re.compile(r'<code class="admin-secret__value" id="tweestap-sleutel">([A-Z2-7 ]+)</code>')
SECRET_TOKEN = re.compile(r'name="secret_token" value="([^"]+)"')
RECOVERY = re.compile(r"<li><code>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</code></li>")


def enrol(client: TestClient) -> tuple[str, list[str]]:
    """Set up two-factor through the pages; returns the secret and the recovery codes."""
    page = client.get("/profiel/tweestapsverificatie")
    assert page.status_code == 200, page.text
    secret = SECRET.search(page.text).group(1).replace(" ", "")  # type: ignore[union-attr]
    done = client.post(
        "/profiel/tweestapsverificatie",
        data={
            "csrf_token": csrf_token_of(page.text),
            "secret_token": SECRET_TOKEN.search(page.text).group(1),  # type: ignore[union-attr]
            "code": pyotp.TOTP(secret).now(),
        },
    )
    assert done.status_code == 200, done.text
    return secret, RECOVERY.findall(done.text)


def logged_in(app, email: str) -> TestClient:
    client = TestClient(app)
    log_in(client, email)
    return client


def password_step(client: TestClient, email: str) -> None:
    answer = client.post(
        "/login", data={"email": email, "password": PASSWORD}, follow_redirects=False
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/login/code"


@pytest.fixture
def enrolled(app_for_pages, world: World) -> tuple[str, list[str]]:
    """The member has two-factor on; they are logged out again."""
    client = logged_in(app_for_pages, "member@example.org")
    secret, codes = enrol(client)
    client.close()
    return secret, codes


def test_the_profile_offers_two_factor(login):
    page = login("member").get("/profiel")
    assert 'id="tweestapsverificatie"' in page.text
    assert 'href="/profiel/tweestapsverificatie"' in page.text


def test_enrolment_shows_a_qr_code_and_the_secret_and_asks_for_a_code_first(
    app_for_pages, world: World
):
    client = logged_in(app_for_pages, "member@example.org")
    page = client.get("/profiel/tweestapsverificatie")
    assert 'src="data:image/svg+xml' in page.text and "QR-code" in page.text
    assert page.headers["cache-control"] == "no-store"
    wrong = client.post(
        "/profiel/tweestapsverificatie",
        data={
            "csrf_token": csrf_token_of(page.text),
            "secret_token": SECRET_TOKEN.search(page.text).group(1),  # type: ignore[union-attr]
            "code": "000000",
        },
    )
    assert wrong.status_code == 422
    assert "Deze code klopt niet" in wrong.text
    with Session(world.engine) as session:
        assert session.get_one(User, world.users["member"].id).totp_enabled_at is None


def test_a_confirmed_code_switches_it_on_and_shows_ten_recovery_codes_once(
    app_for_pages, world: World
):
    client = logged_in(app_for_pages, "member@example.org")
    secret, codes = enrol(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    with Session(world.engine) as session:
        member = session.get_one(User, world.users["member"].id)
        assert member.totp_secret == secret and member.totp_enabled_at is not None
        stored = session.exec(select(RecoveryCode).where(RecoveryCode.user_id == member.id)).all()
        # only hashes are kept
        assert {row.code_hash for row in stored} == {
            two_factor.hash_recovery_code(code) for code in codes
        }
        assert not {row.code_hash for row in stored} & set(codes)
        event = session.exec(
            select(AuditEvent)
            .where(AuditEvent.entity == "user", AuditEvent.entity_id == member.id)
            .order_by(col(AuditEvent.id).desc())
        ).first()
        assert event is not None and list(event.changes) == ["totp_enabled_at"]
        assert secret not in str(event.changes)
    # the page is not shown again: the profile says it is on
    assert client.get("/profiel/tweestapsverificatie", follow_redirects=False).status_code == 303
    assert "staat aan sinds" in client.get("/profiel").text


def test_a_password_alone_no_longer_starts_a_session(app_for_pages, world: World, enrolled):
    client = TestClient(app_for_pages)
    password_step(client, "member@example.org")
    assert client.get("/", follow_redirects=False).status_code == 303  # to the login page
    page = client.get("/login/code")
    assert page.status_code == 200 and "Code" in page.text


def test_the_code_from_the_app_completes_the_login(app_for_pages, world: World, enrolled):
    secret, _codes = enrolled
    client = TestClient(app_for_pages)
    password_step(client, "member@example.org")

    wrong = client.post("/login/code", data={"code": "123456"}, follow_redirects=False)
    assert wrong.status_code == 401 and "Deze code klopt niet" in wrong.text
    right = client.post(
        "/login/code", data={"code": pyotp.TOTP(secret).now()}, follow_redirects=False
    )

    assert right.status_code == 303 and right.headers["location"] == "/"
    assert client.get("/").status_code == 200
    with Session(world.engine) as session:
        last = session.exec(
            select(AuditEvent)
            .where(AuditEvent.entity == "user_session")
            .order_by(col(AuditEvent.id).desc())
        ).first()
        assert last is not None and last.changes["method"] == [None, "totp"]


def test_a_recovery_code_works_once(app_for_pages, world: World, enrolled):
    _secret, codes = enrolled
    first = TestClient(app_for_pages)
    password_step(first, "member@example.org")
    used = first.post("/login/code", data={"code": codes[0].upper()}, follow_redirects=False)
    assert used.status_code == 303
    with Session(world.engine) as session:
        row = session.exec(
            select(RecoveryCode).where(
                RecoveryCode.code_hash == two_factor.hash_recovery_code(codes[0])
            )
        ).one()
        assert row.used_at is not None
        audited = session.exec(
            select(AuditEvent).where(
                AuditEvent.entity == "recovery_code", AuditEvent.entity_id == row.id
            )
        ).one()
        assert list(audited.changes) == ["used_at"]

    again = TestClient(app_for_pages)
    password_step(again, "member@example.org")
    assert again.post("/login/code", data={"code": codes[0]}).status_code == 401


def test_the_second_step_is_throttled_like_passwords(
    app_for_pages, world: World, enrolled, settings: Settings
):
    client = TestClient(app_for_pages)
    password_step(client, "member@example.org")
    statuses = [
        client.post("/login/code", data={"code": "000000"}).status_code
        for _ in range(settings.login_attempts_allowed + 1)
    ]
    assert statuses[:-1] == [401] * settings.login_attempts_allowed
    assert statuses[-1] == 429
    with Session(world.engine) as session:
        assert session.exec(select(LoginAttempt)).all()


def test_without_the_password_step_there_is_no_second_step(app_for_pages, world: World, enrolled):
    client = TestClient(app_for_pages)
    assert client.get("/login/code", follow_redirects=False).headers["location"] == "/login"
    client.cookies.set("verbeterbord-stap2", "vervalst")
    answer = client.post("/login/code", data={"code": "123456"}, follow_redirects=False)
    assert answer.headers["location"] == "/login"


def test_switching_it_off_asks_for_a_code(app_for_pages, world: World, enrolled):
    secret, _codes = enrolled
    client = TestClient(app_for_pages)
    password_step(client, "member@example.org")
    client.post("/login/code", data={"code": pyotp.TOTP(secret).now()})
    token = csrf_token_of(client.get("/profiel").text)

    refused = client.post(
        "/profiel/tweestapsverificatie/uitzetten", data={"csrf_token": token, "code": "000000"}
    )
    assert refused.status_code == 422 and "Deze code klopt niet" in refused.text
    off = client.post(
        "/profiel/tweestapsverificatie/uitzetten",
        data={"csrf_token": token, "code": pyotp.TOTP(secret).now()},
    )

    assert off.status_code == 200 and "staat uit" in off.text
    with Session(world.engine) as session:
        member = session.get_one(User, world.users["member"].id)
        assert member.totp_secret is None and member.totp_enabled_at is None
        assert not session.exec(select(RecoveryCode).where(RecoveryCode.user_id == member.id)).all()
    # a password is enough again
    again = TestClient(app_for_pages)
    assert (
        again.post(
            "/login",
            data={"email": "member@example.org", "password": PASSWORD},
            follow_redirects=False,
        ).headers["location"]
        == "/"
    )


# --- admins must have it ----------------------------------------------------------------------
@pytest.fixture
def strict_app(settings: Settings, sqlite_engine: Engine, world: World):
    """The production default: an admin needs a second factor while passwords are on."""
    return create_test_app(
        settings.model_copy(update={"admin_two_factor_required": True}), sqlite_engine
    )


def test_an_admin_without_a_second_factor_is_sent_to_enrol_from_every_page(strict_app):
    client = logged_in(strict_app, "admin@example.org")
    for path in ("/", "/beheer", "/mijn-acties", "/profiel"):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code == 303, path
        assert answer.headers["location"] == "/profiel/tweestapsverificatie"
    htmx = client.get("/", headers={"HX-Request": "true"}, follow_redirects=False)
    assert htmx.headers["hx-redirect"] == "/profiel/tweestapsverificatie"
    page = client.get("/profiel/tweestapsverificatie")
    assert page.status_code == 200 and "Je bent beheerder" in page.text


def test_the_admin_can_use_the_app_once_enrolled(strict_app):
    client = logged_in(strict_app, "admin@example.org")
    enrol(client)
    assert client.get("/beheer", follow_redirects=False).status_code == 200


def test_an_admin_who_must_enrol_can_still_log_out(strict_app):
    client = logged_in(strict_app, "admin@example.org")
    token = csrf_token_of(client.get("/profiel/tweestapsverificatie").text)
    answer = client.post("/logout", data={"csrf_token": token}, follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/login"


def test_api_tokens_are_not_affected_but_the_browser_session_is(strict_app, world: World):
    with TestClient(strict_app) as api:
        assert api.get("/api/v1/me", headers=world.headers("admin")).status_code == 200
    client = logged_in(strict_app, "admin@example.org")
    assert client.get("/api/v1/me").status_code == 403


def test_other_people_are_not_asked_to_enrol(strict_app):
    client = logged_in(strict_app, "member@example.org")
    assert client.get("/", follow_redirects=False).status_code == 200


def test_with_passwords_off_admins_are_not_asked(
    settings: Settings, sqlite_engine: Engine, world: World
):
    with Session(sqlite_engine) as session:
        admin = session.get_one(User, world.users["admin"].id)
        assert not two_factor.must_enrol(
            session=session,
            settings=settings.model_copy(
                update={"admin_two_factor_required": True, "local_login": False}
            ),
            user=admin,
            session_id=1,
        )


def test_a_code_from_the_app_starts_one_session_only(app_for_pages, world: World, enrolled):
    secret, _codes = enrolled
    code = pyotp.TOTP(secret).now()
    first = TestClient(app_for_pages)
    password_step(first, "member@example.org")
    assert first.post("/login/code", data={"code": code}, follow_redirects=False).status_code == 303

    # someone who saw the code over a shoulder, within its 30 seconds
    replay = TestClient(app_for_pages)
    password_step(replay, "member@example.org")
    answer = replay.post("/login/code", data={"code": code}, follow_redirects=False)

    assert answer.status_code == 401
    assert replay.get("/", follow_redirects=False).status_code == 303
