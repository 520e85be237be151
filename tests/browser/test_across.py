"""Overzicht in a browser: find a blocked action across teams by searching and filtering, on a
desktop (1280 × 900) and on a phone (375 × 740), checked with axe-core at every step."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

NO_HORIZONTAL_SCROLL = "document.scrollingElement.scrollWidth"


@pytest.mark.parametrize(("viewport", "name"), [(DESKTOP, "desktop"), (PHONE, "telefoon")])
def test_a_member_finds_a_blocked_action_across_teams(open_page, live_server, viewport, name):
    blocked = live_server.create_action(
        f"Woningen voor statushouders {name}",
        status="blocked",
        blocked_reason="Wacht op de corporatie",
    )
    page = open_page("member", viewport=viewport)
    page.goto("/")
    assert_accessible(page, f"overzicht-start-{name}")
    if viewport is PHONE:
        page.get_by_role("button", name="Menu").click()
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role("link", name="Overzicht").click()
    expect(page.get_by_role("heading", level=1, name="Overzicht")).to_be_visible()
    assert_accessible(page, f"overzicht-{name}")

    page.get_by_label("Zoek in titel en beschrijving").fill(f"woning {name}")
    page.get_by_label("Status").select_option(label="Geblokkeerd")
    page.get_by_role("button", name="Filteren").click()
    item = page.locator(f"#overzicht-actie-{blocked['id']}")
    expect(item).to_contain_text("Wacht op de corporatie")
    expect(page.locator(".overzicht-actie")).to_have_count(1)
    assert page.evaluate(NO_HORIZONTAL_SCROLL) <= viewport["width"]
    assert_accessible(page, f"overzicht-gezocht-{name}")

    page.goto("/overzicht?status=kapot")
    expect(page.get_by_text("Kies een status uit de lijst.").first).to_be_visible()
    assert_accessible(page, f"overzicht-fout-{name}")

    page.goto("/overzicht")
    page.get_by_label("Zoek in titel en beschrijving").fill(f"woning {name}")
    page.get_by_role("button", name="Filteren").click()
    item.get_by_role("link", name=f"Woningen voor statushouders {name}").click()
    expect(page).to_have_url(f"{live_server.url}/teams/{blocked['team_id']}/acties/{blocked['id']}")
    assert_accessible(page, f"overzicht-actie-{name}")
