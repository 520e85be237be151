"""Presence on the stand-up screen, in two real browsers: two people open the stand-up of the team
of teams, from two offices (one without an office); each screen lists both, per office; one
closes the screen and disappears from the other's within seconds, without a reload."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.support.builders import PASSWORD

pytestmark = pytest.mark.browser

OFFICE = "Zeist"
EMAIL = "kijker.zeist@example.org"
NAME = "Kim Zeist"


def a_person_in_an_office(live_server) -> None:
    """A staff member in office Zeist (the builder's people have no office)."""
    with live_server.api("admin") as api:
        found = api.post("/locations", json={"name": OFFICE})
        if found.status_code == 201:
            location_id = found.json()["id"]
        else:
            listed = api.get("/locations", params={"limit": 500}).json()["items"]
            location_id = next(item["id"] for item in listed if item["name"] == OFFICE)
        created = api.post(
            "/users",
            json={"email": EMAIL, "name": NAME, "location_id": location_id, "password": PASSWORD},
        )
        assert created.status_code in (201, 409), created.text


def test_two_screens_see_each_other_per_office_until_one_leaves(browsing, live_server):
    a_person_in_an_office(live_server)
    standup = f"/teams/{live_server.team_of_teams_id}/staand-overleg"
    representative = live_server.world.users["representative"].name

    first = browsing.new_page("representative")
    first.goto(standup)
    present = first.locator("#aanwezig")
    # its own stream opening lists the representative, without an office
    expect(present.locator("[data-office]").filter(has_text="Zonder vestiging")).to_contain_text(
        representative
    )

    second = browsing.new_page()
    answer = second.context.request.post(
        "/login", form={"email": EMAIL, "password": PASSWORD}, max_redirects=0
    )
    assert answer.status == 303, answer.status
    second.goto(standup)
    for page in (first, second):
        listed = page.locator("#aanwezig")
        expect(listed.locator("[data-office]").filter(has_text=f"{OFFICE} (1)")).to_contain_text(
            NAME
        )
        expect(listed.locator("[data-office]").filter(has_text="Zonder vestiging")).to_contain_text(
            representative
        )
    expect(present.get_by_role("heading", name="Wie heeft het bord open")).to_be_visible()
    # someone arriving is no change of the board: no "Het bord is bijgewerkt."
    expect(first.locator("#meldingen")).not_to_contain_text("bijgewerkt")
    assert_accessible(first, "aanwezig-twee")
    assert_accessible(second, "aanwezig-tweede-scherm")

    # the second screen closes: it is gone from the first within seconds, no reload
    second.close()
    expect(present.get_by_text(NAME)).to_have_count(0, timeout=10_000)
    expect(present).to_contain_text(representative)
    assert_accessible(first, "aanwezig-een")
