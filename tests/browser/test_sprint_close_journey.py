"""A team closes its own part of the period from its board: one action goes along to the next
period, one is let go with a reason (first forgotten, then written)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible

pytestmark = pytest.mark.browser


def test_a_team_closes_its_period_carrying_one_action_and_dropping_one(browsing, live_server):
    browsing.problems.expected_statuses.add(422)  # the drop without a reason
    team_id = live_server.world.other_team.id  # the outsider's own team: no other test closes it
    keep = live_server.create_action("Wijkbudget verdelen", who="outsider", team_id=team_id)
    drop = live_server.create_action("Oude folder herdrukken", who="outsider", team_id=team_id)
    page = browsing.new_page("outsider")

    page.goto(f"/teams/{team_id}")
    page.get_by_role("link", name="Periode afsluiten").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("afsluiten")
    expect(page.locator("#periode-cijfers")).to_contain_text("Nog open")
    assert_accessible(page, "periode-afsluiten")

    choice = page.get_by_role("group", name="Oude folder herdrukken")
    choice.get_by_label("Laten vallen", exact=True).check()
    page.get_by_role("button", name="Periode afsluiten").click()
    expect(page.locator("#afsluiten-fout")).to_contain_text("Schrijf op waarom")
    assert_accessible(page, "periode-afsluiten-fout")

    choice = page.get_by_role("group", name="Oude folder herdrukken")
    expect(choice.get_by_label("Laten vallen", exact=True)).to_be_checked()
    choice.get_by_label("Reden om te laten vallen").fill("Niemand vraagt er nog om")
    page.get_by_role("button", name="Periode afsluiten").click()
    expect(page.locator("#periode-afgesloten")).to_contain_text("heeft deze periode afgesloten")
    expect(page.locator("#laten-vallen")).to_contain_text("Niemand vraagt er nog om")
    assert_accessible(page, "periode-afgesloten")

    page.get_by_role("link", name="Naar het bord", exact=True).click()
    expect(page.locator(f"#action-{keep['id']}")).to_have_count(0)  # gone to the next period
    expect(page.locator(f"#action-{drop['id']}")).to_have_count(0)  # never a card again
    page.get_by_role("link", name="Volgende periode", exact=False).first.click()
    expect(page.locator(f"#action-{keep['id']}")).to_be_visible()
    assert_accessible(page, "volgende-periode")


def test_an_admin_reads_what_an_early_close_does_and_sets_the_rhythm(browsing, live_server):
    browsing.problems.expected_statuses.add(422)  # a length out of bounds
    page = browsing.new_page("admin")

    page.goto("/beheer/periodes")
    assert_accessible(page, "periodes")
    page.get_by_role("link", name="Periode afsluiten").first.click()
    expect(page.locator("#afsluiten-gevolgen")).to_contain_text("De borden tonen deze periode")
    assert_accessible(page, "periode-vroeg-afsluiten")
    page.get_by_role("link", name="Annuleren").click()  # nothing closed: other tests use it
    expect(page.get_by_role("heading", level=1)).to_have_text("Periodes")
    assert_accessible(page, "periodes-terug")

    page.goto("/beheer/organisatie")
    assert_accessible(page, "ritme")
    page.get_by_label("Lengte van een periode in dagen").fill("60")
    page.get_by_role("button", name="Ritme opslaan").click()
    expect(page.locator("#fout-sprint_days")).to_contain_text("hoogstens 56 dagen")
    assert_accessible(page, "ritme-fout")
    page.get_by_label("Lengte van een periode in dagen").fill("14")
    page.get_by_label("Een periode begint op").select_option(label="maandag")
    page.get_by_role("button", name="Ritme opslaan").click()
    expect(page.get_by_role("status")).to_contain_text("Het ritme is opgeslagen.")
    assert_accessible(page, "ritme-opgeslagen")
