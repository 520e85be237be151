"""Every write says what it did on screen, not only to a screen reader; a blocked action's
reason is asked for before the save."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_choosing_geblokkeerd_asks_for_the_reason_before_the_save(open_page, live_server, viewport):
    action = live_server.create_action("Zaal regelen", status="doing")
    page = open_page("member", viewport=viewport)
    page.goto("/mijn-acties")
    item = page.locator(f"#mijn-actie-{action['id']}")
    reason = item.get_by_label("Waarom geblokkeerd?")
    expect(reason).to_be_hidden()

    item.get_by_label("Status").select_option("blocked")
    expect(reason).to_be_visible()
    assert_accessible(page, "mijn-acties-reden")
    reason.fill("Wacht op de beheerder van het gebouw")
    item.get_by_role("button", name="Opslaan").click()

    melding = page.locator("#meldingen")
    expect(melding).to_be_visible()
    expect(melding).to_contain_text("Zaal regelen")
    box = melding.bounding_box()
    assert box is not None and box["width"] > 50 and box["height"] > 20, box
    assert (
        live_server.action(action["id"])["blocked_reason"] == "Wacht op de beheerder van het gebouw"
    )


def test_adding_an_action_shows_a_visible_melding_that_goes_away(open_page, live_server):
    page = open_page("member", viewport=DESKTOP)
    page.goto(f"/teams/{live_server.team_id}")
    assert_accessible(page, "bord-voor-melding")
    page.get_by_text("Actie toevoegen").first.click()
    page.get_by_label("Titel").fill("Folder drukken")
    page.locator("#nieuw-opslaan").click()
    melding = page.locator("#meldingen")
    expect(melding).to_be_visible()
    expect(melding).to_contain_text("Folder drukken")
    expect(melding).to_be_hidden(timeout=12_000)
