"""Knelpunten: raised from a team's action to the team of teams above it, and resolved there."""

from __future__ import annotations

from sqlmodel import Session, select

from app.domain.actions import escalation_problem
from app.domain.permissions import Access
from app.models import (
    Action,
    ActionStatus,
    Escalation,
    EscalationCreate,
    EscalationResolve,
    EscalationStatus,
    Team,
    utcnow,
)
from app.services import audit
from app.services.access import get_or_404, require_board_writer
from app.services.errors import Invalid
from app.translatable import N_


def raise_escalation(
    *, session: Session, actor: Access, action_id: int, data: EscalationCreate
) -> Escalation:
    """Send a knelpunt from the action's team to its team of teams."""
    action = get_or_404(session, Action, action_id, "Actie")
    require_board_writer(actor, action.team_id)
    team = session.get(Team, action.team_id)
    assert team is not None
    already_open = session.exec(
        select(Escalation.id).where(
            Escalation.action_id == action_id, Escalation.status == EscalationStatus.open
        )
    ).first()
    problem = escalation_problem(
        status=ActionStatus(action.status),
        team_has_parent=team.parent_id is not None,
        already_open=already_open is not None,
    )
    if problem is not None:
        raise Invalid({"note": problem})
    assert team.parent_id is not None
    escalation = Escalation(
        action_id=action_id,
        from_team_id=action.team_id,
        to_team_id=team.parent_id,
        note=data.note,
        raised_by_id=actor.user_id,
    )
    session.add(escalation)
    session.flush()
    assert escalation.id is not None
    _record(session, actor, escalation, "created", audit.diff({}, audit.snapshot(escalation)))
    session.commit()
    return escalation


def resolve_escalation(
    *, session: Session, actor: Access, escalation_id: int, data: EscalationResolve
) -> Escalation:
    """Close a knelpunt with the answer; only members of the team it was sent to."""
    escalation = get_or_404(session, Escalation, escalation_id, "Knelpunt")
    require_board_writer(actor, escalation.to_team_id)
    if escalation.status == EscalationStatus.resolved:
        raise Invalid({"resolution": N_("Dit knelpunt is al opgelost.")})
    before = audit.snapshot(escalation)
    escalation.status = EscalationStatus.resolved
    escalation.resolution = data.resolution
    escalation.resolved_by_id = actor.user_id
    escalation.resolved_at = utcnow()
    session.add(escalation)
    _record(session, actor, escalation, "updated", audit.diff(before, audit.snapshot(escalation)))
    session.commit()
    return escalation


def _record(
    session: Session, actor: Access, escalation: Escalation, verb: str, changes: dict
) -> None:
    assert escalation.id is not None
    # one event per board it shows on, so both boards hear of it
    for team_id in (escalation.from_team_id, escalation.to_team_id):
        audit.record(
            session,
            actor_id=actor.user_id,
            entity="escalation",
            entity_id=escalation.id,
            verb=verb,
            team_id=team_id,
            changes=changes,
            # the card it was raised from shows whether a knelpunt is open
            live={"action_ids": [escalation.action_id] if escalation.action_id else []},
        )
