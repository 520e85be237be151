"""Calendar feeds (agenda-links): making, renewing and finding the secret link.

The secret is 256 random bits (at least 128 asked, DESIGN.md); only its hash is stored. Making
a new link revokes the old one of the same kind, so its URL answers 404 from then on. A link
works while its person is active and, for a team's feed, while they are a member of the team.
"""

from __future__ import annotations

import secrets

from sqlmodel import Session, col, select

from app.domain.permissions import Access
from app.models import CalendarFeed, Team, User, utcnow
from app.services import audit
from app.services.access import access_for, get_or_404
from app.services.auth import hash_token
from app.services.errors import Forbidden
from app.translatable import N_

SECRET_BYTES = 32  # 256 bits
SECRET_MAX_LENGTH = 100  # longer is never one of ours; not even hashed


def _revoke_old(session: Session, *, user_id: int, team_id: int | None, actor_id: int) -> None:
    team = col(CalendarFeed.team_id)
    old_feeds = session.exec(
        select(CalendarFeed).where(
            CalendarFeed.user_id == user_id,
            team.is_(None) if team_id is None else team == team_id,
            col(CalendarFeed.revoked_at).is_(None),
        )
    ).all()
    for old in old_feeds:
        old.revoked_at = utcnow()
        audit.store(
            session,
            old,
            "updated",
            actor_id=actor_id,
            changes={"revoked_at": [None, old.revoked_at]},
        )


def _new_feed(session: Session, *, user_id: int, team_id: int | None) -> str:
    _revoke_old(session, user_id=user_id, team_id=team_id, actor_id=user_id)
    raw = secrets.token_urlsafe(SECRET_BYTES)
    feed = CalendarFeed(user_id=user_id, team_id=team_id, token_hash=hash_token(raw))
    audit.store(
        session,
        feed,
        "created",
        actor_id=user_id,
        # never the hash: the audit trail is readable by more people than the link is; and
        # no team_id, so a new link is no news on the team's board (its live stream)
        changes={"user_id": [None, user_id], "team_id": [None, team_id]},
    )
    session.commit()
    return raw


def new_personal_feed(*, session: Session, user: User) -> str:
    """A new secret for the user's own calendar feed; an earlier one stops working."""
    assert user.id is not None
    return _new_feed(session, user_id=user.id, team_id=None)


def can_make_team_feed(access: Access, team_id: int) -> bool:
    """Only the team's members (its representatives and deputies too, for a team of teams)."""
    return access.is_member_of(team_id)


def new_team_feed(*, session: Session, access: Access, team_id: int) -> str:
    """A new secret for the viewer's link to the team's calendar feed; their earlier one stops
    working (other members' links stay as they are)."""
    get_or_404(session, Team, team_id, "Team")
    if not can_make_team_feed(access, team_id):
        raise Forbidden(N_("Alleen leden van het team maken een agenda-link voor dit team."))
    return _new_feed(session, user_id=access.user_id, team_id=team_id)


def feed_for_secret(session: Session, raw: str) -> tuple[CalendarFeed, User] | None:
    """The working feed the secret opens, with its person; None for an unknown, revoked or
    renewed secret, an inactive person, or a team they are no longer in."""
    if not raw or len(raw) > SECRET_MAX_LENGTH:
        return None
    feed = session.exec(
        select(CalendarFeed).where(
            CalendarFeed.token_hash == hash_token(raw),
            col(CalendarFeed.revoked_at).is_(None),
        )
    ).first()
    if feed is None:
        return None
    user = session.get(User, feed.user_id)
    if user is None or not user.is_active:
        return None
    if feed.team_id is not None and not can_make_team_feed(access_for(session, user), feed.team_id):
        return None
    return feed, user
