"""The frame around every page: one type family, a header that folds away on a phone, paper
without the navigation."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

FONT_OF = "selector => getComputedStyle(document.querySelector(selector)).fontFamily"


def test_headings_and_text_use_the_one_shipped_type_family(open_page, live_server):
    page = open_page("member", viewport=DESKTOP)
    page.goto(f"/teams/{live_server.team_id}")
    heading, text = page.evaluate(FONT_OF, "h1"), page.evaluate(FONT_OF, "main p")
    assert heading == text and heading.startswith('"Noto Sans Variable"'), (heading, text)
    assert "Serif" not in heading
    assert_accessible(page, "lettertype")


def test_on_a_phone_the_menu_folds_behind_one_button(open_page, live_server):
    page = open_page("member", viewport=PHONE)
    page.goto(f"/teams/{live_server.team_id}")
    menu = page.get_by_role("button", name="Menu")
    navigation = page.get_by_role("navigation", name="Hoofdmenu")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(navigation).to_be_hidden()
    assert_accessible(page, "menu-dicht-telefoon")
    header = page.locator(".site-header").bounding_box()
    assert header is not None and header["height"] <= 80, header

    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(navigation.get_by_role("link", name="Mijn acties")).to_be_visible()
    assert_accessible(page, "menu-open-telefoon")

    page.keyboard.press("Escape")
    expect(navigation).to_be_hidden()
    expect(menu).to_be_focused()


def test_on_a_desktop_the_menu_is_always_there(open_page, live_server):
    page = open_page("member", viewport=DESKTOP)
    page.goto("/mijn-acties")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Hoofdmenu")).to_be_visible()
    assert_accessible(page, "menu-bureaublad")


@pytest.mark.parametrize("path", ["/teams/{team}", "/mijn-acties", "/ambities"])
def test_paper_shows_the_content_without_navigation_or_buttons(open_page, live_server, path):
    live_server.create_action("Op papier", status="doing")
    page = open_page("member", viewport=DESKTOP)
    page.goto(path.format(team=live_server.team_id))
    assert_accessible(page, "papier")
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    assert page.locator("main button:visible, main form:visible").count() == 0
    expect(page.locator("main h1")).to_be_visible()
