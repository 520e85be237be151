"""Logging out ends every session and API token of the user, not only this browser's."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.models import ApiToken, AuditEvent, User, UserSession
from app.services import sessions
from tests.support.builders import World
from tests.web.conftest import app_for_pages, login  # noqa: F401  (fixtures)


def test_logging_out_in_one_browser_ends_the_other_browser_and_the_api_token(login, world):  # noqa: F811
    first, second = login("member"), login("member")
    token_headers = world.headers("member")
    assert second.get("/", follow_redirects=False).status_code == 200
    assert first.get("/api/v1/me", headers=token_headers).status_code == 200

    response = first.post("/logout", data={"csrf_token": first.csrf_token}, follow_redirects=False)

    assert response.status_code == 303 and response.headers["location"] == "/login"
    assert first.get("/", follow_redirects=False).status_code == 303
    assert second.get("/", follow_redirects=False).status_code == 303
    anonymous = TestClient(first.app)
    assert anonymous.get("/api/v1/me", headers=token_headers).status_code == 401


def test_logging_out_leaves_other_users_logged_in(login, world: World):  # noqa: F811
    member, lead = login("member"), login("lead")
    member.post("/logout", data={"csrf_token": member.csrf_token})
    assert lead.get("/", follow_redirects=False).status_code == 200
    assert lead.get("/api/v1/me", headers=world.headers("lead")).status_code == 200


def test_log_out_everywhere_ends_sessions_and_tokens_with_an_audit_event_each(world: World):
    user_id = world.users["member"].id
    assert user_id is not None
    with Session(world.engine) as session:
        user = session.get_one(User, user_id)
        sessions.start_session(session=session, user=user)
        sessions.start_session(session=session, user=user)
        ended = sessions.log_out_everywhere(session=session, user_id=user_id)
    assert ended.sessions == 2 and ended.tokens >= 1
    with Session(world.engine) as session:
        live = session.exec(
            select(UserSession).where(
                UserSession.user_id == user_id, col(UserSession.ended_at).is_(None)
            )
        ).all()
        tokens = session.exec(
            select(ApiToken).where(ApiToken.user_id == user_id, col(ApiToken.revoked_at).is_(None))
        ).all()
        revoked = session.exec(
            select(AuditEvent).where(
                AuditEvent.entity == "api_token", AuditEvent.actor_id == user_id
            )
        ).all()
    assert live == [] and tokens == []
    assert len(revoked) == ended.tokens
