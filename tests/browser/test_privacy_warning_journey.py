"""The privacy guard in the browser: adding an action whose title holds a BSN warns at the
field, keeps the text and offers the box; ticked, the action is saved."""

from __future__ import annotations

from itertools import count

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible

pytestmark = pytest.mark.browser

_numbers = count(1)
BOX = "Ik weet zeker dat dit geen gegevens van een inwoner zijn"


def test_a_bsn_in_a_new_title_is_asked_about_and_saved_when_confirmed(browsing, live_server):
    browsing.problems.expected_statuses.add(422)
    page = browsing.new_page("member")
    title = f"Inwoner 111.222.333 terugbellen {next(_numbers)}"
    page.goto(f"/teams/{live_server.team_id}")
    assert_accessible(page, "privacy-bord")

    page.locator("summary", has_text="Actie toevoegen").click()
    form = page.locator("#actie-toevoegen form")
    form.get_by_label("Titel").fill(title)
    form.get_by_label("Eigenaar").select_option(label="Member")
    form.get_by_role("button", name="Actie toevoegen").click()

    form = page.locator("#actie-toevoegen form")
    expect(form.locator("#nieuw-titel-fout")).to_contain_text("persoonsgegevens van een inwoner")
    expect(form.get_by_label("Titel")).to_have_value(title)
    expect(form.get_by_label("Titel")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page, "privacy-waarschuwing")

    form.get_by_label(BOX).check()
    form.get_by_role("button", name="Actie toevoegen").click()
    expect(page.locator('li[data-status="todo"]', has_text=title)).to_be_visible()
    expect(page.locator("#meldingen")).to_contain_text(title)
