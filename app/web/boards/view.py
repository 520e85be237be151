"""What a board shows, decided in Python: its rows, cards, flags and the state of its forms.

Templates only print these; every rule (who may write, what is late, what may be escalated)
is settled here or in the services.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session

from app.domain.actions import escalation_problem
from app.domain.due import is_overdue
from app.domain.permissions import Access
from app.domain.sprints import write_problem
from app.models import (
    Action,
    ActionStatus,
    Ambition,
    Escalation,
    EscalationStatus,
    EscalationType,
    Goal,
    Sprint,
    Team,
)
from app.queries import boards as queries_boards
from app.queries.boards import (
    BOARD_ORDER,
    BoardAction,
)
from app.queries.bottlenecks import Bottlenecks, bottlenecks
from app.queries.escalations import Knelpunt, board_knelpunten
from app.services.rhythm import PeriodState, period_state
from app.web.boards.forms import ACTION_FIELDS, first_error
from app.web.boards.knelpunten import KnelpuntView, type_label
from app.web.forms import SHOWN_STATUS_LABELS
from app.web.i18n import gettext as _
from app.web.meetings import MeetingGroup, card_label, meeting_groups

LANE_NONE = "zonder"
STANDUP = "overleg"


def lane_key(ambition_id: int | None) -> str:
    """The row an action sits in: its ambition, or the row without ambition."""
    return f"a{ambition_id}" if ambition_id else LANE_NONE


def status_label(status: str) -> str:
    return _(SHOWN_STATUS_LABELS[ActionStatus(status)])


def count_label(status: str, number: int) -> str:
    """ "3 te doen", "2 bezig", ... for a child team's lane."""
    labels = {
        ActionStatus.todo: _("%(n)s te doen"),
        ActionStatus.doing: _("%(n)s bezig"),
        ActionStatus.done: _("%(n)s klaar"),
        ActionStatus.blocked: _("%(n)s geblokkeerd"),
    }
    return labels[ActionStatus(status)] % {"n": number}


@dataclass(frozen=True)
class Choice:
    value: str
    label: str


@dataclass
class CardState:
    """A card shown other than plainly: which form it holds, what was typed, what went wrong."""

    mode: str = "view"  # view | menu (open, without JavaScript) | edit | move | escalate | delete
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    stale_by: str = ""  # who changed the action meanwhile, when a change was made on an old copy
    focus: bool = False  # after an HTMX swap, put focus back on the card's own controls

    @property
    def first_error(self) -> str:
        """The field that gets focus: the first one with a problem."""
        return first_error(self.errors, (*ACTION_FIELDS, "note"))


