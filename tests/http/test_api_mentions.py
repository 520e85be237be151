"""Mentions over the JSON API: the comment and knelpunt create endpoints make them with the same
rule as the pages, GET /me/mentions lists mine, POST /me/mentions/seen marks them seen."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.http.helpers import Api, error_fields, expect
from tests.support.builders import World


def test_a_comment_over_the_api_mentions_a_colleague_once(client: TestClient, world: World):
    api = Api(client, world)
    action = api.action()
    made = api.post(
        f"/actions/{action['id']}/comments",
        {"body": "@Lead, en nog eens @LEAD; @Member ben ik zelf"},
        who="member",
    )
    mine = api.get("/me/mentions", who="lead")
    assert mine["total"] == 1
    [mention] = mine["items"]
    assert mention["author_id"] == world.ids["member"]
    assert mention["author_name"] == "Member"
    assert (mention["action_id"], mention["comment_id"], mention["escalation_id"]) == (
        action["id"],
        made["id"],
        None,
    )
    assert mention["text"] == made["body"]
    assert mention["url"] == f"/teams/{world.team.id}/acties/{action['id']}#reactie-{made['id']}"
    assert mention["seen_at"] is None
    assert api.get("/me/mentions", who="member")["total"] == 0


def test_raising_a_knelpunt_over_the_api_mentions_too(client: TestClient, world: World):
    api = Api(client, world)
    action = api.action()
    escalation = api.post(
        f"/actions/{action['id']}/escalations",
        {"note": "Wie helpt? @Representative"},
        who="member",
    )
    [mention] = api.get("/me/mentions", who="representative")["items"]
    assert mention["escalation_id"] == escalation["id"]
    assert mention["url"] == f"/knelpunten/{escalation['id']}"


def test_marking_seen_takes_them_off_the_unseen_list(client: TestClient, world: World):
    api = Api(client, world)
    action = api.action()
    for body in ("@Lead een", "@Lead twee", "@Outsider drie"):
        api.post(f"/actions/{action['id']}/comments", {"body": body}, who="member")
    unseen = api.get("/me/mentions", who="lead")["items"]
    assert [m["text"] for m in unseen] == ["@Lead twee", "@Lead een"]  # newest first

    answer = api.call("POST", "/me/mentions/seen", "lead", json={"mention_ids": [unseen[0]["id"]]})
    assert expect(answer) == {"marked": 1}
    assert [m["text"] for m in api.get("/me/mentions", who="lead")["items"]] == ["@Lead een"]
    seen = api.get("/me/mentions", who="lead", status="seen")["items"]
    assert [m["text"] for m in seen] == ["@Lead twee"] and seen[0]["seen_at"] is not None
    assert api.get("/me/mentions", who="lead", status="all")["total"] == 2

    assert expect(api.call("POST", "/me/mentions/seen", "lead", json={})) == {"marked": 1}
    assert api.get("/me/mentions", who="lead")["total"] == 0


def test_someone_elses_mention_is_not_found_and_nothing_changes(client: TestClient, world: World):
    api = Api(client, world)
    action = api.action()
    api.post(f"/actions/{action['id']}/comments", {"body": "@Lead en @Outsider"}, who="member")
    [theirs] = api.get("/me/mentions", who="outsider")["items"]
    [mine] = api.get("/me/mentions", who="lead")["items"]
    answer = api.call(
        "POST", "/me/mentions/seen", "lead", json={"mention_ids": [mine["id"], theirs["id"]]}
    )
    assert answer.status_code == 404
    assert api.get("/me/mentions", who="lead")["total"] == 1
    assert api.get("/me/mentions", who="outsider")["total"] == 1


def test_bad_input_is_refused_per_field(client: TestClient, world: World):
    api = Api(client, world)
    bad = api.call("POST", "/me/mentions/seen", "lead", json={"mention_ids": [0]})
    assert "mention_ids" in error_fields(bad)
    wrong = api.call("GET", "/me/mentions", "lead", params={"status": "gelezen"})
    assert "status" in error_fields(wrong)
    assert client.get("/api/v1/me/mentions").status_code == 401
