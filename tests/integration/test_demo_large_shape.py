"""The large demo's shape at a small size: three levels, sprints closed with their rollover
history, comments with theirs, the two boards made to measure for the benchmark, and the search
index filled although the rows went in without its trigger (app/demo/large.py)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy import Engine, func, text
from sqlmodel import Session, col, select

from app.config import Settings
from app.db import create_db_engine
from app.demo import seed_demo
from app.demo.large import LargeScale
from app.migrate import migrate_to_head
from app.models import Action, AuditEvent, Comment, Sprint, Team

TODAY = date(2026, 11, 25)  # as in test_demo.py: a Wednesday in a sprint

SHAPE = LargeScale(
    teams=12,
    clusters=3,
    users=60,
    ambitions=4,
    past_sprints=4,
    actions=1_500,
    busy_board=40,
    huge_board=90,
    current_actions=400,
    comment_share=0.2,
    knelpunten=5,
)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    folder = tmp_path_factory.mktemp("large")
    url = f"sqlite:///{folder / 'verbeterbord.db'}"
    migrate_to_head(url)
    engine = create_db_engine(Settings(data_dir=folder), url=url)
    seed_demo(engine=engine, today=TODAY, scale="large", size=SHAPE)
    yield engine
    engine.dispose()


def leaves(session: Session) -> list[int]:
    parents = set(session.exec(select(Team.parent_id)))
    return sorted(
        team.id
        for team in session.exec(select(Team).where(col(Team.parent_id).is_not(None)))
        if team.id not in parents and team.id is not None
    )


def test_three_levels_of_teams_and_exactly_the_actions_asked_for(seeded: Engine) -> None:
    with Session(seeded) as session:
        parents = dict(session.exec(select(Team.id, Team.parent_id)).all())
        depth = {
            team: 1 + (parent is not None) + (parents.get(parent) is not None)
            for team, parent in parents.items()
        }
        assert Counter(depth.values()) == {1: 1, 2: 3, 3: 8}
        assert session.exec(select(func.count()).select_from(Action)).one() == 1_500


def test_every_closed_sprint_carried_its_open_work_with_history(seeded: Engine) -> None:
    with Session(seeded) as session:
        closed = session.exec(
            select(Sprint).where(col(Sprint.closed_at).is_not(None)).order_by(col(Sprint.id))
        ).all()
        assert len(closed) == 4
        closing = {
            event.entity_id: event
            for event in session.exec(select(AuditEvent).where(AuditEvent.entity == "sprint"))
            if "carried" in event.changes
        }
        assert set(closing) == {sprint.id for sprint in closed}
        carried_ids = {
            pair[0] for event in closing.values() for pair in event.changes["carried"][1]
        }
        moves = Counter(
            event.entity_id
            for event in session.exec(
                select(AuditEvent).where(
                    AuditEvent.entity == "action", AuditEvent.verb == "updated"
                )
            )
            if "carried_over" in event.changes
        )
        assert carried_ids == set(moves)
        for action in session.exec(select(Action).where(col(Action.carried_over) > 0)):
            assert moves[action.id] == action.carried_over
        # the versions count every change, as the services do
        changes = Counter(
            session.exec(select(AuditEvent.entity_id).where(AuditEvent.entity == "action")).all()
        )
        for action in session.exec(select(Action)):
            assert action.version == changes[action.id]


def test_comments_have_their_history_and_belong_to_the_actions_team(seeded: Engine) -> None:
    with Session(seeded) as session:
        comments = session.exec(select(Comment)).all()
        events = {
            event.entity_id: event
            for event in session.exec(select(AuditEvent).where(AuditEvent.entity == "comment"))
        }
        assert len(comments) > 100
        assert {comment.id for comment in comments} == set(events)
        for comment in comments:
            action = session.get(Action, comment.action_id)
            assert action is not None and events[comment.id].team_id == action.team_id
            assert comment.created_at >= action.created_at


def test_the_boards_made_to_measure_hold_their_cards(seeded: Engine) -> None:
    with Session(seeded) as session:
        current = session.exec(select(Sprint).where(col(Sprint.closed_at).is_(None))).one()
        first, second = leaves(session)[:2]

        def cards(team_id: int) -> int:
            return session.exec(
                select(func.count()).where(
                    Action.team_id == team_id, Action.sprint_id == current.id
                )
            ).one()

        assert (cards(first), cards(second)) == (40, 90)
        # every column of a board is numbered 0, 1, 2, ... as the services number it
        positions: dict[tuple[int, str], list[int]] = {}
        for action in session.exec(
            select(Action).where(Action.sprint_id == current.id).order_by(col(Action.id))
        ):
            positions.setdefault((action.team_id, action.status), []).append(action.position)
        assert all(found == list(range(len(found))) for found in positions.values())


def test_the_search_index_holds_every_action(seeded: Engine) -> None:
    with seeded.connect() as connection:
        indexed = connection.execute(
            text("SELECT count(*) FROM action_search WHERE action_search MATCH 'werkafspraken'")
        ).scalar()
        titled = connection.execute(
            text("SELECT count(*) FROM action WHERE lower(title) LIKE '%werkafspraken%'")
        ).scalar()
        trigger = connection.execute(
            text("SELECT count(*) FROM sqlite_master WHERE name = 'action_search_insert'")
        ).scalar()
    assert indexed == titled and titled
    assert trigger == 1  # back in place for the actions made after the demo
