"""Logging in with a real browser, and the checks every browser test relies on."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe import accessibility_violations, assert_accessible
from tests.browser.conftest import Browsing
from tests.support.builders import PASSWORD

pytestmark = pytest.mark.browser


def test_a_member_logs_in_with_the_labelled_form_and_lands_on_the_start_page(
    open_page, live_server
):
    page = open_page()
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/login"))
    expect(page.get_by_role("heading", level=1, name="Inloggen")).to_be_visible()
    assert_accessible(page, "login")

    page.get_by_label("E-mailadres").fill(live_server.world.users["member"].email)
    page.get_by_label("Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()

    expect(page).to_have_url(f"{live_server.url}/")
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    expect(nav.get_by_role("link", name="Mijn acties")).to_be_visible()
    assert_accessible(page, "start")


def test_a_wrong_password_shows_one_message_and_the_form_stays_accessible(open_page, live_server):
    page = open_page()
    page.goto("/login")
    page.get_by_label("E-mailadres").fill(live_server.world.users["outsider"].email)
    page.get_by_label("Wachtwoord").fill("not the password")
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("alert")).to_contain_text("klopt niet")
    assert_accessible(page, "login-wrong-password")


def test_the_skip_link_is_the_first_stop_and_moves_focus_to_the_content(open_page):
    page = open_page("member")
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Naar de inhoud")
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    assert_accessible(page, "start-na-overslaan")


def test_the_accessibility_statement_is_accessible_without_logging_in(open_page):
    page = open_page()
    page.goto("/toegankelijkheid")
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("toegankelijkheid", re.I))
    assert_accessible(page, "toegankelijkheid")


def test_the_watchers_catch_a_csp_violation_and_an_accessibility_problem(browsing: Browsing):
    """The checks themselves: an inline script is reported, an unlabelled field is found."""
    page = browsing.new_page()
    page.goto("/login")
    assert_accessible(page, "login-voor-zelftest")
    with pytest.raises(Exception, match="Content Security Policy"):
        page.add_script_tag(content="window.injected = true")
    page.wait_for_function("true")
    assert browsing.problems.csp_violations
    browsing.problems.console_errors.clear()
    browsing.problems.csp_events.clear()

    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('beforeend', '<input type=text>')"
    )
    rules = {violation["id"] for violation in accessibility_violations(page)}
    assert "label" in rules
