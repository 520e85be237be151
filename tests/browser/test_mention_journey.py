"""Noemen in a real browser: a member types @ in a reactie, picks a colleague whose name has a
space with the keyboard only, saves, and the colleague finds it under "Voor mij" on the start
page and marks it Gelezen; the mention links to their page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.support.builders import PASSWORD

pytestmark = pytest.mark.browser


def add_colleague(live_server: Any) -> int:
    """Fatima el Amrani, a member of the world's team, who can log in as "fatima"."""
    with live_server.api("admin") as api:
        user = api.post(
            "/users",
            json={"email": "fatima@example.org", "name": "Fatima el Amrani", "password": PASSWORD},
        )
        assert user.status_code == 201, user.text
        user_id = int(user.json()["id"])
        member = api.put(f"/teams/{live_server.team_id}/members/{user_id}", json={"role": "member"})
        assert member.status_code in (200, 201), member.text
    live_server.world.users["fatima"] = type(
        "Person", (), {"email": "fatima@example.org", "id": user_id}
    )()
    return user_id


def test_mentioning_a_colleague_by_keyboard_reaches_their_voor_mij(open_page, live_server):
    fatima = add_colleague(live_server)
    action = live_server.create_action("Zaal regelen voor de buurtavond")
    page = open_page("member")
    page.goto(f"/teams/{live_server.team_id}/acties/{action['id']}")
    assert_accessible(page, "noemen-reactie")

    field = page.get_by_role("textbox", name="Jouw reactie")
    field.focus()
    page.keyboard.type("Kun jij dit oppakken, @fat")
    options = page.get_by_role("listbox", name="Collega's om te noemen").get_by_role("option")
    expect(options).to_have_count(1)
    expect(options.first).to_have_text("Fatima el Amrani")
    expect(options.first).to_have_attribute("aria-selected", "true")
    option_id = options.first.get_attribute("id")
    expect(field).to_have_attribute("aria-activedescendant", option_id or "")
    expect(page.get_by_role("status").filter(has_text="1 collega gevonden")).to_have_count(1)
    assert_accessible(page, "noemen-suggesties-open")

    # Escape closes without picking; typing on asks again; Enter picks
    page.keyboard.press("Escape")
    expect(page.get_by_role("listbox")).to_have_count(0)
    page.keyboard.type("i")
    expect(options).to_have_count(1)
    page.keyboard.press("ArrowDown")  # one option: stays on it
    page.keyboard.press("Enter")
    expect(page.get_by_role("listbox")).to_have_count(0)
    expect(field).to_have_value("Kun jij dit oppakken, @Fatima el Amrani ")
    page.keyboard.type("?")
    page.get_by_role("button", name="Reactie plaatsen").click()

    link = page.locator(".comment__body").get_by_role("link", name="@Fatima el Amrani")
    expect(link).to_have_attribute("href", f"/mensen/{fatima}")

    colleague = open_page("fatima")
    colleague.goto("/")
    voor_mij = colleague.locator("#voor-mij")
    expect(voor_mij.get_by_role("heading", name="Voor mij")).to_be_visible()
    expect(voor_mij).to_contain_text("Member noemde je in een reactie")
    expect(voor_mij).to_contain_text("Kun jij dit oppakken, @Fatima el Amrani ?")
    assert_accessible(colleague, "noemen-voor-mij")

    colleague.get_by_role("button", name=re.compile("^Gelezen")).click()
    expect(voor_mij).to_contain_text("Niemand heeft je genoemd")

    colleague.goto(f"/mensen/{live_server.world.ids['member']}")
    expect(colleague.get_by_role("heading", level=1)).to_have_text("Member")
    assert_accessible(colleague, "noemen-persoon")
