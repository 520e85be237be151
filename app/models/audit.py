"""The history: one event for every change, written in the same transaction."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, ForeignKey, Index, Integer
from sqlmodel import Field, SQLModel

from app.models.common import NEVER_REUSE_IDS, UTCDateTime, utcnow


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_entity", "entity", "entity_id", "id"),
        Index("ix_audit_event_team_id", "team_id", "id"),
        NEVER_REUSE_IDS,
    )
    id: int | None = Field(default=None, primary_key=True)
    occurred_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    actor_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("user.id", ondelete="RESTRICT"), nullable=True),
    )
    entity: str = Field(max_length=30)
    entity_id: int
    verb: str = Field(max_length=20)
    team_id: int | None = None
    version: int | None = None
    changes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class AuditEventPublic(SQLModel):
    id: int
    occurred_at: datetime
    actor_id: int | None
    entity: str
    entity_id: int
    verb: str
    team_id: int | None
    version: int | None
    changes: dict[str, Any]
