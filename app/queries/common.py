"""Paging and lookups by id that every read model uses."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from sqlalchemy import Select, func
from sqlmodel import Session, col, select

from app.models import (
    Team,
    User,
)

T = TypeVar("T")


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int


def paged(session: Session, statement: Select[Any], *, limit: int, offset: int) -> Page[Any]:
    total = session.exec(select(func.count()).select_from(statement.subquery())).one()  # type: ignore[call-overload]
    # scalars(): the entities themselves, whether the statement is SQLModel's select or Core's
    items = list(session.scalars(statement.limit(limit).offset(offset)))
    return Page(items=items, total=total)


def user_names(session: Session, ids: Collection[int | None]) -> dict[int, str]:
    """Names of these users, in one query."""
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    rows = session.exec(select(User.id, User.name).where(col(User.id).in_(wanted)))
    return {user_id: name for user_id, name in rows if user_id is not None}


def teams_named(session: Session, ids: Collection[int | None]) -> dict[int, Team]:
    """These teams by id, in one query."""
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    return {
        team.id: team
        for team in session.exec(select(Team).where(col(Team.id).in_(wanted)))
        if team.id is not None
    }
