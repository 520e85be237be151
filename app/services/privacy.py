"""Erasing a person's personal data on request (AVG, the right to erasure).

A person is never hard-deleted: the history, the actions they own and the comments they wrote
stay, now by "Verwijderde gebruiker". What goes, in one transaction:

- on the user row: the name (→ "Verwijderde gebruiker"), the e-mail address (→
  ``verwijderd-{id}@verwijderd.invalid``, unique and non-routable), the password hash, the
  home location, the chosen language, admin rights; the account is deactivated;
- every browser session ends and every API token is revoked (sessions.end_all_for_user);
- the second factor (secret and recovery codes), the link to the organisation account (OIDC
  subject) and the e-mail settings go; agenda links are revoked;
- failed login attempts recorded under their e-mail address now carry the placeholder;
- in the history (audit_event.changes): the ``name`` and ``email`` values of every event about
  the user themselves (their "created" event and any later change) become the placeholders,
  and any other history value that is exactly one of their past names or e-mail addresses
  (case-insensitive) does too. Ids (actor_id, user_id, owner_id, ...) stay: they point at the
  now-anonymous user. Free text written by others (an action title that mentions the person)
  is not rewritten; that is the writer's content, not the person's data.

`pseudonymise_history` below is the only code in the app that changes a stored AuditEvent
(tests/security/test_audit_immutable.py holds it to that).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import Session, select

from app.models import AuditEvent, CalendarFeed, LoginAttempt, RecoveryCode, User, utcnow
from app.services import audit, sessions
from app.services.access import get_or_404

ERASED_NAME = "Verwijderde gebruiker"
ERASED_DOMAIN = "verwijderd.invalid"
PERSONAL_FIELDS = ("name", "email")


def erased_email(user_id: int) -> str:
    return f"verwijderd-{user_id}@{ERASED_DOMAIN}"


def is_erased(user: User) -> bool:
    return user.id is not None and user.email == erased_email(user.id)


@dataclass(frozen=True)
class Erased:
    user: User
    already: bool
    sessions: int = 0
    tokens: int = 0
    history_rewritten: int = 0


def erase_user(*, session: Session, actor_id: int | None, user_id: int) -> Erased:
    """Replace a person's personal data with "Verwijderde gebruiker" everywhere and end their
    sessions and tokens, in one transaction. Erasing an erased person changes nothing.

    actor_id is None for the command line, which acts with the server's own authority."""
    user = get_or_404(session, User, user_id, "Medewerker")
    if is_erased(user):
        return Erased(user=user, already=True)
    placeholders = {"name": ERASED_NAME, "email": erased_email(user_id)}
    old_email = user.email
    rewritten = pseudonymise_history(
        session,
        user_id=user_id,
        known={"name": {user.name}, "email": {user.email}},
        placeholders=placeholders,
    )
    for attempt in session.exec(select(LoginAttempt).where(LoginAttempt.email == old_email)):
        attempt.email = placeholders["email"]
        session.add(attempt)
    was_active = user.is_active
    user.name = ERASED_NAME
    user.email = placeholders["email"]
    user.password_hash = None
    user.is_active = False
    user.is_admin = False
    user.location_id = None
    user.locale = "nl"
    user.locale_chosen = False
    user.totp_secret = None
    user.totp_enabled_at = None
    user.oidc_subject = None
    user.digest_weekday = None
    user.mention_mail = False
    user.updated_at = utcnow()
    session.add(user)
    for code in session.exec(select(RecoveryCode).where(RecoveryCode.user_id == user_id)):
        session.delete(code)
    for feed in session.exec(
        select(CalendarFeed).where(
            CalendarFeed.user_id == user_id,
            CalendarFeed.revoked_at.is_(None),  # type: ignore[union-attr]
        )
    ):
        feed.revoked_at = utcnow()
        session.add(feed)
    ended = sessions.end_all_for_user(session, user_id, actor_id=actor_id)
    # the erasure's own event holds no personal data: only that it happened, and the placeholders
    audit.record(
        session,
        actor_id=actor_id,
        entity="user",
        entity_id=user_id,
        verb="erased",
        changes={
            "name": ["***", ERASED_NAME],
            "email": ["***", placeholders["email"]],
            "is_active": [was_active, False],
        },
    )
    session.commit()
    return Erased(
        user=user,
        already=False,
        sessions=ended.sessions,
        tokens=ended.tokens,
        history_rewritten=rewritten,
    )


def pseudonymise_history(
    session: Session,
    *,
    user_id: int,
    known: dict[str, set[str]],
    placeholders: dict[str, str],
) -> int:
    """Rewrite the person's name and e-mail address in stored history; returns how many events
    changed. The caller commits."""
    own_events = session.exec(
        select(AuditEvent).where(AuditEvent.entity == "user", AuditEvent.entity_id == user_id)
    ).all()
    # every name and address the person ever had, as the history itself remembers them
    for event in own_events:
        for field in PERSONAL_FIELDS:
            for value in _values(event.changes.get(field)):
                if isinstance(value, str) and value:
                    known[field].add(value)
    lookup = {
        value.casefold(): placeholders[field] for field in PERSONAL_FIELDS for value in known[field]
    }
    changed = 0
    own_ids = {event.id for event in own_events}
    for event in session.exec(select(AuditEvent)):
        new = dict(event.changes)
        if event.id in own_ids:
            for field in PERSONAL_FIELDS:
                if field in new:
                    new[field] = _mask(new[field], placeholders[field])
        new = {key: _replace(value, lookup) for key, value in new.items()}
        if new != event.changes:
            event.changes = new
            flag_modified(event, "changes")
            session.add(event)
            changed += 1
    return changed


def _values(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def _mask(value: Any, placeholder: str) -> Any:
    if isinstance(value, list):
        return [None if item is None else placeholder for item in value]
    return None if value is None else placeholder


def _replace(value: Any, lookup: dict[str, str]) -> Any:
    if isinstance(value, str):
        return lookup.get(value.casefold(), value)
    if isinstance(value, list):
        return [_replace(item, lookup) for item in value]
    if isinstance(value, dict):
        return {key: _replace(item, lookup) for key, item in value.items()}
    return value
