from fastapi.testclient import TestClient

from tests.support.builders import World


def test_a_member_creates_moves_and_reads_the_history_of_an_action(
    client: TestClient, world: World
):
    headers = world.headers("member")
    created = client.post(
        "/api/v1/actions",
        json={"title": "Wachtlijst uitzoeken", "team_id": world.team.id},
        headers=headers,
    )
    assert created.status_code == 201, created.text
    action = created.json()
    assert action["version"] == 1
    moved = client.patch(
        f"/api/v1/actions/{action['id']}", json={"status": "doing", "version": 1}, headers=headers
    )
    assert moved.status_code == 200, moved.text
    assert moved.json()["version"] == 2
    stale = client.patch(
        f"/api/v1/actions/{action['id']}", json={"title": "x", "version": 1}, headers=headers
    )
    assert stale.status_code == 409
    assert stale.json()["version"] == 2
    history = client.get(f"/api/v1/actions/{action['id']}/history", headers=headers).json()
    assert [event["verb"] for event in history] == ["created", "updated"]
    board = client.get(f"/api/v1/teams/{world.team.id}/board", headers=headers).json()
    assert [c["status"] for c in board["columns"]] == ["todo", "doing", "done", "blocked"]
    assert board["columns"][1]["actions"][0]["id"] == action["id"]
