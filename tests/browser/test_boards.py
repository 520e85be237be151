"""Journeys on the team board and the team-of-teams board, in a real browser."""

from __future__ import annotations

import re
from itertools import count
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible

pytestmark = pytest.mark.browser

_numbers = count(1)


def unique(title: str) -> str:
    """Titles differ per test: every test shares the one server's database."""
    return f"{title} {next(_numbers)}"


def card(page: Any, action_id: int) -> Any:
    return page.locator(f"#action-{action_id}")


def column(page: Any, action_id: int, status: str) -> Any:
    """The list of cards with that status in the row that holds the action."""
    lane = page.locator("section.lane", has=card(page, action_id))
    return lane.locator(f'ol.cards[data-status="{status}"]')


def open_board(page: Any, team_id: int, name: str | None = None) -> None:
    answer = page.goto(f"/teams/{team_id}")
    assert answer is not None and answer.status == 200, (
        f"/teams/{team_id}: {answer and answer.status}"
    )
    for heading in ("Te doen", "Bezig", "Klaar", "Geblokkeerd"):
        expect(page.get_by_role("heading", name=re.compile(f"^{heading}")).first).to_be_visible()
    if name:
        assert_accessible(page, name)


def test_a_member_adds_an_action_on_the_team_board(open_page, live_server):
    page = open_page("member")
    open_board(page, live_server.team_id, "teambord")
    title = unique("Spreekuur in de bibliotheek")

    page.locator("summary", has_text="Actie toevoegen").click()
    form = page.locator("#actie-toevoegen form")
    form.get_by_label("Titel").fill(title)
    form.get_by_label("Eigenaar").select_option(label="Member")
    assert_accessible(page, "teambord-actie-toevoegen")
    form.get_by_role("button", name="Actie toevoegen").click()

    added = page.locator('li[data-status="todo"]', has_text=title)
    expect(added).to_be_visible()
    expect(added).to_have_attribute("id", re.compile(r"^action-\d+$"))
    expect(page.locator("#meldingen")).to_contain_text(title)
    assert_accessible(page, "teambord-actie-toegevoegd")


def test_an_empty_title_is_refused_with_a_dutch_message_next_to_the_field(browsing, live_server):
    browsing.problems.expected_statuses.add(422)
    page = browsing.new_page("member")
    open_board(page, live_server.team_id)
    page.locator("summary", has_text="Actie toevoegen").click()
    form = page.locator("#actie-toevoegen form")
    form.get_by_role("button", name="Actie toevoegen").click()
    expect(form.get_by_text("Vul een titel in.")).to_be_visible()
    expect(page.locator("#actie-toevoegen").get_by_label("Titel")).to_have_attribute(
        "aria-invalid", "true"
    )
    assert_accessible(page, "teambord-actie-toevoegen-fout")


def test_a_member_drags_an_action_to_bezig(open_page, live_server):
    action = live_server.create_action(unique("Folder herschrijven"))
    page = open_page("member")
    open_board(page, live_server.team_id)

    source = card(page, action["id"])
    target = column(page, action["id"], "doing")
    drag(page, source.locator(".card__handle"), target)

    expect(card(page, action["id"])).to_have_attribute("data-status", "doing")
    expect(target.locator(f"#action-{action['id']}")).to_be_visible()
    assert live_server.action(action["id"])["status"] == "doing"
    assert_accessible(page, "teambord-na-slepen")


def drag(page: Any, handle: Any, target: Any) -> None:
    """Press, move in steps and release with the mouse: SortableJS follows mouse events."""
    handle.scroll_into_view_if_needed()
    start = handle.bounding_box()
    assert start is not None
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    page.mouse.move(
        start["x"] + start["width"] / 2 + 5, start["y"] + start["height"] / 2 + 5, steps=3
    )
    end = target.bounding_box()
    assert end is not None
    # anywhere in the column takes the drop: straight across from where the card was picked up
    y = min(max(start["y"] + start["height"] / 2, end["y"] + 10), end["y"] + end["height"] - 10)
    page.mouse.move(end["x"] + end["width"] / 2, y, steps=15)
    page.mouse.up()


