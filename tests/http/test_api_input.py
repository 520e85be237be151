"""Bad input answers 401 or 4xx with a message per field, never a 500, and changes nothing."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.models import ApiToken, Location, User
from app.services import auth
from tests.http.helpers import API, Api, error_fields
from tests.support.builders import World

MISSING = object()  # a case that leaves the field out
HUGE = 2**63
TOO_LONG = "x" * 201
BAD_IDS = ("abc", 1.5, -1, 0, HUGE, None, [1], {"id": 1})


def _ids(field: str, *, required: bool = False) -> list[tuple[str, Any]]:
    """The ways an id field can be wrong: not an integer, out of range, or naming nothing."""
    bad = [*(BAD_IDS if required else ("abc", -1, HUGE)), 999_999]
    if required:
        bad.append(MISSING)
    return [(field, value) for value in bad]


def _unknown(*fields: str) -> list[tuple[str, Any]]:
    return [(field, 1) for field in fields]


@dataclass(frozen=True)
class Form:
    """One write endpoint: where it is, a valid body, and (field, bad value) cases."""

    name: str
    method: str
    path: Callable[[Api], str]
    body: Callable[[Api], dict[str, Any]]
    cases: list[tuple[str, Any]]
    who: str = "admin"


def _action_path(api: Api) -> str:
    return f"/actions/{api.action()['id']}"


def _escalation_path(api: Api) -> str:
    return f"/escalations/{api.escalation(api.action())['id']}/resolve"


FORMS = {
    "actions": [
        Form(
            "create an action",
            "POST",
            lambda api: "/actions",
            lambda api: {"title": "Geldig", "team_id": api.world.team.id},
            [
                ("title", ""),
                ("title", "   "),
                ("title", TOO_LONG),
                ("title", MISSING),
                ("title", None),
                ("title", 12),
                ("description", "x" * 5001),
                ("status", "gedaan"),
                ("status", None),
                ("blocked_reason", "x" * 1001),
                ("due_date", "25-11-2026"),
                ("due_date", "2026-02-30"),
                ("due_date", "morgen"),
                *_ids("team_id", required=True),
                *_ids("owner_id"),
                *_ids("sprint_id"),
                *_ids("ambition_id"),
                *_ids("goal_id"),
                *_unknown("is_admin", "version", "created_by", "id", "carried_over", "done_at"),
            ],
            who="member",
        ),
        Form(
            "edit an action",
            "PATCH",
            _action_path,
            lambda api: {"version": 1},
            [
                ("title", ""),
                ("title", TOO_LONG),
                ("title", None),
                ("description", "x" * 5001),
                ("status", "gedaan"),
                ("status", None),
                ("blocked_reason", "x" * 1001),
                ("due_date", "2026/12/01"),
                ("team_id", None),
                *_ids("team_id"),
                ("owner_id", None),
                *_ids("owner_id"),
                ("sprint_id", None),
                *_ids("sprint_id"),
                *_ids("ambition_id"),
                *_ids("goal_id"),
                ("position", -1),
                ("position", "bovenaan"),
                ("position", 100_001),
                ("version", MISSING),
                ("version", None),
                ("version", 0),
                ("version", "abc"),
                ("version", HUGE),
                *_unknown("id", "created_by", "carried_over", "done_at"),
            ],
            who="member",
        ),
    ],
    "the organisation": [
        Form(
            "create a user",
            "POST",
            lambda api: "/users",
            lambda api: {"email": "nieuw@example.org", "name": "Nieuwe Collega"},
            [
                ("email", "geen-adres"),
                ("email", ""),
                ("email", MISSING),
                ("email", "ADMIN@example.org"),  # taken, whatever the case
                ("name", ""),
                ("name", "x" * 101),
                ("name", MISSING),
                *_ids("location_id"),
                ("password", "kort"),
                ("password", "Nieuwe Collega 2026!"),  # holds the name
                ("password", "x" * 201),
                ("is_admin", "misschien"),
                *_unknown("password_hash", "id", "is_active", "created_at"),
            ],
        ),
        Form(
            "create a team",
            "POST",
            lambda api: "/teams",
            lambda api: {"name": "Zorg"},
            [
                ("name", ""),
                ("name", "  "),
                ("name", "x" * 101),
                ("name", MISSING),
                ("description", "x" * 2001),
                *_ids("parent_id"),
                *_unknown("id", "created_at"),
            ],
        ),
        Form(
            "edit a team",
            "PATCH",
            lambda api: f"/teams/{api.world.team_of_teams.id}",
            lambda api: {},
            [
                ("name", ""),
                ("name", None),
                ("description", "x" * 2001),
                ("parent_id", "abc"),
                ("parent_id", 999_999),
                ("parent_id", -1),
                *_unknown("id"),
            ],
        ),
        Form(
            "create a location",
            "POST",
            lambda api: "/locations",
            lambda api: {"name": "Zuidstad"},
            [("name", ""), ("name", "x" * 101), ("name", MISSING), *_unknown("id")],
        ),
        Form(
            "put a member",
            "PUT",
            lambda api: f"/teams/{api.world.team.id}/members/{api.world.ids['outsider']}",
            lambda api: {"role": "member"},
            [("role", "baas"), ("role", None), *_unknown("user_id", "team_id")],
        ),
    ],
    "ambitions and sprints": [
        Form(
            "create an ambition",
            "POST",
            lambda api: "/ambitions",
            lambda api: {"title": "Nieuw"},
            [
                ("title", ""),
                ("title", TOO_LONG),
                ("title", MISSING),
                ("intent", "x" * 5001),
                ("horizon", "31-12-2030"),
                ("team_ids", "abc"),
                ("team_ids", 1),
                ("team_ids", [-1]),
                ("team_ids", [HUGE]),
                ("team_ids", ["abc"]),
                ("team_ids", [999_999]),
                *_ids("owner_team_id"),
                *_unknown("status", "id", "goals"),
            ],
        ),
        Form(
            "edit an ambition",
            "PATCH",
            lambda api: f"/ambitions/{api.ambition()['id']}",
            lambda api: {},
            [
                ("title", ""),
                ("title", None),
                ("status", "gehaald"),
                ("status", None),
                ("horizon", "ooit"),
                ("team_ids", [0]),
                ("owner_team_id", 999_999),
                *_unknown("id", "goals"),
            ],
        ),
        Form(
            "add a goal",
            "POST",
            lambda api: f"/ambitions/{api.ambition()['id']}/goals",
            lambda api: {"title": "Doel"},
            [
                ("title", ""),
                ("title", TOO_LONG),
                ("due", "morgen"),
                *_ids("team_id"),
                *_unknown("is_done", "ambition_id"),
            ],
        ),
        Form(
            "plan a sprint",
            "POST",
            lambda api: "/sprints",
            lambda api: {"start_date": "2027-01-04"},
            [
                ("start_date", MISSING),
                ("start_date", "04-01-2027"),
                ("start_date", "2027-13-01"),
                ("start_date", None),
                ("start_date", "2026-11-25"),  # overlaps the current sprint
                ("end_date", "2027-01-03"),  # before its start
                ("end_date", "2028-06-01"),  # longer than a year
                ("end_date", "volgende week"),
                *_unknown("closed_at", "id"),
            ],
        ),
    ],
    "comments and escalations": [
        Form(
            "comment on an action",
            "POST",
            lambda api: f"{_action_path(api)}/comments",
            lambda api: {"body": "Goed bezig"},
            [
                ("body", ""),
                ("body", "   "),
                ("body", "x" * 5001),
                ("body", MISSING),
                ("body", None),
                *_unknown("author_id", "action_id", "id"),
            ],
            who="member",
        ),
        Form(
            "escalate an action",
            "POST",
            lambda api: f"{_action_path(api)}/escalations",
            lambda api: {"note": "Help"},
            [
                ("note", ""),
                ("note", "x" * 5001),
                ("note", MISSING),
                *_unknown("to_team_id", "from_team_id", "status"),
            ],
            who="member",
        ),
        Form(
            "resolve an escalation",
            "POST",
            _escalation_path,
            lambda api: {"resolution": "Geregeld"},
            [
                ("resolution", ""),
                ("resolution", "x" * 5001),
                ("resolution", MISSING),
                *_unknown("status", "resolved_by_id"),
            ],
            who="representative",
        ),
    ],
}


def _with(body: dict[str, Any], field: str, value: Any) -> dict[str, Any]:
    changed = dict(body)
    if value is MISSING:
        changed.pop(field, None)
    else:
        changed[field] = value
    return changed


@pytest.mark.parametrize("subject", list(FORMS))
def test_each_invalid_field_is_a_422_naming_that_field(
    client: TestClient, world: World, subject: str
):
    api = Api(client, world)
    missed = {}
    for form in FORMS[subject]:
        path, body = form.path(api), form.body(api)
        events = api.audit_events()
        for field, value in form.cases:
            answer = api.call(form.method, path, form.who, json=_with(body, field, value))
            if answer.status_code != 422 or field not in error_fields(answer):
                missed[f"{form.name}: {field}={value!r}"[:80]] = answer.text[:200]
        assert api.audit_events() == events, f"{form.name}: a refused write left history"
        # the valid body itself goes through: the cases failed for their one field alone
        assert api.call(form.method, path, form.who, json=body).status_code in (200, 201)
    assert missed == {}


TEXT_FIELDS = [
    ("POST", lambda api: "/actions", {"title": "?", "team_id": "team"}, "title"),
    (
        "POST",
        lambda api: "/actions",
        {"title": "x", "description": "?", "team_id": "team"},
        "description",
    ),
    ("PATCH", _action_path, {"title": "?", "version": 1}, "title"),
    ("POST", lambda api: "/users", {"email": "n@example.org", "name": "?"}, "name"),
    ("POST", lambda api: "/teams", {"name": "?"}, "name"),
    ("POST", lambda api: "/locations", {"name": "?"}, "name"),
    ("POST", lambda api: "/ambitions", {"title": "?"}, "title"),
    ("POST", lambda api: f"{_action_path(api)}/comments", {"body": "?"}, "body"),
    ("POST", lambda api: f"{_action_path(api)}/escalations", {"note": "?"}, "note"),
    ("POST", _escalation_path, {"resolution": "?"}, "resolution"),
]


def test_a_body_that_is_no_json_object_or_holds_unstorable_text_is_a_422_not_a_500(
    client: TestClient, world: World
):
    api = Api(client, world)
    headers = world.headers("admin") | {"content-type": "application/json"}
    for content in ("{niet json", "[]", '"tekst"', "null", ""):
        answer = client.post(f"{API}/actions", content=content, headers=headers)
        assert answer.status_code == 422, (content, answer.text)
    # a NUL character (PostgreSQL refuses it) and an unpaired surrogate (no UTF-8 at all)
    for method, path, template, field in TEXT_FIELDS:
        target = API + path(api)
        for bad in ("a\\u0000b", "a\\ud800b"):
            body = {k: world.team.id if v == "team" else v for k, v in template.items()}
            content = json.dumps(body).replace('"?"', f'"{bad}"')
            answer = client.request(method, target, content=content, headers=headers)
            assert answer.status_code == 422, (method, target, bad, answer.text)
            assert field in error_fields(answer)
    assert api.get("/actions")["total"] == 4  # the targets made by _action_path and the like


# Every route of DESIGN.md's first API table with an id in its path, and a valid body for it,
# so that an unknown id can only be answered with 404.
ROUTES_WITH_IDS = [
    ("GET", "/teams/{id}", None),
    ("PATCH", "/teams/{id}", {"name": "x"}),
    ("DELETE", "/teams/{id}", None),
    ("GET", "/teams/{id}/members", None),
    ("PUT", "/teams/{id}/members/{id}", {"role": "member"}),
    ("DELETE", "/teams/{id}/members/{id}", None),
    ("GET", "/teams/{id}/board", None),
    ("GET", "/teams/{id}/escalations", None),
    ("GET", "/ambitions/{id}", None),
    ("PATCH", "/ambitions/{id}", {"title": "x"}),
    ("POST", "/ambitions/{id}/goals", {"title": "x"}),
    ("GET", "/ambitions/{id}/progress", None),
    ("POST", "/sprints/{id}/close", None),
    ("GET", "/actions/{id}", None),
    ("PATCH", "/actions/{id}", {"version": 1}),
    ("DELETE", "/actions/{id}", None),
    ("GET", "/actions/{id}/history", None),
    ("GET", "/actions/{id}/comments", None),
    ("POST", "/actions/{id}/comments", {"body": "x"}),
    ("POST", "/actions/{id}/escalations", {"note": "x"}),
    ("POST", "/escalations/{id}/resolve", {"resolution": "x"}),
]


def test_unknown_or_malformed_ids_in_the_path_are_4xx_never_500(client: TestClient, world: World):
    api = Api(client, world)
    answered = {
        (method, template, bad): api.call(method, template.replace("{id}", bad), "admin", json=body)
        for method, template, body in ROUTES_WITH_IDS
        for bad in ("abc", "999999")
    }
    expected = {key: 422 if key[2] == "abc" else 404 for key in answered}
    assert {key: answer.status_code for key, answer in answered.items()} == expected
    for bad in ("-1", "0", "1.5", "2147483648", "99999999999999999999", "1e3", "%20", "0x10"):
        assert api.call("GET", f"/actions/{bad}").status_code == 422, bad
    # an existing team with an unknown user, or a user who is no member
    members = f"/teams/{world.team.id}/members"
    assert api.call("PUT", f"{members}/999999", "admin", json={"role": "member"}).status_code == 404
    assert api.call("DELETE", f"{members}/999999", "admin").status_code == 404
    assert api.call("DELETE", f"{members}/{world.ids['outsider']}", "admin").status_code == 404


def test_malformed_query_parameters_are_a_422_naming_the_parameter(
    client: TestClient, world: World
):
    api = Api(client, world)
    action = api.action()
    cases = [
        ("/actions", "team_id", "abc"),
        ("/actions", "owner_id", "-1"),
        ("/actions", "sprint_id", str(HUGE)),
        ("/actions", "ambition_id", "0"),
        ("/actions", "status", "gedaan"),
        ("/actions", "mine", "misschien"),
        (f"/teams/{world.team.id}/board", "sprint_id", "abc"),
        (f"/teams/{world.team.id}/escalations", "status", "dicht"),
    ]
    for path, name, value in cases:
        answer = api.call("GET", path, params={name: value})
        assert name in error_fields(answer), (path, name, value)
    stale = api.call("DELETE", f"/actions/{action['id']}", params={"version": "x"})
    assert "version" in error_fields(stale)


LISTS = [
    "/locations",
    "/users",
    "/teams",
    "/ambitions",
    "/sprints",
    "/actions",
    "/teams/{team}/escalations",
    "/actions/{action}/comments",
]


def test_every_list_answers_items_and_total_and_pages_with_limit_and_offset(
    client: TestClient, world: World
):
    with Session(world.engine) as session:
        session.add_all(Location(name=f"Vestiging {n:03}") for n in range(101))
        session.commit()
    api = Api(client, world)
    first, second = api.action(), api.action()
    for body in ("Eerst", "Daarna"):
        api.post(f"/actions/{first['id']}/comments", {"body": body}, who="member")
        api.ambition(title=body)
    api.escalation(first), api.escalation(second)
    api.post("/sprints", {"start_date": "2027-01-04"})
    for template in LISTS:
        path = template.format(team=world.team.id, action=first["id"])
        everything = api.get(path)
        assert set(everything) == {"items", "total"}, path
        total = everything["total"]
        assert total == len(everything["items"]) >= 2 or total == 101, path
        page = api.get(path, limit=1, offset=1)
        assert page == {"items": everything["items"][1:2], "total": total}, path
        assert "limit" in error_fields(api.call("GET", path, params={"limit": 501})), path

    # 100 unless asked for more, at most 500
    default = api.get("/locations")
    assert (len(default["items"]), default["total"]) == (100, 101)
    assert len(api.get("/locations", limit=500)["items"]) == 101
    assert [item["name"] for item in api.get("/locations", offset=100)["items"]] == [
        "Vestiging 100"
    ]
    assert api.get("/locations", offset=101)["items"] == []
    for name, value in (("limit", 0), ("limit", "tien"), ("offset", -1), ("offset", "x")):
        assert name in error_fields(api.call("GET", "/locations", params={name: value}))


def test_requests_without_a_valid_bearer_token_are_401(client: TestClient, world: World):
    with Session(world.engine) as session:
        revoked = auth.create_token(
            session=session, user=world.users["lead"], name="oud", actor_id=None
        )
        token = session.exec(
            select(ApiToken).where(ApiToken.token_hash == auth.hash_token(revoked))
        ).one()
        auth.revoke_token(session=session, token=token, actor_id=None)
        leaver = session.get(User, world.ids["outsider"])
        assert leaver is not None
        leaver.is_active = False
        session.add(leaver)
        session.commit()
    refused = [
        {},
        {"Authorization": ""},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer   "},
        {"Authorization": "Bearer niet-geldig"},
        {"Authorization": "Bearer vb_niet-geldig"},
        {"Authorization": "Bearer vb_" + "x" * 300},
        {"Authorization": f"Basic {world.tokens['member']}"},
        {"Authorization": world.tokens["member"]},
        {"Authorization": f"Bearer {revoked}"},
        world.headers("outsider"),  # deactivated
    ]
    api = Api(client, world)
    action = api.action()
    events = api.audit_events()
    for headers in refused:
        for method, path, body in (
            ("GET", f"{API}/me", None),
            ("POST", f"{API}/actions", {"title": "x", "team_id": world.team.id}),
            ("PATCH", f"{API}/actions/{action['id']}", {"title": "x", "version": 1}),
        ):
            answer = client.request(method, path, json=body, headers=headers)
            assert answer.status_code == 401, (headers, method, path, answer.text)
            assert answer.headers["www-authenticate"] == "Bearer"
    assert api.audit_events() == events
    assert api.get(f"/actions/{action['id']}") == action
