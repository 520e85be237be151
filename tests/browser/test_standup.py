"""The representative runs a stand-up on the shared screen, in a real browser: chooses the order
and the minutes, sees a team's overrun counted up, walks on and back with the clocks kept, and
resolves a knelpunt without leaving the stand-up. Time runs on Playwright's clock, so the overrun
shows without waiting."""

from __future__ import annotations

import re
from itertools import count
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

_numbers = count(1)


def raise_knelpunt(live_server: Any, note: str) -> int:
    action = live_server.create_action(
        f"Tolk regelen {next(_numbers)}", status="blocked", blocked_reason="Geen budget"
    )
    with live_server.api("member") as api:
        raised = api.post(f"/actions/{action['id']}/escalations", json={"note": note})
    assert raised.status_code == 201, raised.text
    return int(raised.json()["id"])


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_representative_runs_a_stand_up_from_plan_to_decision(
    open_page, live_server, size: dict[str, int]
):
    name = "staand-overleg-" + ("telefoon" if size is PHONE else "scherm")
    note = f"Wie betaalt de tolk? ({name})"
    knelpunt_id = raise_knelpunt(live_server, note)
    page = open_page("representative", viewport=size)
    page.clock.install()
    page.goto(f"/teams/{live_server.team_of_teams_id}/staand-overleg")

    # the shared screen: no site navigation, a way out, the plan open on the first screen
    expect(page.locator(".site-nav")).to_have_count(0)
    expect(page.get_by_role("link", name="Staand overleg verlaten")).to_be_visible()
    title = page.get_by_role("heading", level=1)
    expect(title).to_contain_text("Team 1 van 3")
    expect(page.get_by_text("Volgorde en tijd kiezen")).to_be_visible()
    assert_accessible(page, f"{name}-plan")

    # Werk first: Jeugd, which had that place, moves to the place Werk leaves
    page.get_by_label("Plaats 2").select_option(label="Werk")
    expect(page.get_by_label("Plaats 3")).to_have_value(str(live_server.team_id))
    page.get_by_label("Minuten per team").fill("1")
    page.get_by_role("button", name="Start het overleg").click()

    expect(title).to_contain_text("Team 1 van 3")
    expect(page.get_by_role("link", name=re.compile("^Volgende: Werk"))).to_be_visible()
    timer = page.locator("[data-countdown]")
    display = page.locator("[data-countdown-display]")
    # the clock runs in real time too, on a busy machine a few seconds may pass
    expect(display).to_have_text(re.compile(r"^(01:00|00:[45]\d)$"))
    expect(page.locator("[data-meeting-clock-display]")).to_have_text(re.compile(r"^00:[01]\d$"))
    assert_accessible(page, f"{name}-gestart")

    # past its minute the team's clock counts the overrun up, in words and shape too
    page.clock.run_for("01:05")
    expect(display).to_have_text(re.compile(r"^\+00:[01]\d$"))
    expect(timer.get_by_text("Uitloop", exact=True)).to_be_visible()
    expect(timer).to_have_class(re.compile("standup-timer--over"))
    expect(page.locator("[data-countdown-announce]")).to_have_text(
        "De tijd voor dit team is om. De uitloop telt nu op."
    )
    expect(page.locator("[data-meeting-clock-display]")).to_have_text(re.compile(r"^01:[0-2]\d$"))
    assert_accessible(page, f"{name}-uitloop")

    # the next team gets its own minute; the meeting clock runs on across the page change
    page.get_by_role("link", name=re.compile("^Volgende: Werk")).click()
    expect(title).to_contain_text("Team 2 van 3")
    expect(title).to_contain_text("Werk")
    expect(display).to_have_text(re.compile(r"^(01:00|00:[45]\d)$"))
    expect(page.get_by_text("Uitloop", exact=True)).to_be_hidden()
    expect(page.locator("[data-meeting-clock-display]")).to_have_text(re.compile(r"^01:[0-3]\d$"))
    assert_accessible(page, f"{name}-tweede-team")

    # the knelpunt of Jeugd is decided here, and the stand-up stays
    knelpunt = page.locator(f"#knelpunt-{knelpunt_id}")
    expect(knelpunt).to_contain_text(note)
    knelpunt.get_by_label("Hoe is het opgelost?").fill("De gemeente betaalt de tolk.")
    knelpunt.get_by_role("button", name="Oplossen").click()
    expect(page.locator(f"#knelpunt-{knelpunt_id}")).to_have_count(0)
    expect(page.locator("#meldingen")).to_contain_text("opgelost")
    expect(title).to_contain_text("Werk")
    assert "/staand-overleg" in page.url
    assert_accessible(page, f"{name}-knelpunt-opgelost")

    # back to the first team: its clock kept its overrun
    page.get_by_role("link", name=re.compile("Vorige: Team van teams")).click()
    expect(title).to_contain_text("Team 1 van 3")
    expect(display).to_have_text(re.compile(r"^\+00:[0-2]\d$"))
    expect(timer.get_by_text("Uitloop", exact=True)).to_be_visible()
    assert_accessible(page, f"{name}-terug")
