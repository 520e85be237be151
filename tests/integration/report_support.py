"""An ambition with a history to report on: two sprints (the earlier one closed, carrying an
action over), goals (one met), indicators with measurements, an open knelpunt and an evaluation
with wins. Used by the report, head's view and API tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session

from app.db import writer
from app.models import (
    Action,
    ActionStatus,
    Ambition,
    AmbitionCreate,
    EscalationCreate,
    Evaluation,
    Goal,
    GoalCreate,
    Indicator,
    Location,
    Measurement,
    Sprint,
    SprintCreate,
)
from app.services import ambitions, escalations, sprints
from tests.integration.service_helpers import as_, new_action
from tests.support.builders import World


@dataclass
class Seeded:
    ambition: Ambition
    earlier: Sprint
    carried: Action
    done: Action
    dropped: Action
    goals: list[Goal]
    indicators: list[Indicator]


def add_ambition(world: World, title: str, *, team_ids: list[int] | None = None) -> Ambition:
    with Session(writer(world.engine), expire_on_commit=False) as session:
        return ambitions.create_ambition(
            session=session,
            actor=as_(session, world, "admin"),
            data=AmbitionCreate(
                title=title,
                intent="Iedereen in de drie gemeenten doet mee.",
                horizon=date(2028, 12, 31),
                owner_team_id=world.team.id,
                team_ids=team_ids if team_ids is not None else [world.team.id],  # type: ignore[list-item]
            ),
        )


def earlier_sprint(world: World) -> Sprint:
    with Session(writer(world.engine), expire_on_commit=False) as session:
        return sprints.create_sprint(
            session=session,
            actor=as_(session, world, "admin"),
            data=SprintCreate(start_date=world.sprint.start_date - timedelta(days=14)),
        )


def close(world: World, sprint: Sprint) -> None:
    with Session(writer(world.engine), expire_on_commit=False) as session:
        sprints.close_sprint(
            session=session,
            actor=as_(session, world, "admin"),
            sprint_id=sprint.id,  # type: ignore[arg-type]
            today=world.today,
        )


def indicators_for(world: World, ambition: Ambition) -> list[Indicator]:
    """Two indicators: one above its target (higher is better), one above it where lower is
    better; plus one without a measurement."""
    with Session(writer(world.engine), expire_on_commit=False) as session:
        made = [
            Indicator(ambition_id=ambition.id, name="Deelnemers", unit="personen", target=40,
                      direction="up", position=0),
            Indicator(ambition_id=ambition.id, name="Wachttijd", unit="dagen", target=10,
                      direction="down", position=1),
            Indicator(ambition_id=ambition.id, name="Tevredenheid", unit="", target=7.5,
                      direction="up", position=2),
        ]  # fmt: skip
        session.add_all(made)
        session.flush()
        session.add_all(
            [
                Measurement(indicator_id=made[0].id, measured_on=date(2026, 10, 1), value=30),
                Measurement(indicator_id=made[0].id, measured_on=date(2026, 11, 1), value=42.5),
                Measurement(indicator_id=made[1].id, measured_on=date(2026, 11, 2), value=14),
            ]
        )
        session.commit()
        return made


def seed(world: World, title: str = "Iedereen doet mee") -> Seeded:
    ambition = add_ambition(world, title)
    earlier = earlier_sprint(world)
    with Session(writer(world.engine), expire_on_commit=False) as session:
        session.add(Location(name="Alphen-Chaam"))
        session.add(Location(name="Baarle-Nassau"))
        session.add(Location(name="Gilze en Rijen"))
        goals = [
            ambitions.add_goal(
                session=session,
                actor=as_(session, world, "admin"),
                ambition_id=ambition.id,  # type: ignore[arg-type]
                data=GoalCreate(title=goal, due=date(2026, 12, 31)),
            )
            for goal in ("Spreekuur in elke kern", "Folder in makkelijke taal")
        ]
        carried = new_action(
            session, world, title="Spreekuur Baarle regelen", ambition_id=ambition.id,
            sprint_id=earlier.id, status=ActionStatus.doing,
        )  # fmt: skip
        done = new_action(
            session, world, title="Folder laten drukken", ambition_id=ambition.id,
            sprint_id=earlier.id, status=ActionStatus.done,
        )  # fmt: skip
        dropped = new_action(
            session, world, title="Flyeren op de markt", ambition_id=ambition.id,
            sprint_id=earlier.id,
        )  # fmt: skip
        blocked = new_action(
            session, world, title="Zaal huren in Rijen", ambition_id=ambition.id,
            sprint_id=world.sprint.id, status=ActionStatus.blocked, blocked_reason="Geen budget",
        )  # fmt: skip
        escalations.raise_escalation(
            session=session,
            actor=as_(session, world, "member"),
            action_id=blocked.id,  # type: ignore[arg-type]
            data=EscalationCreate(note="Budget voor de zaalhuur nodig"),
        )
    with Session(writer(world.engine), expire_on_commit=False) as session:
        # a met goal and a dropped action, written directly: their own pages are other work
        first = session.get(Goal, goals[0].id)
        assert first is not None
        first.is_done = True
        stored = session.get(Action, dropped.id)
        assert stored is not None
        stored.status = ActionStatus.dropped
        stored.drop_reason = "Markt gaat niet door"
        session.add(
            Evaluation(
                team_id=world.team.id,
                sprint_id=earlier.id,
                goes_well="Samenwerking met de bibliotheek.",
                vulnerable="Eén vrijwilliger draagt alles.",
                notably_absent="Jongeren.",
                highlights="Eerste spreekuur: 14 bezoekers\n- Folder is af",
            )
        )
        session.commit()
    close(world, earlier)
    return Seeded(
        ambition=ambition,
        earlier=earlier,
        carried=carried,
        done=done,
        dropped=dropped,
        goals=goals,
        indicators=indicators_for(world, ambition),
    )
