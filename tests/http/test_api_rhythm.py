"""The organisation's rhythm and a team closing its part of a sprint, in the API."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from tests.http.helpers import Api, error_fields, expect
from tests.support.builders import World


def test_an_admin_reads_and_sets_the_rhythm(client: TestClient, world: World):
    api = Api(client, world)
    assert api.get("/organisation", who="admin") == {"sprint_days": 14, "sprint_weekday": 0}
    changed = expect(
        api.call("PUT", "/organisation", "admin", json={"sprint_days": 21, "sprint_weekday": 2})
    )
    assert changed == {"sprint_days": 21, "sprint_weekday": 2}
    assert api.get("/organisation", who="admin") == changed
    # existing sprints keep their dates
    current = api.get("/sprints/current")
    assert (current["id"], current["end_date"]) == (
        world.sprint.id,
        world.sprint.end_date.isoformat(),
    )


def test_the_rhythm_is_refused_per_field_in_dutch(client: TestClient, world: World):
    api = Api(client, world)
    refused = api.call(
        "PUT", "/organisation", "admin", json={"sprint_days": 5, "sprint_weekday": 9}
    )
    assert error_fields(refused) == {"sprint_days", "sprint_weekday"}
    messages = {e["loc"][1]: e["msg"] for e in refused.json()["detail"]}
    assert messages["sprint_days"] == "Een periode duurt minstens 7 en hoogstens 56 dagen."
    assert messages["sprint_weekday"] == "Kies een dag van de week."
    missing = api.call("PUT", "/organisation", "admin", json={"sprint_days": 14})
    assert error_fields(missing) == {"sprint_weekday"}
    assert api.get("/organisation", who="admin")["sprint_days"] == 14


def test_only_admins_read_or_set_the_rhythm(client: TestClient, world: World):
    api = Api(client, world)
    assert api.call("GET", "/organisation", "lead").status_code == 403
    body = {"sprint_days": 7, "sprint_weekday": 0}
    assert api.call("PUT", "/organisation", "lead", json=body).status_code == 403
    assert client.get("/api/v1/organisation").status_code == 401


def test_a_team_closes_its_part_carrying_over_and_dropping(client: TestClient, world: World):
    api = Api(client, world)
    keep = api.action(title="Meenemen")
    drop = api.action(title="Laten vallen", status="doing")
    api.action(title="Klaar", status="done")
    url = f"/teams/{world.team.id}/sprints/{world.sprint.id}/close"

    closed = expect(
        api.call("POST", url, json={"drop": [{"action_id": drop["id"], "reason": "Vervallen"}]})
    )

    assert (closed["carried_over"], closed["dropped"]) == (1, 1)
    following = closed["next_sprint"]
    assert following["start_date"] == (world.sprint.end_date + timedelta(days=1)).isoformat()
    moved = api.get(f"/actions/{keep['id']}")
    assert (moved["sprint_id"], moved["carried_over"]) == (following["id"], 1)
    gone = api.get(f"/actions/{drop['id']}")
    assert (gone["status"], gone["sprint_id"]) == ("dropped", world.sprint.id)
    history = api.get(f"/actions/{drop['id']}/history")
    assert history[-1]["changes"]["drop_reason"] == [None, "Vervallen"]

    events = api.audit_events()
    again = api.call("POST", url, "lead", json={})
    assert error_fields(again) == {"sprint_id"}
    assert "al afgesloten" in again.json()["detail"][0]["msg"]
    assert api.audit_events() == events


def test_a_drop_without_reason_is_a_422_on_that_reason(client: TestClient, world: World):
    api = Api(client, world)
    first = api.action()
    second = api.action()
    url = f"/teams/{world.team.id}/sprints/{world.sprint.id}/close"
    events = api.audit_events()
    body = {
        "drop": [{"action_id": first["id"], "reason": "Klaar elders"}, {"action_id": second["id"]}]
    }
    refused = api.call("POST", url, json=body)
    assert error_fields(refused) == {"drop.1.reason"}
    assert api.audit_events() == events
    assert api.get(f"/actions/{first['id']}")["status"] == "todo"


def test_a_team_close_by_someone_outside_the_team_is_refused(client: TestClient, world: World):
    api = Api(client, world)
    url = f"/teams/{world.team.id}/sprints/{world.sprint.id}/close"
    assert api.call("POST", url, "outsider", json={}).status_code == 403
    assert api.call("POST", f"/teams/{world.team.id}/sprints/999/close", json={}).status_code == 404


def test_status_dropped_is_refused_outside_the_close(client: TestClient, world: World):
    api = Api(client, world)
    action = api.action()
    refused = api.call(
        "PATCH", f"/actions/{action['id']}", json={"version": 1, "status": "dropped"}
    )
    assert error_fields(refused) == {"status"}
    assert "afsluit" in refused.json()["detail"][0]["msg"]
    body = {"title": "Meteen weg", "team_id": world.team.id, "status": "dropped"}
    assert error_fields(api.call("POST", "/actions", json=body)) == {"status"}
