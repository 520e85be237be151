"""Stand van zaken, and downloading the ambition report from the ambition page."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible

pytestmark = pytest.mark.browser


def test_the_heads_view_shows_the_ambition_and_leads_into_it(open_page, live_server):
    live_server.create_action("Werkplekken tellen", ambition_id=live_server.ambition_id)
    page = open_page("member")
    page.goto("/")
    assert_accessible(page, "start-voor-stand")
    page.get_by_role("navigation", name="Hoofdmenu").get_by_role(
        "link", name="Stand van zaken"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hoe staan onze ambities ervoor?")
    card = page.locator(f"#stand-{live_server.ambition_id}")
    expect(
        card.get_by_role("img", name="Acties klaar en doorgeschoven per periode")
    ).to_be_visible()
    assert_accessible(page, "stand-van-zaken")

    card.get_by_role("link", name="Iedereen doet mee", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/ambities/{live_server.ambition_id}")
    assert_accessible(page, "ambitie-met-rapport")


def test_the_ambition_report_downloads_as_pdf_and_as_excel(open_page, live_server, tmp_path):
    page = open_page("member")
    page.goto(f"/ambities/{live_server.ambition_id}")
    assert_accessible(page, "ambitie-rapport")

    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="Download als PDF").click()
    pdf = pdf_download.value
    assert pdf.suggested_filename.startswith(f"ambitie-{live_server.ambition_id}-iedereen-doet-mee")
    assert pdf.suggested_filename.endswith(".pdf")
    saved = tmp_path / pdf.suggested_filename
    pdf.save_as(saved)
    assert saved.read_bytes().startswith(b"%PDF-")

    with page.expect_download() as xlsx_download:
        page.get_by_role("link", name="Download als Excel").click()
    workbook = xlsx_download.value
    assert workbook.suggested_filename.endswith(".xlsx")
    target = tmp_path / workbook.suggested_filename
    workbook.save_as(target)
    book = load_workbook(io.BytesIO(target.read_bytes()))
    assert book["Overzicht"]["B3"].value == "Iedereen doet mee"
    assert book["Doelen"]["A2"].value == "Tien werkplekken erbij"


PRINTED = """() => {
  const shown = (element) => getComputedStyle(element).display !== "none"
    && getComputedStyle(element).visibility !== "hidden"
    && element.getClientRects().length > 0;
  const after = (link) => getComputedStyle(link, "::after").content;
  const links = [...document.querySelectorAll("main a[href]")];
  const rows = [...document.querySelectorAll(".lane__cells")].filter(shown);
  return {
    nav: [...document.querySelectorAll("nav, .site-header")].filter(shown).length,
    forms: [...document.querySelectorAll("form, button, details")].filter(shown).length,
    addresses: links.filter((link) => !["none", "normal"].includes(after(link))).length,
    background: getComputedStyle(document.body).backgroundColor,
    columns: rows.map((cells) => getComputedStyle(cells).gridTemplateColumns),
  };
}"""


def test_every_board_prints_without_navigation_forms_or_link_addresses(open_page, live_server):
    action = live_server.create_action("Op papier", ambition_id=live_server.ambition_id)
    page = open_page("member")
    boards = {
        "print-team": f"/teams/{live_server.team_id}",
        "print-team-van-teams": f"/teams/{live_server.team_of_teams_id}",
        "print-mijn-acties": "/mijn-acties",
        "print-ambitie": f"/ambities/{live_server.ambition_id}",
        "print-stand": "/stand-van-zaken",
    }
    for name, path in boards.items():
        page.emulate_media(media="screen")
        page.goto(path)
        assert_accessible(page, name)
        page.emulate_media(media="print")
        printed = page.evaluate(PRINTED)
        assert printed["nav"] == 0, (path, printed)
        assert printed["forms"] == 0, (path, printed)
        assert printed["addresses"] == 0, (path, printed)
        assert printed["background"] in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"), printed
        assert all(len(c.split(" ")) == 4 for c in printed["columns"]), (path, printed["columns"])
        if name == "print-team":
            expect(page.locator(f"#action-{action['id']}")).to_be_visible()
