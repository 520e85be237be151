"""A streefdatum in the past is asked about once, and the action's history reads as sentences:
on a wide screen and on a phone."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from app import clock
from tests.browser.axe import assert_accessible
from tests.browser.conftest import PHONE

pytestmark = pytest.mark.browser

WIDE = {"width": 1440, "height": 900}


@pytest.mark.parametrize(("viewport", "size"), [(WIDE, "breed"), (PHONE, "telefoon")])
def test_a_past_streefdatum_is_confirmed_and_the_history_reads_as_sentences(
    browsing, live_server, viewport, size
):
    browsing.problems.expected_statuses.add(422)
    page = browsing.new_page("member", viewport=viewport)
    page.goto(f"/teams/{live_server.team_id}")
    title = f"Terugbellen wijkcentrum ({size})"
    past = clock.today() - timedelta(days=3)

    page.locator("summary", has_text="Actie toevoegen").click()
    form = page.locator("#actie-toevoegen form")
    form.get_by_label("Titel").fill(title)
    form.get_by_label("Eigenaar").select_option(label="Member")
    form.get_by_label("Streefdatum").fill(past.isoformat())
    form.get_by_role("button", name="Actie toevoegen").click()

    form = page.locator("#actie-toevoegen form")
    expect(form.get_by_text("Deze datum ligt in het verleden. Klopt dat?")).to_be_visible()
    assert_accessible(page, f"streefdatum-vraag-{size}")
    form.get_by_label("Ja, deze datum klopt").check()
    form.get_by_role("button", name="Actie toevoegen").click()

    card = page.locator("li.card", has_text=title)
    expect(card).to_be_visible()
    expect(card).to_contain_text("streefdatum")
    expect(card).to_contain_text("te laat")
    action_id = (card.get_attribute("id") or "").removeprefix("action-")

    page.goto(f"/teams/{live_server.team_id}/acties/{action_id}")
    history = page.locator(f"#geschiedenis-{action_id}").locator("xpath=..")
    expect(history).to_contain_text("Member maakte de actie aan.")
    expect(history).not_to_contain_text(re.compile("Plaats in de kolom|→"))
    assert_accessible(page, f"geschiedenis-in-woorden-{size}")
