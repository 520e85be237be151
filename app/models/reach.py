"""What brings Verbeterbord to where people are: the e-mails sent (so none goes twice), the
mentions of a colleague in a comment or knelpunt, and the recovery codes of a second factor."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.common import NEVER_REUSE_IDS, UTCDateTime, utcnow


class SentMail(SQLModel, table=True):
    """One e-mail to one person, claimed before it is sent: the unique key (for example
    "digest:2026-12-07" or "escalation-answered:12") makes a second process, or a second run of
    `send-mail`, skip what another already claimed. sent_at stays empty when sending failed."""

    __tablename__ = "sent_mail"
    __table_args__ = (
        UniqueConstraint("user_id", "mail_key"),
        Index("ix_sent_mail_claimed_at", "claimed_at"),
        NEVER_REUSE_IDS,
    )
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(
        sa_column=Column(Integer, ForeignKey("user.id", ondelete="CASCADE"), nullable=False)
    )
    mail_key: str = Field(max_length=100)
    claimed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    sent_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    error: str | None = Field(default=None, max_length=500)


class Mention(SQLModel, table=True):
    """`@naam` in a comment or a knelpunt: the person named sees it under "Voor mij" until they
    open it, and gets an e-mail unless they switched those off."""

    __table_args__ = (
        CheckConstraint(
            "(comment_id IS NOT NULL) OR (escalation_id IS NOT NULL)", name="comment_or_escalation"
        ),
        Index("ix_mention_user_id", "user_id", "seen_at"),
        Index("ix_mention_mailed_at", "mailed_at"),
        NEVER_REUSE_IDS,
    )
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(
        sa_column=Column(Integer, ForeignKey("user.id", ondelete="CASCADE"), nullable=False)
    )
    author_id: int = Field(
        sa_column=Column(Integer, ForeignKey("user.id", ondelete="RESTRICT"), nullable=False)
    )
    action_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("action.id", ondelete="CASCADE"), nullable=True),
    )
    comment_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("comment.id", ondelete="CASCADE"), nullable=True),
    )
    escalation_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("escalation.id", ondelete="CASCADE"), nullable=True),
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    seen_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    mailed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class RecoveryCode(SQLModel, table=True):
    """A one-time code for when the authenticator app is lost; only its hash is kept."""

    __tablename__ = "recovery_code"
    __table_args__ = (Index("ix_recovery_code_user_id", "user_id"), NEVER_REUSE_IDS)
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(
        sa_column=Column(Integer, ForeignKey("user.id", ondelete="CASCADE"), nullable=False)
    )
    code_hash: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
