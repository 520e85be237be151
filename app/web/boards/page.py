"""The team board: the page, its partials and adding actions (the knelpunten's forms are in
escalations.py).

The card's own forms (edit, move, delete, escalate) are in cards.py, its detail with
reacties and history in detail.py, the live stream in live.py and the stand-up in
standup.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from sqlalchemy import Engine
from sqlmodel import Session
from starlette.responses import Response

from app.db import read_session
from app.deps import PathId, QueryId
from app.domain.permissions import Access
from app.models import Action, ActionCreate, Sprint, Team
from app.services import actions, sprints
from app.services.access import get_or_404
from app.services.errors import NotFound
from app.services.sprints import current_sprint
from app.web import i18n
from app.web.boards.forms import ActionForm, action_fields, build, on_form, parse_id
from app.web.boards.view import STANDUP, AddForm, BoardView, CardState, build_board
from app.web.deps import PageDep, PageRequest
from app.web.forms import saved_answer, shown_again_only_to_writers, submit
from app.web.i18n import gettext as _
from app.web.templating import is_htmx, render, render_block

router = APIRouter()

TEMPLATE = "boards/team.html"
FormText = Annotated[str, Form()]
LANE_KEY = re.compile(r"zonder|a[1-9][0-9]{0,9}")


# --- loading and answering ------------------------------------------------------------------
@dataclass(frozen=True)
class Place:
    """Which board: the team, the sprint shown and today's sprint."""

    team: Team
    sprint: Sprint
    current: Sprint | None


def use_locale(request: Request) -> None:
    """Messages made in Python (meldingen) are in the viewer's language."""
    i18n.current_locale.set(getattr(request.state, "locale", "nl"))


def place_for_reading(
    session: Session, engine: Engine, today: date, team_id: int, sprint_id: int | None
) -> Place:
    """For a GET: the team and the sprint asked for (default today's, made when missing)."""
    team = get_or_404(session, Team, team_id, "Team")
    current = current_sprint(session=session, engine=engine, today=today)
    if sprint_id is None or sprint_id == current.id:
        return Place(team, current, current)
    return Place(team, get_or_404(session, Sprint, sprint_id, "Periode"), current)


def load(
    request: Request,
    session: Session,
    access: Access,
    place: Place,
    today: date,
    *,
    weergave: str | None = None,
    **options: Any,
) -> BoardView:
    use_locale(request)
    return build_board(
        session,
        access=access,
        team=place.team,
        sprint=place.sprint,
        current=place.current,
        today=today,
        standup=weergave == STANDUP,
        **options,
    )


def reload(page: PageRequest, *, team_id: int, sprint_id: int | None, **options: Any) -> BoardView:
    """The board read afresh after a write, in a read session of its own (the write session
    may still hold the database's write lock)."""
    with read_session(page.engine) as reading:
        current = sprints.find_current(session=reading, today=page.today)
        sprint = reading.get(Sprint, sprint_id) if sprint_id else current
        team = reading.get(Team, team_id)
        if sprint is None or team is None:
            raise NotFound("Periode")
        place = Place(team, sprint, current)
        return load(page.request, reading, page.viewer.access, place, page.today, **options)


@dataclass(frozen=True)
class Undo:
    """The move back: the card's place before the last move, sent as a move again."""

    url: str  # the card's move address
    lane: str
    version: int  # the version the move made
    status: str
    blocked_reason: str
    voor: int | None  # the card it stood above


def answer(
    request: Request,
    view: BoardView,
    parts: list[tuple[str, dict[str, Any]]],
    *,
    melding: str = "",
    undo: Undo | None = None,
    status_code: int = 200,
    target: str | None = None,
) -> Response:
    """For HTMX: the first block swaps into the target (target moves it elsewhere), the others
    carry data-hx-swap-oob; a melding goes to the status message (with a way back, for a move).
    For a plain request: the whole page."""
    if not is_htmx(request):
        return render(request, TEMPLATE, {"view": view, "oob": ()}, status_code=status_code)
    if melding:
        parts = [*parts, ("melding", {"melding": melding, "undo": undo})]
    body = b"".join(
        bytes(render_block(request, TEMPLATE, block, {"view": view, "oob": (), **extra}).body)
        for block, extra in parts
    )
    response = Response(body, status_code=status_code, media_type="text/html")
    response.headers["Vary"] = "HX-Request"
    if target is not None:
        response.headers["HX-Retarget"] = target
        response.headers["HX-Reswap"] = "outerHTML"
    return response


