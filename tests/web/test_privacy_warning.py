"""The forms warn before saving text that looks like a citizen's personal data: the form comes
back (422) with the message at the field, the text kept, and a box to confirm; with the box
ticked it saves. As a plain POST and with HTMX: adding, editing, moving to Geblokkeerd and
reacties."""

from __future__ import annotations

import pytest

from app import clock
from app.models import Action, ActionStatus
from tests.conftest import TODAY
from tests.support.builders import World
from tests.web.board_support import add_action, comments_on, count, fetch

BOX = "Ik weet zeker dat dit geen gegevens van een inwoner zijn"
WARNING = "persoonsgegevens van een inwoner"
BSN_TITLE = "Inwoner 111222333 terugbellen"


@pytest.fixture(autouse=True)
def this_year_is_the_tests_year(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(clock, "today", lambda: TODAY)


def _asks(html: str) -> None:
    assert WARNING in html and "(een BSN)" in html
    assert BOX in html and 'name="confirm_personal_data"' in html


@pytest.mark.parametrize("htmx", [False, True])
def test_adding_an_action_with_a_bsn_asks_first_and_saves_when_confirmed(
    login, world: World, htmx: bool
):
    client = login("member")
    url = f"/teams/{world.team.id}/acties"
    fields = {"title": BSN_TITLE, "owner_id": str(world.ids["member"]), "doel": ""}

    def post(**extra: str):
        data = fields | extra
        if htmx:
            return client.htmx("POST", url, data=data)
        return client.post(url, data={"csrf_token": client.csrf_token, **data})

    refused = post()
    assert refused.status_code == 422
    _asks(refused.text)
    assert f'value="{BSN_TITLE}"' in refused.text  # what was typed is kept
    assert 'id="nieuw-titel-fout"' in refused.text  # the message at the field
    assert count(world, Action) == 0

    saved = post(confirm_personal_data="1")
    assert saved.status_code in (200, 303)
    assert fetch(world, Action, 1).title == BSN_TITLE


@pytest.mark.parametrize("htmx", [False, True])
def test_editing_a_description_with_an_e_mail_address_asks_first(login, world: World, htmx: bool):
    action = add_action(world)
    client = login("member")
    url = f"/teams/{world.team.id}/acties/{action.id}"
    fields = {
        "version": "1",
        "title": "Bel de wijkteams",
        "owner_id": str(world.ids["member"]),
        "description": "Stuur het naar piet.jansen@example.nl",
    }

    def post(**extra: str):
        data = fields | extra
        if htmx:
            return client.htmx("POST", url, data=data)
        return client.post(url, data={"csrf_token": client.csrf_token, **data})

    refused = post()
    assert refused.status_code == 422
    assert "een e-mailadres" in refused.text and BOX in refused.text
    assert f'id="action-{action.id}-beschrijving-fout"' in refused.text
    assert "piet.jansen@example.nl</textarea>" in refused.text
    assert fetch(world, Action, action.id).description == ""

    saved = post(confirm_personal_data="1")
    assert saved.status_code in (200, 303)
    assert fetch(world, Action, action.id).description.endswith("@example.nl")


def test_a_ticked_box_stays_ticked_when_the_form_comes_back_for_another_reason(login, world: World):
    client = login("member")
    response = client.htmx(
        "POST",
        f"/teams/{world.team.id}/acties",
        data={"title": BSN_TITLE, "owner_id": "", "doel": "", "confirm_personal_data": "1"},
    )
    assert response.status_code == 422
    assert "Kies een eigenaar." in response.text
    assert 'name="confirm_personal_data" value="1" checked' in response.text


def test_moving_to_geblokkeerd_with_a_phone_number_as_reason_asks_first(login, world: World):
    action = add_action(world)
    client = login("member")
    url = f"/teams/{world.team.id}/acties/{action.id}/verplaatsen"
    data = {"status": "blocked", "version": "1", "blocked_reason": "Bel mevrouw op 06-12345678"}

    refused = client.htmx("POST", url, data=data)
    assert refused.status_code == 422
    assert "een telefoonnummer" in refused.text and BOX in refused.text
    assert "06-12345678</textarea>" in refused.text
    assert fetch(world, Action, action.id).status == ActionStatus.todo

    saved = client.htmx("POST", url, data=data | {"confirm_personal_data": "1"})
    assert saved.status_code == 200
    assert fetch(world, Action, action.id).status == ActionStatus.blocked


@pytest.mark.parametrize("htmx", [False, True])
def test_a_reactie_with_a_phone_number_asks_first(login, world: World, htmx: bool):
    action = add_action(world)
    client = login("member")
    url = f"/teams/{world.team.id}/acties/{action.id}/reacties"
    body = {"body": "Mevrouw belt terug via +31 6 12345678"}

    def post(**extra: str):
        data = body | extra
        if htmx:
            return client.htmx("POST", url, data=data)
        return client.post(url, data={"csrf_token": client.csrf_token, **data})

    refused = post()
    assert refused.status_code == 422
    assert "een telefoonnummer" in refused.text and BOX in refused.text
    assert "+31 6 12345678</textarea>" in refused.text
    assert comments_on(world, action) == []

    saved = post(confirm_personal_data="1")
    assert saved.status_code in (200, 303)
    assert [c.body for c in comments_on(world, action)] == [body["body"]]


def test_ordinary_work_text_saves_without_a_question(login, world: World):
    client = login("member")
    response = client.htmx(
        "POST",
        f"/teams/{world.team.id}/acties",
        data={
            "title": "Raadsvoorstel 2026-0042 klaar voor 4-12-2026",
            "owner_id": str(world.ids["member"]),
            "doel": "",
            "description": "Budget € 250.000; zaak Z-2026-001234",
        },
    )
    assert response.status_code == 200 and BOX not in response.text
