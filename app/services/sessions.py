"""Logging in and out: server-side sessions, CSRF tokens and throttled failed logins."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy import Engine, Select, bindparam, func
from sqlalchemy import exists as sa_exists
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from app import logging_setup
from app.config import Settings
from app.events import Credential
from app.models import ApiToken, LoginAttempt, User, UserSession, utcnow
from app.models.common import UTCDateTime
from app.services import audit
from app.services.auth import hash_token, verify_password
from app.translatable import N_

LOGIN_FAILED = N_("Het e-mailadres of het wachtwoord klopt niet.")
TOO_MANY = N_("Te veel mislukte pogingen. Probeer het over een kwartier opnieuw.")
LOCAL_LOGIN_OFF = N_("Inloggen met een wachtwoord staat uit. Log in met je organisatie-account.")
# Checking a password against this keeps a login for an unknown address as slow as a real one.
_DUMMY_HASH = (
    "$argon2id$v=19$m=65536,t=3,p=4$c29tZXNhbHRzb21lc2FsdA$"
    "Wm1tQ2ZTbWZ0b0k3ZUxVQkFtTnJ2ZUx3a2c2a1JPOEE"
)


class LoginRefused(Exception):
    def __init__(self, message: str, *, throttled: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.throttled = throttled


@dataclass(frozen=True)
class StartedSession:
    cookie_value: str
    record: UserSession
    user: User


@dataclass(frozen=True)
class SecondStepNeeded:
    """The password was right and the user has a second factor: no session yet, the code from
    their app (or a recovery code) comes first (app.services.two_factor.log_in_second_step)."""

    user: User


def _too_many_attempts(session: Session, settings: Settings, email: str, client: str) -> bool:
    since = utcnow() - timedelta(minutes=settings.login_attempt_window_minutes)
    failures = session.exec(
        select(func.count()).where(
            LoginAttempt.email == email,
            LoginAttempt.client == client,
            LoginAttempt.attempted_at >= since,
        )
    ).one()
    return failures >= settings.login_attempts_allowed


def log_in(
    *, session: Session, settings: Settings, email: str, password: str, client: str
) -> StartedSession | SecondStepNeeded:
    """Check the password and start a new session, or ask for the second factor when the user
    has one; every failure counts towards throttling. Refused when passwords are switched off."""
    if not settings.local_login:
        raise LoginRefused(LOCAL_LOGIN_OFF)
    email = email.strip().lower()[:254]
    client = client[:64]
    if _too_many_attempts(session, settings, email, client):
        session.add(LoginAttempt(email=email, client=client))
        session.commit()
        logging_setup.login_failed(email=email, client=client, reason="throttled")
        raise LoginRefused(TOO_MANY, throttled=True)
    user = session.exec(select(User).where(User.email == email)).first()
    ok = verify_password(user.password_hash if user else _DUMMY_HASH, password)
    if user is None or not ok or not user.is_active:
        session.add(LoginAttempt(email=email, client=client))
        session.commit()
        reason = "inactive" if user is not None and ok else "unknown_or_wrong"
        logging_setup.login_failed(email=email, client=client, reason=reason)
        raise LoginRefused(LOGIN_FAILED)
    if user.totp_enabled_at is not None:
        return SecondStepNeeded(user=user)
    return start_session(session=session, user=user)


def too_many_attempts(session: Session, settings: Settings, email: str, client: str) -> bool:
    """Whether this address from this client is throttled (for the second step as well)."""
    return _too_many_attempts(session, settings, email.lower()[:254], client[:64])


def count_failure(session: Session, *, email: str, client: str) -> None:
    """A failed attempt that counts towards throttling, committed at once."""
    session.add(LoginAttempt(email=email.lower()[:254], client=client[:64]))
    session.commit()


def start_session(
    *, session: Session, user: User, method: str | None = None, totp_step: int | None = None
) -> StartedSession:
    """A fresh session id at every login, so an id planted before login is worthless. `method`
    ("oidc", "totp", "recovery_code") is written in the session's audit event, and the step of
    the app's code (so it starts one session only); a plain password login leaves both out."""
    assert user.id is not None
    cookie_value = secrets.token_urlsafe(32)
    record = UserSession(
        user_id=user.id,
        token_hash=hash_token(cookie_value),
        csrf_token=secrets.token_urlsafe(32),
    )
    changes: dict[str, list[Any]] = {"user_id": [None, user.id]}
    if method is not None:
        changes["method"] = [None, method]
    if totp_step is not None:
        changes["totp_step"] = [None, totp_step]
    audit.store(session, record, "created", actor_id=user.id, changes=changes)
    session.commit()
    return StartedSession(cookie_value=cookie_value, record=record, user=user)


