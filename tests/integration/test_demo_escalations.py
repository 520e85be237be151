"""The demo shows the escalation loop: a knelpunt raised two levels below the team of teams,
forwarded up, answered and waiting to be read, and one that has waited twenty days."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlmodel import Session, select

from app.config import Settings
from app.db import create_db_engine
from app.demo import seed_demo
from app.demo.cycle_escalations import SCHULDHULP, TERUGBELLEN, WACHTTIJD
from app.migrate import migrate_to_head
from app.models import Action, Escalation, EscalationStatus, Team
from app.queries.bottlenecks import bottlenecks
from app.queries.escalations import board_knelpunten, steps_of
from app.services.sprints import find_current

TODAY = date(2026, 11, 25)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    folder = tmp_path_factory.mktemp("demo-escalations")
    url = f"sqlite:///{folder / 'verbeterbord.db'}"
    migrate_to_head(url)
    engine = create_db_engine(Settings(data_dir=folder), url=url)
    seed_demo(engine=engine, today=TODAY)
    with Session(engine) as session:
        yield session
    engine.dispose()


def escalation_of(demo: Session, title: str) -> Escalation:
    return demo.exec(
        select(Escalation)
        .join(Action, Action.id == Escalation.action_id)
        .where(  # type: ignore[arg-type]
            Action.title == title
        )
    ).one()


def team(demo: Session, name: str) -> Team:
    return demo.exec(select(Team).where(Team.name == name)).one()


def test_a_knelpunt_went_two_levels_up_and_its_answer_waits_to_be_read(demo: Session) -> None:
    escalation = escalation_of(demo, WACHTTIJD)
    schuldhulp = team(demo, SCHULDHULP[0])
    werk = team(demo, "Werk en inkomen")
    tvt = team(demo, "Team van teams Sociaal Domein")
    assert escalation.from_team_id == schuldhulp.id and escalation.to_team_id == tvt.id
    assert escalation.status == EscalationStatus.resolved and escalation.acknowledged_at is None
    assert [(s.kind, s.team_id) for s in steps_of(demo, escalation.id)] == [  # type: ignore[arg-type]
        ("raised", werk.id),
        ("forwarded", tvt.id),
        ("answered", tvt.id),
    ]
    assert schuldhulp.id is not None and werk.id is not None
    own = board_knelpunten(demo, team_id=schuldhulp.id, today=TODAY)
    assert escalation.action_id in own.answers
    assert [k.id for k in board_knelpunten(demo, team_id=werk.id, today=TODAY).passed] == [
        escalation.id
    ]


def test_a_knelpunt_has_waited_twenty_days_and_is_a_bottleneck(demo: Session) -> None:
    escalation = escalation_of(demo, TERUGBELLEN)
    tvt = team(demo, "Team van teams Sociaal Domein")
    assert tvt.id is not None
    [waiting] = [
        k for k in board_knelpunten(demo, team_id=tvt.id, today=TODAY).here if k.id == escalation.id
    ]
    assert waiting.days_waited == 20
    sprint = find_current(session=demo, today=TODAY)
    assert sprint is not None
    found = bottlenecks(demo, team_id=tvt.id, sprint=sprint, today=TODAY)
    voordeur = next(c for c in found.children if c.team.name == "Voordeur")
    assert [w.escalation.id for w in voordeur.waiting] == [escalation.id]
