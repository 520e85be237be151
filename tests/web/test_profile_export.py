"""AVG: a user downloads their own data as JSON from the profile page."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.db import write_session
from app.models import ActionCreate, ApiToken, CommentCreate, EscalationCreate, UserSession
from app.services import actions, escalations
from app.services.access import access_for
from tests.conftest import TODAY
from tests.support.builders import World

URL = "/profiel/gegevens.json"


def _activity(world: World) -> dict[str, int]:
    """The member made an action, commented and escalated; the lead commented on it too."""
    with write_session(world.engine) as session:
        member = access_for(session, world.users["member"])
        lead = access_for(session, world.users["lead"])
        action = actions.create_action(
            session=session,
            actor=member,
            data=ActionCreate(
                title="Intake versnellen", team_id=world.team.id or 0, description="Sneller"
            ),
            today=TODAY,
        )
        assert action.id is not None
        mine = actions.add_comment(
            session=session, actor=member, action_id=action.id, data=CommentCreate(body="Eigen")
        )
        theirs = actions.add_comment(
            session=session,
            actor=lead,
            action_id=action.id,
            data=CommentCreate(body="Reactie van de trekker"),
        )
        escalation = escalations.raise_escalation(
            session=session, actor=member, action_id=action.id, data=EscalationCreate(note="Help")
        )
        return {
            "action": action.id,
            "mine": mine.id or 0,
            "theirs": theirs.id or 0,
            "escalation": escalation.id or 0,
        }


def test_the_profile_links_to_the_download(login):
    page = login("member").get("/profiel")
    assert f'href="{URL}" download>Mijn gegevens downloaden</a>' in page.text


def test_the_download_is_a_json_attachment_that_no_cache_keeps(login):
    response = login("member").get(URL)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert (
        response.headers["content-disposition"]
        == 'attachment; filename="verbeterbord-mijn-gegevens.json"'
    )
    assert response.headers["cache-control"] == "no-store"


def test_the_download_holds_profile_memberships_work_tokens_sessions_and_history(
    login, world: World
):
    ids = _activity(world)
    data = login("member").get(URL).json()

    assert data["profile"]["email"] == "member@example.org"
    assert data["profile"]["name"] == "Member"
    assert [(m["team"], m["role"]) for m in data["memberships"]] == [("Jeugd", "member")]
    [action] = data["actions"]
    assert action["id"] == ids["action"] and action["title"] == "Intake versnellen"
    assert action["you_own_it"] and action["you_created_it"]
    assert [c["body"] for c in data["comments"]] == ["Eigen"]
    [escalation] = data["escalations"]
    assert escalation["note"] == "Help" and escalation["you_raised_it"]
    assert escalation["to_team"] == "Team van teams"
    assert [t["name"] for t in data["api_tokens"]] == ["test"]
    assert len(data["sessions"]) == 1 and data["sessions"][0]["ended_at"] is None
    verbs = {(e["entity"], e["verb"]) for e in data["history"]}
    assert {("action", "created"), ("comment", "created"), ("user_session", "created")} <= verbs


def test_the_download_holds_no_hashes_and_no_secrets(login, world: World):
    client = login("member")
    body = client.get(URL).text
    with Session(world.engine) as session:
        secrets = [t.token_hash for t in session.exec(select(ApiToken))]
        secrets += [s.token_hash for s in session.exec(select(UserSession))]
        secrets += [s.csrf_token for s in session.exec(select(UserSession))]
    assert "password" not in body and "hash" not in body and "$argon2" not in body
    assert world.tokens["member"] not in body
    assert not [secret for secret in secrets if secret in body]


def test_the_download_holds_only_the_viewers_own_data(login, world: World):
    ids = _activity(world)
    member = login("member").get(URL).text
    data = json.loads(member)

    assert [comment["id"] for comment in data["comments"]] == [ids["mine"]]
    assert "Reactie van de trekker" not in member
    assert "lead@example.org" not in member and "Lead" not in member
    assert [token["name"] for token in data["api_tokens"]] == ["test"]
    assert len(data["sessions"]) == 1  # the lead's and admin's sessions are not in it


def test_an_admins_download_does_not_hold_the_colleagues_they_created(login, world: World):
    body = login("admin").get(URL).text
    data = json.loads(body)

    created = [e for e in data["history"] if e["entity"] == "user" and e["verb"] == "created"]
    assert created and all(e["changes"]["email"] == "***" for e in created)
    assert "member@example.org" not in body and "outsider@example.org" not in body


def test_the_download_needs_a_login(app_for_pages):
    with TestClient(app_for_pages) as client:
        response = client.get(URL, follow_redirects=False)
    assert response.status_code in (302, 303)
    assert response.headers["location"].startswith("/login")
    assert "member@example.org" not in response.text


def test_the_download_lists_agenda_links_second_factor_and_mail_settings_without_secrets(
    login, world: World
):
    from app.models import CalendarFeed, RecoveryCode, User, utcnow

    client = login("member")  # before the second factor is on: this login has one step
    with write_session(world.engine) as session:
        member = session.get_one(User, world.ids["member"])
        member.totp_secret, member.totp_enabled_at = "JBSWY3DPEHPK3PXP", utcnow()
        member.digest_weekday = 3
        session.add(member)
        session.add(
            CalendarFeed(user_id=world.ids["member"], team_id=world.team.id, token_hash="c" * 64)
        )
        session.add(RecoveryCode(user_id=world.ids["member"], code_hash="d" * 64))
        session.commit()
    data = json.loads(client.get(URL).text)
    assert data["profile"]["digest_weekday"] == 3 and data["profile"]["mention_mail"] is True
    assert data["profile"]["two_factor_since"] is not None
    assert [link["team"] for link in data["calendar_links"]] == [world.team.name]
    assert len(data["recovery_codes"]) == 1 and data["recovery_codes"][0]["used_at"] is None
    text = json.dumps(data)
    assert "JBSWY3DPEHPK3PXP" not in text and "c" * 64 not in text and "d" * 64 not in text
