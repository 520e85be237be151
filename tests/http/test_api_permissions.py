"""Who may write what (DESIGN.md, "Who may do what"), endpoint by endpoint and role by role.

WRITES holds, per subject, one row per write endpoint: how to make a fresh target, the request,
the page that shows what it would change, the status a permitted caller gets, and who is
permitted. Everybody else gets 403, and their refused request changes nothing and adds no
history.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from tests.http.helpers import API, Api, error_fields, expect
from tests.support.builders import ROLES, World

Target = dict[str, Any]
WRITERS = frozenset({"member", "representative", "lead", "admin"})  # of the world's team
TEAM_OF_TEAMS_WRITERS = frozenset({"representative", "admin"})
LEADS = frozenset({"lead", "admin"})
DELETERS = frozenset({"member", "lead", "admin"})  # of an action the member owns
ADMINS = frozenset({"admin"})


@dataclass(frozen=True)
class Write:
    name: str
    allowed: frozenset[str]
    make: Callable[[Api], Target]  # a fresh target, made by the admin
    request: Callable[[Api, Target, str], tuple[str, str, dict[str, Any] | None]]
    shows: Callable[[Api, Target], str]  # the GET that shows what the write would change
    status: int = 200


def _nothing(api: Api) -> Target:
    return {}


def _action(api: Api) -> Target:
    return api.action(who="admin", owner_id=api.world.ids["member"])


def _made_by_the_member(api: Api) -> Target:
    """Made by the member, owned by the representative: both may delete it."""
    return api.action(who="member", owner_id=api.world.ids["representative"])


def _top_action(api: Api) -> Target:
    return api.action(
        who="admin",
        team_id=api.world.team_of_teams.id,
        owner_id=api.world.ids["representative"],
    )


def _escalation(api: Api) -> Target:
    return api.escalation(_action(api), who="admin")


def _newcomer(api: Api) -> Target:
    return api.user(f"nieuw-{api.audit_events()}@example.org")


def _team_member(api: Api) -> Target:
    newcomer = _newcomer(api)
    path = f"/teams/{api.world.team.id}/members/{newcomer['id']}"
    expect(api.call("PUT", path, "admin", json={"role": "member"}))
    return newcomer


def _empty_team(api: Api) -> Target:
    return api.post("/teams", {"name": "Tijdelijk", "parent_id": api.world.team_of_teams.id})


def _actions_of(team: str) -> Callable[[Api, Target], str]:
    return lambda api, _: f"/actions?team_id={getattr(api.world, team).id}"


WRITES = {
    "the organisation": [
        Write(
            "add a location",
            ADMINS,
            _nothing,
            lambda api, t, who: ("POST", "/locations", {"name": f"Vestiging {who}"}),
            lambda api, t: "/locations",
            201,
        ),
        Write(
            "add a user",
            ADMINS,
            _nothing,
            lambda api, t, who: (
                "POST",
                "/users",
                {"email": f"{who}-2@example.org", "name": "Nieuw"},
            ),
            lambda api, t: "/users",
            201,
        ),
        Write(
            "edit a person",
            ADMINS,
            _newcomer,
            lambda api, t, who: ("PATCH", f"/users/{t['id']}", {"name": "Andere Naam"}),
            lambda api, t: "/users",
        ),
        Write(
            "add a team",
            ADMINS,
            _nothing,
            lambda api, t, who: ("POST", "/teams", {"name": f"Team {who}"}),
            lambda api, t: "/teams",
            201,
        ),
        Write(
            "rename the team",
            ADMINS,
            _nothing,
            lambda api, t, who: (
                "PATCH",
                f"/teams/{api.world.team.id}",
                {"name": "Jeugd en gezin"},
            ),
            lambda api, t: f"/teams/{api.world.team.id}",
        ),
        Write(
            "delete a team",
            ADMINS,
            _empty_team,
            lambda api, t, who: ("DELETE", f"/teams/{t['id']}", None),
            lambda api, t: f"/teams/{t['id']}",
        ),
    ],
    "memberships": [
        Write(
            "add a member to the team",
            LEADS,
            _newcomer,
            lambda api, t, who: ("PUT", f"/teams/{api.world.team.id}/members/{t['id']}", {}),
            lambda api, t: f"/teams/{api.world.team.id}/members",
        ),
        Write(
            "change a member's role",
            LEADS,
            _team_member,
            lambda api, t, who: (
                "PUT",
                f"/teams/{api.world.team.id}/members/{t['id']}",
                {"role": "lead"},
            ),
            lambda api, t: f"/teams/{api.world.team.id}/members",
        ),
        Write(
            "remove a member from the team",
            LEADS,
            _team_member,
            lambda api, t, who: ("DELETE", f"/teams/{api.world.team.id}/members/{t['id']}", None),
            lambda api, t: f"/teams/{api.world.team.id}/members",
        ),
        Write(
            "add a member to a team one does not lead",
            ADMINS,
            _newcomer,
            lambda api, t, who: ("PUT", f"/teams/{api.world.other_team.id}/members/{t['id']}", {}),
            lambda api, t: f"/teams/{api.world.other_team.id}/members",
        ),
    ],
    "ambitions": [
        Write(
            "add an ambition owned by the team",
            LEADS,
            _nothing,
            lambda api, t, who: (
                "POST",
                "/ambitions",
                {"title": f"Ambitie {who}", "owner_team_id": api.world.team.id},
            ),
            lambda api, t: "/ambitions",
            201,
        ),
        Write(
            "add an ambition owned by another team",
            ADMINS,
            _nothing,
            lambda api, t, who: (
                "POST",
                "/ambitions",
                {"title": f"Ambitie {who}", "owner_team_id": api.world.other_team.id},
            ),
            lambda api, t: "/ambitions",
            201,
        ),
        Write(
            "edit the team's ambition",
            LEADS,
            lambda api: api.ambition(),
            lambda api, t, who: ("PATCH", f"/ambitions/{t['id']}", {"status": "achieved"}),
            lambda api, t: f"/ambitions/{t['id']}",
        ),
        Write(
            "edit another team's ambition",
            ADMINS,
            lambda api: api.ambition(owner_team_id=api.world.other_team.id),
            lambda api, t, who: ("PATCH", f"/ambitions/{t['id']}", {"title": "Overgenomen"}),
            lambda api, t: f"/ambitions/{t['id']}",
        ),
        Write(
            "add a goal to the team's ambition",
            LEADS,
            lambda api: api.ambition(),
            lambda api, t, who: ("POST", f"/ambitions/{t['id']}/goals", {"title": "Doel"}),
            lambda api, t: f"/ambitions/{t['id']}",
            201,
        ),
    ],
    "sprints": [
        Write(
            "plan a sprint",
            ADMINS,
            _nothing,
            lambda api, t, who: ("POST", "/sprints", {"start_date": "2027-01-04"}),
            lambda api, t: "/sprints",
            201,
        ),
        Write(
            "close the current sprint",
            ADMINS,
            _action,
            lambda api, t, who: ("POST", f"/sprints/{api.world.sprint.id}/close", None),
            _actions_of("team"),
        ),
    ],
    "the team's board": [
        Write(
            "add an action to the team's board",
            WRITERS,
            _nothing,
            lambda api, t, who: (
                "POST",
                "/actions",
                {
                    "title": "Nieuw",
                    "team_id": api.world.team.id,
                    "owner_id": api.world.ids["member"],
                },
            ),
            _actions_of("team"),
            201,
        ),
        Write(
            "add an action to another team's board",
            frozenset({"outsider", "admin"}),
            _nothing,
            lambda api, t, who: (
                "POST",
                "/actions",
                {
                    "title": "Nieuw",
                    "team_id": api.world.other_team.id,
                    "owner_id": api.world.ids["outsider"],
                },
            ),
            _actions_of("other_team"),
            201,
        ),
        Write(
            "edit an action",
            WRITERS,
            _action,
            lambda api, t, who: ("PATCH", f"/actions/{t['id']}", {"title": "Anders", "version": 1}),
            lambda api, t: f"/actions/{t['id']}/history",
        ),
        Write(
            "move an action to another team",
            ADMINS,  # only who writes on both boards
            _action,
            lambda api, t, who: (
                "PATCH",
                f"/actions/{t['id']}",
                {
                    "team_id": api.world.other_team.id,
                    "owner_id": api.world.ids["outsider"],
                    "version": 1,
                },
            ),
            lambda api, t: f"/actions/{t['id']}/history",
        ),
        # an action is deleted by its owner, its creator or the team's lead: not by the other
        # members (here the representative)
        Write(
            "delete an action",
            DELETERS,
            _action,
            lambda api, t, who: ("DELETE", f"/actions/{t['id']}", None),
            lambda api, t: f"/actions/{t['id']}/history",
        ),
        Write(
            "delete an action one made for a colleague",
            WRITERS,
            _made_by_the_member,
            lambda api, t, who: ("DELETE", f"/actions/{t['id']}", None),
            lambda api, t: f"/actions/{t['id']}/history",
        ),
        Write(
            "comment on an action",
            WRITERS,
            _action,
            lambda api, t, who: ("POST", f"/actions/{t['id']}/comments", {"body": "Goed bezig"}),
            lambda api, t: f"/actions/{t['id']}/comments",
            201,
        ),
        Write(
            "escalate an action",
            WRITERS,
            _action,
            lambda api, t, who: ("POST", f"/actions/{t['id']}/escalations", {"note": "Help"}),
            lambda api, t: f"/teams/{api.world.team.id}/escalations",
            201,
        ),
    ],
    "the team of teams' board": [
        Write(
            "resolve an escalation sent to the team of teams",
            TEAM_OF_TEAMS_WRITERS,
            _escalation,
            lambda api, t, who: (
                "POST",
                f"/escalations/{t['id']}/resolve",
                {"resolution": "Klaar"},
            ),
            lambda api, t: f"/teams/{api.world.team_of_teams.id}/escalations",
        ),
        Write(
            "add an action to the team of teams' board",
            TEAM_OF_TEAMS_WRITERS,
            _nothing,
            lambda api, t, who: (
                "POST",
                "/actions",
                {
                    "title": "Nieuw",
                    "team_id": api.world.team_of_teams.id,
                    "owner_id": api.world.ids["representative"],
                },
            ),
            _actions_of("team_of_teams"),
            201,
        ),
        Write(
            "edit an action on the team of teams' board",
            TEAM_OF_TEAMS_WRITERS,
            _top_action,
            lambda api, t, who: ("PATCH", f"/actions/{t['id']}", {"status": "doing", "version": 1}),
            lambda api, t: f"/actions/{t['id']}/history",
        ),
        Write(
            "delete an action on the team of teams' board",
            TEAM_OF_TEAMS_WRITERS,
            _top_action,
            lambda api, t, who: ("DELETE", f"/actions/{t['id']}", None),
            lambda api, t: f"/actions/{t['id']}/history",
        ),
        Write(
            "comment on an action on the team of teams' board",
            TEAM_OF_TEAMS_WRITERS,
            _top_action,
            lambda api, t, who: ("POST", f"/actions/{t['id']}/comments", {"body": "Gezien"}),
            lambda api, t: f"/actions/{t['id']}/comments",
            201,
        ),
    ],
}


def _attempt(api: Api, write: Write) -> dict[str, int]:
    """Every role's status for one write; a refusal must leave the target and history as
    they were, a permitted write must leave a trace."""
    answered: dict[str, int] = {}
    # the refused go first, all on one target: it must come out untouched
    shared = write.make(api)
    before = api.get(write.shows(api, shared), who="admin")
    events = api.audit_events()
    for who in (who for who in ROLES if who not in write.allowed):
        method, path, body = write.request(api, shared, who)
        answered[who] = api.call(method, path, who, json=body).status_code
        assert api.audit_events() == events, f"{write.name}: {who}'s refusal left history"
    assert api.get(write.shows(api, shared), who="admin") == before, write.name
    # the permitted each get a fresh target of their own
    for who in (who for who in ROLES if who in write.allowed):
        target = shared if who == "admin" else write.make(api)
        events = api.audit_events()
        method, path, body = write.request(api, target, who)
        answered[who] = api.call(method, path, who, json=body).status_code
        if answered[who] < 400:
            assert api.audit_events() > events, f"{write.name}: {who} left no history"
    return answered


@pytest.mark.parametrize("subject", list(WRITES))
def test_only_the_people_the_rules_name_may_write(client: TestClient, world: World, subject: str):
    api = Api(client, world)
    expected = {
        write.name: {who: write.status if who in write.allowed else 403 for who in ROLES}
        for write in WRITES[subject]
    }
    answered = {write.name: _attempt(api, write) for write in WRITES[subject]}
    assert answered == expected


def test_every_active_user_reads_every_board_ambition_and_history(client: TestClient, world: World):
    api = Api(client, world)
    action = api.action()
    ambition = api.ambition()
    paths = (
        f"/teams/{world.team.id}/board",
        f"/teams/{world.team_of_teams.id}/board",
        f"/teams/{world.team.id}/members",
        f"/teams/{world.team.id}/escalations",
        f"/actions/{action['id']}",
        f"/actions/{action['id']}/history",
        f"/actions/{action['id']}/comments",
        f"/ambitions/{ambition['id']}",
        f"/ambitions/{ambition['id']}/progress",
        "/actions",
        "/users",
        "/sprints/current",
    )
    # reading needs no membership: what the outsider reads, every member reads too
    refused = [
        (who, path)
        for who in ("outsider", "member")
        for path in paths
        if api.call("GET", path, who).status_code != 200
    ]
    assert refused == []


# --- ids of another team, in the path and in the body ------------------------------------------
def test_ids_of_another_team_in_the_path_or_the_body_are_refused_and_change_nothing(
    client: TestClient, world: World
):
    api = Api(client, world)
    ours = api.action()
    theirs = api.action(who="outsider", team_id=world.other_team.id)
    ambition = api.ambition()
    their_members = f"/teams/{world.other_team.id}/members"
    before = {
        "actions": api.get("/actions"),
        "our history": api.history(ours["id"]),
        "their history": api.history(theirs["id"]),
        "their members": api.get(their_members),
        "ambition": api.get(f"/ambitions/{ambition['id']}"),
    }
    events = api.audit_events()
    attempts = {
        "create on their board": (
            "POST",
            "/actions",
            "member",
            {"title": "X", "team_id": world.other_team.id},
        ),
        "move ours to their board": (
            "PATCH",
            f"/actions/{ours['id']}",
            "member",
            {"team_id": world.other_team.id, "owner_id": world.ids["outsider"], "version": 1},
        ),
        "edit theirs": (
            "PATCH",
            f"/actions/{theirs['id']}",
            "member",
            {"title": "Y", "version": 1},
        ),
        # a stale version tells an outsider no more than a current one
        "edit theirs, stale": ("PATCH", f"/actions/{theirs['id']}", "member", {"version": 7}),
        "delete theirs": ("DELETE", f"/actions/{theirs['id']}", "member", None),
        "comment on theirs": (
            "POST",
            f"/actions/{theirs['id']}/comments",
            "member",
            {"body": "Hoi"},
        ),
        "escalate theirs": (
            "POST",
            f"/actions/{theirs['id']}/escalations",
            "member",
            {"note": "?"},
        ),
        "a representative on a sibling board": (
            "POST",
            "/actions",
            "representative",
            {"title": "X", "team_id": world.other_team.id},
        ),
        "put a member on a team not led": (
            "PUT",
            f"{their_members}/{world.ids['member']}",
            "lead",
            {"role": "member"},
        ),
        "raise oneself on a team not led": (
            "PUT",
            f"{their_members}/{world.ids['lead']}",
            "lead",
            {"role": "lead"},
        ),
        "remove a member of a team not led": (
            "DELETE",
            f"{their_members}/{world.ids['outsider']}",
            "lead",
            None,
        ),
        "hand the ambition to a team not led": (
            "PATCH",
            f"/ambitions/{ambition['id']}",
            "lead",
            {"owner_team_id": world.other_team.id},
        ),
    }
    answered = {
        name: api.call(method, path, who, json=body).status_code
        for name, (method, path, who, body) in attempts.items()
    }
    assert answered == dict.fromkeys(attempts, 403)
    assert api.audit_events() == events
    assert {
        "actions": api.get("/actions"),
        "our history": api.history(ours["id"]),
        "their history": api.history(theirs["id"]),
        "their members": api.get(their_members),
        "ambition": api.get(f"/ambitions/{ambition['id']}"),
    } == before


def test_an_owner_from_outside_the_team_or_a_goal_of_another_ambition_is_invalid(
    client: TestClient, world: World
):
    api = Api(client, world)
    ours, theirs = api.ambition(), api.ambition(title="Ander")
    their_goal = api.post(f"/ambitions/{theirs['id']}/goals", {"title": "Hun doel"})
    action = api.action(ambition_id=ours["id"])
    history = api.history(action["id"])
    team = world.team.id
    refused = [
        (
            "member",
            "POST",
            "/actions",
            {"title": "X", "team_id": team, "owner_id": world.ids["outsider"]},
            "owner_id",
        ),
        (
            "admin",
            "POST",
            "/actions",
            {"title": "X", "team_id": team, "owner_id": world.ids["outsider"]},
            "owner_id",
        ),
        # the admin manages everything but is no member: naming no owner makes them the owner
        ("admin", "POST", "/actions", {"title": "X", "team_id": team}, "owner_id"),
        (
            "member",
            "POST",
            "/actions",
            {"title": "X", "team_id": team, "ambition_id": ours["id"], "goal_id": their_goal["id"]},
            "goal_id",
        ),
        (
            "member",
            "PATCH",
            f"/actions/{action['id']}",
            {"owner_id": world.ids["outsider"], "version": 1},
            "owner_id",
        ),
        (
            "member",
            "PATCH",
            f"/actions/{action['id']}",
            {"goal_id": their_goal["id"], "version": 1},
            "goal_id",
        ),
    ]
    for who, method, path, body, field in refused:
        assert error_fields(api.call(method, path, who, json=body)) == {field}, (who, body)
    assert api.get(f"/actions/{action['id']}") == action
    assert api.history(action["id"]) == history
    assert api.get("/actions")["total"] == 1


def test_the_team_of_teams_board_is_written_by_representatives_and_direct_members(
    client: TestClient, world: World
):
    api = Api(client, world)
    on_top = api.action(who="representative", team_id=world.team_of_teams.id)
    assert on_top["owner_id"] == world.ids["representative"]
    escalation = api.escalation(api.action())
    resolve = f"/escalations/{escalation['id']}/resolve"
    assert api.call("POST", resolve, "lead", json={"resolution": "Ik?"}).status_code == 403
    client.put(
        f"{API}/teams/{world.team_of_teams.id}/members/{world.ids['lead']}",
        json={"role": "member"},
        headers=world.headers("admin"),
    )
    assert api.post(resolve, {"resolution": "Geregeld"}, who="lead", status=200)["status"] == (
        "resolved"
    )


@pytest.mark.parametrize("subject", list(WRITES))
def test_a_deputy_representative_may_write_exactly_what_the_representative_may(
    client: TestClient, world: World, subject: str
):
    """The world's representative made deputy representative (plaatsvervangend
    vertegenwoordiger) of the same team instead: every write answers every role as before."""
    api = Api(client, world)
    made = api.call(
        "PUT",
        f"/teams/{world.team.id}/members/{world.ids['representative']}",
        "admin",
        json={"role": "deputy"},
    )
    assert expect(made)["role"] == "deputy"
    expected = {
        write.name: {who: write.status if who in write.allowed else 403 for who in ROLES}
        for write in WRITES[subject]
    }
    answered = {write.name: _attempt(api, write) for write in WRITES[subject]}
    assert answered == expected
