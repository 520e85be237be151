"""Knelpunten as a closed loop: raised from a team's action to the team of teams above it,
passed further up one level at a time, answered where it lies, and read by the raising team.

Every step writes a step record (the timeline) and an audit event for every board the knelpunt
shows on: the raising team and each team of teams it passed, so all of them update live."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from app import clock
from app.domain import escalations as rules
from app.domain.actions import escalation_problem
from app.domain.permissions import Access
from app.models import (
    Action,
    ActionStatus,
    Escalation,
    EscalationCreate,
    EscalationForward,
    EscalationOwnerSet,
    EscalationResolve,
    EscalationStatus,
    EscalationStep,
    EscalationStepRecord,
    Team,
    utcnow,
)
from app.queries.org import board_member_ids
from app.services import audit
from app.services.access import get_or_404, require_board_writer
from app.services.errors import Forbidden, Invalid
from app.services.mentions import record_mentions
from app.services.personal_data import check_texts
from app.translatable import N_

ONLY_RAISING_TEAM = N_("Alleen het team dat het knelpunt opschaalde, kan het antwoord lezen.")


def raise_escalation(
    *,
    session: Session,
    actor: Access,
    action_id: int,
    data: EscalationCreate,
    today: date | None = None,
) -> Escalation:
    """Send a knelpunt from the action's team to its team of teams, one level up."""
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
    late = rules.needed_by_problem(data.needed_by, today or clock.today())
    if late is not None:
        raise Invalid({"needed_by": late})
    check_texts({"note": data.note}, confirmed=data.confirm_personal_data)
    assert team.parent_id is not None
    escalation = Escalation(
        action_id=action_id,
        from_team_id=action.team_id,
        to_team_id=team.parent_id,
        note=data.note,
        type=data.type,
        needed_by=data.needed_by,
        raised_by_id=actor.user_id,
    )
    session.add(escalation)
    session.flush()
    _step(session, actor, escalation, EscalationStep.raised, data.note)
    _mentions(session, actor, escalation, data.note)
    _record(session, actor, escalation, "created", audit.diff({}, audit.snapshot(escalation)))
    session.commit()
    return escalation


def forward_escalation(
    *, session: Session, actor: Access, escalation_id: int, data: EscalationForward
) -> Escalation:
    """Pass an open knelpunt one level further up: from the team of teams it lies with to that
    team's own team of teams (only its members). The owner is chosen again up there."""
    escalation = get_or_404(session, Escalation, escalation_id, "Knelpunt")
    require_board_writer(actor, escalation.to_team_id)
    here = session.get(Team, escalation.to_team_id)
    assert here is not None
    problem = rules.forward_problem(
        status=EscalationStatus(escalation.status), has_parent=here.parent_id is not None
    )
    if problem is not None:
        raise Invalid({"note": problem})
    check_texts({"note": data.note}, confirmed=data.confirm_personal_data)
    assert here.parent_id is not None
    before = audit.snapshot(escalation)
    escalation.to_team_id = here.parent_id
    escalation.owner_id = None
    session.add(escalation)
    _step(session, actor, escalation, EscalationStep.forwarded, data.note)
    _mentions(session, actor, escalation, data.note)
    _record(session, actor, escalation, "updated", audit.diff(before, audit.snapshot(escalation)))
    session.commit()
    return escalation


def resolve_escalation(
    *, session: Session, actor: Access, escalation_id: int, data: EscalationResolve
) -> Escalation:
    """Answer a knelpunt; only members of the team of teams it lies with. The answer goes back
    down to the raising team until it has read it."""
    escalation = answer_escalation(
        session=session, actor=actor, escalation_id=escalation_id, data=data
    )
    session.commit()
    return escalation


def answer_escalation(
    *, session: Session, actor: Access, escalation_id: int, data: EscalationResolve
) -> Escalation:
    """The answer rule without the commit, in the caller's transaction (a stand-up record stores
    its answers with the record)."""
    escalation = get_or_404(session, Escalation, escalation_id, "Knelpunt")
    require_board_writer(actor, escalation.to_team_id)
    problem = rules.answer_problem(EscalationStatus(escalation.status))
    if problem is not None:
        raise Invalid({"resolution": problem})
    check_texts({"resolution": data.resolution}, confirmed=data.confirm_personal_data)
    before = audit.snapshot(escalation)
    escalation.status = EscalationStatus.resolved
    escalation.resolution = data.resolution
    escalation.resolved_by_id = actor.user_id
    escalation.resolved_at = utcnow()
    session.add(escalation)
    _step(session, actor, escalation, EscalationStep.answered, data.resolution)
    _mentions(session, actor, escalation, data.resolution)
    _record(session, actor, escalation, "updated", audit.diff(before, audit.snapshot(escalation)))
    return escalation


