"""Single sign-on and two-factor in Chromium: a login through the test OIDC provider lands on the
start page, and an admin without a second factor is asked to set one up before anything else.

A server of its own (the shared one has no identity provider): uvicorn in a subprocess with
VERBETERBORD_OIDC_* pointing at the provider, which runs in this process on loopback
(tests/support/oidc_provider.py), and with the admin rule on, as in production."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pyotp
import pytest
from playwright.sync_api import expect

from app import clock
from app.config import Settings
from app.db import create_db_engine
from tests.browser.axe import assert_accessible
from tests.browser.conftest import SECRET_KEY, Browsing, LiveServer
from tests.support.builders import PASSWORD, build_world
from tests.support.oidc_provider import OIDCProvider, Person, oidc_provider
from tests.support.server import migrated_data_dir, serve

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def provider() -> Iterator[OIDCProvider]:
    with oidc_provider() as running:
        yield running


@pytest.fixture(scope="module")
def sso_server(
    tmp_path_factory: pytest.TempPathFactory, provider: OIDCProvider
) -> Iterator[LiveServer]:
    data_dir, database_url = migrated_data_dir(tmp_path_factory, "sso-server")
    env = {
        "VERBETERBORD_OIDC_ISSUER": provider.issuer,
        "VERBETERBORD_OIDC_CLIENT_ID": provider.client_id,
        "VERBETERBORD_OIDC_CLIENT_SECRET": provider.client_secret,
        "VERBETERBORD_ADMIN_TWO_FACTOR_REQUIRED": "true",
    }
    with serve(data_dir, secret_key=SECRET_KEY, env=env, wait=False) as process:
        engine = create_db_engine(Settings(), url=database_url)
        try:
            world = build_world(engine, today=clock.today())
        finally:
            engine.dispose()
        process.wait_until_up()
        yield LiveServer(server=process, world=world)


@pytest.fixture
def sso_browsing(browser: Any, sso_server: LiveServer) -> Iterator[Browsing]:
    session = Browsing(browser, sso_server)
    try:
        yield session
        unchecked = session.unchecked()
        assert not unchecked, "pages loaded without assert_accessible:\n" + "\n".join(unchecked)
        session.problems.assert_clean()
    finally:
        session.close()


def test_a_login_through_the_identity_provider_lands_on_the_start_page(
    sso_browsing: Browsing, sso_server: LiveServer, provider: OIDCProvider
):
    member = sso_server.world.users["member"]
    provider.person = Person(sub="entra-browser-1", email=member.email)
    page = sso_browsing.new_page()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login"))
    assert_accessible(page, "login-met-organisatie-account")

    page.get_by_role("link", name="Inloggen met je organisatie-account").click()

    expect(page).to_have_url(f"{sso_server.url}/")
    expect(page.get_by_role("navigation", name="Hoofdmenu")).to_be_visible()
    expect(page.get_by_text(member.name).first).to_be_visible()
    assert_accessible(page, "start-na-sso")


def test_an_admin_without_a_second_factor_is_asked_to_enrol_one(
    sso_browsing: Browsing, sso_server: LiveServer
):
    page = sso_browsing.new_page()
    page.goto("/login")
    assert_accessible(page, "login-beheerder")
    page.get_by_label("E-mailadres").fill(sso_server.world.users["admin"].email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()

    # every page sends the admin to the set-up first
    expect(page).to_have_url(f"{sso_server.url}/profiel/tweestapsverificatie")
    expect(page.get_by_role("status")).to_contain_text("Je bent beheerder")
    expect(page.get_by_role("img", name=re.compile("QR-code"))).to_be_visible()
    assert_accessible(page, "tweestap-instellen")
    page.goto("/beheer")
    expect(page).to_have_url(f"{sso_server.url}/profiel/tweestapsverificatie")
    assert_accessible(page, "tweestap-instellen-opnieuw")

    secret = page.locator("#tweestap-sleutel").inner_text().replace(" ", "")
    page.get_by_label("Code uit de app (6 cijfers)").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Tweestapsverificatie aanzetten").click()

    expect(page.get_by_role("heading", name="Je herstelcodes")).to_be_visible()
    expect(page.locator("#herstelcodes li")).to_have_count(10)
    assert_accessible(page, "tweestap-herstelcodes")

    page.get_by_role("link", name="Verder naar de startpagina").click()
    expect(page).to_have_url(f"{sso_server.url}/")
    assert_accessible(page, "start-beheerder")

    # the next login asks for the code after the password
    context = page.context
    context.clear_cookies()
    page.goto("/login")
    assert_accessible(page, "login-beheerder-opnieuw")
    page.get_by_label("E-mailadres").fill(sso_server.world.users["admin"].email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page).to_have_url(f"{sso_server.url}/login/code")
    assert_accessible(page, "tweede-stap")
    page.get_by_label("Code", exact=True).fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Inloggen").click()
    expect(page).to_have_url(f"{sso_server.url}/")
    assert_accessible(page, "start-na-tweede-stap")
