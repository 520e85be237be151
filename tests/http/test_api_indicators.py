"""Goals marked achieved, indicators and measurements, and meeting calendars in the API."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.http.helpers import Api, error_fields, expect
from tests.support.builders import World


def _indicator(api: Api, ambition_id: int, **fields) -> dict:
    body = {"name": "Wachttijd", "unit": "dagen", "target": 42, "direction": "down", **fields}
    return api.post(f"/ambitions/{ambition_id}/indicators", body, who="lead")


def test_a_goal_is_marked_achieved_with_a_patch(client: TestClient, world: World):
    api = Api(client, world)
    ambition = api.ambition()
    goal = api.post(f"/ambitions/{ambition['id']}/goals", {"title": "Wachtlijst halveren"})
    assert goal["is_done"] is False
    done = api.patch(f"/goals/{goal['id']}", {"is_done": True}, who="lead")
    assert done["is_done"] is True
    assert api.get(f"/ambitions/{ambition['id']}")["goals"][0]["is_done"] is True
    refused = api.call("PATCH", f"/goals/{goal['id']}", "member", json={"is_done": False})
    assert refused.status_code == 403
    assert error_fields(
        api.call("PATCH", f"/goals/{goal['id']}", "lead", json={"is_done": "ja"})
    ) == {"is_done"}
    assert api.call("PATCH", "/goals/99999", "lead", json={"is_done": True}).status_code == 404


def test_five_indicators_and_a_sixth_is_a_422_with_a_dutch_message(
    client: TestClient, world: World
):
    api = Api(client, world)
    ambition = api.ambition()
    made = [_indicator(api, ambition["id"], name=f"Indicator {n}") for n in range(5)]
    assert made[0]["direction"] == "down" and made[4]["position"] == 4
    sixth = api.call(
        "POST",
        f"/ambitions/{ambition['id']}/indicators",
        "lead",
        json={"name": "Zes", "unit": "", "target": 1, "direction": "up"},
    )
    assert error_fields(sixth) == {"name"}
    assert "hoogstens vijf indicatoren" in sixth.json()["detail"][0]["msg"]
    listed = api.get(f"/ambitions/{ambition['id']}/indicators")
    assert listed["total"] == 5 and listed["items"][0]["name"] == "Indicator 0"
    bad = api.call(
        "POST",
        f"/ambitions/{ambition['id']}/indicators",
        "lead",
        json={"name": "X", "target": 1, "direction": "sideways"},
    )
    assert error_fields(bad) == {"direction"}
    member = api.call(
        "POST", f"/ambitions/{ambition['id']}/indicators", "member", json={"name": "X", "target": 1}
    )
    assert member.status_code == 403


def test_measurements_use_date_and_a_second_value_replaces_the_first(
    client: TestClient, world: World
):
    api = Api(client, world)
    ambition = api.ambition()
    indicator = _indicator(api, ambition["id"])
    path = f"/indicators/{indicator['id']}/measurements"
    first = api.post(path, {"date": "2026-11-01", "value": 47.5}, who="lead")
    assert first == {
        "id": first["id"],
        "indicator_id": indicator["id"],
        "date": "2026-11-01",
        "value": 47.5,
        "note": "",
    }
    api.post(path, {"date": "2026-10-01", "value": 52, "note": "start"}, who="lead")
    again = api.post(path, {"date": "2026-11-01", "value": 45, "note": "herteld"}, who="lead")
    assert again["id"] == first["id"]
    listed = api.get(path)
    assert listed["total"] == 2
    assert [(m["date"], m["value"]) for m in listed["items"]] == [
        ("2026-10-01", 52),
        ("2026-11-01", 45),
    ]
    assert error_fields(api.call("POST", path, "lead", json={"value": 1})) == {"date"}
    assert error_fields(
        api.call("POST", path, "lead", json={"date": "2026-11-02", "value": "veel"})
    ) == {"value"}
    assert (
        api.call("POST", path, "member", json={"date": "2026-11-02", "value": 1}).status_code == 403
    )
    assert api.call("GET", "/indicators/99999/measurements").status_code == 404


def test_meetings_per_location_with_their_document_deadline(client: TestClient, world: World):
    api = Api(client, world)
    location = api.post("/locations", {"name": "Baarle-Nassau"})
    path = f"/locations/{location['id']}/meetings"
    council = api.post(path, {"body": "council", "date": "2026-12-10", "title": "Begroting"})
    assert council["document_deadline"] == "2026-11-30" and council["body"] == "council"
    api.post(path, {"body": "college", "date": "2026-12-01", "title": ""})
    listed = api.get(path)
    assert [m["date"] for m in listed["items"]] == ["2026-12-01", "2026-12-10"]
    wrong = api.call("POST", path, "admin", json={"body": "raad", "date": "morgen"})
    assert error_fields(wrong) == {"body", "date"}
    assert "college of raad" in wrong.json()["detail"][0]["msg"]
    missing = api.call("POST", path, "admin", json={"date": "2026-12-01"})
    assert error_fields(missing) == {"body"}
    assert (
        api.call("POST", path, "lead", json={"body": "college", "date": "2026-12-01"}).status_code
        == 403
    )
    assert api.call("DELETE", f"/meetings/{council['id']}", "lead").status_code == 403
    removed = expect(api.call("DELETE", f"/meetings/{council['id']}", "admin"))
    assert removed["id"] == council["id"]
    assert api.get(path)["total"] == 1
    assert api.call("DELETE", f"/meetings/{council['id']}", "admin").status_code == 404


def test_an_action_tied_to_a_meeting_gets_its_deadline_and_carries_meeting_id(
    client: TestClient, world: World
):
    api = Api(client, world)
    location = api.post("/locations", {"name": "Gilze en Rijen"})
    meeting = api.post(
        f"/locations/{location['id']}/meetings", {"body": "college", "date": "2027-01-12"}
    )
    action = api.action(meeting_id=meeting["id"], due_date="2027-03-01")
    assert (action["meeting_id"], action["due_date"]) == (meeting["id"], "2027-01-02")
    untied = api.edit(action, meeting_id=None)
    assert (untied["meeting_id"], untied["due_date"]) == (None, "2027-01-02")
    unknown = api.call(
        "POST", "/actions", json={"title": "X", "team_id": world.team.id, "meeting_id": 99999}
    )
    assert error_fields(unknown) == {"meeting_id"}
    ambition = api.ambition()
    goal = api.post(
        f"/ambitions/{ambition['id']}/goals",
        {"title": "Voorstel klaar", "meeting_id": meeting["id"]},
    )
    assert (goal["meeting_id"], goal["due"]) == (meeting["id"], "2027-01-02")


def test_the_progress_of_an_ambition_holds_its_indicators_against_their_targets(
    client: TestClient, world: World
):
    api = Api(client, world)
    ambition = api.ambition()
    waiting = _indicator(api, ambition["id"])  # lower is better, target 42 days
    reached = _indicator(api, ambition["id"], name="Bereikt", direction="up", target=10)
    api.post(f"/indicators/{waiting['id']}/measurements", {"date": "2026-10-01", "value": 40})
    api.post(f"/indicators/{waiting['id']}/measurements", {"date": "2026-11-01", "value": 50})
    progress = api.get(f"/ambitions/{ambition['id']}/progress")
    stands = {stand["name"]: stand for stand in progress["indicators"]}
    assert stands["Wachttijd"]["latest_date"] == "2026-11-01"
    assert stands["Wachttijd"]["latest_value"] == 50
    assert stands["Wachttijd"]["on_target"] is False  # 50 days where at most 42 was the aim
    assert stands[reached["name"]]["latest_value"] is None
    assert stands[reached["name"]]["on_target"] is None
