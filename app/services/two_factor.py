"""Two-factor for local accounts: a time-based code from an authenticator app (TOTP, RFC 6238)
and ten one-time recovery codes, of which only hashes are kept.

Enrolment happens in two steps: the page shows a new secret (as a QR code and as text), and only
a correct code from the app switches it on (`enable`), so nobody ends up with a factor their app
does not have. Logging in with a password then stops before the session: the second step
(`log_in_second_step`) asks for the code, throttled like password attempts. Admins must have one
while passwords are on (`must_enrol`); someone who came in through single sign-on is not asked:
their identity provider does the second factor."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta

import pyotp
from sqlmodel import Session, col, select

from app import logging_setup
from app.config import Settings
from app.models import AuditEvent, RecoveryCode, User, UserSession, utcnow
from app.services import audit
from app.services.errors import Invalid
from app.services.sessions import (
    TOO_MANY,
    LoginRefused,
    StartedSession,
    count_failure,
    end_all_for_user,
    start_session,
    too_many_attempts,
)
from app.translatable import N_

ISSUER = "Verbeterbord"
RECOVERY_CODE_COUNT = 10
# 12 characters from 32 (60 bits), shown in groups of four: k7qm-2xpa-9fde
_RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
_RECOVERY_LENGTH = 12

WRONG_CODE = N_("Deze code klopt niet. Kijk in je app en probeer het opnieuw.")
NO_CODE = N_("Vul de code uit je app in.")
NOT_ON = N_("Tweestapsverificatie staat niet aan.")
ALREADY_ON = N_("Tweestapsverificatie staat al aan.")
ENROL_FIRST = N_("Stel eerst tweestapsverificatie in op je profiel.")
SECOND_STEP_FAILED = N_("Deze code klopt niet. Probeer het opnieuw, of gebruik een herstelcode.")


def new_secret() -> str:
    """A new shared secret: 32 base32 characters, 160 bits."""
    return pyotp.random_base32()


def provisioning_uri(*, secret: str, email: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def _digits(code: str) -> str:
    return re.sub(r"[\s-]", "", code)


def matching_step(secret: str, code: str) -> int | None:
    """The 30-second step whose six digits these are: this step or the one before or after
    (clocks of phones drift); None when the code is not the app's."""
    code = _digits(code)
    if not re.fullmatch(r"\d{6}", code):
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(utcnow())
    for step in (current, current - 1, current + 1):
        if secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def code_matches(secret: str, code: str) -> bool:
    return matching_step(secret, code) is not None


def _step_used_for_login(session: Session, user_id: int, step: int) -> bool:
    """Whether a login of this user already used this step's code (RFC 6238 5.2: a code is
    accepted once). The step is in the audit event of the session it started; only sessions of
    the last two minutes can hold a step that is still valid."""
    recent = session.exec(
        select(UserSession.id).where(
            UserSession.user_id == user_id,
            col(UserSession.created_at) >= utcnow() - timedelta(seconds=120),
        )
    ).all()
    if not recent:
        return False
    changes = session.exec(
        select(AuditEvent.changes).where(
            AuditEvent.entity == "user_session",
            col(AuditEvent.entity_id).in_(recent),
            AuditEvent.verb == "created",
        )
    ).all()
    return any((found or {}).get("totp_step") == [None, step] for found in changes)


def _normalised_recovery(code: str) -> str:
    return _digits(code).lower()


def hash_recovery_code(code: str) -> str:
    # 60 random bits each and useless once used; one fast hash is enough (like API tokens)
    return hashlib.sha256(_normalised_recovery(code).encode()).hexdigest()


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(_RECOVERY_ALPHABET) for _ in range(_RECOVERY_LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, _RECOVERY_LENGTH, 4))


def is_on(user: User) -> bool:
    return user.totp_enabled_at is not None and bool(user.totp_secret)


def enable(*, session: Session, user: User, secret: str, code: str) -> list[str]:
    """Switch two-factor on with the secret the page showed, once the app's code matches it;
    returns ten new recovery codes (shown once; only their hashes are kept)."""
    assert user.id is not None
    if is_on(user):
        raise Invalid({"code": ALREADY_ON})
    if not code.strip():
        raise Invalid({"code": NO_CODE})
    if not re.fullmatch(r"[A-Z2-7]{16,64}", secret) or not code_matches(secret, code):
        raise Invalid({"code": WRONG_CODE})
    now = utcnow()
    user.totp_secret = secret
    user.totp_enabled_at = now
    user.updated_at = now
    # the secret itself never goes into the history
    audit.store(
        session, user, "updated", actor_id=user.id, changes={"totp_enabled_at": [None, now]}
    )
    codes = _replace_recovery_codes(session, user.id)
    session.commit()
    return codes


def _replace_recovery_codes(session: Session, user_id: int) -> list[str]:
    for old in session.exec(select(RecoveryCode).where(RecoveryCode.user_id == user_id)).all():
        session.delete(old)
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    for code in codes:
        session.add(RecoveryCode(user_id=user_id, code_hash=hash_recovery_code(code)))
    session.flush()
    return codes


