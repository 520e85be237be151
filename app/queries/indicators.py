"""Read models for an ambition's indicators and their measurements."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.domain.indicators import on_target
from app.models import Indicator, IndicatorPublic, IndicatorStand, Measurement


def indicators_of(session: Session, *, ambition_id: int) -> list[Indicator]:
    """An ambition's indicators in their order."""
    return list(
        session.exec(
            select(Indicator)
            .where(Indicator.ambition_id == ambition_id)
            .order_by(col(Indicator.position), col(Indicator.id))
        ).all()
    )


def indicator_count(session: Session, *, ambition_id: int) -> int:
    return session.exec(
        select(func.count()).select_from(Indicator).where(Indicator.ambition_id == ambition_id)
    ).one()


def measurements_of(session: Session, ids: Collection[int]) -> dict[int, list[Measurement]]:
    """Per indicator its measurements, oldest first, in one query."""
    found: dict[int, list[Measurement]] = defaultdict(list)
    if not ids:
        return found
    for measurement in session.exec(
        select(Measurement)
        .where(col(Measurement.indicator_id).in_(sorted(ids)))
        .order_by(col(Measurement.measured_on), col(Measurement.id))
    ):
        found[measurement.indicator_id].append(measurement)
    return found


def measurement_on(
    session: Session, *, indicator_id: int, measured_on: object
) -> Measurement | None:
    return session.exec(
        select(Measurement).where(
            Measurement.indicator_id == indicator_id, Measurement.measured_on == measured_on
        )
    ).first()


def stands_of(session: Session, *, ambition_id: int) -> list[IndicatorStand]:
    """The ambition's indicators with their latest value against the target, in two queries."""
    indicators = indicators_of(session, ambition_id=ambition_id)
    values = measurements_of(session, [i.id for i in indicators if i.id is not None])
    stands = []
    for indicator in indicators:
        assert indicator.id is not None
        latest = values[indicator.id][-1] if values.get(indicator.id) else None
        stands.append(
            IndicatorStand(
                **IndicatorPublic.model_validate(indicator).model_dump(),
                latest_date=latest.measured_on if latest else None,
                latest_value=latest.value if latest else None,
                on_target=None
                if latest is None
                else on_target(
                    latest.value, target=indicator.target, direction=indicator.direction
                ),
            )
        )
    return stands