@dataclass
class CardView:
    action: Action | BoardAction  # a board's cards are light rows (queries.boards)
    owner_name: str
    lane: str
    is_overdue: bool
    knelpunt: Escalation | None
    can_write: bool
    can_escalate: bool
    url: str  # /teams/{team}/acties/{id}
    comment_count: int = 0
    state: CardState = field(default_factory=CardState)
    extra_owner: Choice | None = None  # the owner when they are no longer on the board
    can_delete: bool = False  # its owner, its creator, the team's lead or an admin
    answer: Knelpunt | None = None  # an answer to its knelpunt the team has not read yet
    meeting_label: str = ""  # "Raad Baarle-Nassau 10 dec.": the meeting it is due for

    def __post_init__(self) -> None:
        # the delete question is only for who may delete (Access.can_delete_action)
        if self.state.mode == "delete" and not self.can_delete:
            self.state = CardState()

    @property
    def knelpunt_types(self) -> list[Choice]:
        """The kinds of knelpunt the escalate form offers (hulp, besluit, capaciteit)."""
        return [Choice(kind.value, type_label(kind)) for kind in EscalationType]

    @property
    def editing(self) -> bool:
        """A card holding an open form is not redrawn under its user by live updates."""
        return self.state.mode != "view"

    @property
    def id(self) -> int:
        assert self.action.id is not None
        return self.action.id

    @property
    def status_label(self) -> str:
        return status_label(self.action.status)

    @property
    def is_blocked(self) -> bool:
        return self.action.status == ActionStatus.blocked

    @property
    def move_choices(self) -> list[Choice]:
        return [
            Choice(status, status_label(status))
            for status in BOARD_ORDER
            if status != self.action.status
        ]

    @property
    def move_status(self) -> str:
        """The status the move form is about: the one asked for (a refused move, or
        Geblokkeerd chosen from the menu); no status is ever picked for the user."""
        return self.state.values.get("status", "")

    @property
    def move_status_label(self) -> str:
        statuses = {status.value for status in ActionStatus}
        return status_label(self.move_status) if self.move_status in statuses else ""

    @property
    def show_reason(self) -> bool:
        """The move form asks why when Geblokkeerd was asked for."""
        return self.state.mode == "move" and (
            self.move_status == ActionStatus.blocked or "blocked_reason" in self.state.errors
        )

    @property
    def open_knelpunt_on_unblock(self) -> bool:
        """Moving this card out of Geblokkeerd would leave its knelpunt open: asked first."""
        return self.is_blocked and self.knelpunt is not None

    @property
    def asks_if_knelpunt_settled(self) -> bool:
        statuses = {status.value for status in ActionStatus} - {ActionStatus.blocked.value}
        return self.open_knelpunt_on_unblock and self.move_status in statuses

    @property
    def form(self) -> dict[str, str]:
        """The edit form's values: what was typed, else the action as it is."""
        action = self.action
        current = {
            "title": action.title,
            "description": action.description,
            "owner_id": str(action.owner_id),
            "due_date": action.due_date.isoformat() if action.due_date else "",
            "doel": f"g{action.goal_id}" if action.goal_id else lane_key(action.ambition_id),
            "meeting_id": str(action.meeting_id or ""),
            "blocked_reason": action.blocked_reason or "",
            "version": str(action.version),
        }
        if current["doel"] == LANE_NONE:
            current["doel"] = ""
        return {**current, **self.state.values}


@dataclass
class ColumnView:
    status: str
    cards: list[CardView]

    @property
    def label(self) -> str:
        return status_label(self.status)


@dataclass
class LaneView:
    key: str
    ambition: Ambition | None
    columns: list[ColumnView]
    focus: bool = False  # after a card left it, focus goes to the row's heading

    @property
    def title(self) -> str:
        return self.ambition.title if self.ambition else _("Zonder ambitie")

    @property
    def count(self) -> int:
        return sum(len(column.cards) for column in self.columns)

    @property
    def hidden(self) -> bool:
        """An ambition's row without cards stays on the page, hidden, so a card added to it
        later has a place to appear."""
        return self.count == 0 and self.key != LANE_NONE


@dataclass
class ChildLaneView:
    team: Team
    counts: dict[str, int]
    open_escalations: int

    @property
    def summary(self) -> str:
        return ", ".join(count_label(status, self.counts.get(status, 0)) for status in BOARD_ORDER)

    @property
    def knelpunten_label(self) -> str:
        n = self.open_escalations
        if n == 1:
            return _("1 open knelpunt")
        return _("%(n)s open knelpunten") % {"n": n}


@dataclass
class AmbitionOption:
    ambition: Ambition
    goals: list[Goal]


@dataclass
class AddForm:
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    open: bool = False

    @property
    def first_error(self) -> str:
        return first_error(self.errors)


