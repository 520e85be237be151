"""Answer shapes of the API that are not one table's Public model."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel

from app.models import ActionPublic, ActionStatus, EscalationPublic, SprintPublic, TeamPublic

T = TypeVar("T")


class ItemList(BaseModel, Generic[T]):
    items: list[T]
    total: int


class Column(BaseModel):
    status: ActionStatus
    actions: list[ActionPublic]


class ChildLanePublic(BaseModel):
    team: TeamPublic
    counts: dict[str, int]
    open_escalations: int


class BoardPublic(BaseModel):
    team: TeamPublic
    sprint: SprintPublic
    columns: list[Column]
    escalations: list[EscalationPublic]
    children: list[ChildLanePublic]
