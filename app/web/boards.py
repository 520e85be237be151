"""The team board: the page, its partials, adding actions and resolving knelpunten.

The card's own forms (edit, move, delete, escalate) are in board_cards.py, its detail with
reacties and history in board_detail.py, the live stream in live.py and the stand-up in
standup.py.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, status
from fastapi.responses import RedirectResponse
from pydantic import ValidationError
from sqlalchemy import Engine
from sqlmodel import Session
from starlette.responses import Response

from app.db import read_session
from app.deps import EngineDep, PathId, QueryId, SessionDep, Today
from app.domain.permissions import Access
from app.models import ActionCreate, Escalation, EscalationResolve, Sprint, Team
from app.services import actions, escalations, sprints
from app.services.access import get_or_404, require_board_writer
from app.services.errors import Invalid, NotFound
from app.services.sprints import current_sprint
from app.web import i18n
from app.web.board_forms import N_, parse_action, service_errors
from app.web.board_view import STANDUP, AddForm, BoardView, CardState, build_board
from app.web.deps import ViewerDep
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


def reload(
    request: Request,
    engine: Engine,
    access: Access,
    today: date,
    *,
    team_id: int,
    sprint_id: int | None,
    **options: Any,
) -> BoardView:
    """The board read afresh after a write, in a read session of its own (the write session
    may still hold the database's write lock)."""
    with read_session(engine) as reading:
        current = sprints.find_current(session=reading, today=today)
        sprint = reading.get(Sprint, sprint_id) if sprint_id else current
        team = reading.get(Team, team_id)
        if sprint is None or team is None:
            raise NotFound("Periode")
        return load(request, reading, access, Place(team, sprint, current), today, **options)


def answer(
    request: Request,
    view: BoardView,
    parts: list[tuple[str, dict[str, Any]]],
    *,
    melding: str = "",
    status_code: int = 200,
    target: str | None = None,
) -> Response:
    """For HTMX: the first block swaps into the target (target moves it elsewhere), the others
    carry hx-swap-oob; a melding goes to the screen reader's live region. For a plain request:
    the whole page."""
    if not is_htmx(request):
        return render(request, TEMPLATE, {"view": view, "oob": ()}, status_code=status_code)
    if melding:
        parts = [*parts, ("melding", {"melding": melding})]
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
    request: Request, view: BoardView, key: str, *, status_code: int = 200, melding: str = ""
) -> Response:
    return answer(
        request,
        view,
        [("lane", {"lane": view.lane(key)})],
        status_code=status_code,
        melding=melding,
        target=f"#lane-{key}",
    )


def see_other(url: str) -> Response:
    return RedirectResponse(url, status_code=status.HTTP_303_SEE_OTHER)


# --- the page and its partials --------------------------------------------------------------
@router.get("/teams/{team_id}")
def team_board(
    request: Request,
    team_id: PathId,
    viewer: ViewerDep,
    session: SessionDep,
    engine: EngineDep,
    today: Today,
    sprint_id: QueryId = None,
    weergave: str | None = None,
) -> Response:
    place = place_for_reading(session, engine, today, team_id, sprint_id)
    view = load(request, session, viewer.access, place, today, weergave=weergave)
    return render(request, TEMPLATE, {"view": view, "oob": ()}, block="board")


@router.get("/teams/{team_id}/rijen/{lane}")
def board_row(
    request: Request,
    team_id: PathId,
    lane: str,
    viewer: ViewerDep,
    session: SessionDep,
    engine: EngineDep,
    today: Today,
    sprint_id: QueryId = None,
    weergave: str | None = None,
) -> Response:
    if not LANE_KEY.fullmatch(lane):
        raise NotFound("Rij")
    place = place_for_reading(session, engine, today, team_id, sprint_id)
    view = load(request, session, viewer.access, place, today, weergave=weergave)
    context = {"view": view, "oob": (), "lane": view.lane(lane)}
    return render(request, TEMPLATE, context, block="lane")


@router.get("/teams/{team_id}/teams")
def child_lanes(
    request: Request,
    team_id: PathId,
    viewer: ViewerDep,
    session: SessionDep,
    engine: EngineDep,
    today: Today,
    sprint_id: QueryId = None,
    weergave: str | None = None,
) -> Response:
    place = place_for_reading(session, engine, today, team_id, sprint_id)
    view = load(request, session, viewer.access, place, today, weergave=weergave)
    return render(request, TEMPLATE, {"view": view, "oob": ()}, block="lanes")


