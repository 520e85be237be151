"""In a real browser: the lead of the owning team enters a measurement by hand and sees it in
the table behind the chart, uploads a CSV file that is checked row by row first, and marks a
goal achieved; an admin puts a council meeting on a municipality's calendar."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible

pytestmark = pytest.mark.browser

NAME = "Wachttijd eerste gesprek"


def test_the_lead_enters_a_measurement_and_sees_it_in_the_chart_table(browsing, live_server):
    browsing.problems.expected_statuses.add(422)
    with live_server.api("lead") as api:
        answer = api.post(
            f"/ambitions/{live_server.ambition_id}/indicators",
            json={"name": NAME, "unit": "dagen", "target": 10, "direction": "down"},
        )
        assert answer.status_code == 201, answer.text
        indicator = answer.json()["id"]
        api.post(f"/indicators/{indicator}/measurements", json={"date": "2026-09-01", "value": 16})
    page = browsing.new_page("lead")
    page.goto(f"/ambities/{live_server.ambition_id}")
    block = page.locator(f"#indicator-{indicator}")
    expect(block.get_by_role("heading", name=NAME)).to_be_visible()
    expect(block.get_by_role("img", name=f"Metingen van {NAME}")).to_be_visible()
    assert_accessible(page, "indicator-ambitie")

    block.get_by_text(f"Meting invoeren voor {NAME}").click()
    block.get_by_label("Datum", exact=True).fill("2026-10-01")
    block.get_by_label("Waarde (dagen)").fill("12,5")
    block.get_by_label("Toelichting (niet verplicht)").fill("Na de nieuwe werkwijze")
    block.get_by_role("button", name="Meting opslaan").click()
    table = page.locator(f"#metingen-{indicator}")
    expect(table.get_by_role("row").filter(has_text="12,5 dagen")).to_contain_text(
        "Na de nieuwe werkwijze"
    )
    expect(page.locator(f"#indicator-{indicator} .grafiek__punt")).to_have_count(2)
    assert_accessible(page, "indicator-meting-opgeslagen")

    # a value that is no number: a message on the field, nothing stored
    block = page.locator(f"#indicator-{indicator}")
    if not block.locator("details").evaluate("d => d.open"):
        block.get_by_text(f"Meting invoeren voor {NAME}").click()
    block.get_by_label("Datum", exact=True).fill("2026-11-01")
    block.get_by_label("Waarde (dagen)").fill("veel")
    block.get_by_role("button", name="Meting opslaan").click()
    expect(page.get_by_text("Dit is geen getal. Schrijf bijvoorbeeld 12,5.")).to_be_visible()
    assert_accessible(page, "indicator-meting-fout")

    # a CSV file: checked row by row, stored only when asked
    page.goto(f"/ambities/{live_server.ambition_id}")
    block = page.locator(f"#indicator-{indicator}")
    block.get_by_text(f"Meting invoeren voor {NAME}").click()
    block.get_by_label("CSV-bestand").set_input_files(
        {
            "name": "metingen.csv",
            "mimeType": "text/csv",
            "buffer": b"datum;waarde;toelichting\n01-11-2026;11;\n2026-12-01;9,5;Op koers\n",
        }
    )
    block.get_by_role("button", name="Bestand controleren").click()
    preview = page.locator(f"#csv-voorbeeld-{indicator}")
    expect(preview.get_by_role("row")).to_have_count(3)
    assert_accessible(page, "indicator-csv-voorbeeld")
    page.get_by_role("button", name="Deze 2 metingen opslaan").click()
    table = page.locator(f"#metingen-{indicator}")
    expect(table.get_by_role("row").filter(has_text="9,5 dagen")).to_contain_text("Op koers")
    expect(table.get_by_role("row")).to_have_count(5)  # the header and four values

    # a goal marked achieved, and the count says so
    goals = page.locator("#doelen-stand")
    before = goals.inner_text()
    goal = page.locator("li.doel", has_text="Tien werkplekken erbij")
    goal.get_by_role("button", name="Markeer als behaald").click()
    expect(goal.get_by_role("button", name="Toch nog niet behaald")).to_be_visible()
    expect(page.locator("#doelen-stand")).not_to_have_text(before)
    assert_accessible(page, "doel-behaald")


def test_an_admin_puts_a_council_meeting_on_the_calendar(browsing, live_server):
    browsing.problems.expected_statuses.add(422)
    with live_server.api("admin") as api:
        answer = api.post("/locations", json={"name": "Baarle-Nassau"})
        assert answer.status_code in (201, 409, 422), answer.text
    page = browsing.new_page("admin")
    page.goto("/beheer/vergaderingen")
    assert_accessible(page, "vergaderingen")
    page.get_by_role("button", name="Vergadering toevoegen").click()
    expect(page.get_by_text("Kies een gemeente uit de lijst.")).to_be_visible()
    assert_accessible(page, "vergaderingen-fout")
    page.get_by_label("Gemeente", exact=True).select_option(label="Baarle-Nassau")
    page.get_by_label("Orgaan").select_option(label="Gemeenteraad")
    page.get_by_label("Datum van de vergadering").fill("2027-01-21")
    page.get_by_label("Onderwerp (niet verplicht)").fill("Begroting")
    page.get_by_role("button", name="Vergadering toevoegen").click()
    row = page.get_by_role("row").filter(has_text="Begroting")
    expect(row).to_contain_text("Gemeenteraad")
    expect(row).to_contain_text("11 jan.")  # ten days before: the documents' deadline
    assert_accessible(page, "vergaderingen-toegevoegd")

    # on the board: an action for that meeting is due on its deadline and names the municipality
    board = browsing.new_page("member")
    board.goto(f"/teams/{live_server.team_id}")
    board.locator("summary", has_text="Actie toevoegen").click()
    form = board.locator("#actie-toevoegen form")
    form.get_by_label("Titel").fill("Raadsvoorstel begroting schrijven")
    form.get_by_label("Vergadering (niet verplicht)").select_option(
        label="Gemeenteraad 21 jan. 2027 (stukken uiterlijk 11 jan. 2027) · Begroting"
    )
    assert_accessible(board, "bord-vergadering-kiezen")
    form.get_by_role("button", name="Actie toevoegen").click()
    card = board.locator('li[data-status="todo"]', has_text="Raadsvoorstel begroting schrijven")
    expect(card).to_contain_text("streefdatum ma 11 jan. 2027")
    expect(card).to_contain_text("voor Raad Baarle-Nassau 21 jan. 2027")
    assert_accessible(board, "bord-actie-voor-vergadering")
