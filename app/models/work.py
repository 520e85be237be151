"""The two-week work: sprints, actions, comments and escalations."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, Index, Integer, String, Text
from sqlmodel import Field, SQLModel

from app.models.common import (
    NEVER_REUSE_IDS,
    ActionStatus,
    EscalationStatus,
    EscalationStep,
    EscalationType,
    Id,
    UTCDateTime,
    WriteModel,
    enum_check,
    utcnow,
)


# --- Sprint -------------------------------------------------------------------------------
class Sprint(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint("end_date >= start_date", name="dates_in_order"),
        Index("ix_sprint_start_date", "start_date", unique=True),
        NEVER_REUSE_IDS,
    )
    id: int | None = Field(default=None, primary_key=True)
    start_date: date
    end_date: date
    closed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class SprintCreate(WriteModel):
    start_date: date
    end_date: date | None = None


class SprintPublic(SQLModel):
    id: int
    start_date: date
    end_date: date
    closed_at: datetime | None


class SprintClosed(SQLModel):
    next_sprint: SprintPublic
    carried_over: int


# --- Action -------------------------------------------------------------------------------
class Action(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint(enum_check("status", ActionStatus), name="status"),
        CheckConstraint("carried_over >= 0", name="carried_over_not_negative"),
        Index("ix_action_board", "team_id", "sprint_id", "status", "position"),
        Index("ix_action_owner", "owner_id", "status", "due_date"),
        Index("ix_action_ambition", "ambition_id", "sprint_id"),
        Index("ix_action_sprint_id", "sprint_id"),
        NEVER_REUSE_IDS,
    )
    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=200)
    description: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    team_id: int = Field(
        sa_column=Column(Integer, ForeignKey("team.id", ondelete="RESTRICT"), nullable=False)
    )
    owner_id: int = Field(
        sa_column=Column(Integer, ForeignKey("user.id", ondelete="RESTRICT"), nullable=False)
    )
    sprint_id: int = Field(
        sa_column=Column(Integer, ForeignKey("sprint.id", ondelete="RESTRICT"), nullable=False)
    )
    ambition_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("ambition.id", ondelete="SET NULL"), nullable=True),
    )
    goal_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("goal.id", ondelete="SET NULL"), nullable=True),
    )
    status: str = Field(default=ActionStatus.todo, sa_type=String(20))
    blocked_reason: str | None = Field(default=None, max_length=1000)
    due_date: date | None = None
    position: int = 0
    carried_over: int = 0
    version: int = 1
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    done_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_by_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("user.id", ondelete="RESTRICT"), nullable=True),
    )
    # why the team dropped it at the end of a sprint (status `dropped`)
    drop_reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    # the college or council meeting it is for; its document deadline sets due_date
    meeting_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("meeting.id", ondelete="SET NULL"), nullable=True),
    )


class ActionCreate(WriteModel):
    title: str = Field(min_length=1, max_length=200)
    team_id: Id
    owner_id: Id | None = None
    sprint_id: Id | None = None
    ambition_id: Id | None = None
    goal_id: Id | None = None
    status: ActionStatus = ActionStatus.todo
    blocked_reason: str | None = Field(default=None, max_length=1000)
    due_date: date | None = None
    description: str = Field(default="", max_length=5000)
    # the writer says the text holds no citizen's personal data (the privacy guard asks once)
    confirm_personal_data: bool = False
    # a college or council meeting: due_date becomes its document deadline
    meeting_id: Id | None = None


class ActionUpdate(WriteModel):
    """Any editable field, and the version the change was made on (required)."""

    version: int = Field(ge=1, le=2**31 - 1)
    title: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=5000)
    team_id: Id | None = None
    owner_id: Id | None = None
    sprint_id: Id | None = None
    ambition_id: Id | None = None
    goal_id: Id | None = None
    status: ActionStatus | None = None
    blocked_reason: str | None = Field(default=None, max_length=1000)
    due_date: date | None = None
    position: int | None = Field(default=None, ge=0, le=100_000)
    # the writer says the text holds no citizen's personal data (the privacy guard asks once)
    confirm_personal_data: bool = False
    # a college or council meeting (null unties): due_date becomes its document deadline
    meeting_id: Id | None = None


class ActionPublic(SQLModel):
    id: int
    title: str
    description: str
    team_id: int
    owner_id: int
    sprint_id: int
    ambition_id: int | None
    goal_id: int | None
    status: ActionStatus
    blocked_reason: str | None
    due_date: date | None
    position: int
    carried_over: int
    version: int
    created_at: datetime
    updated_at: datetime
    done_at: datetime | None
    created_by_id: int | None
    meeting_id: int | None = None


# --- Escalation step ----------------------------------------------------------------------
class EscalationStepRecord(SQLModel, table=True):
    """The timeline of an escalation: raised, forwarded up, answered, acknowledged."""

    __tablename__ = "escalation_step"
    __table_args__ = (
        CheckConstraint(enum_check("kind", EscalationStep), name="kind"),
        Index("ix_escalation_step_escalation_id", "escalation_id", "id"),
        # the knelpunten passed through a team of teams, for its board (migration 0010)
        Index("ix_escalation_step_team_id", "team_id", "escalation_id"),
        NEVER_REUSE_IDS,
    )
    id: int | None = Field(default=None, primary_key=True)
    escalation_id: int = Field(
        sa_column=Column(Integer, ForeignKey("escalation.id", ondelete="CASCADE"), nullable=False)
    )
    kind: str = Field(sa_type=String(20))
    # the team of teams it lies with after this step
    team_id: int = Field(
        sa_column=Column(Integer, ForeignKey("team.id", ondelete="CASCADE"), nullable=False)
    )
    actor_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("user.id", ondelete="SET NULL"), nullable=True),
    )
    note: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


# --- Comment ------------------------------------------------------------------------------
class Comment(SQLModel, table=True):
    __table_args__ = (Index("ix_comment_action_id", "action_id", "created_at"), NEVER_REUSE_IDS)
    id: int | None = Field(default=None, primary_key=True)
    action_id: int = Field(
        sa_column=Column(Integer, ForeignKey("action.id", ondelete="CASCADE"), nullable=False)
    )
    author_id: int = Field(
        sa_column=Column(Integer, ForeignKey("user.id", ondelete="RESTRICT"), nullable=False)
    )
    body: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class CommentCreate(WriteModel):
    body: str = Field(min_length=1, max_length=5000)
    # the writer says the text holds no citizen's personal data (the privacy guard asks once)
    confirm_personal_data: bool = False


class CommentPublic(SQLModel):
    id: int
    action_id: int
    author_id: int
    body: str
    created_at: datetime


# --- Escalation ---------------------------------------------------------------------------
class Escalation(SQLModel, table=True):
    __table_args__ = (
        CheckConstraint(enum_check("status", EscalationStatus), name="status"),
        CheckConstraint(enum_check("type", EscalationType), name="type"),
        Index("ix_escalation_to_team", "to_team_id", "status"),
        Index("ix_escalation_from_team", "from_team_id", "status"),
        Index("ix_escalation_action_id", "action_id"),
        # the open ones (few among all ever raised), with their action (migration 0010)
        Index("ix_escalation_status", "status", "action_id"),
        NEVER_REUSE_IDS,
    )
    id: int | None = Field(default=None, primary_key=True)
    action_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("action.id", ondelete="SET NULL"), nullable=True),
    )
    from_team_id: int = Field(
        sa_column=Column(Integer, ForeignKey("team.id", ondelete="RESTRICT"), nullable=False)
    )
    to_team_id: int = Field(
        sa_column=Column(Integer, ForeignKey("team.id", ondelete="RESTRICT"), nullable=False)
    )
    note: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(default=EscalationStatus.open, sa_type=String(20))
    type: str = Field(
        default=EscalationType.help,
        sa_type=String(20),
        sa_column_kwargs={"server_default": EscalationType.help.value},
    )
    # who at the receiving team of teams answers it, and when the raising team needs the answer
    owner_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("user.id", ondelete="SET NULL"), nullable=True),
    )
    needed_by: date | None = None
    resolution: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    raised_by_id: int = Field(
        sa_column=Column(Integer, ForeignKey("user.id", ondelete="RESTRICT"), nullable=False)
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    resolved_by_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("user.id", ondelete="RESTRICT"), nullable=True),
    )
    resolved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # the raising team has read the answer; until then it shows on its board and card
    acknowledged_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    acknowledged_by_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("user.id", ondelete="RESTRICT"), nullable=True),
    )


class EscalationCreate(WriteModel):
    note: str = Field(min_length=1, max_length=5000)
    type: EscalationType = EscalationType.help
    # the day the raising team needs an answer by (not in the past)
    needed_by: date | None = None
    # a note that looks like a citizen's personal data is refused unless this says it is fine
    confirm_personal_data: bool = False


class EscalationForward(WriteModel):
    """Pass it one level further up, with why."""

    note: str = Field(min_length=1, max_length=5000)
    confirm_personal_data: bool = False


class EscalationResolve(WriteModel):
    """The answer of the team of teams it lies with."""

    resolution: str = Field(min_length=1, max_length=5000)
    confirm_personal_data: bool = False


class EscalationOwnerSet(WriteModel):
    """Who at the team of teams it lies with answers it; null: nobody chosen yet."""

    owner_id: Id | None = None


class EscalationPublic(SQLModel):
    id: int
    action_id: int | None
    from_team_id: int
    to_team_id: int
    note: str
    type: EscalationType
    status: EscalationStatus
    owner_id: int | None
    needed_by: date | None
    resolution: str | None
    raised_by_id: int
    created_at: datetime
    resolved_by_id: int | None
    resolved_at: datetime | None
    acknowledged_at: datetime | None
    acknowledged_by_id: int | None


class EscalationStepPublic(SQLModel):
    id: int
    kind: EscalationStep
    team_id: int
    actor_id: int | None
    note: str
    created_at: datetime


class EscalationWithSteps(EscalationPublic):
    """An escalation with its timeline, oldest step first."""

    steps: list[EscalationStepPublic]
