"""The department head's view: every ambition at a glance, in a fixed number of queries.

Per ambition: done and carried-over actions in the last sprints, its indicators against their
targets, its open knelpunten with their age, and the latest "in het licht" items of the teams
that work on it. The reports (app/queries/reports.py) read the same parts for one ambition.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, func
from sqlmodel import Session, col, select

from app.domain.escalations import days_waited
from app.domain.evaluation import wins
from app.domain.indicators import on_target
from app.models import (
    Action,
    ActionStatus,
    Ambition,
    AmbitionStatus,
    AmbitionTeam,
    AuditEvent,
    Escalation,
    EscalationStatus,
    Evaluation,
    Goal,
    Indicator,
    Measurement,
    Sprint,
    Team,
)
from app.queries.ambitions import ambition_details
from app.queries.org import teams_by_id

TREND_SPRINTS = 6
HIGHLIGHTS_SHOWN = 3


@dataclass(frozen=True)
class TrendPoint:
    """One sprint of an ambition's trend."""

    sprint: Sprint
    done: int
    carried_over: int


@dataclass(frozen=True)
class IndicatorStand:
    indicator: Indicator
    latest: Measurement | None
    # None while there is no measurement
    on_target: bool | None


@dataclass(frozen=True)
class OpenEscalation:
    escalation: Escalation
    from_team: Team | None
    age_days: int


@dataclass(frozen=True)
class Highlight:
    """One "in het licht" line of a team's evaluation."""

    text: str
    team: Team | None
    sprint: Sprint


@dataclass(frozen=True)
class AmbitionStand:
    ambition: Ambition
    teams: list[Team]
    goals: list[Goal]
    trend: list[TrendPoint]
    indicators: list[IndicatorStand]
    escalations: list[OpenEscalation]
    highlights: list[Highlight] = field(default_factory=list)

    @property
    def goals_met(self) -> int:
        return sum(1 for goal in self.goals if goal.is_done)


# --- the parts, each one query for any number of ambitions ---------------------------------


def recent_sprints(session: Session, *, today: date, count: int = TREND_SPRINTS) -> list[Sprint]:
    """The sprint holding today and the ones before it, oldest first."""
    newest_first = session.exec(
        select(Sprint)
        .where(Sprint.start_date <= today)
        .order_by(col(Sprint.start_date).desc())
        .limit(count)
    ).all()
    return list(reversed(newest_first))


def carried_out(session: Session, sprint_ids: Sequence[int]) -> dict[int, list[tuple[int, str]]]:
    """Per closed sprint, the actions its closing carried to the next one with their status
    then (read from the audit event the closing wrote: the sprint no longer holds them)."""
    found: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for sprint_id, changes in session.exec(
        select(AuditEvent.entity_id, AuditEvent.changes).where(
            AuditEvent.entity == "sprint",
            AuditEvent.verb == "updated",
            col(AuditEvent.entity_id).in_(list(sprint_ids)),
        )
    ):
        carried = (changes or {}).get("carried")
        if carried and carried[1]:
            found[sprint_id].extend((action_id, status) for action_id, status in carried[1])
    return found


def _ambition_of_actions(session: Session, action_ids: list[int]) -> dict[int, int]:
    """Always one query, also for no ids, so the count of queries never depends on the data."""
    return {
        action_id: ambition_id
        for action_id, ambition_id in session.exec(
            select(Action.id, Action.ambition_id).where(
                col(Action.id).in_(action_ids), col(Action.ambition_id).is_not(None)
            )
        )
        if action_id is not None and ambition_id is not None
    }


def trends(
    session: Session, ambition_ids: list[int], sprints: list[Sprint]
) -> dict[int, list[TrendPoint]]:
    """Per ambition, per sprint: actions done in it and actions carried out of it."""
    sprint_ids = [sprint.id for sprint in sprints if sprint.id is not None]
    done: Counter[tuple[int, int]] = Counter()
    for ambition_id, sprint_id, number in session.exec(
        select(Action.ambition_id, Action.sprint_id, func.count())
        .where(
            col(Action.ambition_id).in_(ambition_ids),
            col(Action.sprint_id).in_(sprint_ids),
            Action.status == ActionStatus.done,
        )
        .group_by(col(Action.ambition_id), col(Action.sprint_id))
    ):
        if ambition_id is not None:
            done[(ambition_id, sprint_id)] = number
    closings = carried_out(session, sprint_ids)
    owners = _ambition_of_actions(
        session, sorted({action_id for moved in closings.values() for action_id, _ in moved})
    )
    carried: Counter[tuple[int, int]] = Counter()
    for sprint_id, moved in closings.items():
        for action_id, _status in moved:
            if action_id in owners:
                carried[(owners[action_id], sprint_id)] += 1
    return {
        ambition_id: [
            TrendPoint(
                sprint=sprint,
                done=done[(ambition_id, sprint.id)],  # type: ignore[index]
                carried_over=carried[(ambition_id, sprint.id)],  # type: ignore[index]
            )
            for sprint in sprints
        ]
        for ambition_id in ambition_ids
    }


