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
