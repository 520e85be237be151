"""Browser sessions and login attempts, kept server-side so they can be ended and counted."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.common import NEVER_REUSE_IDS, UTCDateTime, utcnow


class UserSession(SQLModel, table=True):
    __tablename__ = "user_session"
    __table_args__ = (
        UniqueConstraint("token_hash"),
        Index("ix_user_session_user_id", "user_id"),
        NEVER_REUSE_IDS,
    )
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(
        sa_column=Column(Integer, ForeignKey("user.id", ondelete="CASCADE"), nullable=False)
    )
    # The cookie holds a random value; only its hash is stored, like API tokens.
    token_hash: str = Field(max_length=64)
    csrf_token: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_seen_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class LoginAttempt(SQLModel, table=True):
    """A failed login, counted per e-mail address and client for throttling."""

    __tablename__ = "login_attempt"
    __table_args__ = (
        Index("ix_login_attempt_email_client", "email", "client", "attempted_at"),
        NEVER_REUSE_IDS,
    )
    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254)
    client: str = Field(max_length=64)
    attempted_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
