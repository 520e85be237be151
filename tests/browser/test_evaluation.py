"""In a real browser: a team writes its evaluation, the team of teams reads it and sees the win
on its board (and the ambition page shows it); then the representative records the stand-up,
with a decision that becomes an action in the same save."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible

pytestmark = pytest.mark.browser

WIN = "Eerste inwoner aan het werk via de leerwerkplek"


def test_a_team_evaluates_and_the_team_of_teams_sees_the_win(browsing, live_server):
    page = browsing.new_page("member")
    page.goto(f"/teams/{live_server.team_id}")
    assert_accessible(page, "evaluatie-bord-team")
    page.get_by_role("link", name="Evaluatie van deze periode").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Evaluatie van Jeugd")
    assert_accessible(page, "evaluatie-formulier")

    page.get_by_label("Wat gaat goed").fill("De intake loopt soepel.")
    page.get_by_label("Wat is kwetsbaar").fill("De werkvoorraad hangt aan één persoon.")
    page.get_by_label("Wat is opvallend afwezig").fill("Het gesprek met de wijkteams.")
    page.get_by_label("In het licht").fill(f"{WIN}\nWachtlijst gehalveerd")
    page.get_by_role("button", name="Evaluatie opslaan").click()
    expect(page.get_by_text("De evaluatie is opgeslagen.")).to_be_visible()
    expect(page.get_by_label("Wat gaat goed")).to_have_value("De intake loopt soepel.")
    assert_accessible(page, "evaluatie-opgeslagen")

    # the team of teams: the win on its board, the evaluation on its overview
    head = browsing.new_page("representative")
    head.goto(f"/teams/{live_server.team_of_teams_id}")
    wall = head.locator("#in-het-licht")
    expect(wall.get_by_text(WIN)).to_be_visible()
    expect(wall.get_by_role("link", name="Jeugd").first).to_be_visible()
    assert_accessible(head, "evaluatie-bord-team-van-teams")
    head.get_by_role("link", name="Evaluaties van de teams").click()
    jeugd = head.locator(f"#evaluatie-team-{live_server.team_id}")
    expect(jeugd.get_by_text("De intake loopt soepel.")).to_be_visible()
    expect(jeugd.get_by_role("listitem").filter(has_text=WIN)).to_be_visible()
    assert_accessible(head, "evaluaties-team-van-teams")

    # and on the ambition Jeugd works on
    head.goto(f"/ambities/{live_server.ambition_id}")
    expect(head.locator("#in-het-licht").get_by_text(WIN)).to_be_visible()
    assert_accessible(head, "evaluatie-ambitie")


def test_the_representative_records_a_stand_up_with_a_decision_that_becomes_an_action(
    browsing, live_server
):
    browsing.problems.expected_statuses.add(422)
    page = browsing.new_page("representative")
    tot = live_server.team_of_teams_id
    page.goto(f"/teams/{tot}/staand-overleg?team=2&minuten=2")
    assert_accessible(page, "staand-overleg-laatste-team")
    page.get_by_role("link", name="Verslag vastleggen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Verslag van het staand overleg")
    assert_accessible(page, "verslag-formulier")

    name = live_server.world.users["representative"].name
    page.get_by_label(name, exact=True).check()
    page.get_by_label("1. Tijd voor Team van teams").fill("twee minuten")
    page.get_by_label("2. Tijd voor Jeugd").fill("2:15")
    page.get_by_label("3. Tijd voor Werk").fill("1:45")
    decision = page.get_by_role("group", name="Besluit 1")
    decision.get_by_label("Wat is besloten?").fill("Werksessie met de drie gemeenten plannen")
    decision.get_by_label("Dit besluit wordt").select_option(label=f"actie voor {name}")
    page.get_by_role("button", name="Verslag opslaan").click()

    # a time that is not minutes:seconds: the form again, everything typed still there
    expect(page.locator(f"#fout-tijd-{tot}")).to_have_text(
        "Vul de tijd in als minuten:seconden, bijvoorbeeld 2:30."
    )
    expect(decision.get_by_label("Wat is besloten?")).to_have_value(
        "Werksessie met de drie gemeenten plannen"
    )
    assert_accessible(page, "verslag-fout")
    page.get_by_label("1. Tijd voor Team van teams").fill("1:30")
    page.get_by_role("button", name="Verslag opslaan").click()

    expect(page.get_by_text("Het verslag is opgeslagen.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Staand overleg van Team van teams"
    )
    expect(page.get_by_role("row", name=re.compile("Samen"))).to_contain_text("5:30")
    expect(page.get_by_text(f"Werd een actie voor {name}")).to_be_visible()
    assert_accessible(page, "verslag")

    # the action stands on the team of teams' board
    page.get_by_role("link", name="Werksessie met de drie gemeenten plannen").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Werksessie met de drie gemeenten plannen"
    )
    assert_accessible(page, "verslag-actie")
    page.goto(f"/teams/{tot}/staand-overleg/verslagen")
    expect(page.get_by_role("link", name=re.compile("^Overleg van"))).to_have_count(1)
    assert_accessible(page, "verslagen")
