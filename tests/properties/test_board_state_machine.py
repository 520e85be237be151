"""A Hypothesis state machine over board operations, driving the services directly.

Rules: create an action (on the team, its team of teams or the sibling team, in any column,
blocked with or without a reason), move it (column and position), edit it on the current or an
old version, delete it, close the current sprint, raise and resolve knelpunten. After every step:
positions are unique within each column, every action has exactly the version the model
expects (so versions only ever go up), no action is lost or duplicated (rollover included) and
every knelpunt went exactly one level up.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import Engine, event
from sqlmodel import Session, select

from app.config import Settings
from app.db import create_db_engine, writer
from app.models import (
    OPEN_STATUSES,
    Action,
    ActionCreate,
    ActionStatus,
    ActionUpdate,
    Escalation,
    EscalationCreate,
    EscalationResolve,
    EscalationStatus,
    Sprint,
    Team,
    User,
)
from app.services import actions, escalations, sprints
from app.services.access import access_for
from app.services.errors import Invalid, StaleVersion
from tests.conftest import TODAY, Templates, _copy, _no_fsync


@dataclass
class Card:
    """What the model knows of one action."""

    team_id: int
    sprint_id: int
    status: ActionStatus
    version: int
    carried_over: int = 0


@dataclass
class Knelpunt:
    action_id: int
    from_team_id: int
    to_team_id: int
    open: bool = True


class BoardMachine(RuleBasedStateMachine):
    # set by the test below: the template to copy and a folder for this run's databases
    templates: Templates
    folder: Path
    runs = itertools.count()

    def __init__(self) -> None:
        super().__init__()
        path = self.folder / f"board-{next(self.runs)}.db"
        _copy(self.templates.world, path)
        self.engine: Engine = create_db_engine(Settings(), url=f"sqlite:///{path}")
        event.listen(self.engine, "connect", _no_fsync)
        world = self.templates.world_ids
        self.admin_id = world.users["admin"].id
        # each team with an owner who counts as its member
        self.teams = {
            world.team.id: world.users["member"].id,
            world.team_of_teams.id: world.users["representative"].id,  # represents world.team
            world.other_team.id: world.users["outsider"].id,
        }
        self.parents = {
            world.team.id: world.team_of_teams.id,
            world.other_team.id: world.team_of_teams.id,
            world.team_of_teams.id: None,
        }
        self.cards: dict[int, Card] = {}
        self.knelpunten: dict[int, Knelpunt] = {}
        with self.session() as session:
            self.current_sprint = sprints.ensure_current(session=session, today=TODAY).id
        self.closed_sprints: set[int] = set()

    def teardown(self) -> None:
        self.engine.dispose()

    def session(self) -> Session:
        return Session(writer(self.engine), expire_on_commit=False)

    def access(self, session: Session):  # type: ignore[no-untyped-def]
        return access_for(session, session.get_one(User, self.admin_id))

    def _state(self, action: Action) -> Card:
        assert action.id is not None
        return Card(
            team_id=action.team_id,
            sprint_id=action.sprint_id,
            status=ActionStatus(action.status),
            version=action.version,
            carried_over=action.carried_over,
        )

    # --- rules ---------------------------------------------------------------------------
    @rule(
        team=st.sampled_from(["team", "team_of_teams", "other_team"]),
        status=st.sampled_from(list(ActionStatus)),
        reason=st.sampled_from([None, "", "Wachten op de leverancier"]),
    )
    def create(self, team: str, status: ActionStatus, reason: str | None) -> None:
        team_id = getattr(self.templates.world_ids, team).id
        data = ActionCreate(
            title="Actie",
            team_id=team_id,
            owner_id=self.teams[team_id],
            status=status,
            blocked_reason=reason,
        )
        with self.session() as session:
            # dropped only comes from closing a period (with a reason), never from a create
            if (status == ActionStatus.blocked and not reason) or status == ActionStatus.dropped:
                with pytest.raises(Invalid):
                    actions.create_action(
                        session=session, actor=self.access(session), data=data, today=TODAY
                    )
                return
            action = actions.create_action(
                session=session, actor=self.access(session), data=data, today=TODAY
            )
        assert action.id is not None and action.id not in self.cards
        assert action.version == 1 and action.sprint_id == self.current_sprint
        self.cards[action.id] = self._state(action)

    @precondition(lambda self: self.cards)
    @rule(
        data=st.data(),
        # a move never drops an action (update_action refuses it, see test_api_rhythm)
        status=st.sampled_from([s for s in ActionStatus if s != ActionStatus.dropped]),
        position=st.none() | st.integers(min_value=0, max_value=6),
    )
    def move(self, data: st.DataObject, status: ActionStatus, position: int | None) -> None:
        action_id = data.draw(st.sampled_from(sorted(self.cards)))
        card = self.cards[action_id]
        update = ActionUpdate(
            version=card.version,
            status=status,
            position=position,
            blocked_reason="Wacht op besluit" if status == ActionStatus.blocked else None,
        )
        self._edit(action_id, update)

    @precondition(lambda self: self.cards)
    @rule(data=st.data(), stale=st.booleans())
    def edit_title(self, data: st.DataObject, stale: bool) -> None:
        action_id = data.draw(st.sampled_from(sorted(self.cards)))
        card = self.cards[action_id]
        if stale and card.version == 1:
            stale = False  # there is no older version yet
        version = card.version - 1 if stale else card.version
        update = ActionUpdate(version=version, title=f"Versie {version}")
        if stale:
            with self.session() as session, pytest.raises(StaleVersion):
                actions.update_action(
                    session=session, actor=self.access(session), action_id=action_id, data=update
                )
            return  # the invariants check that nothing changed
        self._edit(action_id, update)

    def _edit(self, action_id: int, update: ActionUpdate) -> None:
        card = self.cards[action_id]
        with self.session() as session:
            call = {"session": session, "actor": self.access(session), "action_id": action_id}
            if card.sprint_id in self.closed_sprints:
                with pytest.raises(Invalid):
                    actions.update_action(**call, data=update)
                return
            action = actions.update_action(**call, data=update)
        assert action.version == card.version + 1
        self.cards[action_id] = self._state(action)

    @precondition(lambda self: self.cards)
    @rule(data=st.data())
    def delete(self, data: st.DataObject) -> None:
        action_id = data.draw(st.sampled_from(sorted(self.cards)))
        with self.session() as session:
            actions.delete_action(
                session=session,
                actor=self.access(session),
                action_id=action_id,
                version=self.cards[action_id].version,
            )
        del self.cards[action_id]
        for knelpunt in self.knelpunten.values():
            if knelpunt.action_id == action_id:
                knelpunt.action_id = 0  # the knelpunt stays, without its card

    # a few closes per run are enough; without a bound this argument-less rule crowds out the rest
    @precondition(lambda self: self.cards and len(self.closed_sprints) < 3)
    @rule()
    def close_current_sprint(self) -> None:
        closing = self.current_sprint
        with self.session() as session:
            result = sprints.close_sprint(
                session=session, actor=self.access(session), sprint_id=closing, today=TODAY
            )
        assert result.next_sprint.id is not None and result.next_sprint.id != closing
        moved = [i for i, card in self.cards.items() if card.sprint_id == closing]
        moved = [i for i in moved if self.cards[i].status in OPEN_STATUSES]
        assert result.carried_over == len(moved)
        for action_id in moved:
            card = self.cards[action_id]
            card.sprint_id = result.next_sprint.id
            card.carried_over += 1
            card.version += 1
        self.closed_sprints.add(closing)
        self.current_sprint = result.next_sprint.id

    @precondition(lambda self: self.cards)
    @rule(data=st.data())
    def raise_escalation(self, data: st.DataObject) -> None:
        action_id = data.draw(st.sampled_from(sorted(self.cards)))
        team_id = self.cards[action_id].team_id
        already_open = any(k.open and k.action_id == action_id for k in self.knelpunten.values())
        with self.session() as session:
            call = {"session": session, "actor": self.access(session), "action_id": action_id}
            note = EscalationCreate(note="We hebben een besluit nodig.")
            finished = self.cards[action_id].status == ActionStatus.done
            if self.parents[team_id] is None or already_open or finished:
                with pytest.raises(Invalid):
                    escalations.raise_escalation(**call, data=note)
                return
            escalation = escalations.raise_escalation(**call, data=note)
        assert escalation.id is not None
        self.knelpunten[escalation.id] = Knelpunt(
            action_id=action_id, from_team_id=team_id, to_team_id=self.parents[team_id]
        )

    @precondition(lambda self: self.knelpunten)
    @rule(data=st.data())
    def resolve_escalation(self, data: st.DataObject) -> None:
        escalation_id = data.draw(st.sampled_from(sorted(self.knelpunten)))
        knelpunt = self.knelpunten[escalation_id]
        with self.session() as session:
            call = {
                "session": session,
                "actor": self.access(session),
                "escalation_id": escalation_id,
                "data": EscalationResolve(resolution="Besloten: we gaan door."),
            }
            if not knelpunt.open:
                with pytest.raises(Invalid):
                    escalations.resolve_escalation(**call)
                return
            escalations.resolve_escalation(**call)
        knelpunt.open = False

    # --- invariants ----------------------------------------------------------------------
    @invariant()
    def positions_are_unique_within_each_column(self) -> None:
        with Session(self.engine) as session:
            rows = session.exec(
                select(Action.team_id, Action.sprint_id, Action.status, Action.position)
            ).all()
        assert len(rows) == len(set(rows)), sorted(rows)

    @invariant()
    def every_action_is_there_once_as_the_model_expects(self) -> None:
        with Session(self.engine) as session:
            found = {action.id: self._state(action) for action in session.exec(select(Action))}
        # no action lost or duplicated; versions and sprints exactly as counted (so a version
        # only ever goes up, and rollover moved the open ones and left the done ones)
        assert found == self.cards

    @invariant()
    def escalations_go_exactly_one_level_up(self) -> None:
        with Session(self.engine) as session:
            parents = {team.id: team.parent_id for team in session.exec(select(Team))}
            found = session.exec(select(Escalation)).all()
        assert {e.id for e in found} == set(self.knelpunten)
        for escalation in found:
            assert escalation.to_team_id == parents[escalation.from_team_id]
            expected = self.knelpunten[escalation.id]  # type: ignore[index]
            assert escalation.to_team_id == expected.to_team_id
            assert (escalation.status == EscalationStatus.open) == expected.open

    @invariant()
    def only_the_current_sprint_is_open(self) -> None:
        with Session(self.engine) as session:
            open_ids = set(session.exec(select(Sprint.id).where(Sprint.closed_at == None)))  # noqa: E711
        assert self.current_sprint in open_ids
        assert not open_ids & self.closed_sprints


MACHINE_SETTINGS = hypothesis_settings(
    max_examples=25,
    stateful_step_count=20,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def test_board_operations_keep_their_invariants(
    settings: Settings, _templates: Templates, tmp_path: Path
) -> None:
    BoardMachine.templates = _templates
    BoardMachine.folder = tmp_path
    run_state_machine_as_test(BoardMachine, settings=MACHINE_SETTINGS)
