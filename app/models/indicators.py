"""Indicators of an ambition with their measurements, and the governing bodies' meetings."""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ConfigDict, field_validator
from pydantic import Field as PydanticField
from sqlalchemy import (
    CheckConstraint,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlmodel import Field, SQLModel

from app.models.common import (
    NEVER_REUSE_IDS,
    Id,
    IndicatorDirection,
    MeetingBody,
    UTCDateTime,
    WriteModel,
    enum_check,
    utcnow,
)
from app.translatable import N_


class Indicator(SQLModel, table=True):
    """At most five per ambition (a rule of the service)."""

    __table_args__ = (
        CheckConstraint(enum_check("direction", IndicatorDirection), name="direction"),
        Index("ix_indicator_ambition_id", "ambition_id", "position"),
        NEVER_REUSE_IDS,
    )
    id: int | None = Field(default=None, primary_key=True)
    ambition_id: int = Field(
        sa_column=Column(Integer, ForeignKey("ambition.id", ondelete="CASCADE"), nullable=False)
    )
    name: str = Field(max_length=100)
    unit: str = Field(default="", max_length=30)
    target: float = Field(sa_column=Column(Float, nullable=False))
    direction: str = Field(default=IndicatorDirection.up, sa_type=String(10))
    position: int = 0
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class Measurement(SQLModel, table=True):
    """One value of an indicator on a date; a second value for the same date replaces it."""

    __table_args__ = (UniqueConstraint("indicator_id", "measured_on"), NEVER_REUSE_IDS)
    id: int | None = Field(default=None, primary_key=True)
    indicator_id: int = Field(
        sa_column=Column(Integer, ForeignKey("indicator.id", ondelete="CASCADE"), nullable=False)
    )
    measured_on: dt.date
    value: float = Field(sa_column=Column(Float, nullable=False))
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    created_by_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("user.id", ondelete="SET NULL"), nullable=True),
    )


class Meeting(SQLModel, table=True):
    """A college or council meeting of one municipality (location)."""

    __table_args__ = (
        CheckConstraint(enum_check("body", MeetingBody), name="body"),
        Index("ix_meeting_location_id", "location_id", "held_on"),
        NEVER_REUSE_IDS,
    )
    id: int | None = Field(default=None, primary_key=True)
    location_id: int = Field(
        sa_column=Column(Integer, ForeignKey("location.id", ondelete="CASCADE"), nullable=False)
    )
    body: str = Field(default=MeetingBody.college, sa_type=String(20))
    held_on: dt.date
    title: str = Field(default="", max_length=200)
    created_at: dt.datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


# --- write and public models (the JSON API and the forms) ------------------------------------

FINITE = 1e12  # values beyond this are typing errors, not measurements


class IndicatorCreate(WriteModel):
    name: str = Field(min_length=1, max_length=100)
    unit: str = Field(default="", max_length=30)
    target: float = Field(ge=-FINITE, le=FINITE)
    direction: IndicatorDirection = IndicatorDirection.up


class IndicatorPublic(SQLModel):
    id: int
    ambition_id: int
    name: str
    unit: str
    target: float
    direction: IndicatorDirection
    position: int


class IndicatorStand(IndicatorPublic):
    """An indicator with its latest measurement and whether that meets the target."""

    latest_date: dt.date | None
    latest_value: float | None
    on_target: bool | None


class MeasurementCreate(WriteModel):
    """A value on a date; a second value for the same date replaces the first."""

    date: dt.date
    value: float = Field(ge=-FINITE, le=FINITE)
    note: str = Field(default="", max_length=1000)


class MeasurementPublic(SQLModel):
    id: int
    indicator_id: int
    date: dt.date
    value: float
    note: str


BODY_CHOICE = N_("Kies college of raad (college of council).")


class MeetingCreate(WriteModel):
    # required (see the schema below); checked here so the message is about college or raad
    body: MeetingBody = PydanticField(default=None, validate_default=True)  # type: ignore[assignment]
    date: dt.date
    title: str = Field(default="", max_length=200)

    model_config = ConfigDict(json_schema_extra={"required": ["body", "date"]})

    @field_validator("body", mode="before")
    @classmethod
    def _known_body(cls, value: Any) -> Any:
        if value not in {body.value for body in MeetingBody}:
            raise ValueError(BODY_CHOICE)
        return value


class MeetingPublic(SQLModel):
    id: int
    location_id: int
    body: MeetingBody
    date: dt.date
    title: str
    document_deadline: dt.date
    """The day documents are due: the meeting's date minus its location's lead time."""


class LeadTimeUpdate(WriteModel):
    deadline_lead_days: int = Field(ge=0, le=90)


class GoalUpdate(WriteModel):
    """Mark a short-term goal achieved (or not), or tie it to a meeting (null unties it)."""

    is_done: bool | None = None
    meeting_id: Id | None = None