def card_answer(
    request: Request, view: BoardView, action_id: int, *, status_code: int = 200, melding: str = ""
) -> Response:
    """The card alone for HTMX (into #action-{id}), or the board holding it."""
    card = view.card(action_id)
    if card is None:
        raise NotFound("Actie")
    return answer(
        request,
        view,
        [("card", {"card": card})],
        status_code=status_code,
        melding=melding,
        target=f"#action-{action_id}",
    )


def lane_answer(
    request: Request,
    view: BoardView,
    key: str,
    *,
    status_code: int = 200,
    melding: str = "",
    undo: Undo | None = None,
) -> Response:
    return answer(
        request,
        view,
        [("lane", {"lane": view.lane(key)})],
        status_code=status_code,
        melding=melding,
        undo=undo,
        target=f"#lane-{key}",
    )


# --- the page and its partials --------------------------------------------------------------
def shown_board(
    page: PageDep, team_id: PathId, sprint_id: QueryId = None, weergave: str | None = None
) -> BoardView:
    """The board a GET asks for: the team, the sprint (today's by default), the stand-up."""
    request, viewer, session, engine, today = page
    place = place_for_reading(session, engine, today, team_id, sprint_id)
    return load(request, session, viewer.access, place, today, weergave=weergave)


ShownBoard = Annotated[BoardView, Depends(shown_board)]


@router.get("/teams/{team_id}")
def team_board(request: Request, view: ShownBoard) -> Response:
    return render(request, TEMPLATE, {"view": view, "oob": ()}, block="board")


@router.get("/teams/{team_id}/rijen/{lane}")
def board_row(request: Request, lane: str, view: ShownBoard) -> Response:
    if not LANE_KEY.fullmatch(lane):
        raise NotFound("Rij")
    return render(
        request, TEMPLATE, {"view": view, "oob": (), "lane": view.lane(lane)}, block="lane"
    )


@router.get("/teams/{team_id}/teams")
def child_lanes(request: Request, view: ShownBoard) -> Response:
    return render(request, TEMPLATE, {"view": view, "oob": ()}, block="lanes")


@router.get("/teams/{team_id}/knelpunten")
def knelpunten(request: Request, view: ShownBoard) -> Response:
    return render(request, TEMPLATE, {"view": view, "oob": ()}, block="knelpunten")


# --- adding an action -----------------------------------------------------------------------
@router.post("/teams/{team_id}/acties")
def add_action(page: PageDep, team_id: PathId, form: Annotated[ActionForm, Form()]) -> Response:
    request, viewer, session, today = page.request, page.viewer, page.session, page.today
    get_or_404(session, Team, team_id, "Team")
    values = form.typed()
    sprint = parse_id(form.sprint_id) if form.sprint_id else None

    def save() -> Action:
        fields, problems = action_fields(values, today=today)
        data = build(ActionCreate, {"team_id": team_id, "sprint_id": sprint, **fields}, problems)
        return actions.create_action(session=session, actor=viewer.access, data=data, today=today)

    def refused(errors: dict[str, str]) -> Response:
        add = AddForm(values=values, errors=on_form(errors), open=True)
        view = reload(page, team_id=team_id, sprint_id=sprint, add=add)
        shown_again_only_to_writers(view.can_write)
        return answer(request, view, [("add_form", {})])

    def saved(created: Action) -> Response:
        assert created.id is not None
        view = reload(
            page,
            team_id=team_id,
            sprint_id=created.sprint_id,
            add=AddForm(open=True),
            states={created.id: CardState()},
        )
        lane = view.lane_of(created.id)
        assert lane is not None
        return answer(
            request,
            view,
            [("lane", {"lane": lane}), ("add_form", {"oob": ("add_form",)})],
            melding=_("Actie „%(titel)s” is toegevoegd aan %(rij)s.")
            % {"titel": created.title, "rij": lane.title},
            target=f"#lane-{lane.key}",
        )

    return submit(
        session,
        save,
        refused=refused,
        saved=lambda created: saved_answer(
            request, f"/teams/{team_id}#action-{created.id}", lambda: saved(created)
        ),
    )
