"""Logging in with the organisation's account: the full authorization code flow with PKCE
against a real OpenID Connect provider on loopback (tests/support/oidc_provider.py, Authlib's
server side), through the real app (TestClient; the app talks to the provider over HTTP)."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from sqlmodel import Session, select

from app.config import Settings
from app.models import AuditEvent, Location, User
from app.services import oidc
from tests.support.builders import PASSWORD, World
from tests.support.clients import create_test_app
from tests.support.oidc_provider import OIDCProvider, Person, oidc_provider


@pytest.fixture(scope="module")
def provider() -> Iterator[OIDCProvider]:
    with oidc_provider() as running:
        yield running


@pytest.fixture
def idp(provider: OIDCProvider) -> Iterator[OIDCProvider]:
    """The provider with its knobs back at their defaults and nobody logged in."""
    provider.person = None
    provider.token_seconds = 300
    provider.nonce_override = None
    provider.rogue_key = None
    provider.token_requests.clear()
    oidc.forget_provider()
    yield provider
    oidc.forget_provider()


def sso_settings(settings: Settings, idp: OIDCProvider, **extra: object) -> Settings:
    return settings.model_copy(
        update={
            "oidc_issuer": idp.issuer,
            "oidc_client_id": idp.client_id,
            "oidc_client_secret": idp.client_secret,
            **extra,
        }
    )


@pytest.fixture
def sso_app(settings: Settings, sqlite_engine: Engine, idp: OIDCProvider, world: World):
    return create_test_app(sso_settings(settings, idp), sqlite_engine)


def to_provider_and_back(client: TestClient, *, tamper=None) -> httpx.Response:
    """Start at /login/organisatie, let the provider answer (as the browser would follow its
    redirect), and bring the answer back to the app; `tamper` may change the query first."""
    started = client.get("/login/organisatie", follow_redirects=False)
    assert started.status_code == 303, started.text
    at_provider = httpx.get(started.headers["location"], follow_redirects=False)
    assert at_provider.status_code == 302, at_provider.text
    back = urlsplit(at_provider.headers["location"])
    query = {name: values[0] for name, values in parse_qs(back.query).items()}
    if tamper is not None:
        tamper(query)
    return client.get(back.path, params=query, follow_redirects=False)


def test_the_login_page_offers_the_organisation_account_when_configured(sso_app, app_for_pages):
    assert "Inloggen met je organisatie-account" in TestClient(sso_app).get("/login").text
    assert "Inloggen met je organisatie-account" not in TestClient(app_for_pages).get("/login").text


def test_the_full_code_flow_with_pkce_lands_on_the_start_page(sso_app, idp, world: World):
    idp.person = Person(sub="entra-123", email="Member@Example.org")
    client = TestClient(sso_app)
    started = client.get("/login/organisatie", follow_redirects=False)
    asked = parse_qs(urlsplit(started.headers["location"]).query)
    assert asked["code_challenge_method"] == ["S256"] and asked["code_challenge"]
    assert asked["scope"] == ["openid email profile"] and asked["nonce"] and asked["state"]

    answer = to_provider_and_back(client)

    assert answer.status_code == 303 and answer.headers["location"] == "/"
    start = client.get("/")
    assert start.status_code == 200 and world.users["member"].name in start.text
    # the verifier went to the token endpoint (PKCE), the secret in the Authorization header
    assert idp.token_requests[-1]["code_verifier"]
    assert "client_secret" not in idp.token_requests[-1]
    with Session(world.engine) as session:
        member = session.get_one(User, world.users["member"].id)
        assert member.oidc_subject == "entra-123"  # matched by verified e-mail, then linked
        events = session.exec(select(AuditEvent).where(AuditEvent.entity == "user_session")).all()
        assert events[-1].changes["method"] == [None, "oidc"]


def test_the_subject_matches_even_when_the_email_address_changed(sso_app, idp, world: World):
    with Session(world.engine) as session:
        member = session.get_one(User, world.users["member"].id)
        member.oidc_subject = "kc-42"
        session.add(member)
        session.commit()
    idp.person = Person(sub="kc-42", email="nieuw.adres@example.org")
    client = TestClient(sso_app)
    assert to_provider_and_back(client).status_code == 303
    assert world.users["member"].name in client.get("/").text


def test_a_wrong_state_is_refused_without_a_session(sso_app, idp, world: World):
    idp.person = Person(sub="entra-1", email="member@example.org")
    client = TestClient(sso_app)

    answer = to_provider_and_back(client, tamper=lambda query: query.update(state="vervalst"))

    assert answer.status_code == 400
    assert "niet afgemaakt of verlopen" in answer.text
    assert client.get("/", follow_redirects=False).status_code == 303  # still logged out
    assert idp.token_requests == []  # the code was never even exchanged


def test_a_wrong_nonce_in_the_id_token_is_refused(sso_app, idp, world: World):
    idp.person = Person(sub="entra-1", email="member@example.org")
    idp.nonce_override = "een-andere-nonce"
    client = TestClient(sso_app)

    answer = to_provider_and_back(client)

    assert answer.status_code == 400
    assert "kon niet worden gecontroleerd" in answer.text
    assert client.get("/", follow_redirects=False).status_code == 303


def test_an_expired_id_token_is_refused(sso_app, idp, world: World):
    idp.person = Person(sub="entra-1", email="member@example.org")
    idp.token_seconds = -600  # expired ten minutes ago, beyond the minute of leeway
    client = TestClient(sso_app)

    answer = to_provider_and_back(client)

    assert answer.status_code == 400
    assert "kon niet worden gecontroleerd" in answer.text
    assert client.get("/", follow_redirects=False).status_code == 303


def test_an_id_token_signed_with_a_key_not_in_the_jwks_is_refused(sso_app, idp, world: World):
    from joserfc.jwk import RSAKey

    idp.person = Person(sub="entra-1", email="member@example.org")
    idp.rogue_key = RSAKey.generate_key(2048, parameters={"kid": "test-key-1"})
    try:
        client = TestClient(sso_app)
        answer = to_provider_and_back(client)
    finally:
        idp.rogue_key = None
    assert answer.status_code == 400
    assert client.get("/", follow_redirects=False).status_code == 303


def test_an_unknown_person_gets_a_clear_message(sso_app, idp, world: World):
    idp.person = Person(sub="entra-9", email="onbekend@example.org")
    client = TestClient(sso_app)

    answer = to_provider_and_back(client)

    assert answer.status_code == 403
    assert "nog niet bekend in Verbeterbord" in answer.text
    with Session(world.engine) as session:
        assert (
            session.exec(select(User).where(User.email == "onbekend@example.org")).first() is None
        )


def test_an_unverified_email_address_does_not_match_an_account(sso_app, idp, world: World):
    idp.person = Person(sub="entra-8", email="member@example.org", email_verified=False)
    answer = to_provider_and_back(TestClient(sso_app))
    assert answer.status_code == 403


def test_an_inactive_user_is_refused(sso_app, idp, world: World):
    with Session(world.engine) as session:
        member = session.get_one(User, world.users["member"].id)
        member.is_active = False
        session.add(member)
        session.commit()
    idp.person = Person(sub="entra-1", email="member@example.org")
    answer = to_provider_and_back(TestClient(sso_app))
    assert answer.status_code == 403
    assert "staat uit" in answer.text


def test_with_creation_on_a_new_person_is_added_with_the_default_location(
    settings: Settings, sqlite_engine: Engine, idp: OIDCProvider, world: World
):
    with Session(sqlite_engine) as session:
        session.add(Location(name="Gemeente Oosterhout"))
        session.commit()
    app = create_test_app(
        sso_settings(
            settings, idp, oidc_create_users=True, oidc_default_location="gemeente oosterhout"
        ),
        sqlite_engine,
    )
    idp.person = Person(sub="entra-new", email="Nieuw@Example.org", name="Noor Nieuw")
    client = TestClient(app)

    assert to_provider_and_back(client).status_code == 303

    assert "Noor Nieuw" in client.get("/").text
    with Session(sqlite_engine) as session:
        user = session.exec(select(User).where(User.email == "nieuw@example.org")).one()
        location = session.get_one(Location, user.location_id)
        assert (user.oidc_subject, user.password_hash, location.name) == (
            "entra-new",
            None,
            "Gemeente Oosterhout",
        )
        created = session.exec(
            select(AuditEvent).where(AuditEvent.entity == "user", AuditEvent.entity_id == user.id)
        ).one()
        assert created.verb == "created" and "totp_secret" not in created.changes


def test_the_callback_without_a_round_trip_of_its_own_is_refused(sso_app, idp, world: World):
    answer = TestClient(sso_app).get(
        "/login/organisatie/terug", params={"code": "x", "state": "y"}, follow_redirects=False
    )
    assert answer.status_code == 400


def test_sso_is_404_when_not_configured(app_for_pages):
    assert TestClient(app_for_pages).get("/login/organisatie").status_code == 404


def test_with_passwords_off_the_form_is_gone_and_the_password_post_refused(
    settings: Settings, sqlite_engine: Engine, idp: OIDCProvider, world: World
):
    app = create_test_app(sso_settings(settings, idp, local_login=False), sqlite_engine)
    client = TestClient(app)
    page = client.get("/login").text
    assert "Inloggen met je organisatie-account" in page
    assert 'name="password"' not in page

    refused = client.post(
        "/login",
        data={"email": "member@example.org", "password": PASSWORD},
        follow_redirects=False,
    )

    assert refused.status_code == 403
    assert "Inloggen met een wachtwoord staat uit" in refused.text
    assert client.get("/", follow_redirects=False).status_code == 303
    # single sign-on still works, and an admin who came that way is not asked for TOTP
    idp.person = Person(sub="entra-admin", email="admin@example.org")
    assert to_provider_and_back(client).status_code == 303
    assert client.get("/", follow_redirects=False).status_code == 200


def test_an_admin_who_came_through_sso_is_not_asked_for_a_second_factor(
    settings: Settings, sqlite_engine: Engine, idp: OIDCProvider, world: World
):
    app = create_test_app(
        sso_settings(settings, idp, admin_two_factor_required=True), sqlite_engine
    )
    idp.person = Person(sub="entra-admin", email="admin@example.org")
    client = TestClient(app)
    assert to_provider_and_back(client).status_code == 303
    assert client.get("/beheer", follow_redirects=False).status_code == 200