@dataclass
class BoardView:
    team: Team
    parent: Team | None
    sprint: Sprint
    is_current: bool
    previous: Sprint | None
    following: Sprint | None
    can_write: bool
    standup: bool
    lanes: list[LaneView]
    children: list[ChildLaneView]
    received: list[KnelpuntView]  # lying with this team
    raised: list[KnelpuntView]  # raised by this team: open, or answered and not yet read
    owners: list[Choice]
    ambitions: list[AmbitionOption]
    add: AddForm
    passed: list[KnelpuntView] = field(default_factory=list)  # passed further up from here
    bottlenecks: Bottlenecks | None = None  # a team of teams: what holds up its teams
    meetings: list[MeetingGroup] = field(default_factory=list)  # the "Vergadering" choice
    period: PeriodState | None = None  # closed early, closed by the team, can close or plan

    @property
    def base(self) -> str:
        return f"/teams/{self.team.id}"

    @property
    def query(self) -> str:
        """What the partials of this page add to their address: the sprint, and the stand-up."""
        query = f"?sprint_id={self.sprint.id}"
        return query + f"&weergave={STANDUP}" if self.standup else query

    @property
    def live_url(self) -> str:
        return f"{self.base}/live{self.query}"

    @property
    def is_team_of_teams(self) -> bool:
        return bool(self.children)

    @property
    def readonly(self) -> bool:
        """A closed sprint is only read (domain.sprints.write_problem)."""
        return self.sprint_problem is not None

    @property
    def sprint_problem(self) -> str | None:
        return write_problem(closed_at=self.sprint.closed_at)

    @property
    def add_sprint_id(self) -> int | None:
        """The sprint an added action goes into, when it is not today's."""
        return None if self.is_current else self.sprint.id

    @property
    def cards(self) -> list[CardView]:
        return [card for lane in self.lanes for column in lane.columns for card in column.cards]

    def card(self, action_id: int) -> CardView | None:
        return next((card for card in self.cards if card.id == action_id), None)

    def lane(self, key: str) -> LaneView:
        found = next((lane for lane in self.lanes if lane.key == key), None)
        if found is None:  # a row that has nothing to show (any more): an empty, hidden one
            found = LaneView(
                key=key, ambition=None, columns=[ColumnView(s, []) for s in BOARD_ORDER]
            )
        return found

    def lane_of(self, action_id: int) -> LaneView | None:
        card = self.card(action_id)
        return self.lane(card.lane) if card else None

    def hides(self, lane: LaneView) -> bool:
        """A row without cards is hidden; in the stand-up also the row without ambition, so
        the meeting walks only rows with actions."""
        return lane.hidden or (self.standup and lane.count == 0)

    @property
    def has_knelpunten(self) -> bool:
        return bool(self.received or self.raised or self.passed)


