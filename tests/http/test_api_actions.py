"""Actions in the API: create, read, list, edit with versions, delete, history, comments,
escalations, and the rules for blocked, done and column order."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.http.helpers import Api, error_fields, expect
from tests.support.builders import World

ACTION_FIELDS = {
    "id",
    "title",
    "description",
    "team_id",
    "owner_id",
    "sprint_id",
    "ambition_id",
    "goal_id",
    "status",
    "blocked_reason",
    "due_date",
    "position",
    "carried_over",
    "version",
    "created_at",
    "updated_at",
}


def test_creating_an_action_answers_version_1_owned_by_the_creator_in_the_current_sprint(
    client: TestClient, world: World
):
    api = Api(client, world)
    ambition = api.ambition()
    goal = api.post(f"/ambitions/{ambition['id']}/goals", {"title": "Tien gezinnen"})
    created = api.action(
        title="  Wachtlijst uitzoeken  ",
        description="Met de wijkteams",
        due_date="2026-12-01",
        goal_id=goal["id"],
    )
    assert set(created) >= ACTION_FIELDS
    assert created["version"] == 1
    assert created["title"] == "Wachtlijst uitzoeken"
    assert created["description"] == "Met de wijkteams"
    assert (created["team_id"], created["owner_id"], created["sprint_id"]) == (
        world.team.id,
        world.ids["member"],
        world.sprint.id,
    )
    # a goal alone implies its ambition
    assert (created["ambition_id"], created["goal_id"]) == (ambition["id"], goal["id"])
    assert (created["status"], created["blocked_reason"], created["due_date"]) == (
        "todo",
        None,
        "2026-12-01",
    )
    assert (created["position"], created["carried_over"]) == (0, 0)
    assert created["created_at"].endswith(("Z", "+00:00"))
    assert created["created_by_id"] == world.ids["member"]
    assert api.get(f"/actions/{created['id']}") == created
    given = api.action(owner_id=world.ids["lead"])  # to another member of the team
    assert (given["owner_id"], given["created_by_id"], given["position"]) == (
        world.ids["lead"],
        world.ids["member"],
        1,
    )


def test_actions_are_listed_by_every_filter(client: TestClient, world: World):
    api = Api(client, world)
    ambition = api.ambition()
    later = api.post("/sprints", {"start_date": "2027-01-04"})
    mine = api.action(ambition_id=ambition["id"], due_date="2026-11-30")
    leads = api.action(owner_id=world.ids["lead"], status="doing", due_date="2026-11-27")
    others = api.action(who="outsider", team_id=world.other_team.id, status="done")
    planned = api.action(sprint_id=later["id"], status="blocked", blocked_reason="Na de zomer")

    def ids(**params: object) -> list[int]:
        listed = api.get("/actions", **params)
        assert listed["total"] == len(listed["items"])
        return [action["id"] for action in listed["items"]]

    # due date first, the undated ones last
    assert ids() == [leads["id"], mine["id"], others["id"], planned["id"]]
    assert ids(team_id=world.team.id) == [leads["id"], mine["id"], planned["id"]]
    assert ids(team_id=world.other_team.id) == [others["id"]]
    assert ids(owner_id=world.ids["lead"]) == [leads["id"]]
    assert ids(sprint_id=later["id"]) == [planned["id"]]
    assert ids(sprint_id=world.sprint.id) == [leads["id"], mine["id"], others["id"]]
    assert ids(status="doing") == [leads["id"]]
    assert ids(status="blocked") == [planned["id"]]
    assert ids(ambition_id=ambition["id"]) == [mine["id"]]
    assert ids(mine="true") == [mine["id"], planned["id"]]
    assert ids(mine="true", status="todo") == [mine["id"]]
    assert ids(team_id=world.team.id, sprint_id=world.sprint.id, status="todo") == [mine["id"]]
    assert ids(owner_id=world.ids["admin"]) == []


def test_editing_an_action_answers_the_next_version_and_needs_the_version(
    client: TestClient, world: World
):
    api = Api(client, world)
    action = api.action()
    edited = api.edit(
        action,
        title="Wachtlijst halveren",
        description="Samen met Werk",
        owner_id=world.ids["representative"],
        due_date="2026-12-24",
        status="doing",
    )
    assert edited["version"] == 2
    assert (edited["title"], edited["description"], edited["owner_id"]) == (
        "Wachtlijst halveren",
        "Samen met Werk",
        world.ids["representative"],
    )
    assert (edited["due_date"], edited["status"]) == ("2026-12-24", "doing")
    assert edited["updated_at"] >= action["updated_at"]
    assert api.edit(edited, due_date=None)["version"] == 3
    assert api.get(f"/actions/{action['id']}")["due_date"] is None
    unversioned = api.call("PATCH", f"/actions/{action['id']}", json={"title": "Zonder versie"})
    assert error_fields(unversioned) == {"version"}
    assert api.get(f"/actions/{action['id']}")["version"] == 3


def test_an_edit_on_a_stale_version_is_a_conflict_answering_the_current_action(
    client: TestClient, world: World
):
    api = Api(client, world)
    action = api.action()
    current = api.edit(action, who="lead", title="Door de trekker")
    events = len(api.history(action["id"]))

    stale = api.call("PATCH", f"/actions/{action['id']}", json={"title": "Oud", "version": 1})
    assert stale.status_code == 409
    body = stale.json()
    assert {key: body[key] for key in ACTION_FIELDS} == {key: current[key] for key in ACTION_FIELDS}
    assert body["version"] == 2 and body["title"] == "Door de trekker"
    assert api.get(f"/actions/{action['id']}") == current
    assert len(api.history(action["id"])) == events
    # a version from the future is just as stale
    assert api.call("PATCH", f"/actions/{action['id']}", json={"version": 3}).status_code == 409


def test_deleting_an_action_on_its_current_version_removes_it_and_keeps_its_history(
    client: TestClient, world: World
):
    api = Api(client, world)
    action = api.edit(api.action(), title="Nieuw")
    api.post(f"/actions/{action['id']}/comments", {"body": "Goed plan"}, who="member")
    assert api.call("DELETE", f"/actions/{action['id']}?version=1").status_code == 409
    assert api.get(f"/actions/{action['id']}")["title"] == "Nieuw"
    deleted = expect(api.call("DELETE", f"/actions/{action['id']}?version=2"))
    assert deleted["id"] == action["id"]
    assert api.call("GET", f"/actions/{action['id']}").status_code == 404
    assert api.call("DELETE", f"/actions/{action['id']}").status_code == 404
    assert api.get("/actions", team_id=world.team.id)["total"] == 0
    assert [event["verb"] for event in api.history(action["id"])] == [
        "created",
        "updated",
        "deleted",
    ]


def test_history_lists_every_change_oldest_first_with_old_and_new_values(
    client: TestClient, world: World
):
    api = Api(client, world)
    action = api.action()
    action = api.edit(action, status="doing")
    api.edit(action, who="lead", title="Wachtlijst halveren", status="done")

    history = api.history(action["id"])
    assert [(e["verb"], e["version"], e["actor_id"]) for e in history] == [
        ("created", 1, world.ids["member"]),
        ("updated", 2, world.ids["member"]),
        ("updated", 3, world.ids["lead"]),
    ]
    assert history[0]["changes"]["title"] == [None, "Wachtlijst uitzoeken"]
    assert history[1]["changes"]["status"] == ["todo", "doing"]
    assert history[2]["changes"]["status"] == ["doing", "done"]
    assert history[2]["changes"]["title"] == ["Wachtlijst uitzoeken", "Wachtlijst halveren"]
    assert all(e["entity"] == "action" and e["entity_id"] == action["id"] for e in history)
    assert history[0]["occurred_at"] <= history[1]["occurred_at"] <= history[2]["occurred_at"]


def test_comments_are_added_and_listed_oldest_first(client: TestClient, world: World):
    api = Api(client, world)
    action = api.action()
    first = api.post(f"/actions/{action['id']}/comments", {"body": "Eerst"}, who="member")
    second = api.post(f"/actions/{action['id']}/comments", {"body": "Daarna"}, who="lead")
    assert (first["action_id"], first["author_id"], first["body"]) == (
        action["id"],
        world.ids["member"],
        "Eerst",
    )
    listed = api.get(f"/actions/{action['id']}/comments", who="outsider")
    assert listed == {"items": [first, second], "total": 2}


def test_an_escalation_goes_from_the_actions_team_to_its_team_of_teams(
    client: TestClient, world: World
):
    api = Api(client, world)
    action = api.action(status="blocked", blocked_reason="Geen budget")
    escalation = api.escalation(action)
    assert (escalation["action_id"], escalation["from_team_id"], escalation["to_team_id"]) == (
        action["id"],
        world.team.id,
        world.team_of_teams.id,
    )
    assert (escalation["status"], escalation["resolution"], escalation["raised_by_id"]) == (
        "open",
        None,
        world.ids["member"],
    )
    # one open escalation per action
    again = api.call("POST", f"/actions/{action['id']}/escalations", json={"note": "Nog eens"})
    assert error_fields(again) == {"note"}
    # above the top team of teams there is nobody to escalate to
    on_top = api.action(who="representative", team_id=world.team_of_teams.id)
    answer = api.call(
        "POST", f"/actions/{on_top['id']}/escalations", "representative", json={"note": "Help"}
    )
    assert error_fields(answer) == {"note"}


def test_escalations_are_listed_by_status_and_resolved_by_the_team_of_teams(
    client: TestClient, world: World
):
    api = Api(client, world)
    open_one = api.escalation(api.action())
    escalation = api.escalation(api.action())
    resolved = api.post(
        f"/escalations/{escalation['id']}/resolve",
        {"resolution": "Budget is vrijgemaakt"},
        who="representative",
        status=200,
    )
    assert (resolved["status"], resolved["resolution"], resolved["resolved_by_id"]) == (
        "resolved",
        "Budget is vrijgemaakt",
        world.ids["representative"],
    )
    assert resolved["resolved_at"] is not None
    again = api.call(
        "POST",
        f"/escalations/{escalation['id']}/resolve",
        "representative",
        json={"resolution": "Nog eens"},
    )
    assert error_fields(again) == {"resolution"}

    def ids(team_id: int, **params: object) -> list[int]:
        listed = api.get(f"/teams/{team_id}/escalations", **params)
        assert listed["total"] == len(listed["items"])
        return [e["id"] for e in listed["items"]]

    # both the raising team and the team of teams see them; the boards only the open one
    for team_id in (world.team.id, world.team_of_teams.id):
        assert ids(team_id) == [open_one["id"], escalation["id"]]
        assert ids(team_id, status="open") == [open_one["id"]]
        assert ids(team_id, status="resolved") == [escalation["id"]]
        board = api.get(f"/teams/{team_id}/board")
        assert [e["id"] for e in board["escalations"]] == [open_one["id"]]
    assert ids(world.other_team.id) == []


# --- blocked, done and column order ---------------------------------------------------------
def test_blocked_needs_a_reason_leaving_blocked_clears_it_and_done_sets_done_at(
    client: TestClient, world: World
):
    api = Api(client, world)
    for reason in (None, "", "   "):
        body = {"title": "Vast", "team_id": world.team.id, "status": "blocked"}
        if reason is not None:
            body["blocked_reason"] = reason
        assert "blocked_reason" in error_fields(api.call("POST", "/actions", json=body))
    action = api.action()
    moved = api.call("PATCH", f"/actions/{action['id']}", json={"status": "blocked", "version": 1})
    assert "blocked_reason" in error_fields(moved)
    assert api.get(f"/actions/{action['id']}")["status"] == "todo"
    assert api.get("/actions", team_id=world.team.id)["total"] == 1

    blocked = api.edit(action, status="blocked", blocked_reason="  Wacht op IT  ")
    assert (blocked["status"], blocked["blocked_reason"]) == ("blocked", "Wacht op IT")
    emptied = api.call(
        "PATCH", f"/actions/{action['id']}", json={"blocked_reason": None, "version": 2}
    )
    assert error_fields(emptied) == {"blocked_reason"}

    # moving out of blocked clears the reason; the history keeps it
    moved = api.edit(blocked, status="doing")
    assert (moved["status"], moved["blocked_reason"]) == ("doing", None)
    assert api.history(action["id"])[-1]["changes"]["blocked_reason"] == ["Wacht op IT", None]
    # a reason sent with a status other than blocked is not kept either
    moved = api.edit(moved, blocked_reason="Toch niet")
    assert moved["blocked_reason"] is None

    # done sets done_at, an edit keeps it, reopening clears it
    assert moved["done_at"] is None
    done = api.edit(moved, status="done")
    assert done["done_at"] is not None
    retitled = api.edit(done, title="Klaar en goed")
    assert retitled["done_at"] == done["done_at"]  # an edit is not a second finish
    assert api.edit(retitled, status="todo")["done_at"] is None
    assert api.action(status="done")["done_at"] is not None


def _positions(api: Api, status: str = "todo") -> list[tuple[int, int]]:
    board = api.get(f"/teams/{api.world.team.id}/board")
    [column] = [c for c in board["columns"] if c["status"] == status]
    return [(a["id"], a["position"]) for a in column["actions"]]


def test_moving_an_action_to_a_place_renumbers_its_column_without_duplicates(
    client: TestClient, world: World
):
    api = Api(client, world)
    a, b, c, d = (api.action(title=title) for title in "abcd")
    assert _positions(api) == [(a["id"], 0), (b["id"], 1), (c["id"], 2), (d["id"], 3)]

    moved = api.edit(d, position=0)
    assert moved["position"] == 0 and moved["version"] == 2
    assert _positions(api) == [(d["id"], 0), (a["id"], 1), (b["id"], 2), (c["id"], 3)]

    api.edit(a, position=2)
    assert _positions(api) == [(d["id"], 0), (b["id"], 1), (a["id"], 2), (c["id"], 3)]
    api.edit(api.get(f"/actions/{d['id']}"), position=99)  # past the end: last
    assert _positions(api) == [(b["id"], 0), (a["id"], 1), (c["id"], 2), (d["id"], 3)]
    # renumbering neighbours is bookkeeping: their open copies stay current
    assert api.get(f"/actions/{b['id']}")["version"] == 1

    # into another column at a place: that column is renumbered around it
    first, second = api.action(status="doing"), api.action(status="doing")
    api.edit(api.get(f"/actions/{c['id']}"), status="doing", position=1)
    assert _positions(api, "doing") == [(first["id"], 0), (c["id"], 1), (second["id"], 2)]
    moved = api.edit(api.get(f"/actions/{b['id']}"), status="doing")  # no place: at the bottom
    doing = _positions(api, "doing")
    assert doing[-1][0] == moved["id"]
    assert len({position for _, position in doing}) == len(doing) == 4
