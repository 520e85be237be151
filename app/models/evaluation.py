"""What a team learnt in a sprint, and what the team of teams saw in its stand-ups."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.common import NEVER_REUSE_IDS, UTCDateTime, utcnow


class Evaluation(SQLModel, table=True):
    """One per team per sprint, in the organisation's feedback order."""

    __table_args__ = (
        UniqueConstraint("team_id", "sprint_id"),
        Index("ix_evaluation_sprint_id", "sprint_id"),
        NEVER_REUSE_IDS,
    )
    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(
        sa_column=Column(Integer, ForeignKey("team.id", ondelete="CASCADE"), nullable=False)
    )
    sprint_id: int = Field(
        sa_column=Column(Integer, ForeignKey("sprint.id", ondelete="CASCADE"), nullable=False)
    )
    goes_well: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    vulnerable: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    notably_absent: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    # "in het licht": successes to celebrate, one per line
    highlights: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    version: int = 1
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_by_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("user.id", ondelete="SET NULL"), nullable=True),
    )


class StandupRecord(SQLModel, table=True):
    """One team-of-teams stand-up as it was held."""

    __tablename__ = "standup_record"
    __table_args__ = (Index("ix_standup_record_team_id", "team_id", "held_on"), NEVER_REUSE_IDS)
    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(
        sa_column=Column(Integer, ForeignKey("team.id", ondelete="CASCADE"), nullable=False)
    )
    held_on: date
    notes: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("user.id", ondelete="SET NULL"), nullable=True),
    )


class StandupAttendee(SQLModel, table=True):
    """Who attended, and from which office."""

    __tablename__ = "standup_attendee"
    __table_args__ = (Index("ix_standup_attendee_user_id", "user_id"),)
    standup_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("standup_record.id", ondelete="CASCADE"), primary_key=True
        )
    )
    user_id: int = Field(
        sa_column=Column(Integer, ForeignKey("user.id", ondelete="CASCADE"), primary_key=True)
    )
    location_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("location.id", ondelete="SET NULL"), nullable=True),
    )


class StandupTurn(SQLModel, table=True):
    """A child team's turn: its place in the walk and the seconds it took."""

    __tablename__ = "standup_turn"
    team_id: int = Field(
        sa_column=Column(Integer, ForeignKey("team.id", ondelete="CASCADE"), primary_key=True)
    )
    standup_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("standup_record.id", ondelete="CASCADE"), primary_key=True
        )
    )
    position: int = 0
    seconds: int = 0


class StandupDecision(SQLModel, table=True):
    """A decision taken in the stand-up: it became an action, or answered an escalation."""

    __tablename__ = "standup_decision"
    __table_args__ = (Index("ix_standup_decision_standup_id", "standup_id"), NEVER_REUSE_IDS)
    id: int | None = Field(default=None, primary_key=True)
    standup_id: int = Field(
        sa_column=Column(
            Integer, ForeignKey("standup_record.id", ondelete="CASCADE"), nullable=False
        )
    )
    text: str = Field(sa_column=Column(Text, nullable=False))
    action_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("action.id", ondelete="SET NULL"), nullable=True),
    )
    escalation_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("escalation.id", ondelete="SET NULL"), nullable=True),
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
