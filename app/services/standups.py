"""Recording a team of teams' stand-up as it was held: who attended (and from which office),
the teams walked with the time each took, and the decisions taken. A decision becomes an action
with an owner (actions.create_action) or the answer to an open knelpunt of the team of teams
(escalations.resolve_escalation), in the same step and the same transaction as the record."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, col, select

from app.domain import standup as rules
from app.domain.messages import Message
from app.domain.permissions import Access
from app.domain.validation import TOO_LONG
from app.models import (
    STANDUP_TEXT_MAX,
    ActionCreate,
    Escalation,
    EscalationResolve,
    EscalationStatus,
    StandupAttendee,
    StandupCreate,
    StandupDecision,
    StandupRecord,
    StandupTurn,
    Team,
    User,
)
from app.queries.standups import answered_on
from app.services import actions, audit, escalations
from app.services.access import get_or_404, require_board_writer
from app.services.errors import Invalid, check
from app.translatable import N_

DECISION_NOUN = N_("het besluit")
NOTES_NOUN = N_("de aantekeningen")
NOT_OPEN_HERE = N_("Kies een open knelpunt dat naar dit team van teams is gestuurd.")
ANSWERED_TWICE = N_("Beantwoord elk knelpunt met één besluit.")
# the fields of the action or the answer a decision's text became
AS_DECISION = {"title": "text", "description": "text", "resolution": "text"}


def _check(
    session: Session, team: Team, data: StandupCreate, today: date
) -> tuple[date, dict[int, User]]:
    """Every refusal before anything is written, with a message per field (and per line)."""
    assert team.id is not None
    errors: dict[str, str] = {}
    children = session.exec(select(Team.id).where(Team.parent_id == team.id)).all()
    if not children:
        raise Invalid({"team_id": rules.NOT_A_TEAM_OF_TEAMS})
    held_on = data.held_on or today
    if problem := rules.held_on_problem(held_on=held_on, today=today):
        errors["held_on"] = problem
    walked = [turn.team_id for turn in data.turns]
    if problem := rules.turn_problem(allowed=[team.id, *children], walked=walked):
        errors["turns"] = problem
    users = {
        user.id: user
        for user in session.exec(select(User).where(col(User.id).in_(set(data.attendee_ids))))
        if user.id is not None and user.is_active
    }
    if set(data.attendee_ids) - set(users):
        errors["attendee_ids"] = rules.NOT_ATTENDING
    if len(data.notes) > STANDUP_TEXT_MAX:
        errors["notes"] = Message(TOO_LONG, veld=Message(NOTES_NOUN), max=STANDUP_TEXT_MAX)
    answered: set[int] = set()
    for index, decision in enumerate(data.decisions):
        field = f"decisions.{index}"
        if len(decision.text) > STANDUP_TEXT_MAX:
            errors[f"{field}.text"] = Message(
                TOO_LONG, veld=Message(DECISION_NOUN), max=STANDUP_TEXT_MAX
            )
        if problem := rules.decision_problem(
            owner_id=decision.owner_id, escalation_id=decision.escalation_id
        ):
            errors[field] = problem
        if decision.escalation_id is not None:
            escalation = session.get(Escalation, decision.escalation_id)
            if (
                escalation is None
                or escalation.to_team_id != team.id
                or escalation.status != EscalationStatus.open
            ):
                errors[f"{field}.escalation_id"] = NOT_OPEN_HERE
            elif decision.escalation_id in answered:
                errors[f"{field}.escalation_id"] = ANSWERED_TWICE
            answered.add(decision.escalation_id)
    check(errors)
    return held_on, users


def record_standup(
    *, session: Session, actor: Access, team_id: int, data: StandupCreate, today: date
) -> StandupRecord:
    """Store the stand-up of a team of teams (its board writers: members, representatives and
    deputies of its teams, admins) with its decisions turned into actions and answers."""
    team = get_or_404(session, Team, team_id, "Team")
    require_board_writer(actor, team_id)
    held_on, users = _check(session, team, data, today)
    record = StandupRecord(
        team_id=team_id, held_on=held_on, notes=data.notes, created_by_id=actor.user_id
    )
    session.add(record)
    session.flush()
    assert record.id is not None
    for user_id in dict.fromkeys(data.attendee_ids):
        session.add(
            StandupAttendee(
                standup_id=record.id, user_id=user_id, location_id=users[user_id].location_id
            )
        )
    for position, turn in enumerate(data.turns):
        session.add(
            StandupTurn(
                standup_id=record.id, team_id=turn.team_id, position=position, seconds=turn.seconds
            )
        )
    # the record, its actions and its answers are stored together or not at all
    for index, decision in enumerate(data.decisions):
        row = StandupDecision(standup_id=record.id, text=decision.text)
        try:
            if decision.owner_id is not None:
                action = actions.add_action(
                    session=session,
                    actor=actor,
                    data=ActionCreate(
                        title=_title(decision.text),
                        # the whole decision, when the title could not hold it
                        description="" if _title(decision.text) == decision.text else decision.text,
                        team_id=team_id,
                        owner_id=decision.owner_id,
                        due_date=decision.due_date,
                        confirm_personal_data=data.confirm_personal_data,
                    ),
                    today=today,
                )
                row.action_id = action.id
            elif decision.escalation_id is not None:
                escalations.answer_escalation(
                    session=session,
                    actor=actor,
                    escalation_id=decision.escalation_id,
                    data=EscalationResolve(
                        resolution=decision.text,
                        confirm_personal_data=data.confirm_personal_data,
                    ),
                )
                row.escalation_id = decision.escalation_id
        except Invalid as refused:
            # the called service's message, on this decision's line of the form
            raise Invalid(
                {
                    f"decisions.{index}.{AS_DECISION.get(name, name)}": text
                    for name, text in refused.errors.items()
                }
            ) from refused
        session.add(row)
    # knelpunten answered that day on the stand-up's own screen belong to this record too
    already = answered_on(session, team_id=team_id, day=held_on)
    for escalation in already:
        session.add(
            StandupDecision(
                standup_id=record.id, text=escalation.resolution or "", escalation_id=escalation.id
            )
        )
    session.flush()
    audit.record(
        session,
        actor_id=actor.user_id,
        entity="standup_record",
        entity_id=record.id,
        verb="created",
        team_id=team_id,
        changes={
            "held_on": [None, held_on.isoformat()],
            "attendees": [None, sorted(set(data.attendee_ids))],
            "turns": [None, [[t.team_id, t.seconds] for t in data.turns]],
            "decisions": [None, [d.text for d in data.decisions]],
            "answered": [None, [e.id for e in already]],
        },
    )
    session.commit()
    return record


def _title(text: str) -> str:
    """An action's title from a decision: its first line, at most 200 characters."""
    first = text.strip().splitlines()[0].strip() if text.strip() else text
    return first if len(first) <= 200 else first[:199].rstrip() + "…"
