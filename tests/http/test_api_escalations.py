"""The escalation loop over the JSON API: POST /actions/{id}/escalations {note, type?,
needed_by?}, /escalations/{id}/forward {note}, /owner, /resolve, /acknowledge, and the
escalation with its timeline."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.db import writer
from app.models import Role, TeamCreate, TeamUpdate, UserCreate
from app.services import auth, org
from app.services.access import access_for
from tests.conftest import TODAY
from tests.http.helpers import Api, error_fields, expect
from tests.support.builders import PASSWORD, World


@pytest.fixture
def top(world: World) -> int:
    """A team of teams above the world's (Directie) with a member "dirk" who has a token."""
    with Session(writer(world.engine), expire_on_commit=False) as session:
        admin = access_for(session, world.users["admin"])
        directie = org.create_team(session=session, actor=admin, data=TeamCreate(name="Directie"))
        assert directie.id is not None and world.team_of_teams.id is not None
        org.update_team(
            session=session,
            actor=admin,
            team_id=world.team_of_teams.id,
            data=TeamUpdate(parent_id=directie.id),
        )
        dirk = org.create_user(
            session=session,
            actor=admin,
            data=UserCreate(email="dirk@example.org", name="Dirk", password=PASSWORD),
        ).user
        assert dirk.id is not None
        org.put_member(
            session=session, actor=admin, team_id=directie.id, user_id=dirk.id, role=Role.member
        )
        world.users["dirk"] = dirk
        world.tokens["dirk"] = auth.create_token(
            session=session, user=dirk, name="test", actor_id=None
        )
        return directie.id


def raise_(api: Api, **body: Any) -> dict[str, Any]:
    action = api.action()
    return api.post(
        f"/actions/{action['id']}/escalations",
        {"note": "We hebben een besluit nodig.", **body},
        who="member",
    )


def test_raising_answers_the_type_the_date_and_no_owner(client: TestClient, world: World):
    api = Api(client, world)
    escalation = raise_(api, type="capacity", needed_by="2099-01-04")
    assert escalation["type"] == "capacity"
    assert escalation["needed_by"] == "2099-01-04"
    assert escalation["owner_id"] is None and escalation["acknowledged_at"] is None


def test_the_type_defaults_to_help_and_must_be_one_of_three(client: TestClient, world: World):
    api = Api(client, world)
    assert raise_(api)["type"] == "help"
    action = api.action()
    response = api.call(
        "POST", f"/actions/{action['id']}/escalations", json={"note": "x", "type": "urgent"}
    )
    assert error_fields(response) == {"type"}


def test_a_reason_is_required_and_a_date_in_the_past_refused(client: TestClient, world: World):
    api = Api(client, world)
    action = api.action()
    url = f"/actions/{action['id']}/escalations"
    assert error_fields(api.call("POST", url, json={"type": "help"})) == {"note"}
    past = api.call("POST", url, json={"note": "x", "needed_by": "2020-01-01"})
    assert error_fields(past) == {"needed_by"}


def test_personal_data_in_the_note_is_a_422_unless_confirmed(client: TestClient, world: World):
    api = Api(client, world)
    action = api.action()
    url = f"/actions/{action['id']}/escalations"
    before = api.audit_events()
    refused = api.call("POST", url, json={"note": "Bel 06-12345678"})
    assert error_fields(refused) == {"note"}
    assert api.audit_events() == before
    confirmed = api.call(
        "POST", url, json={"note": "Bel 06-12345678", "confirm_personal_data": True}
    )
    assert confirmed.status_code == 201


def test_forward_passes_it_exactly_one_level_up(client: TestClient, world: World, top: int):
    api = Api(client, world)
    escalation = raise_(api)
    forwarded = api.post(
        f"/escalations/{escalation['id']}/forward",
        {"note": "Budget: de directie beslist"},
        who="representative",
        status=200,
    )
    assert forwarded["to_team_id"] == top
    assert forwarded["from_team_id"] == world.team.id
    # at the top there is nothing further up
    again = api.call(
        "POST", f"/escalations/{escalation['id']}/forward", "dirk", json={"note": "Verder"}
    )
    assert error_fields(again) == {"note"}


