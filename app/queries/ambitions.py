"""Read models for the ambitions overview and an ambition's page."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import func
from sqlmodel import Session, col, select

from app.models import (
    Action,
    ActionStatus,
    Ambition,
    AmbitionTeam,
    AuditEvent,
    Escalation,
    EscalationStatus,
    Goal,
    Sprint,
    SprintProgress,
)


def ambition_details(
    session: Session, ambitions: list[Ambition]
) -> tuple[dict[int, list[int]], dict[int, list[Goal]]]:
    """Team ids and goals for a list of ambitions, in two queries."""
    ids = [ambition.id for ambition in ambitions]
    teams: dict[int, list[int]] = defaultdict(list)
    goals: dict[int, list[Goal]] = defaultdict(list)
    if not ids:
        return teams, goals
    for ambition_id, team_id in session.exec(
        select(AmbitionTeam.ambition_id, AmbitionTeam.team_id)
        .where(col(AmbitionTeam.ambition_id).in_(ids))
        .order_by(col(AmbitionTeam.team_id))
    ):
        teams[ambition_id].append(team_id)
    for goal in session.exec(
        select(Goal)
        .where(col(Goal.ambition_id).in_(ids))
        .order_by(col(Goal.due).is_(None), col(Goal.due), col(Goal.id))
    ):
        goals[goal.ambition_id].append(goal)
    return teams, goals


def ambition_progress(session: Session, *, ambition_id: int) -> list[SprintProgress]:
    """Per sprint: actions planned, done, carried over to the next sprint, and blocked.

    A closed sprint no longer holds the actions it carried over, so those are read from the
    audit event its closing wrote.
    """
    sprints = session.exec(select(Sprint).order_by(col(Sprint.start_date))).all()
    held: dict[int, Counter[str]] = defaultdict(Counter)
    for sprint_id, status, number in session.exec(
        select(Action.sprint_id, Action.status, func.count())
        .where(Action.ambition_id == ambition_id)
        .group_by(col(Action.sprint_id), col(Action.status))
    ):
        held[sprint_id][status] = number
    ambition_actions = set(session.exec(select(Action.id).where(Action.ambition_id == ambition_id)))
    closings = session.exec(
        select(AuditEvent).where(
            AuditEvent.entity == "sprint",
            AuditEvent.verb == "updated",
            col(AuditEvent.entity_id).in_([sprint.id for sprint in sprints]),
        )
    ).all()
    carried_out: dict[int, Counter[str]] = defaultdict(Counter)
    for closing in closings:
        carried = closing.changes.get("carried")
        if not carried:
            continue
        for action_id, status in carried[1]:
            if action_id in ambition_actions:
                carried_out[closing.entity_id][status] += 1
    progress = []
    for sprint in sprints:
        assert sprint.id is not None
        inside, out = held[sprint.id], carried_out[sprint.id]
        if not inside and not out:
            continue
        progress.append(
            SprintProgress(
                sprint_id=sprint.id,
                start_date=sprint.start_date,
                end_date=sprint.end_date,
                planned=sum(inside.values()) + sum(out.values()),
                done=inside[ActionStatus.done],
                carried_over=sum(out.values()),
                blocked=inside[ActionStatus.blocked] + out[ActionStatus.blocked],
                dropped=inside[ActionStatus.dropped],
            )
        )
    return progress


def open_escalations_for_ambition(session: Session, *, ambition_id: int) -> list[Escalation]:
    return list(
        session.exec(
            select(Escalation)
            .join(Action, col(Action.id) == Escalation.action_id)
            .where(Action.ambition_id == ambition_id, Escalation.status == EscalationStatus.open)
            .order_by(col(Escalation.created_at))
        ).all()
    )


@dataclass(frozen=True)
class AmbitionSummary:
    ambition: Ambition
    team_ids: list[int]
    goals: list[Goal]
    open_escalations: int


def ambition_summaries(session: Session) -> list[AmbitionSummary]:
    """Every ambition with its teams, goals and number of open knelpunten, in four queries."""
    ambitions = list(session.exec(select(Ambition).order_by(col(Ambition.title), col(Ambition.id))))
    teams, goals = ambition_details(session, ambitions)
    open_counts: Counter[int] = Counter()
    for ambition_id, number in session.exec(
        select(Action.ambition_id, func.count())
        .join(Escalation, col(Escalation.action_id) == Action.id)
        .where(col(Action.ambition_id).is_not(None), Escalation.status == EscalationStatus.open)
        .group_by(col(Action.ambition_id))
    ):
        if ambition_id is not None:
            open_counts[ambition_id] = number
    return [
        AmbitionSummary(
            ambition=ambition,
            team_ids=teams[ambition.id],  # type: ignore[index]
            goals=goals[ambition.id],  # type: ignore[index]
            open_escalations=open_counts[ambition.id],  # type: ignore[index]
        )
        for ambition in ambitions
    ]
