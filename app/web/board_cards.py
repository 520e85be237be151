"""A card on the board and its forms: edit in place, move, delete, escalate.

Every form works as a plain POST (redirect back to the board, or the whole board again with
the card's form and its messages) and with HTMX (only the card or its row).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request, status
from pydantic import ValidationError
from sqlalchemy import Engine
from sqlmodel import Session
from starlette.responses import Response

from app.db import read_session
from app.deps import EngineDep, PathId, QueryId, SessionDep, Today
from app.domain.permissions import Access
from app.models import Action, ActionStatus, ActionUpdate, EscalationCreate
from app.queries.boards import drop_index, last_editor_name
from app.services import actions, escalations
from app.services.access import get_or_404, require_board_writer
from app.services.errors import Invalid, NotFound, StaleVersion
from app.web.board_forms import N_, parse_action, parse_id, parse_version, service_errors
from app.web.board_view import BoardView, CardState, lane_key
from app.web.boards import (
    FormText,
    answer,
    card_answer,
    lane_answer,
    load,
    place_for_reading,
    reload,
    see_other,
    use_locale,
)
from app.web.deps import ViewerDep
from app.web.i18n import gettext as _
from app.web.templating import is_htmx

router = APIRouter()

UNREADABLE_FORM = N_(
    "Dit formulier is niet compleet. Laad de pagina opnieuw en probeer het nog eens."
)


def team_action(session: Session, team_id: int, action_id: int) -> Action:
    """The action, when it is on this team's board."""
    action = get_or_404(session, Action, action_id, "Actie")
    if action.team_id != team_id:
        raise NotFound("Actie")
    return action


def card_in_mode(
    request: Request,
    session: Session,
    engine: Engine,
    access: Access,
    today: date,
    team_id: int,
    action_id: int,
    mode: str,
    sprint_id: int | None,
    weergave: str | None = None,
    focus: bool = False,
) -> Response:
    """A GET for one card: as it is, or holding one of its forms."""
    action = team_action(session, team_id, action_id)
    place = place_for_reading(session, engine, today, team_id, sprint_id or action.sprint_id)
    view = load(
        request,
        session,
        access,
        place,
        today,
        weergave=weergave,
        states={action_id: CardState(mode, focus=focus)},
    )
    return card_answer(request, view, action_id)


@dataclass(frozen=True)
class Answering:
    """What every answer to a card's form needs: who asks, and where the card is."""

    request: Request
    engine: Engine
    access: Access
    today: date
    team_id: int
    sprint_id: int
    action_id: int

    def board(self, **options: Any) -> BoardView:
        """The board read afresh after the write (or the refusal)."""
        return reload(
            self.request,
            self.engine,
            self.access,
            self.today,
            team_id=self.team_id,
            sprint_id=self.sprint_id,
            **options,
        )

    def refused(self, mode: str, values: dict[str, str], errors: dict[str, str]) -> Response:
        """The card's form again with what was typed and a message per field (422)."""
        view = self.board(states={self.action_id: CardState(mode, values=values, errors=errors)})
        return card_answer(
            self.request, view, self.action_id, status_code=status.HTTP_422_UNPROCESSABLE_CONTENT
        )


def answering(
    request: Request, engine: Engine, access: Access, today: date, action: Action
) -> Answering:
    assert action.id is not None
    return Answering(request, engine, access, today, action.team_id, action.sprint_id, action.id)


def stale(here: Answering, session: Session, *, mode: str) -> Response:
    """A change made on an old copy: show the action as it is now, say who changed it, and
    change nothing (409)."""
    session.rollback()  # give the write lock back before reading
    use_locale(here.request)
    with read_session(here.engine) as reading:
        current = get_or_404(reading, Action, here.action_id, "Actie")
        name = last_editor_name(reading, entity="action", entity_id=here.action_id)
    state = CardState(mode, stale_by=name or _("iemand anders"))
    view = here.board(states={here.action_id: state})
    if mode == "edit":
        return card_answer(here.request, view, here.action_id, status_code=409)
    return lane_answer(here.request, view, lane_key(current.ambition_id), status_code=409)