def test_only_members_of_the_team_of_teams_it_lies_with_forward_it(
    client: TestClient, world: World, top: int
):
    api = Api(client, world)
    escalation = raise_(api)
    url = f"/escalations/{escalation['id']}/forward"
    for who in ("member", "outsider", "dirk"):
        assert api.call("POST", url, who, json={"note": "Verder"}).status_code == 403
    assert api.call("POST", url, "representative", json={}).status_code == 422


def test_the_receiving_team_of_teams_sets_and_changes_the_owner(client: TestClient, world: World):
    api = Api(client, world)
    escalation = raise_(api)
    url = f"/escalations/{escalation['id']}/owner"
    chosen = expect(
        api.call("PUT", url, "representative", json={"owner_id": world.ids["representative"]})
    )
    assert chosen["owner_id"] == world.ids["representative"]
    outside = api.call("PUT", url, "representative", json={"owner_id": world.ids["outsider"]})
    assert error_fields(outside) == {"owner_id"}
    cleared = expect(api.call("PUT", url, "representative", json={"owner_id": None}))
    assert cleared["owner_id"] is None
    assert api.call("PUT", url, "member", json={"owner_id": None}).status_code == 403


def test_acknowledge_only_after_the_answer_and_once(client: TestClient, world: World):
    api = Api(client, world)
    escalation = raise_(api)
    url = f"/escalations/{escalation['id']}/acknowledge"
    assert api.call("POST", url, "member").status_code == 422
    api.post(
        f"/escalations/{escalation['id']}/resolve",
        {"resolution": "Geregeld"},
        who="representative",
        status=200,
    )
    assert api.call("POST", url, "outsider").status_code == 403
    assert api.call("POST", url, "representative").status_code == 200  # seated in the team
    assert api.call("POST", url, "member").status_code == 422  # already read


def test_the_full_loop_and_its_timeline(client: TestClient, world: World, top: int):
    api = Api(client, world)
    escalation = raise_(api, type="decision")
    eid = escalation["id"]
    api.post(f"/escalations/{eid}/forward", {"note": "Naar boven"}, "representative", 200)
    api.post(f"/escalations/{eid}/resolve", {"resolution": "Akkoord"}, "dirk", 200)
    read = api.post(f"/escalations/{eid}/acknowledge", {}, "member", 200)
    assert read["acknowledged_by_id"] == world.ids["member"]
    assert read["status"] == "resolved" and read["resolution"] == "Akkoord"

    found = api.get(f"/escalations/{eid}")
    assert [(s["kind"], s["team_id"]) for s in found["steps"]] == [
        ("raised", world.team_of_teams.id),
        ("forwarded", top),
        ("answered", top),
        ("acknowledged", world.team.id),
    ]
    assert found["steps"][1]["note"] == "Naar boven"
    assert found["steps"][2]["actor_id"] == world.ids["dirk"]


def test_an_unknown_escalation_is_a_404(client: TestClient, world: World):
    api = Api(client, world)
    assert api.call("GET", "/escalations/999").status_code == 404
    assert api.call("POST", "/escalations/999/acknowledge").status_code == 404


def test_the_operations_are_documented_under_escalations(client: TestClient):
    schema = client.get("/openapi.json").json()
    operations = {
        op["operationId"]: op
        for path in schema["paths"].values()
        for op in path.values()
        if isinstance(op, dict) and "operationId" in op
    }
    for name in (
        "raise_escalation",
        "forward_escalation",
        "acknowledge_escalation",
        "resolve_escalation",
        "set_escalation_owner",
        "read_escalation",
    ):
        assert operations[name]["tags"] == ["escalations"]
        assert operations[name].get("description")
    assert TODAY  # the API checks needed_by against the server's today
