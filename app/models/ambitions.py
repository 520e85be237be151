"""Ambitions and their short-term goals."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, String
from sqlmodel import Field, SQLModel

from app.models.common import (
    NEVER_REUSE_IDS,
    AmbitionStatus,
    Id,
    UTCDateTime,
    WriteModel,
    enum_check,
    utcnow,
)
from app.models.indicators import IndicatorStand


class AmbitionBase(SQLModel):
    title: str = Field(min_length=1, max_length=200)
    intent: str = Field(default="", max_length=5000)
    horizon: date | None = None


class Ambition(AmbitionBase, table=True):
    __table_args__ = (
        CheckConstraint(enum_check("status", AmbitionStatus), name="status"),
        NEVER_REUSE_IDS,
    )
    id: int | None = Field(default=None, primary_key=True)
    status: str = Field(default=AmbitionStatus.active, sa_type=String(20))
    # The team whose leads edit this ambition (with the admins).
    owner_team_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("team.id", ondelete="SET NULL"), nullable=True),
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class AmbitionTeam(SQLModel, table=True):
    __tablename__ = "ambition_team"
    __table_args__ = (Index("ix_ambition_team_team_id", "team_id"),)
    ambition_id: int = Field(
        sa_column=Column(Integer, ForeignKey("ambition.id", ondelete="CASCADE"), primary_key=True)
    )
    team_id: int = Field(
        sa_column=Column(Integer, ForeignKey("team.id", ondelete="CASCADE"), primary_key=True)
    )


class AmbitionCreate(AmbitionBase, WriteModel):
    team_ids: list[Id] = Field(default_factory=list, max_length=100)
    owner_team_id: Id | None = None


class AmbitionUpdate(WriteModel):
    title: str | None = Field(default=None, min_length=1, max_length=200)
    intent: str | None = Field(default=None, max_length=5000)
    horizon: date | None = None
    status: AmbitionStatus | None = None
    team_ids: list[Id] | None = Field(default=None, max_length=100)
    owner_team_id: Id | None = None


class GoalBase(SQLModel):
    title: str = Field(min_length=1, max_length=200)
    due: date | None = None


class Goal(GoalBase, table=True):
    __table_args__ = (Index("ix_goal_ambition_id", "ambition_id"), NEVER_REUSE_IDS)
    id: int | None = Field(default=None, primary_key=True)
    ambition_id: int = Field(
        sa_column=Column(Integer, ForeignKey("ambition.id", ondelete="CASCADE"), nullable=False)
    )
    team_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("team.id", ondelete="SET NULL"), nullable=True),
    )
    is_done: bool = False
    meeting_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("meeting.id", ondelete="SET NULL"), nullable=True),
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class GoalCreate(GoalBase, WriteModel):
    team_id: Id | None = None
    # a college or council meeting: the goal's due date becomes its document deadline
    meeting_id: Id | None = None


class GoalPublic(GoalBase):
    id: int
    ambition_id: int
    team_id: int | None
    is_done: bool
    meeting_id: int | None = None


class AmbitionPublic(AmbitionBase):
    id: int
    status: AmbitionStatus
    owner_team_id: int | None
    team_ids: list[int]
    goals: list[GoalPublic]


class SprintProgress(SQLModel):
    sprint_id: int
    start_date: date
    end_date: date
    planned: int
    done: int
    carried_over: int
    blocked: int
    # let go of when a team closed the sprint (ActionStatus.dropped): neither open nor carried
    dropped: int = 0


class AmbitionProgress(SQLModel):
    ambition_id: int
    sprints: list[SprintProgress]
    open_escalations: int
    indicators: list[IndicatorStand]