def session_for_cookie(
    session: Session, settings: Settings, cookie_value: str
) -> tuple[UserSession, User] | None:
    """The live session and its active user, or None when unknown, ended or expired."""
    record = session.exec(
        select(UserSession).where(
            UserSession.token_hash == hash_token(cookie_value),
            col(UserSession.ended_at).is_(None),
        )
    ).first()
    if record is None or _expired(record, settings):
        return None
    user = session.get(User, record.user_id)
    if user is None or not user.is_active:
        return None
    return record, user


def _expired(record: UserSession, settings: Settings) -> bool:
    now = utcnow()
    return now - record.created_at > timedelta(
        hours=settings.session_max_hours
    ) or now - record.last_seen_at > timedelta(minutes=settings.session_idle_minutes)


def signed_in_query(credential: Credential) -> Select[Any]:
    """A row while the browser session or API token a live stream was opened with still lets
    its user in, by the rules of a request: not ended or revoked, not expired (parameters
    `oldest` and `idle_since`), the user active. Built once per stream: it runs every
    RECHECK_SECONDS for every open stream (app/events.py), about 0.3 ms on SQLite."""
    statement = sa_select(col(User.id)).where(
        col(User.id) == credential.user_id, col(User.is_active).is_(True)
    )
    if credential.session_id is not None:
        statement = statement.where(
            sa_exists().where(
                col(UserSession.id) == credential.session_id,
                col(UserSession.user_id) == credential.user_id,
                col(UserSession.ended_at).is_(None),
                col(UserSession.created_at) >= bindparam("oldest", type_=UTCDateTime),
                col(UserSession.last_seen_at) >= bindparam("idle_since", type_=UTCDateTime),
            )
        )
    if credential.token_id is not None:
        statement = statement.where(
            sa_exists().where(
                col(ApiToken.id) == credential.token_id,
                col(ApiToken.user_id) == credential.user_id,
                col(ApiToken.revoked_at).is_(None),
            )
        )
    return statement


def stream_guard(engine: Engine, settings: Settings, credential: Credential) -> Callable[[], bool]:
    """The check a live stream runs (app.events.event_stream's still_valid) to end once its
    user is logged out, deactivated, its session expired or its API token revoked."""
    statement = signed_in_query(credential)
    max_age = timedelta(hours=settings.session_max_hours)
    idle = timedelta(minutes=settings.session_idle_minutes)

    def still_valid() -> bool:
        now = utcnow()
        limits = {"oldest": now - max_age, "idle_since": now - idle}
        with engine.connect() as connection:
            return connection.execute(statement, limits).first() is not None

    return still_valid


def token_id_for(session: Session, raw_token: str) -> int | None:
    """The id of a live API token (for the credential of a stream opened with it)."""
    token = session.exec(
        select(ApiToken).where(
            ApiToken.token_hash == hash_token(raw_token), col(ApiToken.revoked_at).is_(None)
        )
    ).first()
    return token.id if token is not None else None


def needs_touch(record: UserSession) -> bool:
    """Whether last_seen_at is old enough to be worth a write (at most once a minute)."""
    return utcnow() - record.last_seen_at > timedelta(minutes=1)


def touch(*, session: Session, session_id: int) -> None:
    record = session.get(UserSession, session_id)
    if record is not None:
        record.last_seen_at = utcnow()
        session.add(record)
        session.commit()


def log_out(*, session: Session, session_id: int) -> None:
    record = session.get(UserSession, session_id)
    if record is None or record.ended_at is not None:
        return
    record.ended_at = utcnow()
    audit.store(
        session,
        record,
        "updated",
        actor_id=record.user_id,
        changes={"ended_at": [None, record.ended_at]},
    )
    session.commit()


def log_out_everywhere(*, session: Session, user_id: int) -> Ended:
    """Logging out ends every session and revokes every API token of the user, not only the
    browser's: whoever else holds one of them (a lost phone, a leaked token) is out too."""
    ended = end_all_for_user(session, user_id, actor_id=user_id)
    session.commit()
    return ended


@dataclass(frozen=True)
class Ended:
    sessions: int
    tokens: int


def end_all_for_user(session: Session, user_id: int, *, actor_id: int | None = None) -> Ended:
    """End every browser session and revoke every API token of a user, in the caller's
    transaction (the caller commits): for deactivation, logging out everywhere, a new password."""
    now = utcnow()
    live = session.exec(
        select(UserSession).where(
            UserSession.user_id == user_id, col(UserSession.ended_at).is_(None)
        )
    ).all()
    for record in live:
        record.ended_at = now
        audit.store(
            session, record, "updated", actor_id=actor_id, changes={"ended_at": [None, now]}
        )
    tokens = session.exec(
        select(ApiToken).where(ApiToken.user_id == user_id, col(ApiToken.revoked_at).is_(None))
    ).all()
    for token in tokens:
        token.revoked_at = now
        audit.store(
            session, token, "updated", actor_id=actor_id, changes={"revoked_at": [None, now]}
        )
    session.flush()
    return Ended(sessions=len(live), tokens=len(tokens))