def acknowledge_escalation(*, session: Session, actor: Access, escalation_id: int) -> Escalation:
    """The raising team has read the answer (once, and only when there is one)."""
    escalation = get_or_404(session, Escalation, escalation_id, "Knelpunt")
    if not actor.can_write_board(escalation.from_team_id):
        raise Forbidden(ONLY_RAISING_TEAM)
    problem = rules.acknowledge_problem(
        status=EscalationStatus(escalation.status),
        acknowledged=escalation.acknowledged_at is not None,
    )
    if problem is not None:
        raise Invalid({"escalation": problem})
    before = audit.snapshot(escalation)
    escalation.acknowledged_at = utcnow()
    escalation.acknowledged_by_id = actor.user_id
    session.add(escalation)
    _step(
        session, actor, escalation, EscalationStep.acknowledged, "", team_id=escalation.from_team_id
    )
    _record(session, actor, escalation, "updated", audit.diff(before, audit.snapshot(escalation)))
    session.commit()
    return escalation


def set_owner(
    *, session: Session, actor: Access, escalation_id: int, data: EscalationOwnerSet
) -> Escalation:
    """Choose or change who answers it: a member of the team of teams it lies with, chosen by
    that team of teams (null: nobody yet)."""
    escalation = get_or_404(session, Escalation, escalation_id, "Knelpunt")
    require_board_writer(actor, escalation.to_team_id)
    problem = rules.answer_problem(EscalationStatus(escalation.status))
    if problem is not None:
        raise Invalid({"owner_id": problem})
    if data.owner_id is not None and data.owner_id not in board_member_ids(
        session, team_id=escalation.to_team_id
    ):
        raise Invalid({"owner_id": rules.OWNER_NOT_A_MEMBER})
    before = audit.snapshot(escalation)
    escalation.owner_id = data.owner_id
    session.add(escalation)
    changes = audit.diff(before, audit.snapshot(escalation))
    if changes:
        _record(session, actor, escalation, "updated", changes)
    session.commit()
    return escalation


def boards_of(session: Session, escalation: Escalation) -> list[int]:
    """Every board it shows on: the raising team, and each team of teams it lay with."""
    assert escalation.id is not None
    steps = session.exec(
        select(EscalationStepRecord.kind, EscalationStepRecord.team_id)
        .where(EscalationStepRecord.escalation_id == escalation.id)
        .order_by(col(EscalationStepRecord.id))
    ).all()
    teams = [escalation.from_team_id, *rules.path(steps)]
    if escalation.to_team_id not in teams:
        teams.append(escalation.to_team_id)
    return list(dict.fromkeys(teams))


def _step(
    session: Session,
    actor: Access,
    escalation: Escalation,
    kind: EscalationStep,
    note: str,
    *,
    team_id: int | None = None,
) -> None:
    assert escalation.id is not None
    session.add(
        EscalationStepRecord(
            escalation_id=escalation.id,
            kind=kind,
            # the team of teams it lies with after this step (the raising team once read)
            team_id=team_id if team_id is not None else escalation.to_team_id,
            actor_id=actor.user_id,
            note=note,
        )
    )
    session.flush()


def _mentions(session: Session, actor: Access, escalation: Escalation, text: str) -> None:
    """`@Naam` in a knelpunt's text, its forwarding note or its answer: a mention per colleague
    named, in the step's transaction."""
    record_mentions(
        session,
        text=text,
        author_id=actor.user_id,
        action_id=escalation.action_id,
        escalation_id=escalation.id,
    )


def _record(
    session: Session, actor: Access, escalation: Escalation, verb: str, changes: dict
) -> None:
    assert escalation.id is not None
    action = session.get(Action, escalation.action_id) if escalation.action_id else None
    live = {
        # the card it was raised from shows whether a knelpunt is open or answered
        "action_ids": [escalation.action_id] if escalation.action_id else [],
        # and its ambition's page lists the open knelpunten
        "ambition_ids": [action.ambition_id] if action and action.ambition_id else [],
    }
    # one event per board it shows on, so every one of them hears of it
    for team_id in boards_of(session, escalation):
        audit.record(
            session,
            actor_id=actor.user_id,
            entity="escalation",
            entity_id=escalation.id,
            verb=verb,
            team_id=team_id,
            changes=changes,
            live=live,
        )