def disable(*, session: Session, settings: Settings, user: User, code: str, client: str) -> None:
    """Switch two-factor off, after a code from the app (or an unused recovery code): whoever
    found an open browser cannot do it. Wrong codes count towards the login throttle. The
    recovery codes go too."""
    assert user.id is not None
    if not is_on(user):
        raise Invalid({"code": NOT_ON})
    if not code.strip():
        raise Invalid({"code": NO_CODE})
    if too_many_attempts(session, settings, user.email, client):
        raise Invalid({"code": TOO_MANY})
    if not _second_factor_matches(session, user, code):
        count_failure(session, email=user.email, client=client)
        raise Invalid({"code": WRONG_CODE})
    before = user.totp_enabled_at
    user.totp_secret = None
    user.totp_enabled_at = None
    user.updated_at = utcnow()
    audit.store(
        session, user, "updated", actor_id=user.id, changes={"totp_enabled_at": [before, None]}
    )
    for old in session.exec(select(RecoveryCode).where(RecoveryCode.user_id == user.id)).all():
        session.delete(old)
    session.commit()


def reset(*, session: Session, actor_id: int | None, user: User) -> bool:
    """Take away someone's second factor when they lost their phone and their recovery codes
    (an admin, after checking who is asking); every session and API token of theirs ends, so
    whoever else may have them is out. Returns whether there was one."""
    assert user.id is not None
    before = user.totp_enabled_at
    had = before is not None or user.totp_secret is not None
    if had:
        user.totp_secret = None
        user.totp_enabled_at = None
        user.updated_at = utcnow()
        audit.store(
            session, user, "updated", actor_id=actor_id, changes={"totp_enabled_at": [before, None]}
        )
        for old in session.exec(select(RecoveryCode).where(RecoveryCode.user_id == user.id)).all():
            session.delete(old)
        end_all_for_user(session, user.id, actor_id=actor_id)
    session.commit()
    return had


def _second_factor_matches(
    session: Session, user: User, code: str, *, once_per_step: bool = False
) -> tuple[str, int | None] | None:
    """("totp", step) or ("recovery_code", None) when the code is right (a recovery code is
    then used up, in the caller's transaction), None when it is not. With once_per_step an app
    code that already started a session is not right a second time."""
    assert user.id is not None
    step = matching_step(user.totp_secret, code) if user.totp_secret else None
    if step is not None:
        if once_per_step and _step_used_for_login(session, user.id, step):
            return None
        return "totp", step
    normalised = _normalised_recovery(code)
    if len(normalised) != _RECOVERY_LENGTH:
        return None
    found = session.exec(
        select(RecoveryCode).where(
            RecoveryCode.user_id == user.id,
            RecoveryCode.code_hash == hash_recovery_code(normalised),
            col(RecoveryCode.used_at).is_(None),
        )
    ).first()
    if found is None:
        return None
    now = utcnow()
    found.used_at = now
    audit.store(session, found, "updated", actor_id=user.id, changes={"used_at": [None, now]})
    return "recovery_code", None


def password_fingerprint(user: User) -> str:
    """A short mark of the user's current password hash: a second step begun before the
    password changed is no longer valid."""
    return hashlib.sha256((user.password_hash or "").encode()).hexdigest()[:16]


def log_in_second_step(
    *,
    session: Session,
    settings: Settings,
    user_id: int,
    fingerprint: str,
    code: str,
    client: str,
) -> StartedSession:
    """The second step of a password login: the code from the app or an unused recovery code
    starts the session. Throttled together with the password attempts of the address."""
    user = session.get(User, user_id)
    if (
        user is None
        or not user.is_active
        or not is_on(user)
        or not secrets.compare_digest(fingerprint, password_fingerprint(user))
    ):
        raise LoginRefused(SECOND_STEP_FAILED)
    if too_many_attempts(session, settings, user.email, client):
        count_failure(session, email=user.email, client=client)
        logging_setup.login_failed(email=user.email, client=client, reason="throttled")
        raise LoginRefused(TOO_MANY, throttled=True)
    matched = (
        _second_factor_matches(session, user, code, once_per_step=True) if code.strip() else None
    )
    if matched is None:
        count_failure(session, email=user.email, client=client)
        logging_setup.login_failed(email=user.email, client=client, reason="second_factor_wrong")
        raise LoginRefused(SECOND_STEP_FAILED)
    method, step = matched
    return start_session(session=session, user=user, method=method, totp_step=step)


def unused_recovery_codes(session: Session, user_id: int) -> int:
    return len(
        session.exec(
            select(RecoveryCode.id).where(
                RecoveryCode.user_id == user_id, col(RecoveryCode.used_at).is_(None)
            )
        ).all()
    )


def session_method(session: Session, session_id: int) -> str | None:
    """How a browser session started ("oidc", "totp", "recovery_code"; None: a password), as
    its audit event recorded it."""
    changes = session.exec(
        select(AuditEvent.changes).where(
            AuditEvent.entity == "user_session",
            AuditEvent.entity_id == session_id,
            AuditEvent.verb == "created",
        )
    ).first()
    method = (changes or {}).get("method")
    return method[1] if isinstance(method, list) and len(method) == 2 else None


def must_enrol(*, session: Session, settings: Settings, user: User, session_id: int) -> bool:
    """An admin who logged in with a password must set up a second factor before anything else,
    while passwords are on (BIO 5.17.01); single sign-on leaves it to the identity provider."""
    if not (settings.admin_two_factor_required and settings.local_login):
        return False
    if not user.is_admin or is_on(user):
        return False
    return session_method(session, session_id) != "oidc"


def enabled_at(user: User) -> datetime | None:
    return user.totp_enabled_at if is_on(user) else None
