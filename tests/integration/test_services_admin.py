"""The service verbs behind the admin and profile pages: deactivating staff, ending their
sessions and tokens, choosing a language, revoking one's own API token."""

from __future__ import annotations

import pytest
from sqlalchemy import func
from sqlmodel import Session, col, select

from app.config import get_settings
from app.models import ApiToken, AuditEvent, User, UserSession
from app.services import auth, org, sessions
from app.services.errors import Forbidden, Invalid, NotFound
from tests.integration.service_helpers import as_, audit_rows
from tests.support.builders import World


def _user_id(world: World, who: str) -> int:
    user_id = world.users[who].id
    assert user_id is not None
    return user_id


def _live_sessions(session: Session, user_id: int) -> int:
    return session.exec(
        select(func.count()).where(
            UserSession.user_id == user_id, col(UserSession.ended_at).is_(None)
        )
    ).one()


def _live_tokens(session: Session, user_id: int) -> int:
    return session.exec(
        select(func.count()).where(ApiToken.user_id == user_id, col(ApiToken.revoked_at).is_(None))
    ).one()


def test_deactivating_a_user_ends_their_sessions_and_revokes_their_tokens(
    session: Session, world: World
):
    member = session.get_one(User, _user_id(world, "member"))
    started = sessions.start_session(session=session, user=member)
    sessions.start_session(session=session, user=member)
    extra_token = auth.create_token(session=session, user=member, name="script", actor_id=None)

    org.set_user_active(
        session=session, actor=as_(session, world, "admin"), user_id=member.id, active=False
    )

    assert member.is_active is False
    assert _live_sessions(session, member.id) == 0
    assert _live_tokens(session, member.id) == 0
    assert auth.user_for_token(session, world.tokens["member"]) is None
    assert auth.user_for_token(session, extra_token) is None
    assert sessions.session_for_cookie(session, get_settings(), started.cookie_value) is None


def test_deactivating_leaves_other_users_sessions_and_tokens_alone(session: Session, world: World):
    lead = session.get_one(User, _user_id(world, "lead"))
    sessions.start_session(session=session, user=lead)
    org.set_user_active(
        session=session,
        actor=as_(session, world, "admin"),
        user_id=_user_id(world, "member"),
        active=False,
    )
    assert _live_sessions(session, _user_id(world, "lead")) == 1
    assert auth.user_for_token(session, world.tokens["lead"]) is not None


def test_deactivation_is_recorded_in_the_history(session: Session, world: World):
    member_id = _user_id(world, "member")
    org.set_user_active(
        session=session, actor=as_(session, world, "admin"), user_id=member_id, active=False
    )
    event = session.exec(
        select(AuditEvent)
        .where(AuditEvent.entity == "user", AuditEvent.entity_id == member_id)
        .order_by(col(AuditEvent.id).desc())
    ).first()
    assert event is not None
    assert event.changes == {"is_active": [True, False]}
    assert event.actor_id == _user_id(world, "admin")


def test_a_deactivated_user_can_be_activated_again_but_keeps_old_tokens_revoked(
    session: Session, world: World
):
    admin = as_(session, world, "admin")
    member_id = _user_id(world, "member")
    org.set_user_active(session=session, actor=admin, user_id=member_id, active=False)
    user = org.set_user_active(session=session, actor=admin, user_id=member_id, active=True)
    assert user.is_active is True
    assert auth.user_for_token(session, world.tokens["member"]) is None


def test_setting_the_state_a_user_already_has_changes_nothing(session: Session, world: World):
    before = audit_rows(session)
    org.set_user_active(
        session=session,
        actor=as_(session, world, "admin"),
        user_id=_user_id(world, "member"),
        active=True,
    )
    assert audit_rows(session) == before


def test_an_admin_cannot_deactivate_themselves(session: Session, world: World):
    admin_id = _user_id(world, "admin")
    with pytest.raises(Invalid) as refused:
        org.set_user_active(
            session=session, actor=as_(session, world, "admin"), user_id=admin_id, active=False
        )
    assert "jezelf" in refused.value.errors["active"]
    assert session.get_one(User, admin_id).is_active is True


@pytest.mark.parametrize("who", ["lead", "member", "outsider"])
def test_only_an_admin_deactivates_users(session: Session, world: World, who: str):
    before = audit_rows(session)
    with pytest.raises(Forbidden):
        org.set_user_active(
            session=session,
            actor=as_(session, world, who),
            user_id=_user_id(world, "member"),
            active=False,
        )
    assert audit_rows(session) == before
    assert session.get_one(User, _user_id(world, "member")).is_active is True


