"""An admin lets a locked-out colleague back in: adds them, corrects their details and makes a
temporary password, which then works on the login page."""

from __future__ import annotations

import re
from itertools import count

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

_numbers = count(1)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_an_admin_lets_a_locked_out_colleague_back_in(open_page, viewport):
    number = next(_numbers)
    email = f"sanne.{number}@gemeente.example"
    admin = open_page("admin", viewport=viewport)
    admin.goto("/beheer/medewerkers")
    assert_accessible(admin, "medewerkers")
    adding = admin.locator("form[action='/beheer/medewerkers']")
    adding.get_by_label("E-mailadres").fill(email)
    adding.get_by_label("Naam").fill(f"Sanne de Vries {number}")
    adding.get_by_role("button", name="Medewerker toevoegen").click()
    assert_accessible(admin, "medewerker-toegevoegd")

    admin.goto("/beheer/medewerkers")
    admin.locator("tr", has_text=email).get_by_role("link", name=re.compile("^Wijzigen")).click()
    admin.get_by_label("Naam").fill(f"Sanne de Vries-Jansen {number}")
    assert_accessible(admin, "medewerker-wijzigen")
    admin.get_by_role("button", name="Opslaan").click()
    expect(admin.get_by_role("rowheader", name=f"Sanne de Vries-Jansen {number}")).to_be_visible()
    assert_accessible(admin, "medewerker-gewijzigd")

    admin.locator("tr", has_text=email).get_by_role("link", name=re.compile("^Wijzigen")).click()
    admin.get_by_role("button", name="Tijdelijk wachtwoord maken").click()
    password = admin.locator("#nieuw-wachtwoord").inner_text().strip()
    assert len(password) >= 12
    assert_accessible(admin, "tijdelijk-wachtwoord")

    colleague = open_page(viewport=viewport)
    colleague.goto("/login")
    assert_accessible(colleague, "collega-login")
    colleague.get_by_label("E-mailadres").fill(email)
    colleague.get_by_label("Wachtwoord").fill(password)
    colleague.get_by_role("button", name="Inloggen").click()
    expect(colleague.get_by_role("link", name="Mijn acties").first).to_be_attached()
    assert_accessible(colleague, "collega-weer-binnen")
