"""Read models: boards in a fixed number of queries, and ambition progress per sprint."""

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from app.models import (
    Action,
    ActionStatus,
    AmbitionCreate,
    Escalation,
    EscalationCreate,
    Sprint,
    Team,
)
from app.queries import ambitions as queries_ambitions
from app.queries import boards as queries_boards
from app.services import ambitions, escalations, sprints
from tests.integration.service_helpers import as_, edit, new_action
from tests.support.builders import World
from tests.support.query_counts import counting_statements

STATUSES = list(ActionStatus)


def fill(session: Session, world: World, cards: int) -> None:
    """Cards spread over every column of the team, its sibling and the team of teams."""
    teams = [world.team.id, world.other_team.id, world.team_of_teams.id]
    owners = [world.users["member"].id, world.users["outsider"].id, world.users["admin"].id]
    for number in range(cards):
        status = STATUSES[number % len(STATUSES)]
        session.add(
            Action(
                title=f"Kaart {number}",
                team_id=teams[number % 3],
                owner_id=owners[number % 3],
                sprint_id=world.sprint.id,
                status=status,
                blocked_reason="Wacht" if status == ActionStatus.blocked else None,
                position=number,
            )
        )
    session.commit()
    # a finished action is not escalated (domain.actions.escalation_problem)
    newest = select(Action.id).where(
        Action.team_id == world.team.id, Action.status != ActionStatus.done
    )
    for action_id in session.exec(newest.order_by(col(Action.id).desc()).limit(2)).all():
        escalations.raise_escalation(
            session=session,
            actor=as_(session, world, "admin"),
            action_id=action_id,
            data=EscalationCreate(note="Hulp nodig"),
        )


def statements_for_board(world: World, team_id: int) -> tuple[int, queries_boards.Board]:
    with Session(world.engine) as reader:
        team, sprint = reader.get_one(Team, team_id), reader.get_one(Sprint, world.sprint.id)
        with counting_statements(world.engine) as statements:
            board = queries_boards.board(reader, team=team, sprint=sprint)
            for _, cards in board.columns:
                [card.title for card in cards]  # touching the cards loads nothing more
        return len(statements), board


def test_a_board_loads_in_the_same_number_of_queries_for_5_or_50_cards(
    world: World, session: Session, sqlite_engine: Engine
):
    fill(session, world, 5)
    small_team, _ = statements_for_board(world, world.team.id)
    small_parent, _ = statements_for_board(world, world.team_of_teams.id)
    fill(session, world, 45)
    large_team, board = statements_for_board(world, world.team.id)
    large_parent, _ = statements_for_board(world, world.team_of_teams.id)

    assert sum(len(cards) for _, cards in board.columns) > 10
    assert (large_team, large_parent) == (small_team, small_parent)
    assert large_parent <= 6, (large_team, large_parent)


def test_a_board_shows_four_columns_in_order_and_the_lanes_of_child_teams(
    world: World, session: Session
):
    new_action(session, world, title="Eerste")
    doing = new_action(session, world, title="Bezig", status=ActionStatus.doing)
    escalations.raise_escalation(
        session=session,
        actor=as_(session, world, "member"),
        action_id=doing.id,
        data=EscalationCreate(note="Hulp"),
    )
    new_action(session, world, "outsider", team_id=world.other_team.id, status=ActionStatus.done)

    _, board = statements_for_board(world, world.team_of_teams.id)

    assert [status for status, _ in board.columns] == ["todo", "doing", "done", "blocked"]
    lanes = {lane.team.name: lane for lane in board.children}
    assert list(lanes) == ["Jeugd", "Werk"]  # by name
    assert lanes["Jeugd"].counts == {"todo": 1, "doing": 1, "done": 0, "blocked": 0}
    assert lanes["Jeugd"].open_escalations == 1
    assert lanes["Werk"].counts["done"] == 1
    # the knelpunt shows on the board it was sent to
    assert [e.from_team_id for e in board.escalations] == [world.team.id]


def test_a_board_lists_cards_in_column_order(world: World, session: Session):
    a, b, c = (new_action(session, world, title=t) for t in "abc")
    edit(session, world, c, position=0)
    _, board = statements_for_board(world, world.team.id)
    assert [card.id for card in board.columns[0][1]] == [c.id, a.id, b.id]


def test_ambition_progress_counts_carried_out_actions_in_the_sprint_they_left(
    world: World, session: Session
):
    ambition = ambitions.create_ambition(
        session=session, actor=as_(session, world, "admin"), data=AmbitionCreate(title="Ambitie")
    )
    done = new_action(session, world, ambition_id=ambition.id, status=ActionStatus.done)
    new_action(session, world, ambition_id=ambition.id)
    blocked = new_action(
        session,
        world,
        ambition_id=ambition.id,
        status=ActionStatus.blocked,
        blocked_reason="Wacht op budget",
    )
    new_action(session, world, title="Zonder ambitie")
    result = sprints.close_sprint(
        session=session,
        actor=as_(session, world, "admin"),
        sprint_id=world.sprint.id,
        today=world.today,
    )
    session.refresh(blocked)
    edit(session, world, blocked, status=ActionStatus.done)

    first, second = queries_ambitions.ambition_progress(session, ambition_id=ambition.id)

    assert (first.sprint_id, second.sprint_id) == (world.sprint.id, result.next_sprint.id)
    # planned counts what was planned for the sprint, also what was carried out of it
    assert (first.planned, first.done, first.carried_over, first.blocked) == (3, 1, 2, 1)
    assert (second.planned, second.done, second.carried_over, second.blocked) == (2, 1, 0, 0)
    assert done.sprint_id == world.sprint.id


def test_an_ambition_without_actions_has_no_progress_rows(world: World, session: Session):
    ambition = ambitions.create_ambition(
        session=session, actor=as_(session, world, "admin"), data=AmbitionCreate(title="Leeg")
    )
    assert queries_ambitions.ambition_progress(session, ambition_id=ambition.id) == []


def test_open_escalations_for_an_ambition_follow_its_actions(world: World, session: Session):
    ambition = ambitions.create_ambition(
        session=session, actor=as_(session, world, "admin"), data=AmbitionCreate(title="Ambitie")
    )
    action = new_action(session, world, ambition_id=ambition.id)
    escalation = escalations.raise_escalation(
        session=session,
        actor=as_(session, world, "member"),
        action_id=action.id,
        data=EscalationCreate(note="Hulp"),
    )
    found = queries_ambitions.open_escalations_for_ambition(session, ambition_id=ambition.id)
    assert [e.id for e in found] == [escalation.id]
    assert isinstance(found[0], Escalation)
