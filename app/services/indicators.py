"""Indicators of an ambition (at most five) and their measurements, changed by the ambition's
editors: an admin or a lead of the owning team."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlmodel import Session

from app.domain.indicators import EMPTY_FILE, ROWS_INVALID, TOO_MANY, CsvRow, too_many
from app.domain.permissions import Access
from app.models import (
    Ambition,
    Indicator,
    IndicatorCreate,
    Measurement,
    MeasurementCreate,
)
from app.queries.indicators import indicator_count, indicators_of, measurement_on
from app.services import audit
from app.services.access import get_or_404
from app.services.ambitions import editable
from app.services.errors import Invalid


def add_indicator(
    *, session: Session, actor: Access, ambition_id: int, data: IndicatorCreate
) -> Indicator:
    """Add an indicator at the end; a sixth is refused."""
    editable(session=session, actor=actor, ambition_id=ambition_id)
    count = indicator_count(session, ambition_id=ambition_id)
    if too_many(count):
        raise Invalid({"name": TOO_MANY})
    indicator = Indicator(
        ambition_id=ambition_id,
        name=data.name,
        unit=data.unit,
        target=data.target,
        direction=data.direction,
        position=count,
    )
    audit.store(
        session,
        indicator,
        "created",
        actor_id=actor.user_id,
        changes=audit.diff({}, audit.snapshot(indicator, exclude=("created_at",))),
        live={"ambition_ids": [ambition_id]},
    )
    session.commit()
    return indicator


def editable_indicator(*, session: Session, actor: Access, indicator_id: int) -> Indicator:
    """The indicator, when the actor may change its ambition; NotFound or Forbidden otherwise."""
    indicator = get_or_404(session, Indicator, indicator_id, "Indicator")
    editable(session=session, actor=actor, ambition_id=indicator.ambition_id)
    return indicator


def remove_indicator(*, session: Session, actor: Access, indicator_id: int) -> Ambition:
    """Remove an indicator with its measurements; the others keep their order."""
    indicator = editable_indicator(session=session, actor=actor, indicator_id=indicator_id)
    ambition = get_or_404(session, Ambition, indicator.ambition_id, "Ambitie")
    audit.store(
        session,
        indicator,
        "deleted",
        actor_id=actor.user_id,
        live={"ambition_ids": [indicator.ambition_id]},
    )
    session.flush()
    for position, other in enumerate(indicators_of(session, ambition_id=ambition.id or 0)):
        if other.position != position:
            other.position = position
            session.add(other)
    session.commit()
    return ambition


def _store(
    session: Session,
    actor: Access,
    indicator_id: int,
    *,
    measured_on: date,
    value: float,
    note: str,
) -> Measurement:
    """One value on a date; a value already there for that date is replaced."""
    indicator = session.get(Indicator, indicator_id)
    live = {
        "ambition_ids": [indicator.ambition_id] if indicator is not None else [],
        "indicator_ids": [indicator_id],
    }
    existing = measurement_on(session, indicator_id=indicator_id, measured_on=measured_on)
    if existing is None:
        measurement = Measurement(
            indicator_id=indicator_id,
            measured_on=measured_on,
            value=value,
            note=note,
            created_by_id=actor.user_id,
        )
        audit.store(
            session,
            measurement,
            "created",
            actor_id=actor.user_id,
            changes=audit.diff({}, audit.snapshot(measurement, exclude=("created_at",))),
            live=live,
        )
        return measurement
    before = audit.snapshot(existing)
    existing.value, existing.note, existing.created_by_id = value, note, actor.user_id
    audit.store(
        session,
        existing,
        "updated",
        actor_id=actor.user_id,
        changes=audit.diff(before, audit.snapshot(existing)),
        live=live,
    )
    return existing


def add_measurement(
    *, session: Session, actor: Access, indicator_id: int, data: MeasurementCreate
) -> Measurement:
    """Enter a value; a second value for the same date replaces the first."""
    editable_indicator(session=session, actor=actor, indicator_id=indicator_id)
    measurement = _store(
        session, actor, indicator_id, measured_on=data.date, value=data.value, note=data.note
    )
    session.commit()
    return measurement


def import_measurements(
    *, session: Session, actor: Access, indicator_id: int, rows: Sequence[CsvRow]
) -> int:
    """Store every row of a checked file in one transaction, or nothing while any row is
    invalid. Answers how many values were stored."""
    editable_indicator(session=session, actor=actor, indicator_id=indicator_id)
    if not rows:
        raise Invalid({"file": EMPTY_FILE})
    if any(not row.valid for row in rows):
        raise Invalid({"file": ROWS_INVALID})
    for row in rows:
        assert row.measured_on is not None and row.value is not None
        _store(
            session,
            actor,
            indicator_id,
            measured_on=row.measured_on,
            value=row.value,
            note=row.note,
        )
    session.commit()
    return len(rows)
