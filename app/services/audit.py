"""Writing the history: one audit event per change, in the change's own transaction."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any, Literal

from sqlmodel import Session, SQLModel

from app import notify
from app.events import ChangeEvent, queue_after_commit
from app.models import AuditEvent


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    return value


def snapshot(obj: SQLModel, *, exclude: tuple[str, ...] = ()) -> dict[str, Any]:
    return {key: _plain(value) for key, value in obj.model_dump().items() if key not in exclude}


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Old → new for every field that changed; a field that is gone (a deletion) goes to None."""
    keys = [*after, *(key for key in before if key not in after)]
    return {
        key: [before.get(key), after.get(key)]
        for key in keys
        if before.get(key) != after.get(key) and key not in ("updated_at", "version")
    }


def record(
    session: Session,
    *,
    actor_id: int | None,
    entity: str,
    entity_id: int,
    verb: str,
    changes: dict[str, Any],
    team_id: int | None = None,
    version: int | None = None,
    live: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add the audit event and queue its live event for after the commit (app.notify)."""
    event = AuditEvent(
        actor_id=actor_id,
        entity=entity,
        entity_id=entity_id,
        verb=verb,
        team_id=team_id,
        version=version,
        changes=_plain(changes),
    )
    session.add(event)
    session.flush()
    assert event.id is not None
    change = ChangeEvent(
        id=event.id,
        type=f"{entity}.{verb}",
        entity_id=entity_id,
        team_id=team_id,
        version=version,
        details=live or {},
    )
    # PostgreSQL: NOTIFY in this transaction (delivered on commit, to every process); when
    # this process listens, its broker hears the change that way, in commit order
    if not notify.send(session, change):
        queue_after_commit(session, change)
    return event


def store(
    session: Session,
    obj: Any,
    verb: Literal["created", "updated", "deleted"],
    *,
    actor_id: int | None,
    changes: dict[str, Any] | None = None,
    team_id: int | None = None,
    live: dict[str, Any] | None = None,
) -> AuditEvent:
    """Store one change of an object with its audit event, in the caller's transaction:
    "created" adds it, "updated" keeps it, "deleted" removes it. Without `changes` a creation
    records every field it got and a deletion everything it held."""
    if verb == "deleted":
        changes = diff(snapshot(obj), {}) if changes is None else changes
        session.delete(obj)
    else:
        session.add(obj)
        session.flush()
        changes = diff({}, snapshot(obj)) if changes is None else changes
    assert obj.id is not None
    return record(
        session,
        actor_id=actor_id,
        entity=obj.__tablename__,
        entity_id=obj.id,
        verb=verb,
        team_id=team_id,
        version=getattr(obj, "version", None),
        changes=changes,
        live=live,
    )
