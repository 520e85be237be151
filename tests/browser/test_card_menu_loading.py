"""A card arrives without its controls (issue 10: ≤ 600 bytes of HTML a card); its menu fetches
them when first opened, and works from the keyboard as before."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.conftest import PHONE
from tests.browser.test_boards import card, column, open_board, unique

pytestmark = pytest.mark.browser


def test_opening_a_cards_menu_by_keyboard_loads_its_controls_and_a_move_works(
    open_page, live_server
):
    action = live_server.create_action(unique("Buurtapp uitproberen"))
    page = open_page("member")
    open_board(page, live_server.team_id)
    me = f"action-{action['id']}"
    menu = page.locator(f"#{me} details.card__menu")

    # on the board: the menu button, named after the card, and no controls yet
    button = page.locator(f"#{me}-acties")
    expect(button).to_have_accessible_name(re.compile("^Acties .*Buurtapp uitproberen"))
    expect(card(page, action["id"]).locator("form, button")).to_have_count(0)

    with page.expect_response(lambda answer: answer.url.endswith(f"{action['id']}/menu")):
        button.focus()
        page.keyboard.press("Enter")
    expect(menu).to_have_attribute("open", "")
    edit = page.locator(f"#{me}-bewerken")
    expect(edit).to_be_focused()  # focus goes into the menu that came
    expect(page.get_by_role("group", name="Verplaats naar …")).to_be_visible()
    assert_accessible(page, "kaartmenu-geladen")

    # Escape closes it, focus back on its button; opening again needs no second fetch
    page.keyboard.press("Escape")
    expect(edit).to_be_hidden()
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    expect(edit).to_be_focused()

    target = page.locator(f"#{me}-naar-doing")
    for _ in range(4):
        if target.evaluate("element => element === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(target).to_be_focused()
    page.keyboard.press("Enter")

    expect(card(page, action["id"])).to_have_attribute("data-status", "doing")
    expect(column(page, action["id"], "doing").locator(f"#{me}")).to_be_visible()
    assert live_server.action(action["id"])["status"] == "doing"
    expect(page.locator(f"#{me}-acties")).to_be_focused()  # back on the moved card's button
    assert_accessible(page, "kaartmenu-verplaatst")


def test_a_phone_opens_a_cards_menu_with_a_tap(open_page, live_server):
    action = live_server.create_action(unique("Flyer drukken"))
    page = open_page("member", viewport=PHONE)
    open_board(page, live_server.team_id)
    me = f"action-{action['id']}"

    page.locator(f"#{me}-acties").click()
    page.locator(f"#{me}-naar-done").click()
    expect(card(page, action["id"])).to_have_attribute("data-status", "done")
    assert live_server.action(action["id"])["status"] == "done"
    assert_accessible(page, "kaartmenu-telefoon")