def build_board(
    session: Session,
    *,
    access: Access,
    team: Team,
    sprint: Sprint,
    current: Sprint | None,
    today: date,
    standup: bool = False,
    states: dict[int, CardState] | None = None,
    add: AddForm | None = None,
    resolving: dict[int, tuple[dict[str, str], dict[str, str]]] | None = None,
    focus_lane: str | None = None,
) -> BoardView:
    """A team's board for one sprint, in a fixed number of queries however many cards it has."""
    assert team.id is not None
    states = states or {}
    resolving = resolving or {}
    is_current = current is not None and current.id == sprint.id
    can_write = (
        write_problem(closed_at=sprint.closed_at) is None
        and not standup
        and access.can_write_board(team.id)
    )
    page = queries_boards.board_page(session, team=team, sprint=sprint, with_choices=can_write)
    board, names, teams, ambitions = page.board, page.names, page.teams, page.ambitions
    actions = [action for _status, cards in board.columns for action in cards]

    raised_from = {
        e.action_id: e
        for e in board.escalations
        if e.from_team_id == team.id and e.action_id is not None
    }
    base = f"/teams/{team.id}"
    may_answer = access.can_write_board(team.id)
    knelpunten = board_knelpunten(session, team_id=team.id, today=today, with_owners=may_answer)

    def card_view(action: BoardAction) -> CardView:
        assert action.id is not None
        knelpunt = raised_from.get(action.id)
        return CardView(
            action=action,
            owner_name=names.get(action.owner_id, _("verwijderde gebruiker")),
            lane=lane_key(action.ambition_id),
            is_overdue=is_overdue(status=action.status, due_date=action.due_date, today=today),
            knelpunt=knelpunt,
            can_write=can_write,
            can_escalate=can_write
            and escalation_problem(
                status=ActionStatus(action.status),
                team_has_parent=team.parent_id is not None,
                already_open=knelpunt is not None and knelpunt.status == EscalationStatus.open,
            )
            is None,
            url=f"{base}/acties/{action.id}",
            answer=knelpunten.answers.get(action.id),
            comment_count=page.comment_counts.get(action.id, 0),
            meeting_label=card_label(page.meetings[action.meeting_id])
            if action.meeting_id in page.meetings
            else "",
            # a card that cannot be written on holds no form, whatever was asked
            state=states.get(action.id, CardState()) if can_write else CardState(),
            can_delete=can_write
            and access.can_delete_action(
                team_id=action.team_id, owner_id=action.owner_id, created_by_id=action.created_by_id
            ),
        )

    cards = [card_view(action) for action in actions]
    cells: dict[tuple[str, str], list[CardView]] = defaultdict(list)
    for card in cards:  # already in column order
        cells[card.lane, card.action.status].append(card)
    lanes = [
        LaneView(
            key=key,
            ambition=ambition,
            columns=[ColumnView(status, cells[key, status]) for status in BOARD_ORDER],
            focus=key == focus_lane,
        )
        for key, ambition in [*((lane_key(a.id), a) for a in ambitions), (LANE_NONE, None)]
    ]

    def knelpunt_view(k: Knelpunt) -> KnelpuntView:
        values, errors = resolving.get(k.id, ({}, {}))
        lies_here = k.is_open and k.escalation.to_team_id == team.id
        return KnelpuntView(
            knelpunt=k,
            # also in the stand-up: the team of teams answers its knelpunten while it meets
            can_resolve=lies_here and may_answer,
            can_acknowledge=k.awaits_reading
            and k.escalation.from_team_id == team.id
            and may_answer,
            owners=knelpunten.owners if lies_here and may_answer else [],
            values=values,
            errors=errors,
        )

    owners: list[Choice] = []
    options: list[AmbitionOption] = []
    if can_write:
        owners = [Choice(str(user.id), user.name) for user in page.writers]
        # every row's ambition: the active ones and those the actions already have
        options = [AmbitionOption(a, page.goals.get(a.id or 0, [])) for a in ambitions]
        on_board = {owner.value for owner in owners}
        for card in cards:
            if str(card.action.owner_id) not in on_board:
                card.extra_owner = Choice(str(card.action.owner_id), card.owner_name)
    add = add or AddForm()
    if can_write and "owner_id" not in add.values:
        mine = str(access.user_id)
        add.values["owner_id"] = mine if any(o.value == mine for o in owners) else ""

    return BoardView(
        team=team,
        parent=teams.get(team.parent_id) if team.parent_id else None,
        sprint=sprint,
        is_current=is_current,
        previous=page.neighbours.previous,
        following=page.neighbours.following,
        can_write=can_write,
        standup=standup,
        lanes=lanes,
        children=[
            ChildLaneView(lane.team, lane.counts, lane.open_escalations) for lane in board.children
        ],
        received=[knelpunt_view(k) for k in knelpunten.here],
        raised=[knelpunt_view(k) for k in knelpunten.raised],
        passed=[knelpunt_view(k) for k in knelpunten.passed],
        bottlenecks=bottlenecks(session, team_id=team.id, sprint=sprint, today=today)
        if board.children
        else None,
        owners=owners,
        ambitions=options,
        add=add,
        meetings=meeting_groups(page.meeting_choices, ""),
        period=period_state(
            session,
            access=access,
            team_id=team.id,
            sprint=sprint,
            today=today,
            has_following=page.neighbours.following is not None,
        ),
    )
