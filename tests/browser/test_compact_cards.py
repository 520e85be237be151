"""Cards as quick to read as the paper board: title, owner, due date and badges on a few lines,
everything one can do behind one menu button."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app import clock
from tests.browser.axe import assert_accessible
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_boards import column, drag

pytestmark = pytest.mark.browser

# A 12-card board fits a 1280 × 900 screen in four columns (three cards a column, under the
# header); a phone of 740 px shows at least four cards in a column.
DESKTOP_CARD_HEIGHT = 160
PHONE_CARD_HEIGHT = 740 / 4


def heights(page, ids):
    return [page.locator(f"#action-{i}").bounding_box()["height"] for i in ids]


@pytest.mark.parametrize(
    ("viewport", "tallest"),
    [(DESKTOP, DESKTOP_CARD_HEIGHT), (PHONE, PHONE_CARD_HEIGHT)],
    ids=["desktop", "phone"],
)
def test_a_card_is_a_few_lines_with_one_menu_button(open_page, live_server, viewport, tallest):
    soon = (clock.today() + timedelta(days=3)).isoformat()
    ids = [
        live_server.create_action("Wijkavond plannen", due_date=soon)["id"],
        live_server.create_action(
            "Offerte opvragen", status="blocked", blocked_reason="Wacht op de inkoper"
        )["id"],
        live_server.create_action("Folder vertalen", status="doing")["id"],
    ]
    page = open_page("member", viewport=viewport)
    page.goto(f"/teams/{live_server.team_id}")
    assert max(heights(page, ids)) <= tallest, heights(page, ids)
    first = page.locator(f"#action-{ids[0]}")
    # one menu button (a disclosure), no other control to hit by accident
    expect(first.locator("summary")).to_have_count(1)
    expect(first.locator("button:visible, select:visible, input:visible")).to_have_count(0)
    expect(first).to_contain_text("Wijkavond plannen")
    expect(first).to_contain_text("streefdatum")
    assert_accessible(page, "compacte-kaarten")

    first.locator("summary").click()
    expect(first.get_by_role("link", name="Bewerken")).to_be_visible()
    expect(first.get_by_role("group", name="Verplaats naar …")).to_be_visible()
    assert_accessible(page, "kaartmenu-open")

    # opening another card's menu closes this one
    page.locator(f"#action-{ids[2]} summary").focus()
    page.keyboard.press("Enter")
    expect(first.get_by_role("link", name="Bewerken")).to_be_hidden()


def test_a_blocked_reason_shows_in_full_on_keyboard_focus(open_page, live_server):
    reason = (
        "Wacht op de inkoper; "
        + "die is met vakantie tot na de kerst en niemand vervangt hem. " * 3
    )
    blocked = live_server.create_action(
        "Meubels bestellen", status="blocked", blocked_reason=reason
    )
    page = open_page("member", viewport=DESKTOP)
    page.goto(f"/teams/{live_server.team_id}")
    shown = page.locator(f"#action-{blocked['id']} .card__reason")
    folded = shown.bounding_box()["height"]
    shown.focus()
    assert shown.bounding_box()["height"] > folded
    assert_accessible(page, "reden-helemaal")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_an_edit_conflict_keeps_what_was_typed_and_applies_it_on_request(
    open_page, browsing, live_server, viewport
):
    browsing.problems.expected_statuses.add(409)  # the conflict is the answer to show
    action = live_server.create_action("Zaal boeken")
    page = open_page("member", viewport=viewport)
    page.goto(f"/teams/{live_server.team_id}")
    me = f"action-{action['id']}"
    page.locator(f"#{me}-acties").click()
    page.locator(f"#{me}-bewerken").click()
    title = page.locator(f"#{me}-titel-veld")
    title.fill("Zaal boeken in het gemeentehuis van Rijen")

    # meanwhile the lead changes the same action
    with live_server.api("lead") as api:
        changed = api.patch(f"/actions/{action['id']}", json={"version": 1, "title": "Zaal huren"})
    assert changed.status_code == 200, changed.text

    page.locator(f"#{me}-opslaan").click()
    theirs = page.locator(f"#{me} .card__theirs")
    expect(theirs).to_contain_text("Zaal huren")
    expect(page.locator(f"#{me}-titel-veld")).to_have_value(
        "Zaal boeken in het gemeentehuis van Rijen"
    )
    assert_accessible(page, "bewerken-botsing")

    page.locator(f"#{me}-opslaan").click()
    expect(page.locator(f"#{me} h4")).to_contain_text("gemeentehuis van Rijen")
    assert live_server.action(action["id"])["title"] == "Zaal boeken in het gemeentehuis van Rijen"


def test_the_last_move_can_be_undone_from_the_melding(open_page, live_server):
    action = live_server.create_action("Flyers ophalen")
    page = open_page("member", viewport=PHONE)
    page.goto(f"/teams/{live_server.team_id}")
    me = f"action-{action['id']}"
    page.locator(f"#{me}-acties").click()
    page.locator(f"#{me}-naar-done").click()
    expect(page.locator(f"#{me}")).to_have_attribute("data-status", "done")

    undo = page.locator("#meldingen").get_by_role("button", name="Ongedaan maken")
    expect(undo).to_be_visible()
    assert_accessible(page, "melding-ongedaan-maken")
    undo.click()
    expect(page.locator(f"#{me}")).to_have_attribute("data-status", "todo")
    assert live_server.action(action["id"])["status"] == "todo"


def test_unblocking_a_card_with_an_open_knelpunt_asks_first(open_page, live_server):
    action = live_server.create_action(
        "Tolk regelen voor het gesprek", status="blocked", blocked_reason="Geen budget"
    )
    with live_server.api("member") as api:
        raised = api.post(f"/actions/{action['id']}/escalations", json={"note": "Wie betaalt?"})
    assert raised.status_code == 201, raised.text
    page = open_page("member", viewport=PHONE)
    page.goto(f"/teams/{live_server.team_id}")
    me = f"action-{action['id']}"

    page.locator(f"#{me}-acties").click()
    page.locator(f"#{me}-naar-doing").click()
    question = page.locator(f"#{me}-vraag")
    expect(question).to_contain_text("staat nog open")
    assert live_server.action(action["id"])["status"] == "blocked"  # nothing moved yet
    assert_accessible(page, "knelpunt-nog-open-vraag")

    page.locator(f"#{me}-verplaats-knop").click()
    expect(page.locator(f"#{me}")).to_have_attribute("data-status", "doing")
    assert live_server.action(action["id"])["status"] == "doing"


def test_a_drag_out_of_geblokkeerd_with_an_open_knelpunt_asks_before_it_saves(
    open_page, live_server
):
    action = live_server.create_action(
        "Vervoer regelen", status="blocked", blocked_reason="Geen chauffeur"
    )
    with live_server.api("member") as api:
        raised = api.post(f"/actions/{action['id']}/escalations", json={"note": "Wie rijdt?"})
    assert raised.status_code == 201, raised.text
    page = open_page("member", viewport=DESKTOP)
    page.goto(f"/teams/{live_server.team_id}")
    me = f"action-{action['id']}"

    drag(page, page.locator(f"#{me} .card__handle"), column(page, action["id"], "doing"))
    expect(page.locator(f"#{me}-vraag")).to_contain_text("staat nog open")
    assert live_server.action(action["id"])["status"] == "blocked"
    assert_accessible(page, "slepen-knelpunt-vraag")
