"""The organisation in the API: /me, locations, users, teams and their members."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.models import User
from app.services.auth import verify_password
from tests.http.helpers import Api, error_fields, expect
from tests.support.builders import World

SECRETS = {"password", "password_hash", "initial_password"}


def test_me_answers_the_user_with_their_teams_roles_and_implied_membership(
    client: TestClient, world: World
):
    api = Api(client, world)
    me = api.get("/me", who="lead")
    assert (me["id"], me["email"], me["name"]) == (world.ids["lead"], "lead@example.org", "Lead")
    assert (me["is_admin"], me["is_active"]) == (False, True)
    assert [(t["team"]["id"], t["role"], t["via"]) for t in me["teams"]] == [
        (world.team.id, "lead", None)
    ]
    assert me["teams"][0]["team"]["parent_id"] == world.team_of_teams.id
    # the representative sits in the team of teams through their own team
    representative = api.get("/me", who="representative")
    assert [(t["team"]["id"], t["role"], t["via"]) for t in representative["teams"]] == [
        (world.team.id, "representative", None),
        (world.team_of_teams.id, "member", world.team.id),
    ]
    assert api.get("/me", who="admin")["is_admin"] is True


def test_no_answer_ever_carries_a_password_or_its_hash(client: TestClient, world: World):
    api = Api(client, world)
    created = api.call(
        "POST", "/users", "admin", json={"email": "nieuw@example.org", "name": "Nieuw"}
    )
    answers = [
        created,
        api.call("GET", "/users"),
        api.call("GET", "/me", "admin"),
        api.call("GET", f"/teams/{world.team.id}/members"),
    ]
    for answer in answers:
        assert answer.status_code in (200, 201)
        assert "password_hash" not in answer.text and "$argon2" not in answer.text
    listed = answers[1].json()
    assert listed["total"] == 6
    assert "nieuw@example.org" in {user["email"] for user in listed["items"]}
    assert all(not SECRETS & set(user) for user in listed["items"])


def test_locations_and_users_are_added_and_a_generated_password_is_answered_once(
    client: TestClient, world: World
):
    api = Api(client, world)
    location = api.post("/locations", {"name": "Zuidstad"})
    assert location["name"] == "Zuidstad" and isinstance(location["id"], int)
    api.post("/locations", {"name": "Noorddorp"})
    assert api.get("/locations") == {
        "items": [{"id": location["id"] + 1, "name": "Noorddorp"}, location],
        "total": 2,
    }
    created = api.user("Nieuw@Example.org", location_id=location["id"], is_admin=True)
    assert created["email"] == "nieuw@example.org"  # stored lower-cased
    assert (created["location_id"], created["is_admin"], created["is_active"]) == (
        location["id"],
        True,
        True,
    )
    generated = created["initial_password"]
    assert isinstance(generated, str) and len(generated) >= 12
    with Session(world.engine) as session:
        stored = session.get(User, created["id"])
        assert stored is not None
        assert verify_password(stored.password_hash, generated)
    # shown once, never again; and not at all when the admin chose the password
    assert all("initial_password" not in user for user in api.get("/users")["items"])
    chosen = api.user("gekozen@example.org", password="een lang en sterk wachtwoord")
    assert chosen["initial_password"] is None


def test_an_admin_edits_a_person_with_patch_and_only_the_fields_sent_change(
    client: TestClient, world: World
):
    api = Api(client, world)
    location = api.post("/locations", {"name": "Zuidstad"})
    member_id = world.ids["member"]
    changed = api.patch(
        f"/users/{member_id}", {"email": "Mia@Example.org", "location_id": location["id"]}
    )
    assert (changed["name"], changed["email"], changed["location_id"], changed["is_admin"]) == (
        "Member",
        "mia@example.org",
        location["id"],
        False,
    )
    # null clears the home location; an e-mail address of someone else is taken in any case
    assert api.patch(f"/users/{member_id}", {"location_id": None})["location_id"] is None
    taken = api.call("PATCH", f"/users/{member_id}", "admin", json={"email": "LEAD@example.org"})
    assert error_fields(taken) == {"email"}
    own = api.call("PATCH", f"/users/{world.ids['admin']}", "admin", json={"is_admin": False})
    assert error_fields(own) == {"is_admin"}
    unknown = api.call("PATCH", f"/users/{member_id}", "admin", json={"password": "geheim"})
    assert unknown.status_code == 422
    refused = api.call("PATCH", f"/users/{member_id}", "lead", json={"name": "Overgenomen"})
    assert refused.status_code == 403
    assert api.call("PATCH", "/users/9999", "admin", json={"name": "X"}).status_code == 404


def test_teams_are_listed_added_read_changed_and_deleted(client: TestClient, world: World):
    api = Api(client, world)
    created = api.post(
        "/teams", {"name": "Zorg", "description": "Wmo", "parent_id": world.team_of_teams.id}
    )
    assert (created["name"], created["description"], created["parent_id"]) == (
        "Zorg",
        "Wmo",
        world.team_of_teams.id,
    )
    assert api.get(f"/teams/{created['id']}") == created
    listed = api.get("/teams")
    assert listed["total"] == 4
    assert [team["name"] for team in listed["items"]] == ["Jeugd", "Team van teams", "Werk", "Zorg"]

    changed = api.patch(
        f"/teams/{created['id']}", {"name": "Zorg en welzijn", "description": "", "parent_id": None}
    )
    assert (changed["name"], changed["description"], changed["parent_id"]) == (
        "Zorg en welzijn",
        "",
        None,
    )
    assert api.get(f"/teams/{created['id']}")["name"] == "Zorg en welzijn"
    # no team hangs under itself or under one of its own subteams
    for team, parent in ((world.team, world.team), (world.team_of_teams, world.team)):
        answer = api.call("PATCH", f"/teams/{team.id}", "admin", json={"parent_id": parent.id})
        assert error_fields(answer) == {"parent_id"}

    deleted = expect(api.call("DELETE", f"/teams/{created['id']}", "admin"))
    assert deleted["id"] == created["id"]
    assert api.call("GET", f"/teams/{created['id']}").status_code == 404


def test_deleting_a_team_that_holds_actions_or_subteams_is_a_conflict_and_keeps_it(
    client: TestClient, world: World
):
    api = Api(client, world)
    api.action()
    events = api.audit_events()
    for team in (world.team, world.team_of_teams):
        assert api.call("DELETE", f"/teams/{team.id}", "admin").status_code == 409
        assert api.get(f"/teams/{team.id}")["name"] == team.name
    assert api.audit_events() == events


def test_members_are_listed_and_a_lead_adds_changes_and_removes_them_within_the_rules(
    client: TestClient, world: World
):
    api = Api(client, world)
    members = api.get(f"/teams/{world.team.id}/members")
    assert [(m["user"], m["role"], m["team_id"]) for m in members] == [
        (
            {"id": world.ids["lead"], "name": "Lead", "email": "lead@example.org"},
            "lead",
            world.team.id,
        ),
        (
            {"id": world.ids["member"], "name": "Member", "email": "member@example.org"},
            "member",
            world.team.id,
        ),
        (
            {
                "id": world.ids["representative"],
                "name": "Representative",
                "email": "representative@example.org",
            },
            "representative",
            world.team.id,
        ),
    ]

    newcomer = api.user("nieuw@example.org")["id"]
    path = f"/teams/{world.team.id}/members/{newcomer}"
    added = expect(api.call("PUT", path, "lead", json={}))  # no role: a plain member
    assert (added["user"]["id"], added["role"], added["team_id"]) == (
        newcomer,
        "member",
        world.team.id,
    )
    assert expect(api.call("PUT", path, "lead", json={"role": "lead"}))["role"] == "lead"
    roles = {m["user"]["id"]: m["role"] for m in api.get(f"/teams/{world.team.id}/members")}
    assert roles[newcomer] == "lead"

    removed = expect(api.call("DELETE", path, "lead"))
    assert removed["user"]["id"] == newcomer
    members = api.get(f"/teams/{world.team.id}/members")
    assert newcomer not in {m["user"]["id"] for m in members}
    assert api.call("DELETE", path, "lead").status_code == 404

    # at most one representative per team, and none for a team under no team of teams
    for team in (world.team, world.team_of_teams):
        answer = api.call(
            "PUT", f"/teams/{team.id}/members/{newcomer}", "admin", json={"role": "representative"}
        )
        assert error_fields(answer) == {"role"}


def test_a_lead_makes_a_member_deputy_representative_who_then_writes_on_the_team_of_teams(
    client: TestClient, world: World
):
    api = Api(client, world)
    top = {"title": "Overleg plannen", "team_id": world.team_of_teams.id}
    assert api.call("POST", "/actions", "member", json=top).status_code == 403
    member = world.ids["member"]
    deputy = expect(
        api.call("PUT", f"/teams/{world.team.id}/members/{member}", "lead", json={"role": "deputy"})
    )
    assert (deputy["user"]["id"], deputy["role"], deputy["team_id"]) == (
        member,
        "deputy",
        world.team.id,
    )
    me = api.get("/me", who="member")
    assert [(t["team"]["id"], t["role"], t["via"]) for t in me["teams"]] == [
        (world.team.id, "deputy", None),
        (world.team_of_teams.id, "member", world.team.id),
    ]
    made = api.post("/actions", {**top, "owner_id": member}, who="member")
    assert made["team_id"] == world.team_of_teams.id

    # at most one deputy per team, and none for a team under no team of teams
    newcomer = api.user("nieuw@example.org")["id"]
    for team in (world.team, world.team_of_teams):
        answer = api.call(
            "PUT", f"/teams/{team.id}/members/{newcomer}", "admin", json={"role": "deputy"}
        )
        assert error_fields(answer) == {"role"}
    assert (
        api.call(
            "PUT", f"/teams/{world.team.id}/members/{newcomer}", "admin", json={"role": "chief"}
        ).status_code
        == 422
    )
