"""Mijn acties → agenda: making the secret link in a real browser, then subscribing to it the
way Outlook does (without the browser's session), parsed with the icalendar package."""

from __future__ import annotations

import re
from datetime import timedelta

import httpx
import pytest
from icalendar import Calendar
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible

pytestmark = pytest.mark.browser


def test_from_my_actions_to_a_calendar_link_that_outlook_can_read(open_page, live_server):
    due = live_server.world.today + timedelta(days=2)
    action = live_server.create_action("Agenda voor de buurtavond", due_date=due.isoformat())
    page = open_page("member")
    page.goto("/mijn-acties")
    assert_accessible(page, "mijn-acties-met-agenda-link")
    page.get_by_role("link", name="Mijn acties in je agenda (Outlook)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mijn acties in je agenda")
    expect(page.get_by_text("Abonneren via internet")).to_be_visible()
    assert_accessible(page, "mijn-acties-agenda")

    page.get_by_role("button", name="Nieuwe link maken").click()
    link = page.get_by_role("textbox", name="Je nieuwe agenda-link:")
    expect(link).to_be_visible()
    url = link.input_value()
    assert re.fullmatch(r"http://[^/]+/agenda/[A-Za-z0-9_-]{43}\.ics", url)
    assert_accessible(page, "mijn-acties-agenda-nieuwe-link")

    answer = httpx.get(url)  # no cookies: a calendar program has no session
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "text/calendar; charset=utf-8"
    events = Calendar.from_ical(answer.content).walk("VEVENT")
    mine = [event for event in events if str(event["SUMMARY"]) == "Agenda voor de buurtavond"]
    assert len(mine) == 1
    assert mine[0].decoded("DTSTART") == due
    assert str(mine[0]["URL"]).endswith(f"/acties/{action['id']}")
