"""A team moving off its spreadsheet: upload a CSV with one bad row, read the preview's
messages, skip the bad row and find the other actions on the board."""

from __future__ import annotations

import re
from itertools import count

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible

pytestmark = pytest.mark.browser

_numbers = count(1)


def test_a_member_imports_a_csv_skipping_the_bad_row(browsing, live_server):
    browsing.problems.expected_statuses.add(422)  # the preview with a bad row
    page = browsing.new_page("member")
    n = next(_numbers)
    first, second = f"Wijkavond plannen {n}", f"Folder herschrijven {n}"
    csv = (
        "titel;eigenaar;status;streefdatum\n"
        f"{first};Member;bezig;4-12-2026\n"
        f"{second};;;\n"
        "Kapotte rij;Niemand;misschien;\n"
    ).encode()

    page.goto(f"/teams/{live_server.team_id}")
    assert_accessible(page, "importeren-vanaf-bord")
    page.get_by_role("link", name="Acties importeren").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Acties importeren")
    assert_accessible(page, "importeren")

    page.get_by_label("Bestand met acties").set_input_files(
        files=[{"name": "acties.csv", "mimeType": "text/csv", "buffer": csv}]
    )
    page.get_by_role("button", name="Bestand controleren").click()

    expect(page.locator("#import-fout")).to_contain_text("1 rij klopt niet")
    bad = page.locator("#rij-4")
    expect(bad).to_contain_text("eigenaar: Geen lid van dit team heet zo")
    expect(bad).to_contain_text("status: Kies als status te doen")
    expect(page.locator("#rij-2")).to_contain_text("In orde")
    assert_accessible(page, "importeren-controle")

    page.get_by_role("button", name=re.compile("^Sla ongeldige rijen over")).click()
    expect(page.get_by_role("status")).to_contain_text("2 acties zijn toegevoegd aan het bord.")
    assert_accessible(page, "importeren-klaar")

    page.get_by_role("link", name=re.compile("^Bekijk het bord")).click()
    expect(page.locator('li[data-status="doing"]', has_text=first)).to_be_visible()
    expect(page.locator('li[data-status="todo"]', has_text=second)).to_be_visible()
    expect(page.get_by_text("Kapotte rij")).to_have_count(0)
    assert_accessible(page, "importeren-bord")
