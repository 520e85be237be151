"""Evaluations and stand-up records in the JSON API."""

from __future__ import annotations

from fastapi.testclient import TestClient

from app.models import EVALUATION_TEXT_MAX
from tests.http.helpers import Api, error_fields, expect
from tests.support.builders import World

TEXTS = {
    "goes_well": "De intake loopt soepel.",
    "vulnerable": "De werkvoorraad hangt aan één persoon.",
    "notably_absent": "Het gesprek met de wijkteams.",
    "highlights": "Wachtlijst weggewerkt\nNieuwe collega ingewerkt",
}


def url(world: World, team_id: int | None = None) -> str:
    return f"/teams/{team_id or world.team.id}/evaluations/{world.sprint.id}"


def test_an_evaluation_not_yet_written_is_empty_not_404(client: TestClient, world: World):
    found = Api(client, world).get(url(world), who="outsider")
    assert found == {
        "id": None,
        "team_id": world.team.id,
        "sprint_id": world.sprint.id,
        "goes_well": "",
        "vulnerable": "",
        "notably_absent": "",
        "highlights": "",
        "wins": [],
        "version": 0,
        "updated_at": None,
        "updated_by_id": None,
    }


def test_put_writes_the_evaluation_and_get_reads_it(client: TestClient, world: World):
    api = Api(client, world)
    saved = expect(api.call("PUT", url(world), "member", json=TEXTS))
    assert saved["version"] == 1 and saved["id"] is not None
    assert saved["wins"] == ["Wachtlijst weggewerkt", "Nieuwe collega ingewerkt"]
    assert saved["updated_by_id"] == world.users["member"].id
    # the team of teams (and anyone inside the organisation) reads it
    read = api.get(url(world), who="outsider")
    assert {key: read[key] for key in TEXTS} == TEXTS
    again = expect(api.call("PUT", url(world), "lead", json={**TEXTS, "goes_well": "Nog beter"}))
    assert again["version"] == 2


def test_a_put_on_an_old_version_is_a_409(client: TestClient, world: World):
    api = Api(client, world)
    expect(api.call("PUT", url(world), json={**TEXTS, "version": 0}))
    stale = api.call("PUT", url(world), json={**TEXTS, "goes_well": "Oud", "version": 0})
    assert stale.status_code == 409
    assert "evaluatie is intussen gewijzigd" in stale.json()["detail"]
    assert api.get(url(world))["goes_well"] == TEXTS["goes_well"]


def test_each_part_has_a_maximum_with_a_dutch_message(client: TestClient, world: World):
    api = Api(client, world)
    before = api.audit_events()
    too_long = api.call(
        "PUT",
        url(world),
        json={"notably_absent": "x" * (EVALUATION_TEXT_MAX + 1), "highlights": "y" * 5000},
    )
    assert error_fields(too_long) == {"notably_absent", "highlights"}
    messages = {e["loc"][1]: e["msg"] for e in too_long.json()["detail"]}
    assert messages["notably_absent"] == (
        f"Maak wat opvallend afwezig is korter: hoogstens {EVALUATION_TEXT_MAX} tekens."
    )
    assert api.audit_events() == before


def test_unknown_fields_and_outsiders_are_refused(client: TestClient, world: World):
    api = Api(client, world)
    assert error_fields(api.call("PUT", url(world), json={"wins": ["x"]})) == {"wins"}
    refused = api.call("PUT", url(world), "outsider", json=TEXTS)
    assert refused.status_code == 403
    assert api.call("GET", f"/teams/{world.team.id}/evaluations/999999").status_code == 404
    assert api.call("GET", f"/teams/999999/evaluations/{world.sprint.id}").status_code == 404


def test_a_stand_up_is_recorded_with_a_decision_that_becomes_an_action(
    client: TestClient, world: World
):
    api = Api(client, world)
    action = api.action(title="Vergunning loopt vast")
    escalation = api.escalation(action)
    tot = world.team_of_teams.id
    body = {
        "attendee_ids": [world.users["representative"].id],
        "turns": [
            {"team_id": tot, "seconds": 100},
            {"team_id": world.team.id, "seconds": 150},
        ],
        "decisions": [
            {"text": "Werksessie plannen", "owner_id": world.users["representative"].id},
            {"text": "Het college besluit op 8 december.", "escalation_id": escalation["id"]},
            {"text": "We houden het overleg voortaan om 9 uur."},
        ],
        "notes": "Goed overleg.",
    }
    saved = api.post(f"/teams/{tot}/standups", body, who="representative")
    assert saved["team_id"] == tot and saved["held_on"] == world.today.isoformat()
    assert [t["team_id"] for t in saved["turns"]] == [tot, world.team.id]
    assert [t["seconds"] for t in saved["turns"]] == [100, 150]
    assert [a["user_id"] for a in saved["attendees"]] == [world.users["representative"].id]
    made, answer, plain = saved["decisions"]
    assert made["action_id"] is not None and made["escalation_id"] is None
    assert answer["escalation_id"] == escalation["id"]
    assert plain["action_id"] is None and plain["escalation_id"] is None
    new_action = api.get(f"/actions/{made['action_id']}")
    assert (new_action["team_id"], new_action["owner_id"]) == (
        tot,
        world.users["representative"].id,
    )
    open_ones = api.get(f"/teams/{tot}/escalations")
    assert escalation["id"] not in [e["id"] for e in open_ones["items"] if e["status"] == "open"]

    assert api.get(f"/standups/{saved['id']}") == saved
    listed = api.get(f"/teams/{tot}/standups")
    assert listed["total"] == 1 and listed["items"][0]["id"] == saved["id"]


def test_a_refused_stand_up_stores_nothing(client: TestClient, world: World):
    api = Api(client, world)
    tot = world.team_of_teams.id
    before = api.audit_events()
    body = {
        "decisions": [
            {"text": "Eerst goed", "owner_id": world.users["representative"].id},
            {"text": "Eigenaar buiten het bord", "owner_id": world.users["member"].id},
        ]
    }
    refused = api.call("POST", f"/teams/{tot}/standups", "representative", json=body)
    assert refused.status_code == 422, refused.text
    assert api.audit_events() == before
    assert api.get(f"/teams/{tot}/standups")["total"] == 0


def test_who_may_record_a_stand_up(client: TestClient, world: World):
    api = Api(client, world)
    tot = world.team_of_teams.id
    assert api.call("POST", f"/teams/{tot}/standups", "member", json={}).status_code == 403
    not_tot = api.call("POST", f"/teams/{world.team.id}/standups", "member", json={})
    assert error_fields(not_tot) == {"team_id"}
    assert api.call("GET", "/standups/999999").status_code == 404
    bad = api.call(
        "POST",
        f"/teams/{tot}/standups",
        "representative",
        json={"turns": [{"team_id": world.team.id, "seconds": -1}]},
    )
    assert bad.status_code == 422


def test_a_decision_with_a_citizens_data_needs_confirming(client: TestClient, world: World):
    api = Api(client, world)
    tot = world.team_of_teams.id
    decision = {"text": "Bel 123456782 terug", "owner_id": world.users["representative"].id}
    refused = api.call(
        "POST", f"/teams/{tot}/standups", "representative", json={"decisions": [decision]}
    )
    assert error_fields(refused) == {"decisions.0.text"}
    body = {"decisions": [decision], "confirm_personal_data": True}
    assert api.post(f"/teams/{tot}/standups", body, who="representative")["decisions"][0][
        "action_id"
    ]
