"""Boards, ambitions with their goals and progress, and sprints in the API."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi.testclient import TestClient

from tests.http.helpers import Api, error_fields
from tests.support.builders import World


def _column(board: dict, status: str) -> list[int]:
    return [a["id"] for c in board["columns"] if c["status"] == status for a in c["actions"]]


def test_a_board_shows_its_sprint_columns_in_order_and_its_escalations(
    client: TestClient, world: World
):
    api = Api(client, world)
    later = api.post("/sprints", {"start_date": "2027-01-04"})
    planned = api.action(title="Later", sprint_id=later["id"])
    first = api.action(title="Eerste")
    second = api.action(title="Tweede")
    doing = api.action(status="doing")
    blocked = api.action(status="blocked", blocked_reason="Wacht op budget")
    escalation = api.escalation(blocked)
    api.action(who="outsider", team_id=world.other_team.id)  # another board

    board = api.get(f"/teams/{world.team.id}/board")
    assert board["team"]["id"] == world.team.id
    assert board["sprint"]["id"] == world.sprint.id
    assert board["sprint"]["start_date"] <= world.today.isoformat() <= board["sprint"]["end_date"]
    assert [column["status"] for column in board["columns"]] == ["todo", "doing", "done", "blocked"]
    assert _column(board, "todo") == [first["id"], second["id"]]
    assert _column(board, "doing") == [doing["id"]]
    assert _column(board, "done") == []
    assert _column(board, "blocked") == [blocked["id"]]
    assert board["columns"][0]["actions"][0]["title"] == "Eerste"
    assert [e["id"] for e in board["escalations"]] == [escalation["id"]]
    assert board["children"] == []

    # ?sprint_id= shows another sprint's board
    board = api.get(f"/teams/{world.team.id}/board", sprint_id=later["id"])
    assert board["sprint"]["id"] == later["id"]
    assert _column(board, "todo") == [planned["id"]]
    assert _column(board, "blocked") == []
    unknown = api.call("GET", f"/teams/{world.team.id}/board", params={"sprint_id": 999_999})
    assert unknown.status_code == 404


def test_a_team_of_teams_board_has_a_lane_per_child_team_with_counts_and_open_escalations(
    client: TestClient, world: World
):
    api = Api(client, world)
    for status in ("todo", "todo", "doing", "done"):
        api.action(status=status)
    escalated = api.action(status="blocked", blocked_reason="Geen capaciteit")
    escalation = api.escalation(escalated)
    api.action(who="outsider", team_id=world.other_team.id, status="doing")
    own = api.action(who="representative", team_id=world.team_of_teams.id)

    board = api.get(f"/teams/{world.team_of_teams.id}/board")
    assert _column(board, "todo") == [own["id"]]
    assert [e["id"] for e in board["escalations"]] == [escalation["id"]]
    assert board["children"] == [
        {
            "team": {
                "id": world.team.id,
                "name": "Jeugd",
                "description": "",
                "parent_id": world.team_of_teams.id,
            },
            "counts": {"todo": 2, "doing": 1, "done": 1, "blocked": 1},
            "open_escalations": 1,
        },
        {
            "team": {
                "id": world.other_team.id,
                "name": "Werk",
                "description": "",
                "parent_id": world.team_of_teams.id,
            },
            "counts": {"todo": 0, "doing": 1, "done": 0, "blocked": 0},
            "open_escalations": 0,
        },
    ]


def test_ambitions_are_added_listed_read_changed_and_given_goals(client: TestClient, world: World):
    api = Api(client, world)
    created = api.ambition(
        title="Iedereen doet mee",
        intent="Niemand valt tussen wal en schip",
        horizon="2030-12-31",
        team_ids=[world.other_team.id, world.team.id, world.team.id],
    )
    assert created["title"] == "Iedereen doet mee"
    assert created["intent"] == "Niemand valt tussen wal en schip"
    assert created["horizon"] == "2030-12-31"
    assert created["status"] == "active"
    assert created["owner_team_id"] == world.team.id
    assert created["team_ids"] == sorted([world.team.id, world.other_team.id])
    assert created["goals"] == []
    api.ambition(title="Armoede halveren")

    listed = api.get("/ambitions")
    assert [a["title"] for a in listed["items"]] == ["Armoede halveren", "Iedereen doet mee"]
    assert listed["total"] == 2
    assert api.get(f"/ambitions/{created['id']}") == created

    changed = api.patch(
        f"/ambitions/{created['id']}",
        {"title": "Iedereen doet echt mee", "status": "achieved", "team_ids": [world.team.id]},
        who="lead",
    )
    assert (changed["title"], changed["status"], changed["team_ids"]) == (
        "Iedereen doet echt mee",
        "achieved",
        [world.team.id],
    )
    assert changed["intent"] == "Niemand valt tussen wal en schip"  # untouched
    assert api.get(f"/ambitions/{created['id']}") == changed

    goal = api.post(
        f"/ambitions/{created['id']}/goals",
        {"title": "Tien gezinnen bereikt", "due": "2026-12-31", "team_id": world.team.id},
        who="lead",
    )
    assert goal["ambition_id"] == created["id"]
    assert (goal["title"], goal["due"], goal["team_id"], goal["is_done"]) == (
        "Tien gezinnen bereikt",
        "2026-12-31",
        world.team.id,
        False,
    )
    bare = api.post(f"/ambitions/{created['id']}/goals", {"title": "Zonder datum"})
    assert (bare["due"], bare["team_id"]) == (None, None)
    goals = api.get(f"/ambitions/{created['id']}")["goals"]
    assert [g["id"] for g in goals] == [goal["id"], bare["id"]]


def test_progress_counts_per_sprint_planned_done_carried_over_and_blocked(
    client: TestClient, world: World
):
    api = Api(client, world)
    ambition = api.ambition()
    api.action(ambition_id=ambition["id"], status="done")
    blocked = api.action(ambition_id=ambition["id"], status="blocked", blocked_reason="Wachten")
    api.action(ambition_id=ambition["id"])
    api.action()  # no ambition: not counted
    api.escalation(blocked)

    progress = api.get(f"/ambitions/{ambition['id']}/progress")
    assert progress["ambition_id"] == ambition["id"]
    assert progress["open_escalations"] == 1
    assert progress["indicators"] == []
    [sprint] = progress["sprints"]
    assert (sprint["sprint_id"], sprint["planned"], sprint["done"], sprint["blocked"]) == (
        world.sprint.id,
        3,
        1,
        1,
    )
    assert sprint["carried_over"] == 0

    api.post(f"/sprints/{world.sprint.id}/close", {}, status=200)
    closed, following = api.get(f"/ambitions/{ambition['id']}/progress")["sprints"]
    assert (closed["planned"], closed["done"], closed["carried_over"], closed["blocked"]) == (
        3,
        1,
        2,
        1,
    )
    assert (following["planned"], following["done"], following["blocked"]) == (2, 0, 1)


def test_sprints_are_listed_planned_and_the_current_one_is_found(client: TestClient, world: World):
    api = Api(client, world)
    current = api.get("/sprints/current")
    assert current["id"] == world.sprint.id
    assert current["closed_at"] is None
    start = date.fromisoformat(current["start_date"])
    assert date.fromisoformat(current["end_date"]) == start + timedelta(days=13)

    default_length = api.post("/sprints", {"start_date": "2027-01-04"})
    assert default_length["end_date"] == "2027-01-17"  # 14 days, both ends inclusive
    chosen = api.post("/sprints", {"start_date": "2027-01-18", "end_date": "2027-01-24"})
    assert chosen["end_date"] == "2027-01-24"

    listed = api.get("/sprints")
    assert [s["id"] for s in listed["items"]] == [
        world.sprint.id,
        default_length["id"],
        chosen["id"],
    ]
    assert listed["total"] == 3


def test_closing_a_sprint_carries_open_actions_forward_once(client: TestClient, world: World):
    api = Api(client, world)
    todo = api.action()
    doing = api.action(status="doing")
    blocked = api.action(status="blocked", blocked_reason="Wachten op IT")
    done = api.action(status="done")

    closed = api.post(f"/sprints/{world.sprint.id}/close", {}, status=200)
    assert closed["carried_over"] == 3
    next_sprint = closed["next_sprint"]
    assert next_sprint["start_date"] == (world.sprint.end_date + timedelta(days=1)).isoformat()
    for carried in (todo, doing, blocked):
        now = api.get(f"/actions/{carried['id']}")
        assert (now["sprint_id"], now["carried_over"]) == (next_sprint["id"], 1)
        assert now["status"] == carried["status"]
    assert api.get(f"/actions/{blocked['id']}")["blocked_reason"] == "Wachten op IT"
    stayed = api.get(f"/actions/{done['id']}")
    assert (stayed["sprint_id"], stayed["carried_over"]) == (world.sprint.id, 0)
    # closed early: the sprint holding today stays current (read only); work goes to the next
    assert api.get("/sprints/current")["id"] == world.sprint.id

    events = api.audit_events()
    again = api.post(f"/sprints/{world.sprint.id}/close", {}, status=200)
    assert again == {"next_sprint": next_sprint, "carried_over": 0}
    assert api.get(f"/actions/{todo['id']}")["carried_over"] == 1
    assert api.audit_events() == events

    # new work goes into the next sprint; the closed one takes no more
    assert api.action()["sprint_id"] == next_sprint["id"]
    late = {"title": "Te laat", "team_id": world.team.id, "sprint_id": world.sprint.id}
    assert error_fields(api.call("POST", "/actions", json=late)) == {"sprint_id"}
    assert error_fields(api.call("PATCH", f"/actions/{done['id']}", json={"version": 1})) == {
        "sprint_id"
    }
