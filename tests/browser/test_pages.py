"""Every page without a board, opened in a real browser and checked with axe-core."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible

pytestmark = pytest.mark.browser

PAGES = [
    # (who, path, screenshot name)
    ("member", "/", "start"),
    ("member", "/teams", "teams"),
    ("member", "/mijn-acties", "mijn-acties"),
    ("member", "/ambities", "ambities"),
    ("member", "/ambities/{ambition}", "ambitie"),
    ("lead", "/ambities/{ambition}", "ambitie-bewerkbaar"),
    ("member", "/profiel", "profiel"),
    ("member", "/toegankelijkheid", "toegankelijkheid-ingelogd"),
    ("admin", "/beheer", "beheer"),
    ("admin", "/beheer/gemeenten", "beheer-gemeenten"),
    ("admin", "/beheer/medewerkers", "beheer-medewerkers"),
    ("admin", "/beheer/teams", "beheer-teams"),
    ("admin", "/beheer/teams/{team}", "beheer-team"),
    ("admin", "/beheer/periodes", "beheer-periodes"),
    ("admin", "/beheer/periodes/{sprint}/afsluiten", "beheer-periode-afsluiten"),
    # an action's own page, and its edit form as a page (what works without JavaScript)
    ("member", "/teams/{team}/acties/{action}", "actie"),
    ("member", "/teams/{team}/acties/{action}/bewerken", "actie-bewerken"),
]


@pytest.mark.parametrize(("who", "path", "name"), PAGES, ids=[name for *_, name in PAGES])
def test_the_page_loads_cleanly_and_passes_axe(open_page, live_server, who, path, name):
    action_id = (
        live_server.create_action("Een actie om te bekijken")["id"] if "{action}" in path else 0
    )
    page = open_page(who)
    url = path.format(
        ambition=live_server.ambition_id,
        team=live_server.team_id,
        sprint=live_server.world.sprint.id,
        action=action_id,
    )
    answer = page.goto(url)
    assert answer is not None and answer.status == 200, f"{url} answered {answer and answer.status}"
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    nav = page.get_by_role("navigation", name="Hoofdmenu")
    expect(nav.get_by_role("link", name="Mijn acties")).to_be_visible()
    assert_accessible(page, name)


def test_an_unknown_team_gets_a_dutch_not_found_page_that_passes_axe(open_page):
    page = open_page("member")
    answer = page.goto("/teams/999999")
    assert answer is not None and answer.status == 404
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    expect(page.get_by_role("heading", level=1)).to_have_count(1)
    assert_accessible(page, "niet-gevonden")
