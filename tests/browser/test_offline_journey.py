"""On the phone, also without a network (issue 11, item 6): the service worker keeps Mijn acties,
a board and an action page readable offline with the time they were fetched; a status change or
a reactie made offline waits in a queue and lands once when the network is back; a version
conflict is shown to the person, who chooses, and nothing is overwritten meanwhile.

The network is switched off in the browser context (Playwright `set_offline`), as on a phone in
a kitchen without reception. Chromium counts http://127.0.0.1 as a secure context, so the
service worker runs against the test server as it would over HTTPS.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.browser.conftest import PHONE, Browsing, LiveServer
from tests.support.builders import PASSWORD

pytestmark = pytest.mark.browser

OFFLINE_BANNER = re.compile(r"^Je bent offline\. Laatst bijgewerkt om (\d\d:\d\d)\.$")
QUEUED = "Wordt verstuurd zodra je weer online bent."
KEEP_SECONDS = 15_000


def amsterdam_now() -> datetime:
    return datetime.now(ZoneInfo("Europe/Amsterdam"))  # the test browser's time zone


def minutes_between(first: datetime, last: datetime) -> set[str]:
    """Every HH:MM from `first` to `last`, both included."""
    shown, moment = set(), first.replace(second=0, microsecond=0)
    while moment <= last:
        shown.add(moment.strftime("%H:%M"))
        moment += timedelta(minutes=1)
    return shown


def kept_offline(page: Any) -> None:
    """Wait until the service worker has kept this page (offline.js marks <html> when it says
    so), as a phone would have by the time its owner walks into a kitchen."""
    page.wait_for_selector("html[data-offline-bewaard]", state="attached", timeout=KEEP_SECONDS)


def forgive_the_offline_noise(browsing: Browsing) -> None:
    """While the network is off (or after logging out) the live streams and a board's lazy
    parts cannot connect: htmx and the stream extension say so in the console. Those are
    expected; anything else still fails the test."""
    problems = browsing.problems
    problems.console_errors[:] = [
        text
        for text in problems.console_errors
        if "ERR_INTERNET_DISCONNECTED" not in text
        and "htmx:sendError" not in text
        and "EventSource" not in text
        # the stream extension's error event, logged by htmx as the bare event
        and not ("/static/vendor/htmx.min.js" in text and text.endswith(": [object Event]"))
    ]


def set_status_through_api(live_server: LiveServer, action_id: int, status: str) -> None:
    """Someone else changes the action meanwhile (the lead, through the API)."""
    current = live_server.action(action_id)
    with live_server.api("lead") as api:
        answer = api.patch(
            f"/actions/{action_id}", json={"status": status, "version": current["version"]}
        )
    assert answer.status_code == 200, answer.text


def test_mijn_acties_offline_keeps_a_status_change_that_lands_once(
    open_page: Any, live_server: LiveServer, browsing: Browsing
) -> None:
    action = live_server.create_action("Offline afronden", status="doing")
    assert action["version"] == 1
    page = open_page("member", viewport=PHONE)
    before = amsterdam_now()
    page.goto("/mijn-acties")
    kept_offline(page)
    assert_accessible(page, "offline-mijn-acties-online")

    page.context.set_offline(True)
    # the open page says so at once (fetched when it loaded)
    expect(page.locator("[data-offline-balk]")).to_have_text(OFFLINE_BANNER)
    page.reload()  # the kept copy, marked with the time it was fetched
    expect(page.locator("body[data-offline-kopie]")).to_have_count(1)
    expect(page.locator("[data-offline-balk]")).to_have_text(OFFLINE_BANNER)
    shown = OFFLINE_BANNER.match(page.locator("[data-offline-balk]").inner_text().strip())
    assert shown is not None and shown.group(1) in minutes_between(before, amsterdam_now())
    item = page.locator(f"#mijn-actie-{action['id']}")
    expect(item).to_contain_text("Offline afronden")
    assert_accessible(page, "offline-mijn-acties-offline")

    item.get_by_label("Status").select_option("done")
    item.get_by_role("button", name="Opslaan").click()
    expect(page.locator("[data-meldingen]")).to_have_text(QUEUED)
    waiting = page.locator("[data-offline-wachtrij]")
    expect(waiting).to_contain_text("Status van „Offline afronden” naar Klaar")
    expect(waiting).to_contain_text(QUEUED)
    assert live_server.action(action["id"])["status"] == "doing"  # nothing sent yet
    assert_accessible(page, "offline-mijn-acties-in-wachtrij")

    page.context.set_offline(False)
    expect(waiting).to_have_count(0)
    landed = live_server.action(action["id"])
    assert landed["status"] == "done"
    assert landed["version"] == 2  # once: one change on top of the version the page had
    expect(page.locator(f"#mijn-actie-{action['id']}")).to_have_attribute("data-status", "done")

    # a later load sends nothing again
    page.reload()
    expect(page.locator(f"#mijn-actie-{action['id']}")).to_have_attribute("data-status", "done")
    page.wait_for_timeout(500)
    assert live_server.action(action["id"])["version"] == 2
    expect(page.locator("[data-offline-balk]")).to_have_count(0)
    forgive_the_offline_noise(browsing)


def test_a_conflict_is_shown_and_the_person_chooses(
    open_page: Any, live_server: LiveServer, browsing: Browsing
) -> None:
    browsing.problems.expected_statuses.add(409)  # the conflict, answered by the server
    action = live_server.create_action("Zaal reserveren", status="todo")
    page = open_page("member", viewport=PHONE)
    page.goto("/mijn-acties")
    kept_offline(page)
    assert_accessible(page, "offline-conflict-online")

    page.context.set_offline(True)
    page.reload()
    item = page.locator(f"#mijn-actie-{action['id']}")
    item.get_by_label("Status").select_option("done")
    item.get_by_role("button", name="Opslaan").click()
    expect(page.locator("[data-offline-wachtrij]")).to_contain_text("Zaal reserveren")

    set_status_through_api(live_server, action["id"], "doing")  # meanwhile, someone else
    page.context.set_offline(False)

    conflict = page.locator('[data-wachtrij-item="conflict"]')
    expect(conflict).to_contain_text("iemand anders heeft deze actie intussen gewijzigd")
    expect(conflict.locator("dd").nth(0)).to_have_text("Klaar")  # Jij wilde
    expect(conflict.locator("dd").nth(1)).to_have_text("Bezig")  # Nu staat er
    # nothing overwritten, nothing lost
    assert live_server.action(action["id"])["status"] == "doing"
    assert_accessible(page, "offline-conflict")

    # it stays until the person chooses, also after a reload
    page.reload()
    conflict = page.locator('[data-wachtrij-item="conflict"]')
    expect(conflict).to_be_visible()
    assert live_server.action(action["id"])["status"] == "doing"

    conflict.get_by_role("button", name="Mijn keuze toch opslaan").click()
    expect(page.locator("[data-offline-wachtrij]")).to_have_count(0)
    chosen = live_server.action(action["id"])
    assert chosen["status"] == "done"
    assert chosen["version"] == 3
    forgive_the_offline_noise(browsing)


def test_keeping_the_new_version_drops_only_the_queued_change(
    open_page: Any, live_server: LiveServer, browsing: Browsing
) -> None:
    browsing.problems.expected_statuses.add(409)
    action = live_server.create_action("Flyers ophalen", status="todo")
    page = open_page("member", viewport=PHONE)
    page.goto("/mijn-acties")
    kept_offline(page)
    assert_accessible(page, "offline-nieuwe-versie")
    page.context.set_offline(True)
    item = page.locator(f"#mijn-actie-{action['id']}")
    item.get_by_label("Status").select_option("done")
    item.get_by_role("button", name="Opslaan").click()
    expect(page.locator("[data-offline-balk]")).to_have_text(OFFLINE_BANNER)
    set_status_through_api(live_server, action["id"], "doing")
    page.context.set_offline(False)
    conflict = page.locator('[data-wachtrij-item="conflict"]')
    conflict.get_by_role("button", name="De nieuwe versie houden").click()
    expect(page.locator("[data-offline-wachtrij]")).to_have_count(0)
    kept = live_server.action(action["id"])
    assert (kept["status"], kept["version"]) == ("doing", 2)
    forgive_the_offline_noise(browsing)


def test_a_board_and_an_action_are_readable_offline_and_a_reactie_waits(
    open_page: Any, live_server: LiveServer, browsing: Browsing
) -> None:
    action = live_server.create_action("Bord zonder bereik", status="doing")
    page = open_page("member", viewport=PHONE)
    page.goto(f"/teams/{live_server.team_id}")
    kept_offline(page)
    assert_accessible(page, "offline-bord-online")
    page.goto(f"/teams/{live_server.team_id}/acties/{action['id']}")
    kept_offline(page)
    assert_accessible(page, "offline-actie-online")

    page.context.set_offline(True)
    page.goto(f"/teams/{live_server.team_id}")
    expect(page.locator("[data-offline-balk]")).to_have_text(OFFLINE_BANNER)
    expect(page.locator(f"#action-{action['id']}")).to_contain_text("Bord zonder bereik")

    page.goto(f"/teams/{live_server.team_id}/acties/{action['id']}")
    expect(page.locator("[data-offline-balk]")).to_have_text(OFFLINE_BANNER)
    page.get_by_label("Jouw reactie").fill("Bewoner gesproken, komt dinsdag langs.")
    page.get_by_role("button", name="Reactie plaatsen").click()
    expect(page.locator("[data-meldingen]")).to_have_text(QUEUED)
    expect(page.locator("[data-offline-wachtrij]")).to_contain_text(
        "Reactie bij „Bord zonder bereik”: Bewoner gesproken, komt dinsdag langs."
    )
    assert_accessible(page, "offline-actie-reactie-in-wachtrij")

    page.context.set_offline(False)
    expect(page.locator("[data-offline-wachtrij]")).to_have_count(0)
    expect(page.locator(f"#reacties-{action['id']}")).to_contain_text("komt dinsdag langs")
    with live_server.api("member") as api:
        comments = api.get(f"/actions/{action['id']}/comments").json()["items"]
    assert [c["body"] for c in comments] == ["Bewoner gesproken, komt dinsdag langs."]
    forgive_the_offline_noise(browsing)


def test_logging_out_empties_the_kept_pages(
    open_page: Any, live_server: LiveServer, browsing: Browsing
) -> None:
    # a person of their own: logging out ends every session and API key of that person
    with live_server.api("admin") as api:
        made = api.post(
            "/users",
            json={"email": "telefoon@example.org", "name": "Telefoon", "password": PASSWORD},
        )
    assert made.status_code == 201, made.text
    page = open_page(viewport=PHONE)
    answer = page.context.request.post(
        "/login", form={"email": "telefoon@example.org", "password": PASSWORD}, max_redirects=0
    )
    assert answer.status == 303
    page.goto("/mijn-acties")
    kept_offline(page)
    assert_accessible(page, "offline-uitloggen")
    kept = "caches.keys().then(names => names.filter(n => n.startsWith('verbeterbord-paginas-')))"
    assert len(page.evaluate(kept)) == 1

    menu = page.get_by_role("button", name="Menu")
    if menu.is_visible():
        menu.click()
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url("**/login**")
    assert_accessible(page, "offline-na-uitloggen")
    page.wait_for_function(f"{kept}.then(names => names.length === 0)")
    forgive_the_offline_noise(browsing)  # logging out ends Mijn acties' live stream too


def test_chromium_finds_the_app_installable(open_page: Any) -> None:
    """Chromium's own judgement of the manifest, its icons and the worker (DevTools protocol)."""
    page = open_page("member", viewport=PHONE)
    page.goto("/mijn-acties")
    kept_offline(page)
    assert_accessible(page, "offline-installeerbaar")
    devtools = page.context.new_cdp_session(page)
    manifest = devtools.send("Page.getAppManifest")
    assert manifest["errors"] == [], manifest["errors"]
    assert manifest["url"].split("?")[0].endswith("/static/manifest.webmanifest")
    found = devtools.send("Page.getInstallabilityErrors")["installabilityErrors"]
    # a Playwright context is an incognito profile, where Chromium installs nothing; any other
    # reason (no icon, no worker, wrong display) would be the app's
    assert [error for error in found if error["errorId"] != "in-incognito"] == [], found
