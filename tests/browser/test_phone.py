"""On a phone (375 × 740): Mijn acties fits the screen and works with a thumb."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app import clock
from tests.browser.axe import assert_accessible
from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser

NO_HORIZONTAL_SCROLL = "document.scrollingElement.scrollWidth"


def test_mijn_acties_fits_a_phone_without_scrolling_sideways(open_page, live_server):
    yesterday = (clock.today() - timedelta(days=1)).isoformat()
    live_server.create_action(
        "Een lange titel om te zien of die netjes afbreekt op een smal scherm "
        "zonder dat de pagina zijwaarts gaat schuiven: samenwerkingsovereenkomstvoorstel",
        due_date=yesterday,
    )
    blocked = live_server.create_action(
        "Zaal voor de inloopavond", status="blocked", blocked_reason="Wacht op de beheerder"
    )
    page = open_page("member", viewport=PHONE)
    answer = page.goto("/mijn-acties")
    assert answer is not None and answer.status == 200
    expect(page.get_by_role("heading", level=1, name="Mijn acties")).to_be_visible()
    expect(page.locator(f"#mijn-actie-{blocked['id']}")).to_contain_text("Wacht op de beheerder")
    assert page.evaluate(NO_HORIZONTAL_SCROLL) <= PHONE["width"]
    assert_accessible(page, "mijn-acties-telefoon")


def test_a_member_finishes_an_action_from_mijn_acties_on_a_phone(open_page, live_server):
    action = live_server.create_action("Verslag rondsturen", status="doing")
    page = open_page("member", viewport=PHONE)
    page.goto("/mijn-acties")
    item = page.locator(f"#mijn-actie-{action['id']}")
    item.get_by_label("Status").select_option("done")
    item.get_by_role("button", name="Opslaan").click()

    expect(page.locator(f"#mijn-actie-{action['id']}")).to_have_attribute("data-status", "done")
    assert live_server.action(action["id"])["status"] == "done"
    assert page.evaluate(NO_HORIZONTAL_SCROLL) <= PHONE["width"]
    assert_accessible(page, "mijn-acties-telefoon-klaar")


def test_the_team_board_fits_a_phone_without_scrolling_sideways(open_page, live_server):
    live_server.create_action("Kort", status="doing")
    page = open_page("member", viewport=PHONE)
    answer = page.goto(f"/teams/{live_server.team_id}")
    assert answer is not None and answer.status == 200
    assert page.evaluate(NO_HORIZONTAL_SCROLL) <= PHONE["width"]
    assert_accessible(page, "teambord-telefoon")
