"""The demo shows evaluations with wins for the last two sprints, and two past stand-ups
attended from the three offices, one of which answered a knelpunt and made an action."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from sqlmodel import Session, col, select

from app.config import Settings
from app.db import create_db_engine
from app.demo import seed_demo
from app.migrate import migrate_to_head
from app.models import Evaluation, Sprint, StandupRecord, Team
from app.queries.evaluations import wins_for_teams
from app.queries.standups import by_office, details

TODAY = date(2026, 11, 25)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    folder = tmp_path_factory.mktemp("demo-evaluations")
    url = f"sqlite:///{folder / 'verbeterbord.db'}"
    migrate_to_head(url)
    engine = create_db_engine(Settings(data_dir=folder), url=url)
    seed_demo(engine=engine, today=TODAY)
    with Session(engine) as session:
        yield session
    engine.dispose()


def test_several_teams_evaluated_the_last_two_sprints(demo: Session) -> None:
    sprints = demo.exec(
        select(Sprint).where(Sprint.start_date <= TODAY).order_by(col(Sprint.start_date).desc())
    ).all()
    current, previous = sprints[0], sprints[1]
    by_sprint = {
        sprint.id: demo.exec(select(Evaluation).where(Evaluation.sprint_id == sprint.id)).all()
        for sprint in (current, previous)
    }
    assert len(by_sprint[previous.id]) >= 3 and len(by_sprint[current.id]) >= 2
    assert all(e.goes_well and e.highlights for found in by_sprint.values() for e in found)


def test_the_team_of_teams_has_a_wall_of_wins(demo: Session) -> None:
    head = demo.exec(select(Team).where(col(Team.parent_id).is_(None))).one()
    children = [t.id for t in demo.exec(select(Team).where(Team.parent_id == head.id))]
    wins = wins_for_teams(demo, team_ids=children)  # type: ignore[arg-type]
    assert len(wins) >= 6
    assert wins[0].start_date > wins[-1].start_date  # latest sprint first


def test_two_past_stand_ups_from_three_offices(demo: Session) -> None:
    records = demo.exec(select(StandupRecord).order_by(col(StandupRecord.held_on))).all()
    assert len(records) == 2 and all(r.held_on <= TODAY for r in records)
    first, second = details(demo, records)
    assert len(by_office(first.attendees)) == 3
    assert len(first.turns) == 5 and first.total_seconds > 0
    assert any(d.escalation_id for d in second.decisions)
    assert any(d.action_id for d in second.decisions)
