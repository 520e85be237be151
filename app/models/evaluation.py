"""What a team learnt in a sprint, and what the team of teams saw in its stand-ups."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, ForeignKey, Index, Integer, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from app.models.common import NEVER_REUSE_IDS, Id, UTCDateTime, WriteModel, utcnow


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


# --- What the API and the pages send and get ---------------------------------------------------
# The texts are long-form (a team writes them in its retrospective); the longest a field may be
# is checked in the service, with a Dutch message naming the field.
EVALUATION_TEXT_MAX = 4000
STANDUP_TEXT_MAX = 2000
STANDUP_SECONDS_MAX = 3 * 60 * 60


class EvaluationWrite(WriteModel):
    """The whole evaluation at once (PUT): the four parts in the organisation's feedback order.
    `version` is optional: when sent, it must be the version read (0 for one not yet written),
    or the answer is 409 with the evaluation as it is now."""

    goes_well: str = Field(default="", description="Wat gaat goed", max_length=100_000)
    vulnerable: str = Field(default="", description="Wat is kwetsbaar", max_length=100_000)
    notably_absent: str = Field(
        default="", description="Wat is opvallend afwezig", max_length=100_000
    )
    highlights: str = Field(
        default="",
        description="In het licht: successen om te vieren, één per regel",
        max_length=100_000,
    )
    version: int | None = Field(default=None, ge=0, le=2**31 - 1)


class EvaluationPublic(SQLModel):
    """A team's evaluation of one sprint; one not yet written has empty texts and version 0."""

    id: int | None
    team_id: int
    sprint_id: int
    goes_well: str
    vulnerable: str
    notably_absent: str
    highlights: str
    wins: list[str]
    """The lines of `highlights`, one success each."""
    version: int
    updated_at: datetime | None
    updated_by_id: int | None


class StandupTurnWrite(WriteModel):
    """A team's turn, in the order walked (the list's order)."""

    team_id: Id
    seconds: int = Field(default=0, ge=0, le=STANDUP_SECONDS_MAX)


class StandupDecisionWrite(WriteModel):
    """A decision: with `owner_id` it becomes an action on the team of teams' board with that
    owner; with `escalation_id` it is the answer to that open escalation; with neither it is
    only written down."""

    text: str = Field(min_length=1, max_length=100_000)
    owner_id: Id | None = None
    escalation_id: Id | None = None
    due_date: date | None = None


class StandupCreate(WriteModel):
    """One stand-up as it was held (default: today)."""

    held_on: date | None = None
    attendee_ids: list[Id] = Field(default_factory=list, max_length=500)
    turns: list[StandupTurnWrite] = Field(default_factory=list, max_length=500)
    decisions: list[StandupDecisionWrite] = Field(default_factory=list, max_length=100)
    notes: str = Field(default="", max_length=100_000)
    confirm_personal_data: bool = False
    """The decisions' texts are work, not a citizen's file: text that looks like personal data
    (see the actions) is refused unless this confirms it."""


class StandupAttendeePublic(SQLModel):
    user_id: int
    name: str
    location_id: int | None
    location: str | None


class StandupTurnPublic(SQLModel):
    team_id: int
    team: str
    position: int
    seconds: int


class StandupDecisionPublic(SQLModel):
    id: int
    text: str
    action_id: int | None
    escalation_id: int | None


class StandupPublic(SQLModel):
    id: int
    team_id: int
    held_on: date
    notes: str
    created_at: datetime
    created_by_id: int | None
    attendees: list[StandupAttendeePublic]
    turns: list[StandupTurnPublic]
    decisions: list[StandupDecisionPublic]