def test_deactivating_an_unknown_user_is_not_found(session: Session, world: World):
    with pytest.raises(NotFound):
        org.set_user_active(
            session=session, actor=as_(session, world, "admin"), user_id=999, active=False
        )


def test_ending_everything_for_a_user_counts_what_it_ended(session: Session, world: World):
    member = session.get_one(User, _user_id(world, "member"))
    first = sessions.start_session(session=session, user=member)
    sessions.log_out(session=session, session_id=first.record.id or 0)
    sessions.start_session(session=session, user=member)
    ended = sessions.end_all_for_user(session, _user_id(world, "member"))
    session.commit()
    # the logged-out session was over already; the builder's token is the only one
    assert ended == sessions.Ended(sessions=1, tokens=1)
    assert sessions.end_all_for_user(session, _user_id(world, "member")) == sessions.Ended(0, 0)


def test_choosing_english_is_saved_on_the_user_and_recorded(session: Session, world: World):
    member = session.get_one(User, _user_id(world, "member"))
    org.set_locale(session=session, actor_id=member.id, user=member, locale="en")
    session.expire_all()
    member = session.get_one(User, _user_id(world, "member"))
    assert member.locale == "en" and member.locale_chosen
    event = session.exec(
        select(AuditEvent).where(AuditEvent.entity == "user").order_by(col(AuditEvent.id).desc())
    ).first()
    assert event is not None
    assert event.changes == {"locale": ["nl", "en"], "locale_chosen": [False, True]}


def test_choosing_the_default_language_is_saved_as_a_choice(session: Session, world: World):
    member = session.get_one(User, _user_id(world, "member"))
    assert member.locale == "nl" and not member.locale_chosen
    org.set_locale(session=session, actor_id=member.id, user=member, locale="nl")
    session.expire_all()
    assert session.get_one(User, _user_id(world, "member")).locale_chosen


def test_a_language_we_do_not_speak_is_refused(session: Session, world: World):
    member = session.get_one(User, _user_id(world, "member"))
    with pytest.raises(Invalid) as refused:
        org.set_locale(session=session, actor_id=member.id, user=member, locale="de")
    assert refused.value.errors["locale"] == "Kies Nederlands of English."
    session.expire_all()
    assert session.get_one(User, _user_id(world, "member")).locale == "nl"


def test_a_user_revokes_their_own_token(session: Session, world: World):
    member = session.get_one(User, _user_id(world, "member"))
    token = session.exec(select(ApiToken).where(ApiToken.user_id == member.id)).one()
    auth.revoke_own_token(session=session, user=member, token_id=token.id or 0)
    assert auth.user_for_token(session, world.tokens["member"]) is None


def test_someone_elses_token_cannot_be_revoked_and_stays_valid(session: Session, world: World):
    member = session.get_one(User, _user_id(world, "member"))
    lead_token = session.exec(
        select(ApiToken).where(ApiToken.user_id == _user_id(world, "lead"))
    ).one()
    with pytest.raises(NotFound):
        auth.revoke_own_token(session=session, user=member, token_id=lead_token.id or 0)
    assert auth.user_for_token(session, world.tokens["lead"]) is not None


def test_revoking_a_revoked_token_changes_nothing(session: Session, world: World):
    member = session.get_one(User, _user_id(world, "member"))
    token = session.exec(select(ApiToken).where(ApiToken.user_id == member.id)).one()
    auth.revoke_own_token(session=session, user=member, token_id=token.id or 0)
    revoked_at, before = token.revoked_at, audit_rows(session)
    auth.revoke_own_token(session=session, user=member, token_id=token.id or 0)
    assert token.revoked_at == revoked_at
    assert audit_rows(session) == before


# --- API tokens ------------------------------------------------------------------------------
def test_a_token_is_stored_under_its_name_without_the_spaces_around_it(
    session: Session, world: World
):
    member = session.get_one(User, _user_id(world, "member"))
    raw = auth.create_token(session=session, user=member, name="  mijn script ", actor_id=None)
    token = session.exec(select(ApiToken).where(ApiToken.token_hash == auth.hash_token(raw))).one()
    assert token.name == "mijn script"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("  ", "Geef de sleutel een naam, zodat je later weet waarvoor hij is."),
        ("x" * 101, "Maak de naam korter: hoogstens 100 tekens."),
    ],
)
def test_a_token_with_an_empty_or_too_long_name_is_refused_never_shortened(
    session: Session, world: World, name: str, message: str
):
    member = session.get_one(User, _user_id(world, "member"))
    before = _live_tokens(session, member.id)
    with pytest.raises(Invalid) as refused:
        auth.create_token(session=session, user=member, name=name, actor_id=None)
    assert refused.value.errors == {"name": message}
    assert _live_tokens(session, member.id) == before