@router.get("/teams/{team_id}/knelpunten")
def knelpunten(
    request: Request,
    team_id: PathId,
    viewer: ViewerDep,
    session: SessionDep,
    engine: EngineDep,
    today: Today,
    sprint_id: QueryId = None,
    weergave: str | None = None,
) -> Response:
    place = place_for_reading(session, engine, today, team_id, sprint_id)
    view = load(request, session, viewer.access, place, today, weergave=weergave)
    return render(request, TEMPLATE, {"view": view, "oob": ()}, block="knelpunten")


# --- adding an action -----------------------------------------------------------------------
@router.post("/teams/{team_id}/acties")
def add_action(
    request: Request,
    team_id: PathId,
    viewer: ViewerDep,
    session: SessionDep,
    engine: EngineDep,
    today: Today,
    title: FormText = "",
    owner_id: FormText = "",
    due_date: FormText = "",
    doel: FormText = "",
    description: FormText = "",
) -> Response:
    get_or_404(session, Team, team_id, "Team")
    require_board_writer(viewer.access, team_id)
    values = {
        "title": title,
        "owner_id": owner_id,
        "due_date": due_date,
        "doel": doel,
        "description": description,
    }
    data, errors = parse_action(values)
    created = None
    if not errors:
        try:
            created = actions.create_action(
                session=session,
                actor=viewer.access,
                data=ActionCreate(team_id=team_id, **data),
                today=today,
            )
        except Invalid as invalid:
            errors = service_errors(invalid.errors)
        except ValidationError:
            errors = {"form": N_("Controleer wat je hebt ingevuld.")}
    if created is None:
        session.rollback()
        view = reload(
            request,
            engine,
            viewer.access,
            today,
            team_id=team_id,
            sprint_id=None,
            add=AddForm(values=values, errors=errors, open=True),
        )
        return answer(
            request,
            view,
            [("add_form", {})],
            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
        )
    assert created.id is not None
    if not is_htmx(request):
        return see_other(f"/teams/{team_id}#action-{created.id}")
    view = reload(
        request,
        engine,
        viewer.access,
        today,
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


# --- resolving a knelpunt -------------------------------------------------------------------
@router.post("/teams/{team_id}/knelpunten/{escalation_id}/oplossen")
def resolve_knelpunt(
    request: Request,
    team_id: PathId,
    escalation_id: PathId,
    viewer: ViewerDep,
    session: SessionDep,
    engine: EngineDep,
    today: Today,
    resolution: FormText = "",
) -> Response:
    escalation = get_or_404(session, Escalation, escalation_id, "Knelpunt")
    if escalation.to_team_id != team_id:
        raise NotFound("Knelpunt")
    require_board_writer(viewer.access, team_id)
    errors: dict[str, str] = {}
    if not resolution.strip():
        errors["resolution"] = N_("Schrijf op hoe het knelpunt is opgelost.")
    else:
        try:
            escalations.resolve_escalation(
                session=session,
                actor=viewer.access,
                escalation_id=escalation_id,
                data=EscalationResolve(resolution=resolution),
            )
        except Invalid as invalid:
            errors = invalid.errors
        except ValidationError:
            errors = {"resolution": N_("Maak de oplossing korter: hoogstens 5000 tekens.")}
    if errors:
        session.rollback()
        view = reload(
            request,
            engine,
            viewer.access,
            today,
            team_id=team_id,
            sprint_id=None,
            resolving={escalation_id: ({"resolution": resolution}, errors)},
        )
        return answer(
            request,
            view,
            [("knelpunten", {})],
            status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
        )
    if not is_htmx(request):
        return see_other(f"/teams/{team_id}#knelpunten")
    view = reload(request, engine, viewer.access, today, team_id=team_id, sprint_id=None)
    parts: list[tuple[str, dict[str, Any]]] = [("knelpunten", {})]
    if view.is_team_of_teams:
        parts.append(("lanes", {"oob": ("lanes",)}))
    return answer(request, view, parts, melding=_("Het knelpunt is opgelost."))