def test_a_member_moves_an_action_with_the_keyboard_only(open_page, live_server):
    action = live_server.create_action(unique("Wachtlijst bellen"))
    page = open_page("member")
    open_board(page, live_server.team_id)
    me = f"action-{action['id']}"

    # The card's one menu button, opened from the keyboard; every target is named, none chosen.
    # The board sends the card without its controls: they come at the first opening, and focus
    # goes to the first of them.
    menu = page.locator(f"#{me}-acties")
    expect(menu).to_have_accessible_name(re.compile("^Acties .*Wachtlijst bellen"))
    expect(page.locator(f"#{me}-bewerken")).to_have_count(0)
    menu.focus()
    page.keyboard.press("Enter")
    expect(page.locator(f"#{me}-bewerken")).to_be_visible()
    expect(page.locator(f"#{me}-bewerken")).to_be_focused()
    assert_accessible(page, "teambord-menu-open")

    # Escape closes the menu and gives the focus back to its button.
    page.keyboard.press("Escape")
    expect(page.locator(f"#{me}-bewerken")).to_be_hidden()
    expect(menu).to_be_focused()

    page.keyboard.press("Enter")
    target = page.locator(f"#{me}-naar-done")
    for _ in range(6):
        if target.evaluate("element => element === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(target).to_be_focused()
    expect(target).to_have_accessible_name(re.compile("^Klaar"))
    page.keyboard.press("Enter")

    expect(card(page, action["id"])).to_have_attribute("data-status", "done")
    assert live_server.action(action["id"])["status"] == "done"
    # Focus is not lost to the top of the page: it is back on the moved card's menu button.
    expect(page.locator(f"#{me}-acties")).to_be_focused()
    assert_accessible(page, "teambord-na-toetsenbord")


def test_a_member_blocks_an_action_with_a_reason(open_page, live_server):
    action = live_server.create_action(unique("Subsidie aanvragen"), status="doing")
    page = open_page("member")
    open_board(page, live_server.team_id)
    me = f"action-{action['id']}"

    page.locator(f"#{me}-acties").click()
    page.locator(f"#{me}-naar-blocked").click()
    reason = page.locator(f"#{me}-reden-nieuw")
    expect(reason).to_be_focused()
    assert live_server.action(action["id"])["status"] == "doing"  # nothing saved before the why
    assert_accessible(page, "teambord-waarom-geblokkeerd")
    reason.fill("Wacht op handtekening van de wethouder")
    page.locator(f"#{me}-verplaats-knop").click()

    blocked = card(page, action["id"])
    expect(blocked).to_have_attribute("data-status", "blocked")
    expect(blocked).to_contain_text("Wacht op handtekening van de wethouder")
    expect(column(page, action["id"], "blocked").locator(f"#{me}")).to_be_visible()
    assert live_server.action(action["id"])["blocked_reason"] == (
        "Wacht op handtekening van de wethouder"
    )
    assert_accessible(page, "teambord-geblokkeerd")


def test_a_member_escalates_a_blocked_action_to_the_team_of_teams(open_page, live_server):
    title = unique("Zaalhuur regelen")
    action = live_server.create_action(title, status="blocked", blocked_reason="Geen budget")
    page = open_page("member")
    open_board(page, live_server.team_id)
    me = f"action-{action['id']}"

    page.locator(f"#{me}-acties").click()
    page.locator(f"#{me}-opschalen").click()
    note = page.get_by_label("Wat is er nodig om verder te kunnen?")
    expect(note).to_be_focused()
    assert_accessible(page, "teambord-opschalen")
    note.fill("Een besluit over het budget voor de zaal")
    page.locator(f"#{me}-opschalen-knop").click()

    expect(card(page, action["id"])).to_contain_text("Opgeschaald naar")
    knelpunten = page.locator("#knelpunten")
    expect(knelpunten).to_contain_text("Een besluit over het budget voor de zaal")
    assert_accessible(page, "teambord-opgeschaald")


def test_a_representative_resolves_a_knelpunt_on_the_team_of_teams_board(open_page, live_server):
    title = unique("Vervoer regelen")
    action = live_server.create_action(title, status="blocked", blocked_reason="Geen bus")
    with live_server.api("member") as api:
        raised = api.post(
            f"/actions/{action['id']}/escalations", json={"note": "Wie betaalt de bus?"}
        )
        assert raised.status_code == 201, raised.text
    escalation_id = raised.json()["id"]

    page = open_page("representative")
    open_board(page, live_server.team_of_teams_id, "team-van-teams")
    knelpunt = page.locator(f"#knelpunt-{escalation_id}")
    expect(knelpunt).to_contain_text("Wie betaalt de bus?")
    knelpunt.get_by_label("Hoe is het opgelost?").fill("De gemeente betaalt de bus")
    knelpunt.get_by_role("button", name="Oplossen").click()

    expect(page.locator(f"#knelpunt-{escalation_id}")).to_have_count(0)
    expect(page.locator("#meldingen")).to_contain_text("opgelost")
    with live_server.api("member") as api:
        open_ones = api.get(f"/teams/{live_server.team_id}/escalations", params={"status": "open"})
    assert escalation_id not in [item["id"] for item in open_ones.json()["items"]]
    assert_accessible(page, "team-van-teams-opgelost")


def test_a_change_in_one_browser_shows_in_another_within_a_second(open_page, live_server):
    action = live_server.create_action(unique("Nieuwsbrief versturen"))
    watcher = open_page("lead")
    live = f"{live_server.url}/teams/{live_server.team_id}/live"
    # The board's event stream is open once its answer has started.
    with watcher.expect_response(lambda answer: answer.url.startswith(live), timeout=5000):
        open_board(watcher, live_server.team_id)
    expect(card(watcher, action["id"])).to_have_attribute("data-status", "todo")

    mover = open_page("member")
    open_board(mover, live_server.team_id, "teambord-tweede-venster")
    mover.locator(f"#action-{action['id']}-acties").click()
    mover.locator(f"#action-{action['id']}-naar-doing").click()
    expect(card(mover, action["id"])).to_have_attribute("data-status", "doing")

    expect(card(watcher, action["id"])).to_have_attribute("data-status", "doing", timeout=1000)
    assert_accessible(watcher, "teambord-live")


def test_stand_up_mode_goes_to_the_next_and_previous_team_with_buttons_and_keys(
    open_page, live_server
):
    page = open_page("representative")
    open_board(page, live_server.team_of_teams_id, "team-van-teams-bord")
    page.get_by_role("link", name="Staand overleg", exact=True).click()

    title = page.get_by_role("heading", level=1)
    expect(title).to_contain_text("Team 1 van 3")
    expect(title).to_contain_text("Team van teams")
    expect(page.locator("[data-countdown-display]")).to_have_text(re.compile(r"^0[12]:\d\d$"))
    pause = page.get_by_role("button", name="Pauzeren")
    pause.click()
    expect(page.get_by_role("button", name="Doorgaan")).to_be_visible()
    assert_accessible(page, "staand-overleg")

    page.get_by_role("link", name=re.compile("^Volgende: Jeugd")).click()
    expect(title).to_contain_text("Team 2 van 3")
    expect(title).to_contain_text("Jeugd")
    assert_accessible(page, "staand-overleg-tweede-team")

    page.keyboard.press("ArrowRight")
    expect(title).to_contain_text("Team 3 van 3")
    expect(title).to_contain_text("Werk")
    expect(page.get_by_text("Dit is het laatste team.")).to_be_visible()
    assert_accessible(page, "staand-overleg-laatste-team")

    page.keyboard.press("PageUp")
    expect(title).to_contain_text("Jeugd")
    page.keyboard.press("ArrowLeft")
    expect(title).to_contain_text("Team 1 van 3")
    page.keyboard.press("PageDown")
    expect(title).to_contain_text("Jeugd")
    page.get_by_role(
        "link", name=re.compile("^← Vorige: Team van teams|^Vorige: Team van teams")
    ).click()
    expect(title).to_contain_text("Team van teams")