def indicator_stands(session: Session, ambition_ids: list[int]) -> dict[int, list[IndicatorStand]]:
    """Per ambition its indicators in their order, each with its latest measurement."""
    indicators = session.exec(
        select(Indicator)
        .where(col(Indicator.ambition_id).in_(ambition_ids))
        .order_by(col(Indicator.ambition_id), col(Indicator.position), col(Indicator.id))
    ).all()
    newest = (
        select(
            col(Measurement.indicator_id).label("indicator_id"),
            func.max(Measurement.measured_on).label("measured_on"),
        )
        .group_by(col(Measurement.indicator_id))
        .subquery()
    )
    latest = {
        measurement.indicator_id: measurement
        for measurement in session.exec(
            select(Measurement)
            .join(
                newest,
                and_(
                    col(Measurement.indicator_id) == newest.c.indicator_id,
                    col(Measurement.measured_on) == newest.c.measured_on,
                ),
            )
            .join(Indicator, col(Indicator.id) == Measurement.indicator_id)
            .where(col(Indicator.ambition_id).in_(ambition_ids))
        )
    }
    found: dict[int, list[IndicatorStand]] = defaultdict(list)
    for indicator in indicators:
        measurement = latest.get(indicator.id)  # type: ignore[arg-type]
        found[indicator.ambition_id].append(
            IndicatorStand(
                indicator=indicator,
                latest=measurement,
                on_target=None
                if measurement is None
                else on_target(
                    measurement.value, target=indicator.target, direction=indicator.direction
                ),
            )
        )
    return found


def open_escalations(
    session: Session, ambition_ids: list[int], teams: dict[int, Team], today: date
) -> dict[int, list[OpenEscalation]]:
    """Per ambition the open knelpunten on its actions, the longest waiting first."""
    found: dict[int, list[OpenEscalation]] = defaultdict(list)
    for escalation, ambition_id in session.exec(
        select(Escalation, Action.ambition_id)
        .join(Action, col(Action.id) == Escalation.action_id)
        .where(
            col(Action.ambition_id).in_(ambition_ids), Escalation.status == EscalationStatus.open
        )
        .order_by(col(Escalation.created_at), col(Escalation.id))
    ):
        if ambition_id is not None:
            found[ambition_id].append(
                OpenEscalation(
                    escalation=escalation,
                    from_team=teams.get(escalation.from_team_id),
                    age_days=days_waited(escalation.created_at, today),
                )
            )
    return found


def highlights(
    session: Session,
    ambition_ids: list[int],
    teams: dict[int, Team],
    *,
    sprint_ids: list[int] | None = None,
    limit: int | None = HIGHLIGHTS_SHOWN,
) -> dict[int, list[Highlight]]:
    """Per ambition the "in het licht" items of the teams working on it, newest sprint first
    (only those of sprint_ids when given; at most limit per ambition)."""
    statement = (
        select(AmbitionTeam.ambition_id, Evaluation.team_id, Evaluation.highlights, Sprint)
        .join(AmbitionTeam, col(AmbitionTeam.team_id) == Evaluation.team_id)
        .join(Sprint, col(Sprint.id) == Evaluation.sprint_id)
        .where(col(AmbitionTeam.ambition_id).in_(ambition_ids), Evaluation.highlights != "")
        .order_by(col(Sprint.start_date).desc(), col(Evaluation.team_id))
    )
    if sprint_ids is not None:
        statement = statement.where(col(Evaluation.sprint_id).in_(sprint_ids))
    found: dict[int, list[Highlight]] = defaultdict(list)
    for ambition_id, team_id, text, sprint in session.exec(statement):
        for line in wins(text):
            if limit is None or len(found[ambition_id]) < limit:
                found[ambition_id].append(
                    Highlight(text=line, team=teams.get(team_id), sprint=sprint)
                )
    return found


# --- the view -------------------------------------------------------------------------------


def ambition_stands(session: Session, *, today: date) -> list[AmbitionStand]:
    """Every ambition, active ones first, with its trend, indicators, open knelpunten and wins:
    thirteen queries whatever the number of ambitions."""
    ambitions = list(
        session.exec(
            select(Ambition).order_by(
                col(Ambition.status) != AmbitionStatus.active,
                col(Ambition.title),
                col(Ambition.id),
            )
        )
    )
    ids = [ambition.id for ambition in ambitions if ambition.id is not None]
    teams = teams_by_id(session)
    team_ids, goals = ambition_details(session, ambitions)
    sprints = recent_sprints(session, today=today)
    trend = trends(session, ids, sprints)
    indicators = indicator_stands(session, ids)
    escalations = open_escalations(session, ids, teams, today)
    wins = highlights(
        session, ids, teams, sprint_ids=[sprint.id for sprint in sprints if sprint.id is not None]
    )
    return [
        AmbitionStand(
            ambition=ambition,
            teams=[teams[team_id] for team_id in team_ids[ambition_id] if team_id in teams],
            goals=goals[ambition_id],
            trend=trend.get(ambition_id, []),
            indicators=indicators[ambition_id],
            escalations=escalations[ambition_id],
            highlights=wins[ambition_id],
        )
        for ambition in ambitions
        if (ambition_id := ambition.id) is not None
    ]
