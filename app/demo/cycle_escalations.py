"""The demo's escalation loop: a Schuldhulp team below Werk en inkomen, one knelpunt raised
there, forwarded by Werk en inkomen to the team of teams, answered there and waiting for the
team to read the answer ("Gelezen"), and one knelpunt of the Voordeur that has waited twenty
days at the team of teams. Built through the services as the people it is about."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING

from sqlmodel import select

from app.demo.common import email_for
from app.models import (
    ActionCreate,
    ActionStatus,
    ActionUpdate,
    Escalation,
    EscalationCreate,
    EscalationForward,
    EscalationOwnerSet,
    EscalationResolve,
    EscalationStepRecord,
    EscalationType,
    Location,
    Role,
    TeamCreate,
    UserCreate,
)
from app.services import actions, escalations, org

if TYPE_CHECKING:
    from app.demo.small import SmallDemo

SCHULDHULP = (
    "Schuldhulp Gilze en Rijen",
    "Schuldhulpverleners en budgetcoaches van Werk en inkomen in Rijen: wie geldzorgen heeft, "
    "krijgt binnen vier weken een eerste gesprek.",
)
# (name, role in the team) of the team below Werk en inkomen; they work from the Rijen office
SCHULDHULP_PEOPLE = (
    ("Bas van Dongen", Role.lead),
    ("Ilse Kuipers", Role.representative),
    ("Ruud Hendriks", Role.member),
)
RIJEN = "Rijen (Gilze en Rijen)"

WACHTTIJD = "Wachttijd schuldhulp in Gilze en Rijen terugbrengen naar vier weken"
TERUGBELLEN = "Terugbelafspraken vastleggen in het klantcontactsysteem"


def seed_escalation_loop(demo: SmallDemo) -> None:
    session, admin = demo.session, demo.as_admin()
    werk = demo.teams["werk"]
    assert werk.id is not None
    team = org.create_team(
        session=session,
        actor=admin,
        data=TeamCreate(name=SCHULDHULP[0], description=SCHULDHULP[1], parent_id=werk.id),
    )
    assert team.id is not None
    demo.teams["schuldhulp"] = team
    rijen = session.exec(select(Location).where(Location.name == RIJEN)).one()
    for name, role in SCHULDHULP_PEOPLE:
        user = org.create_user(
            session=session,
            actor=admin,
            data=UserCreate(email=email_for(name), name=name, location_id=rijen.id),
        ).user
        assert user.id is not None
        org.put_member(session=session, actor=admin, team_id=team.id, user_id=user.id, role=role)
        demo.users[name.split()[0].lower()] = user

    # 1. Two levels up and back: raised by the Schuldhulp team to Werk en inkomen, forwarded
    # to the team of teams, answered there; Schuldhulp has not read the answer yet
    ilse, peter, marieke = (demo.as_person(key) for key in ("ilse", "peter", "marieke"))
    wachttijd = _blocked_action(
        demo, "schuldhulp", "ilse", WACHTTIJD, "De budgetcoach is tot februari ziek."
    )
    raised = escalations.raise_escalation(
        session=session,
        actor=ilse,
        action_id=wachttijd,
        data=EscalationCreate(
            note="We hebben voor acht weken een tweede budgetcoach nodig. Zonder extra "
            "capaciteit loopt de wachttijd op naar tien weken.",
            type=EscalationType.capacity,
            needed_by=demo.today + timedelta(days=10),
        ),
        today=demo.today,
    )
    assert raised.id is not None
    escalations.set_owner(
        session=session,
        actor=peter,
        escalation_id=raised.id,
        data=EscalationOwnerSet(owner_id=peter.user_id),
    )
    escalations.forward_escalation(
        session=session,
        actor=peter,
        escalation_id=raised.id,
        data=EscalationForward(
            note="Werk en inkomen heeft zelf geen ruimte. Inhuur gaat over het budget van het "
            "hele sociaal domein."
        ),
    )
    escalations.set_owner(
        session=session,
        actor=marieke,
        escalation_id=raised.id,
        data=EscalationOwnerSet(owner_id=marieke.user_id),
    )
    escalations.resolve_escalation(
        session=session,
        actor=marieke,
        escalation_id=raised.id,
        data=EscalationResolve(
            resolution="Akkoord: acht weken een budgetcoach via het inhuurcontract. Die begint "
            "volgende week maandag in Rijen."
        ),
    )

    # 2. Open at the team of teams for twenty days
    terugbellen = _blocked_action(
        demo,
        "voordeur",
        "sarah",
        TERUGBELLEN,
        "Het systeem kan geen terugbelafspraak bewaren.",
    )
    waiting = escalations.raise_escalation(
        session=session,
        actor=demo.as_person("sarah"),
        action_id=terugbellen,
        data=EscalationCreate(
            note="Het klantcontactsysteem kan geen terugbelafspraak vastleggen. Inwoners worden "
            "daardoor niet teruggebeld. We hebben hulp nodig van functioneel beheer.",
            type=EscalationType.help,
        ),
        today=demo.today,
    )
    assert waiting.id is not None
    _raised_days_ago(demo, waiting.id, 20)


def _blocked_action(demo: SmallDemo, team: str, owner: str, title: str, reason: str) -> int:
    actor = demo.as_person(owner)
    action = actions.create_action(
        session=demo.session,
        actor=actor,
        data=ActionCreate(title=title, team_id=demo._team_id(team), owner_id=actor.user_id),
        today=demo.today,
    )
    assert action.id is not None
    actions.update_action(
        session=demo.session,
        actor=actor,
        action_id=action.id,
        data=ActionUpdate(
            version=action.version, status=ActionStatus.blocked, blocked_reason=reason
        ),
    )
    return action.id


def _raised_days_ago(demo: SmallDemo, escalation_id: int, days: int) -> None:
    """As if raised `days` ago: the demo is built in one go, a knelpunt that has waited long
    cannot be made any other way."""
    moment = datetime.combine(demo.today - timedelta(days=days), time(9, 30), tzinfo=UTC)
    escalation = demo.session.get(Escalation, escalation_id)
    assert escalation is not None
    escalation.created_at = moment
    demo.session.add(escalation)
    for step in demo.session.exec(
        select(EscalationStepRecord).where(EscalationStepRecord.escalation_id == escalation_id)
    ):
        step.created_at = moment
        demo.session.add(step)
    demo.session.commit()
