"""The organisation: locations, staff, teams, memberships and API tokens."""

from __future__ import annotations

from datetime import datetime

from pydantic import EmailStr, field_validator
from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    UniqueConstraint,
    false,
    true,
)
from sqlmodel import Field, SQLModel

from app.models.common import NEVER_REUSE_IDS, Id, Role, UTCDateTime, WriteModel, enum_check, utcnow


# --- Location -----------------------------------------------------------------------------
class LocationBase(SQLModel):
    name: str = Field(min_length=1, max_length=100)


class Location(LocationBase, table=True):
    __table_args__ = (
        UniqueConstraint("name"),
        CheckConstraint("deadline_lead_days BETWEEN 0 AND 90", name="deadline_lead_days"),
        NEVER_REUSE_IDS,
    )
    id: int | None = Field(default=None, primary_key=True)
    # documents for a college or council meeting of this municipality are due this many days
    # before the meeting
    deadline_lead_days: int = Field(default=10, sa_column_kwargs={"server_default": "10"})
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class LocationCreate(LocationBase, WriteModel):
    pass


class LocationPublic(LocationBase):
    id: int


# --- User ---------------------------------------------------------------------------------
class UserBase(SQLModel):
    name: str = Field(min_length=1, max_length=100)


class User(UserBase, table=True):
    __table_args__ = (
        UniqueConstraint("email"),
        UniqueConstraint("oidc_subject"),
        CheckConstraint("locale IN ('nl', 'en')", name="locale"),
        CheckConstraint("digest_weekday BETWEEN 0 AND 6", name="digest_weekday"),
        NEVER_REUSE_IDS,
    )
    id: int | None = Field(default=None, primary_key=True)
    # Stored lower-cased so uniqueness is case-insensitive on every database.
    email: str = Field(max_length=254)
    location_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("location.id", ondelete="RESTRICT"), nullable=True),
    )
    is_admin: bool = False
    is_active: bool = True
    password_hash: str | None = Field(default=None, max_length=255)
    locale: str = Field(default="nl", max_length=5)
    # Whether the user chose locale on their profile; until they do, pages follow the
    # browser's Accept-Language (and locale is only the default).
    locale_chosen: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    # E-mail: the weekday of the digest (0 = Monday … 6 = Sunday; empty = no digest), and
    # whether a mention by a colleague is mailed
    digest_weekday: int | None = Field(default=0, sa_column_kwargs={"server_default": "0"})
    mention_mail: bool = Field(default=True, sa_column_kwargs={"server_default": true()})
    # Two-factor (TOTP): the shared secret once enrolment is confirmed; empty = no second factor
    totp_secret: str | None = Field(default=None, max_length=64)
    totp_enabled_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    # Single sign-on: the identity provider's subject ("sub") this user signed in with
    oidc_subject: str | None = Field(default=None, max_length=255)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class UserCreate(UserBase, WriteModel):
    email: EmailStr
    location_id: Id | None = None
    password: str | None = Field(default=None, max_length=200)
    is_admin: bool = False

    @field_validator("email")
    @classmethod
    def _lower(cls, value: str) -> str:
        return value.lower()


class UserUpdate(WriteModel):
    """What an admin changes about a staff member; fields left out stay as they are."""

    name: str | None = Field(default=None, min_length=1, max_length=100)
    email: EmailStr | None = None
    location_id: Id | None = None
    is_admin: bool | None = None

    @field_validator("email")
    @classmethod
    def _lower(cls, value: str | None) -> str | None:
        return value.lower() if value is not None else None


class UserPublic(UserBase):
    id: int
    email: str
    location_id: int | None
    is_admin: bool
    is_active: bool


class UserCreated(UserPublic):
    """Answer to creating a user; holds the generated password once, when none was given."""

    initial_password: str | None = None


class UserRef(SQLModel):
    id: int
    name: str
    email: str


# --- Team ---------------------------------------------------------------------------------
class TeamBase(SQLModel):
    name: str = Field(min_length=1, max_length=100)
    description: str = Field(default="", max_length=2000)


class Team(TeamBase, table=True):
    __table_args__ = (Index("ix_team_parent_id", "parent_id"), NEVER_REUSE_IDS)
    id: int | None = Field(default=None, primary_key=True)
    parent_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("team.id", ondelete="RESTRICT"), nullable=True),
    )
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class TeamCreate(TeamBase, WriteModel):
    parent_id: Id | None = None


class TeamUpdate(WriteModel):
    name: str | None = Field(default=None, min_length=1, max_length=100)
    description: str | None = Field(default=None, max_length=2000)
    parent_id: Id | None = None


class TeamPublic(TeamBase):
    id: int
    parent_id: int | None


# --- Membership ---------------------------------------------------------------------------
class Membership(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("team_id", "user_id"),
        Index("ix_membership_user_id", "user_id"),
        CheckConstraint(enum_check("role", Role), name="role"),
        NEVER_REUSE_IDS,
    )
    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(
        sa_column=Column(Integer, ForeignKey("team.id", ondelete="CASCADE"), nullable=False)
    )
    user_id: int = Field(
        sa_column=Column(Integer, ForeignKey("user.id", ondelete="RESTRICT"), nullable=False)
    )
    role: str = Field(default=Role.member, sa_type=String(20))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class MembershipWrite(WriteModel):
    role: Role = Role.member


class MembershipPublic(SQLModel):
    team_id: int
    user: UserRef
    role: Role


class MyTeam(SQLModel):
    team: TeamPublic
    role: Role
    via: int | None = None  # the child team this membership comes from, for a representative


class Me(UserPublic):
    teams: list[MyTeam]


# --- API token ----------------------------------------------------------------------------
class ApiToken(SQLModel, table=True):
    __tablename__ = "api_token"
    __table_args__ = (
        UniqueConstraint("token_hash"),
        Index("ix_api_token_user_id", "user_id"),
        NEVER_REUSE_IDS,
    )
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(
        sa_column=Column(Integer, ForeignKey("user.id", ondelete="RESTRICT"), nullable=False)
    )
    name: str = Field(max_length=100)
    token_hash: str = Field(max_length=64)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