# --- showing a card -------------------------------------------------------------------------
@router.get("/teams/{team_id}/acties/{action_id}/kaart")
def card(
    request: Request,
    team_id: PathId,
    action_id: PathId,
    viewer: ViewerDep,
    session: SessionDep,
    engine: EngineDep,
    today: Today,
    sprint_id: QueryId = None,
    weergave: str | None = None,
    terug: bool = False,
) -> Response:
    # ?terug=1: back from one of the card's forms, so focus returns to the card
    return card_in_mode(
        request,
        session,
        engine,
        viewer.access,
        today,
        team_id,
        action_id,
        "view",
        sprint_id,
        weergave,
        focus=terug,
    )


FORMS = {"bewerken": "edit", "verwijderen": "delete", "opschalen": "escalate"}


@router.get("/teams/{team_id}/acties/{action_id}/bewerken")
@router.get("/teams/{team_id}/acties/{action_id}/verwijderen")
@router.get("/teams/{team_id}/acties/{action_id}/opschalen")
def card_form(
    request: Request,
    team_id: PathId,
    action_id: PathId,
    viewer: ViewerDep,
    session: SessionDep,
    engine: EngineDep,
    today: Today,
) -> Response:
    """The card holding one of its forms (edit, delete, escalate): alone for HTMX, or in the
    whole board without JavaScript."""
    require_board_writer(viewer.access, team_id)
    mode = FORMS[request.url.path.rsplit("/", 1)[-1]]
    return card_in_mode(
        request, session, engine, viewer.access, today, team_id, action_id, mode, None
    )


# --- editing --------------------------------------------------------------------------------
@router.post("/teams/{team_id}/acties/{action_id}")
def edit_action(
    request: Request,
    team_id: PathId,
    action_id: PathId,
    viewer: ViewerDep,
    session: SessionDep,
    engine: EngineDep,
    today: Today,
    version: FormText = "",
    title: FormText = "",
    owner_id: FormText = "",
    due_date: FormText = "",
    doel: FormText = "",
    description: FormText = "",
    blocked_reason: FormText = "",
) -> Response:
    action = team_action(session, team_id, action_id)
    require_board_writer(viewer.access, team_id)
    values = {
        "title": title,
        "owner_id": owner_id,
        "due_date": due_date,
        "doel": doel,
        "description": description,
        "blocked_reason": blocked_reason,
    }
    blocked = action.status == ActionStatus.blocked
    data, errors = parse_action(values, with_reason=blocked)
    number = parse_version(version)
    if number is None:
        errors["form"] = UNREADABLE_FORM
    here = answering(request, engine, viewer.access, today, action)
    old_lane = lane_key(action.ambition_id)
    if not errors:
        assert number is not None
        if data["owner_id"] == action.owner_id:
            # unchanged: an owner who has left the team keeps the action
            del data["owner_id"]
        try:
            actions.update_action(
                session=session,
                actor=viewer.access,
                action_id=action_id,
                data=ActionUpdate(version=number, **data),
            )
        except StaleVersion:
            return stale(here, session, mode="edit")
        except Invalid as invalid:
            errors = service_errors(invalid.errors)
        except ValidationError:
            errors = {"form": N_("Controleer wat je hebt ingevuld.")}
    if errors:
        session.rollback()
        return here.refused("edit", {**values, "version": version}, errors)
    if not is_htmx(request):
        return see_other(f"/teams/{team_id}#action-{action_id}")
    view = here.board(states={action_id: CardState(focus=True)})
    saved = view.card(action_id)
    assert saved is not None
    melding = _("Actie „%(titel)s” is opgeslagen.") % {"titel": saved.action.title}
    if saved.lane == old_lane:
        return card_answer(request, view, action_id, melding=melding)
    # another ambition: the card leaves one row for another
    return answer(
        request,
        view,
        [
            ("lane", {"lane": view.lane(old_lane)}),
            ("lane", {"lane": view.lane(saved.lane), "oob": (f"lane-{saved.lane}",)}),
        ],
        melding=melding,
        target=f"#lane-{old_lane}",
    )


