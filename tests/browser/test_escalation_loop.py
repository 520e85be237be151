"""A knelpunt up two levels and back down, in a real browser: a team raises it from a card, its
team of teams forwards it from the knelpunt's page, the top answers it on its board, and the
team sees the answer on the original card and reads it ("Gelezen").

The journey runs in a tree of its own (Directie → Cluster → Wijkteam), so the shared world's
teams keep their place for the other browser tests."""

from __future__ import annotations

from itertools import count
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_accessible
from tests.support.builders import PASSWORD

pytestmark = pytest.mark.browser

_numbers = count(1)


def make_tree(live_server: Any) -> dict[str, int]:
    """Three tiers with one person each, made through the API as the admin; the people can log
    in with the builder's password (open_page(key))."""
    n = next(_numbers)
    ids: dict[str, int] = {}
    with live_server.api("admin") as api:
        parent = None
        for key, name in (("top", "Directie"), ("midden", "Cluster"), ("wijk", "Wijkteam")):
            body: dict[str, Any] = {"name": f"{name} {n}"}
            if parent is not None:
                body["parent_id"] = parent
            team = api.post("/teams", json=body)
            assert team.status_code == 201, team.text
            parent = ids[key] = team.json()["id"]
            user = api.post(
                "/users",
                json={
                    "email": f"{key}{n}@example.org",
                    "name": f"{key.title()} {n}",
                    "password": PASSWORD,
                },
            )
            assert user.status_code == 201, user.text
            user_id = user.json()["id"]
            member = api.put(f"/teams/{parent}/members/{user_id}", json={"role": "member"})
            assert member.status_code in (200, 201), member.text
            login = f"{key}{n}"
            live_server.world.users[login] = type(
                "Person", (), {"email": f"{key}{n}@example.org", "id": user_id}
            )()
            ids[f"{key}_login"] = n
        action = api.post(
            "/actions",
            json={
                "title": f"Zaal voor de buurtavond {n}",
                "team_id": ids["wijk"],
                "owner_id": user_id,  # the Wijkteam's member
                "status": "blocked",
                "blocked_reason": "Geen budget",
            },
        )
        assert action.status_code == 201, action.text
        ids["action"] = action.json()["id"]
        ids["n"] = n
    return ids


def test_a_knelpunt_goes_up_two_levels_and_its_answer_comes_back_to_the_card(
    open_page, live_server
):
    tree = make_tree(live_server)
    n, action_id = tree["n"], tree["action"]
    me = f"action-{action_id}"

    # 1. the Wijkteam raises it from the card: what is needed, which kind, by when
    wijk = open_page(f"wijk{n}")
    wijk.goto(f"/teams/{tree['wijk']}")
    wijk.locator(f"#{me}-acties").click()
    wijk.locator(f"#{me}-opschalen").click()
    note = wijk.get_by_label("Wat is er nodig om verder te kunnen?")
    expect(note).to_be_focused()
    wijk.get_by_label("Wat voor knelpunt?").select_option(label="Besluit nodig")
    assert_accessible(wijk, "knelpunt-opschalen-formulier")
    note.fill("Wie betaalt de zaal voor de buurtavond?")
    wijk.locator(f"#{me}-opschalen-knop").click()
    knelpunten = wijk.locator("#knelpunten")
    expect(knelpunten).to_contain_text("Wie betaalt de zaal voor de buurtavond?")
    expect(knelpunten).to_contain_text("Besluit nodig")
    expect(knelpunten).to_contain_text("nog geen eigenaar")
    assert_accessible(wijk, "knelpunt-opgeschaald")

    # 2. the Cluster passes it on from the knelpunt's page, with why
    midden = open_page(f"midden{n}")
    midden.goto(f"/teams/{tree['midden']}")
    received = midden.locator("#knelpunten")
    expect(received).to_contain_text("Wie betaalt de zaal voor de buurtavond?")
    assert_accessible(midden, "knelpunt-bij-cluster")
    received.get_by_role("link", name="Verloop en doorsturen").click()
    expect(midden.get_by_role("heading", level=1)).to_contain_text("Zaal voor de buurtavond")
    assert_accessible(midden, "knelpunt-pagina")
    midden.get_by_label("Waarom stuur je het door?").fill("Over budget beslist de directie.")
    midden.get_by_role("button", name=f"Doorsturen naar Directie {n}").click()
    expect(midden.get_by_role("status")).to_contain_text("Het knelpunt is doorgestuurd.")
    expect(midden.locator("#verloop ~ ol")).to_contain_text(f"Doorgestuurd naar Directie {n}")
    assert_accessible(midden, "knelpunt-doorgestuurd")

    # 3. the Directie chooses who answers and answers it on its board
    top = open_page(f"top{n}")
    top.goto(f"/teams/{tree['top']}")
    upstairs = top.locator("#knelpunten")
    expect(upstairs).to_contain_text("Wie betaalt de zaal voor de buurtavond?")
    expect(upstairs).to_contain_text(f"bij Directie {n}")
    upstairs.get_by_label("Wie geeft antwoord?").select_option(label=f"Top {n}")
    upstairs.get_by_role("button", name="Eigenaar opslaan").click()
    expect(top.locator("#knelpunten")).to_contain_text(f"Eigenaar: Top {n}")
    top.locator("#knelpunten").get_by_label("Hoe is het opgelost?").fill(
        "De directie betaalt de zaal uit het wijkbudget."
    )
    top.locator("#knelpunten").get_by_role("button", name="Oplossen").click()
    expect(top.locator("#meldingen")).to_contain_text("opgelost")
    expect(top.locator("#knelpunten")).not_to_contain_text("Wie betaalt de zaal")
    assert_accessible(top, "knelpunt-beantwoord-door-directie")

    # 4. back down: the answer on the original card and the team's board, until it is read
    wijk.goto(f"/teams/{tree['wijk']}")
    answer_badge = wijk.locator(f"#{me}").get_by_role("link", name="Antwoord op knelpunt")
    expect(answer_badge).to_be_visible()
    own = wijk.locator("#knelpunten")
    expect(own).to_contain_text("De directie betaalt de zaal uit het wijkbudget.")
    assert_accessible(wijk, "knelpunt-antwoord-op-het-bord")
    own.get_by_role("button", name="Gelezen").click()
    expect(wijk.locator("#meldingen")).to_contain_text("Je hebt het antwoord gelezen.")
    expect(wijk.locator("#knelpunten")).not_to_contain_text("wijkbudget")
    # the card follows by the live update; read afresh, it has no badge either
    wijk.reload()
    expect(wijk.locator(f"#{me}").get_by_role("link", name="Antwoord op knelpunt")).to_have_count(0)
    assert_accessible(wijk, "knelpunt-gelezen")

    # the timeline holds every step
    wijk.goto(f"/knelpunten/{wijk_escalation_id(live_server, tree)}")
    timeline = wijk.locator("#verloop ~ ol")
    for step in ("Opgeschaald naar Cluster", "Doorgestuurd naar Directie", "Beantwoord"):
        expect(timeline).to_contain_text(step)
    expect(timeline).to_contain_text("Antwoord gelezen door het team")
    assert_accessible(wijk, "knelpunt-verloop")


def wijk_escalation_id(live_server: Any, tree: dict[str, int]) -> int:
    with live_server.api("admin") as api:
        found = api.get(f"/teams/{tree['wijk']}/escalations")
    assert found.status_code == 200, found.text
    return int(found.json()["items"][0]["id"])
