"""Calendar feeds (agenda-links): a secret URL that serves someone's open actions, or their
team's, as iCalendar for Outlook. Only a hash of the secret is kept, like API tokens."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.common import NEVER_REUSE_IDS, UTCDateTime, utcnow


class CalendarFeed(SQLModel, table=True):
    """One person's link: to their own actions (team_id empty) or to one team's actions. Each
    person has their own link to a team's feed, so renewing it breaks nobody else's."""

    __tablename__ = "calendar_feed"
    __table_args__ = (
        UniqueConstraint("token_hash"),
        Index("ix_calendar_feed_user_id", "user_id", "team_id"),
        NEVER_REUSE_IDS,
    )
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(
        sa_column=Column(Integer, ForeignKey("user.id", ondelete="CASCADE"), nullable=False)
    )
    team_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("team.id", ondelete="CASCADE"), nullable=True),
    )
    token_hash: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
