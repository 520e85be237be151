"""Mijn acties: the personal list across teams, its order, and changing a status in place."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlmodel import Session

from app.db import writer
from app.models import Action, ActionStatus, EscalationCreate, Role
from app.services import escalations, org
from app.services.access import access_for
from tests.conftest import TODAY
from tests.integration.service_helpers import as_, edit, new_action
from tests.support.builders import World


def make(world: World, who: str = "member", **fields) -> Action:
    with Session(writer(world.engine), expire_on_commit=False) as session:
        return new_action(session, world, who, **fields)


def read(world: World, action_id: int) -> Action:
    with Session(world.engine) as session:
        action = session.get(Action, action_id)
        assert action is not None
        return action


def item_ids(html: str) -> list[int]:
    return [int(found) for found in re.findall(r'<li id="mijn-actie-(\d+)"', html)]


def test_my_actions_lists_late_actions_first_then_by_due_date_and_undated_last(login, world):
    undated = make(world, title="Zonder datum", owner_id=world.ids["member"])
    later = make(
        world, title="Later", owner_id=world.ids["member"], due_date=TODAY + timedelta(days=9)
    )
    soon = make(
        world, title="Binnenkort", owner_id=world.ids["member"], due_date=TODAY + timedelta(days=1)
    )
    late = make(
        world, title="Te laat", owner_id=world.ids["member"], due_date=TODAY - timedelta(days=3)
    )
    page = login("member").get("/mijn-acties")
    assert page.status_code == 200
    assert item_ids(page.text) == [late.id, soon.id, later.id, undated.id]


def test_my_actions_shows_team_status_due_date_and_late_in_words(login, world):
    late = make(world, title="Brief aan de wethouder", due_date=TODAY - timedelta(days=1))
    page = login("member").get("/mijn-acties").text
    item = page[page.index(f'id="mijn-actie-{late.id}"') :]
    item = item[: item.index("</li>")]
    assert "Brief aan de wethouder" in item
    assert f'href="/teams/{world.team.id}"' in item and "Jeugd" in item
    assert "Te doen" in item
    assert "di 24 nov." in item and "te laat" in item


def test_my_actions_gathers_actions_from_every_team_and_leaves_out_other_peoples(login, world):
    with Session(writer(world.engine), expire_on_commit=False) as session:
        org.put_member(
            session=session,
            actor=as_(session, world, "admin"),
            team_id=world.other_team.id,
            user_id=world.ids["member"],
            role=Role.member,
        )
    mine_here = make(world, title="In Jeugd")
    mine_there = make(world, title="In Werk", team_id=world.other_team.id)
    someone_elses = make(world, "lead", title="Van de trekker")
    page = login("member").get("/mijn-acties").text
    assert set(item_ids(page)) == {mine_here.id, mine_there.id}
    assert someone_elses.title not in page


def test_done_actions_of_the_current_sprint_stay_on_the_list(login, world):
    finished = make(world, title="Afgerond", status=ActionStatus.done)
    page = login("member").get("/mijn-acties").text
    assert finished.id in item_ids(page)


def test_the_list_is_live_and_refreshes_itself_as_a_block(login, world):
    make(world, title="Iets")
    client = login("member")
    page = client.get("/mijn-acties")
    assert 'data-sse-connect="/mijn-acties/live"' in page.text and 'data-hx-ext="sse"' in page.text
    assert 'data-hx-trigger="sse:mijn-acties"' in page.text
    partial = client.get("/mijn-acties?bijgewerkt=1", headers={"HX-Request": "true"})
    assert partial.status_code == 200
    assert partial.text.lstrip().startswith('<div id="mijn-acties-lijst"')
    assert "<html" not in partial.text and "sse-connect" not in partial.text
    assert "HX-Request" in partial.headers["vary"]
    assert 'data-hx-swap-oob="innerHTML:#meldingen"' in partial.text  # a live redraw is announced


def test_my_actions_needs_a_login(app_for_pages, world):
    from fastapi.testclient import TestClient

    response = TestClient(app_for_pages).get("/mijn-acties", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=/mijn-acties")


# --- Changing a status in place ----------------------------------------------------------


def test_a_plain_form_changes_the_status_and_goes_back_to_the_list(login, world):
    action = make(world, title="Bellen")
    client = login("member")
    response = client.post(
        f"/mijn-acties/{action.id}/status",
        data={"csrf_token": client.csrf_token, "version": action.version, "status": "doing"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/mijn-acties#mijn-actie-{action.id}"
    assert read(world, action.id).status == ActionStatus.doing


def test_htmx_changes_the_status_and_gets_only_that_action_back_with_an_announcement(login, world):
    action = make(world, title="Bellen")
    other = make(world, title="Mailen")
    client = login("member")
    response = client.htmx(
        "POST",
        f"/mijn-acties/{action.id}/status",
        data={"version": action.version, "status": "done"},
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<li id="mijn-actie-{action.id}"')
    assert f"mijn-actie-{other.id}" not in response.text and "<html" not in response.text
    assert "HX-Request" in response.headers["vary"]
    assert 'data-hx-swap-oob="innerHTML:#meldingen"' in response.text and "Klaar" in response.text
    assert read(world, action.id).status == ActionStatus.done


def test_blocking_without_a_reason_asks_for_one_in_dutch(login, world):
    action = make(world, title="Bellen")
    client = login("member")
    response = client.htmx(
        "POST",
        f"/mijn-acties/{action.id}/status",
        data={"version": action.version, "status": "blocked"},
    )
    assert response.status_code == 422
    assert "Geef aan waarom de actie geblokkeerd is." in response.text
    assert f'id="reden-{action.id}"' in response.text and 'aria-invalid="true"' in response.text
    assert re.search(r'<option value="blocked" selected>', response.text)
    assert read(world, action.id).status == ActionStatus.todo


def test_blocking_without_a_reason_in_a_plain_form_re_renders_the_whole_page(login, world):
    action = make(world, title="Bellen")
    client = login("member")
    response = client.post(
        f"/mijn-acties/{action.id}/status",
        data={"csrf_token": client.csrf_token, "version": action.version, "status": "blocked"},
    )
    assert response.status_code == 422
    assert "<html" in response.text and "Geef aan waarom de actie geblokkeerd is." in response.text


def test_blocking_with_a_reason_stores_it(login, world):
    action = make(world, title="Bellen")
    client = login("member")
    response = client.htmx(
        "POST",
        f"/mijn-acties/{action.id}/status",
        data={
            "version": action.version,
            "status": "blocked",
            "blocked_reason": "Wacht op de jurist",
        },
    )
    assert response.status_code == 200
    assert "Wacht op de jurist" in response.text
    stored = read(world, action.id)
    assert stored.status == ActionStatus.blocked and stored.blocked_reason == "Wacht op de jurist"


def test_an_unknown_status_is_refused_with_a_dutch_message(login, world):
    action = make(world, title="Bellen")
    response = login("member").htmx(
        "POST",
        f"/mijn-acties/{action.id}/status",
        data={"version": action.version, "status": "weg"},
    )
    assert response.status_code == 422 and "Kies een status." in response.text


def test_a_change_on_a_stale_copy_names_who_changed_it_and_shows_the_current_values(login, world):
    action = make(world, title="Bellen")
    with Session(writer(world.engine), expire_on_commit=False) as session:
        edit(session, world, action, "lead", status=ActionStatus.doing)
    response = login("member").htmx(
        "POST",
        f"/mijn-acties/{action.id}/status",
        data={"version": action.version, "status": "done"},
    )
    assert response.status_code == 409
    assert (
        "Deze actie is intussen gewijzigd door Lead. "
        "Bekijk de nieuwe versie en probeer het opnieuw." in response.text
    )
    assert '<option value="doing" selected>' in response.text
    assert f'name="version" value="{action.version + 1}"' in response.text
    assert read(world, action.id).status == ActionStatus.doing


def test_someone_outside_the_team_cannot_change_the_status(login, world):
    action = make(world, title="Bellen")
    client = login("outsider")
    response = client.post(
        f"/mijn-acties/{action.id}/status",
        data={"csrf_token": client.csrf_token, "version": action.version, "status": "done"},
    )
    assert response.status_code == 403
    assert "Alleen leden van dit team kunnen dit doen." in response.text
    assert read(world, action.id).status == ActionStatus.todo


def test_a_status_change_without_the_csrf_token_is_refused_and_changes_nothing(login, world):
    action = make(world, title="Bellen")
    client = login("member")
    response = client.post(
        f"/mijn-acties/{action.id}/status", data={"version": action.version, "status": "done"}
    )
    assert response.status_code == 403
    assert read(world, action.id).status == ActionStatus.todo
    assert read(world, action.id).version == action.version


def test_an_owner_who_left_the_team_sees_the_action_without_a_form(login, world):
    action = make(world, title="Bellen")
    with Session(writer(world.engine), expire_on_commit=False) as session:
        org.remove_member(
            session=session,
            actor=as_(session, world, "admin"),
            team_id=world.team.id,
            user_id=world.ids["member"],
        )
    page = login("member").get("/mijn-acties").text
    assert action.id in item_ids(page)
    assert f'action="/mijn-acties/{action.id}/status"' not in page
    assert "je bent geen lid meer van dit team" in page


def test_an_escalated_action_still_shows_once(login, world):
    action = make(world, title="Bellen")
    with Session(writer(world.engine), expire_on_commit=False) as session:
        escalations.raise_escalation(
            session=session,
            actor=access_for(session, world.users["member"]),
            action_id=action.id,
            data=EscalationCreate(note="Hulp nodig"),
        )
    assert item_ids(login("member").get("/mijn-acties").text) == [action.id]
