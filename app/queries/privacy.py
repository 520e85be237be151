"""A person's own data, for "Mijn gegevens downloaden" on the profile page (AVG, the right of
access). Only what is about or by the viewer; never a password hash, token hash or session id,
and never another person's name or e-mail address."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, or_, select

from app.models import (
    Action,
    ApiToken,
    AuditEvent,
    CalendarFeed,
    Comment,
    Escalation,
    Location,
    Membership,
    Mention,
    RecoveryCode,
    SentMail,
    Team,
    User,
    UserSession,
)

FORMAT_VERSION = 1


OTHER_PEOPLES_FIELDS = ("name", "email")


def _when(value: datetime | date | None) -> str | None:
    return value.isoformat() if value is not None else None


def my_data(session: Session, *, user_id: int, now: datetime) -> dict[str, Any]:
    """Everything Verbeterbord keeps about one person, as plain JSON-ready values."""
    user = session.get_one(User, user_id)
    location = session.get(Location, user.location_id) if user.location_id else None
    team_names = dict(session.exec(select(Team.id, Team.name)).all())
    return {
        "format": FORMAT_VERSION,
        "exported_at": now.isoformat(),
        "profile": {
            "id": user.id,
            "name": user.name,
            "email": user.email,
            "location": location.name if location else None,
            "is_admin": user.is_admin,
            "is_active": user.is_active,
            "locale": user.locale,
            "locale_chosen": user.locale_chosen,
            "created_at": _when(user.created_at),
            "updated_at": _when(user.updated_at),
            "digest_weekday": user.digest_weekday,
            "mention_mail": user.mention_mail,
            "two_factor_since": _when(user.totp_enabled_at),
            "signs_in_with_organisation_account": user.oidc_subject is not None,
        },
        "memberships": [
            {
                "team_id": membership.team_id,
                "team": team_names.get(membership.team_id),
                "role": membership.role,
                "since": _when(membership.created_at),
            }
            for membership in session.exec(
                select(Membership).where(Membership.user_id == user_id).order_by(col(Membership.id))
            )
        ],
        "actions": [_action(action, user_id, team_names) for action in _actions(session, user_id)],
        "comments": [
            {
                "id": comment.id,
                "action_id": comment.action_id,
                "body": comment.body,
                "created_at": _when(comment.created_at),
            }
            for comment in session.exec(
                select(Comment).where(Comment.author_id == user_id).order_by(col(Comment.id))
            )
        ],
        "escalations": [
            _escalation(escalation, user_id, team_names)
            for escalation in session.exec(
                select(Escalation)
                .where(
                    or_(
                        col(Escalation.raised_by_id) == user_id,
                        col(Escalation.resolved_by_id) == user_id,
                    )
                )
                .order_by(col(Escalation.id))
            )
        ],
        "api_tokens": [
            {
                "name": token.name,
                "created_at": _when(token.created_at),
                "last_used_at": _when(token.last_used_at),
                "revoked_at": _when(token.revoked_at),
            }
            for token in session.exec(
                select(ApiToken).where(ApiToken.user_id == user_id).order_by(col(ApiToken.id))
            )
        ],
        "sessions": [
            {
                "created_at": _when(record.created_at),
                "last_seen_at": _when(record.last_seen_at),
                "ended_at": _when(record.ended_at),
            }
            for record in session.exec(
                select(UserSession)
                .where(UserSession.user_id == user_id)
                .order_by(col(UserSession.id))
            )
        ],
        "calendar_links": [
            {
                "team": team_names.get(feed.team_id) if feed.team_id else None,
                "created_at": _when(feed.created_at),
                "revoked_at": _when(feed.revoked_at),
            }
            for feed in session.exec(
                select(CalendarFeed)
                .where(CalendarFeed.user_id == user_id)
                .order_by(col(CalendarFeed.id))
            )
        ],
        "recovery_codes": [
            {"created_at": _when(code.created_at), "used_at": _when(code.used_at)}
            for code in session.exec(
                select(RecoveryCode)
                .where(RecoveryCode.user_id == user_id)
                .order_by(col(RecoveryCode.id))
            )
        ],
        "mentions": [
            {
                "action_id": mention.action_id,
                "comment_id": mention.comment_id,
                "escalation_id": mention.escalation_id,
                "by_me": mention.author_id == user_id,
                "created_at": _when(mention.created_at),
                "seen_at": _when(mention.seen_at) if mention.user_id == user_id else None,
            }
            for mention in session.exec(
                select(Mention)
                .where(or_(col(Mention.user_id) == user_id, col(Mention.author_id) == user_id))
                .order_by(col(Mention.id))
            )
        ],
        "emails": [
            {
                "kind": sent.mail_key.partition(":")[0],
                "claimed_at": _when(sent.claimed_at),
                "sent_at": _when(sent.sent_at),
            }
            for sent in session.exec(
                select(SentMail).where(SentMail.user_id == user_id).order_by(col(SentMail.id))
            )
        ],
        "history": [
            _event(event, user_id)
            for event in session.exec(
                select(AuditEvent)
                .where(AuditEvent.actor_id == user_id)
                .order_by(col(AuditEvent.id))
            )
        ],
    }


def _actions(session: Session, user_id: int) -> list[Action]:
    return list(
        session.exec(
            select(Action)
            .where(or_(col(Action.owner_id) == user_id, col(Action.created_by_id) == user_id))
            .order_by(col(Action.id))
        )
    )


def _action(action: Action, user_id: int, team_names: dict[int | None, str]) -> dict[str, Any]:
    return {
        "id": action.id,
        "title": action.title,
        "description": action.description,
        "team_id": action.team_id,
        "team": team_names.get(action.team_id),
        "sprint_id": action.sprint_id,
        "status": action.status,
        "blocked_reason": action.blocked_reason,
        "due_date": _when(action.due_date),
        "carried_over": action.carried_over,
        "you_own_it": action.owner_id == user_id,
        "you_created_it": action.created_by_id == user_id,
        "created_at": _when(action.created_at),
        "updated_at": _when(action.updated_at),
        "done_at": _when(action.done_at),
    }


def _escalation(
    escalation: Escalation, user_id: int, team_names: dict[int | None, str]
) -> dict[str, Any]:
    return {
        "id": escalation.id,
        "action_id": escalation.action_id,
        "from_team": team_names.get(escalation.from_team_id),
        "to_team": team_names.get(escalation.to_team_id),
        "note": escalation.note,
        "status": escalation.status,
        "resolution": escalation.resolution,
        "you_raised_it": escalation.raised_by_id == user_id,
        "you_resolved_it": escalation.resolved_by_id == user_id,
        "created_at": _when(escalation.created_at),
        "resolved_at": _when(escalation.resolved_at),
    }


def _event(event: AuditEvent, user_id: int) -> dict[str, Any]:
    changes = dict(event.changes)
    if event.entity == "user" and event.entity_id != user_id:
        # e.g. an admin who created a colleague: what they did is theirs, the colleague's
        # name and address are not
        for field in OTHER_PEOPLES_FIELDS:
            if field in changes:
                changes[field] = "***"
    return {
        "id": event.id,
        "occurred_at": _when(event.occurred_at),
        "entity": event.entity,
        "entity_id": event.entity_id,
        "verb": event.verb,
        "team_id": event.team_id,
        "changes": changes,
    }
