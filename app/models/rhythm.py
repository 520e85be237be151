"""The organisation's rhythm: sprint length and start weekday, and each team's sprint close."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, Integer
from sqlmodel import Field, SQLModel

from app.models.common import NEVER_REUSE_IDS, Id, UTCDateTime, WriteModel, utcnow
from app.models.work import SprintPublic


class Organisation(SQLModel, table=True):
    """One row (id 1): settings the whole organisation shares."""

    __table_args__ = (
        CheckConstraint("id = 1", name="single_row"),
        CheckConstraint("sprint_days BETWEEN 7 AND 56", name="sprint_days"),
        CheckConstraint("sprint_weekday BETWEEN 0 AND 6", name="sprint_weekday"),
        NEVER_REUSE_IDS,
    )
    id: int | None = Field(default=None, primary_key=True)
    sprint_days: int = 14
    # 0 is Monday, as date.weekday() counts
    sprint_weekday: int = 0
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class SprintReview(SQLModel, table=True):
    """A team closed its part of a sprint: it chose per open action to carry it over or drop
    it. The sprint itself closes for everyone when it ends (or when an admin closes it)."""

    __tablename__ = "sprint_review"
    team_id: int = Field(
        sa_column=Column(Integer, ForeignKey("team.id", ondelete="CASCADE"), primary_key=True)
    )
    sprint_id: int = Field(
        sa_column=Column(Integer, ForeignKey("sprint.id", ondelete="CASCADE"), primary_key=True)
    )
    closed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    closed_by_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("user.id", ondelete="SET NULL"), nullable=True),
    )


# --- Read and write models (no tables) -----------------------------------------------------
class OrganisationPublic(SQLModel):
    """The rhythm every team shares: how many days a sprint lasts and the weekday it starts
    on (0 is Monday … 6 is Sunday)."""

    sprint_days: int
    sprint_weekday: int


class OrganisationUpdate(WriteModel):
    # the bounds are checked in services.rhythm, with a Dutch message per field
    sprint_days: int = Field(ge=-(2**31), le=2**31 - 1)
    sprint_weekday: int = Field(ge=-(2**31), le=2**31 - 1)


class DropChoice(WriteModel):
    """One open action the team lets go of, with its reason."""

    action_id: Id
    reason: str = Field(default="", max_length=1000)


class TeamSprintClose(WriteModel):
    """A team closes its part of a sprint: every open action not listed in `drop` is carried
    over to the next sprint."""

    drop: list[DropChoice] = Field(default_factory=list, max_length=1000)


class TeamSprintClosed(SQLModel):
    carried_over: int
    dropped: int
    next_sprint: SprintPublic
