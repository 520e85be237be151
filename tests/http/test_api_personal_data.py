"""The API's privacy guard: text that looks like a citizen's personal data in an action or a
comment is a 422 on that field (Dutch, or English when asked for), unless the request carries
`"confirm_personal_data": true`."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.http.helpers import API, Api, error_fields, expect
from tests.support.builders import World

ENGLISH = {"Accept-Language": "en-GB,en;q=0.9"}


def test_a_new_action_with_a_bsn_is_a_422_on_its_field_and_writes_nothing(
    client: TestClient, world: World
):
    api = Api(client, world)
    before = api.audit_events()
    body = {"title": "Dossier", "description": "BSN 123.456.782", "team_id": world.team.id}
    answer = api.call("POST", "/actions", json=body)
    assert error_fields(answer) == {"description"}
    (problem,) = answer.json()["detail"]
    assert problem["loc"] == ["body", "description"]
    assert "persoonsgegevens van een inwoner" in problem["msg"] and "een BSN" in problem["msg"]
    assert api.audit_events() == before


def test_confirming_saves_the_action(client: TestClient, world: World):
    api = Api(client, world)
    created = api.action(title="Bel 06-12345678 (werknummer)", confirm_personal_data=True)
    assert created["title"] == "Bel 06-12345678 (werknummer)"
    assert "confirm_personal_data" not in created


def test_a_patch_checks_the_text_it_changes(client: TestClient, world: World):
    api = Api(client, world)
    action = api.action()
    answer = api.call(
        "PATCH",
        f"/actions/{action['id']}",
        json={"version": 1, "status": "blocked", "blocked_reason": "Mail j@example.nl"},
    )
    assert error_fields(answer) == {"blocked_reason"}
    changed = api.edit(
        action, status="blocked", blocked_reason="Mail j@example.nl", confirm_personal_data=True
    )
    assert changed["version"] == 2
    # the reason stays as confirmed; a title change alone asks nothing
    assert api.edit(changed, title="Andere titel")["version"] == 3


def test_a_comment_with_an_e_mail_address_is_refused_unless_confirmed(
    client: TestClient, world: World
):
    api = Api(client, world)
    action = api.action()
    path = f"/actions/{action['id']}/comments"
    answer = api.call("POST", path, json={"body": "Stuur het naar a.de.vries@example.nl"})
    assert error_fields(answer) == {"body"}
    body = {"body": "Stuur het naar a.de.vries@example.nl", "confirm_personal_data": True}
    assert api.post(path, body, who="member")["body"].endswith("@example.nl")


def test_the_refusal_is_in_english_when_asked_for(client: TestClient, world: World):
    body = {"title": "Inwoner 111222333", "team_id": world.team.id}
    headers = world.headers("member") | ENGLISH
    answer = client.post(f"{API}/actions", json=body, headers=headers)
    assert answer.status_code == 422
    (problem,) = answer.json()["detail"]
    assert problem["loc"] == ["body", "title"]
    # English once the coordinator's translations are in; never pydantic's words
    assert "Input should" not in problem["msg"]


def test_confirm_personal_data_must_be_true_or_false(client: TestClient, world: World):
    body = {"title": "Werk", "team_id": world.team.id, "confirm_personal_data": "misschien"}
    answer = client.post(f"{API}/actions", json=body, headers=world.headers("member"))
    assert error_fields(answer) == {"confirm_personal_data"}
    assert expect(answer, 422)["detail"][0]["msg"] == "Vul true of false in."