# --- moving ---------------------------------------------------------------------------------
@router.post("/teams/{team_id}/acties/{action_id}/verplaatsen")
def move_action(
    request: Request,
    team_id: PathId,
    action_id: PathId,
    viewer: ViewerDep,
    session: SessionDep,
    engine: EngineDep,
    today: Today,
    version: FormText = "",
    new_status: Annotated[str, Form(alias="status")] = "",
    blocked_reason: FormText = "",
    voor: FormText = "",
    na: FormText = "",
) -> Response:
    action = team_action(session, team_id, action_id)
    require_board_writer(viewer.access, team_id)
    values = {"status": new_status, "blocked_reason": blocked_reason}
    errors: dict[str, str] = {}
    number = parse_version(version)
    if new_status not in set(ActionStatus):
        errors["status"] = N_("Kies waar de actie naartoe gaat.")
    elif number is None:
        errors["form"] = UNREADABLE_FORM
    here, lane = (
        answering(request, engine, viewer.access, today, action),
        lane_key(action.ambition_id),
    )
    if not errors:
        fields: dict[str, Any] = {"version": number, "status": new_status}
        if new_status == ActionStatus.blocked and (
            blocked_reason.strip() or action.status != ActionStatus.blocked
        ):
            fields["blocked_reason"] = blocked_reason.strip()
        position = drop_index(session, action, new_status, below=parse_id(voor), above=parse_id(na))
        if position is not None:
            fields["position"] = position
        try:
            actions.update_action(
                session=session,
                actor=viewer.access,
                action_id=action_id,
                data=ActionUpdate(**fields),
            )
        except StaleVersion:
            return stale(here, session, mode="view")
        except Invalid as invalid:
            errors = service_errors(invalid.errors)
        except ValidationError:
            errors = {"blocked_reason": N_("Maak de reden korter: hoogstens 1000 tekens.")}
    if errors:
        session.rollback()
        return here.refused("move", values, errors)
    if not is_htmx(request):
        return see_other(f"/teams/{team_id}#action-{action_id}")
    view = here.board()
    moved = view.card(action_id)
    assert moved is not None
    melding = _("Actie „%(titel)s” staat nu bij %(status)s.") % {
        "titel": moved.action.title,
        "status": moved.status_label,
    }
    return lane_answer(request, view, lane, melding=melding)


# --- deleting -------------------------------------------------------------------------------
@router.post("/teams/{team_id}/acties/{action_id}/verwijderen")
def delete_action(
    request: Request,
    team_id: PathId,
    action_id: PathId,
    viewer: ViewerDep,
    session: SessionDep,
    engine: EngineDep,
    today: Today,
    version: FormText = "",
) -> Response:
    action = team_action(session, team_id, action_id)
    require_board_writer(viewer.access, team_id)
    here = answering(request, engine, viewer.access, today, action)
    lane, title = lane_key(action.ambition_id), action.title
    try:
        actions.delete_action(
            session=session,
            actor=viewer.access,
            action_id=action_id,
            version=parse_version(version),
        )
    except StaleVersion:
        return stale(here, session, mode="view")
    if not is_htmx(request):
        return see_other(f"/teams/{team_id}#lane-{lane}")
    view = here.board(focus_lane=lane)
    melding = _("Actie „%(titel)s” is verwijderd.") % {"titel": title}
    return lane_answer(request, view, lane, melding=melding)


# --- escalating -----------------------------------------------------------------------------
@router.post("/teams/{team_id}/acties/{action_id}/opschalen")
def escalate_action(
    request: Request,
    team_id: PathId,
    action_id: PathId,
    viewer: ViewerDep,
    session: SessionDep,
    engine: EngineDep,
    today: Today,
    note: FormText = "",
) -> Response:
    action = team_action(session, team_id, action_id)
    require_board_writer(viewer.access, team_id)
    here = answering(request, engine, viewer.access, today, action)
    errors: dict[str, str] = {}
    if not note.strip():
        errors["note"] = N_("Schrijf op wat er nodig is om verder te kunnen.")
    else:
        try:
            escalations.raise_escalation(
                session=session,
                actor=viewer.access,
                action_id=action_id,
                data=EscalationCreate(note=note),
            )
        except Invalid as invalid:
            errors = invalid.errors
        except ValidationError:
            errors = {"note": N_("Maak de toelichting korter: hoogstens 5000 tekens.")}
    if errors:
        session.rollback()
        return here.refused("escalate", {"note": note}, errors)
    if not is_htmx(request):
        return see_other(f"/teams/{team_id}#knelpunten")
    view = here.board(states={action_id: CardState(focus=True)})
    card_view = view.card(action_id)
    assert card_view is not None
    return answer(
        request,
        view,
        [("card", {"card": card_view}), ("knelpunten", {"oob": ("knelpunten",)})],
        melding=_("Het knelpunt is opgeschaald naar %(team)s.")
        % {"team": view.parent.name if view.parent else ""},
        target=f"#action-{action_id}",
    )
