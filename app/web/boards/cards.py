"""A card on the board and its forms: edit in place, move, delete, escalate.

Every form works as a plain POST (redirect back to the board, or the whole board again with
the card's form and its messages) and with HTMX (only the card or its row).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Form, Request
from sqlmodel import Session
from starlette.responses import Response

from app.db import read_session
from app.deps import PathId, QueryId
from app.domain.permissions import Access
from app.models import Action, ActionStatus, ActionUpdate, EscalationCreate
from app.queries.boards import column_order, drop_index, last_editor_name
from app.services import actions, escalations
from app.services.access import get_or_404, require_board_writer
from app.services.errors import Invalid, NotFound, StaleVersion
from app.web.boards.forms import (
    ActionForm,
    action_fields,
    build,
    confirmed,
    on_form,
    parse_id,
    status_change,
    version_of,
)
from app.web.boards.page import (
    FormText,
    Undo,
    answer,
    card_answer,
    lane_answer,
    load,
    place_for_reading,
    reload,
    use_locale,
)
from app.web.boards.view import BoardView, CardState, lane_key
from app.web.deps import PageDep, PageRequest
from app.web.forms import (
    REQUIRED,
    UNPROCESSABLE,
    parse,
    saved_answer,
    shown_again_only_to_writers,
    submit,
)
from app.web.i18n import gettext as _
from app.web.templating import is_htmx

router = APIRouter()

T = TypeVar("T")


@dataclass(frozen=True)
class Card:
    """What every route of a card needs: the page's request, and the action (which must be on
    the board of the team in the address)."""

    page: PageRequest
    action: Action

    @property
    def request(self) -> Request:
        return self.page.request

    @property
    def session(self) -> Session:
        return self.page.session

    @property
    def access(self) -> Access:
        return self.page.viewer.access

    @property
    def id(self) -> int:
        assert self.action.id is not None
        return self.action.id

    @property
    def url(self) -> str:
        return f"/teams/{self.action.team_id}#action-{self.id}"

    def board(self, **options: Any) -> BoardView:
        """The board read afresh after the write (or the refusal)."""
        return reload(
            self.page,
            team_id=self.action.team_id,
            sprint_id=self.action.sprint_id,
            **options,
        )

    def shown(
        self,
        mode: str,
        sprint_id: int | None,
        weergave: str | None,
        focus: bool,
        values: dict[str, str] | None = None,
    ) -> Response:
        """A GET for the card: as it is, or holding one of its forms."""
        place = place_for_reading(
            self.session,
            self.page.engine,
            self.page.today,
            self.action.team_id,
            sprint_id or self.action.sprint_id,
        )
        states = {self.id: CardState(mode, values=values or {}, focus=focus)}
        view = load(
            self.request,
            self.session,
            self.access,
            place,
            self.page.today,
            weergave=weergave,
            states=states,
        )
        return card_answer(self.request, view, self.id)

    def menu(self) -> Response:
        """The card's menu: its controls alone for HTMX (the menu's first opening), or without
        JavaScript the board holding the card with its menu open."""
        if not is_htmx(self.request):
            return self.shown("menu", None, None, focus=False)
        place = place_for_reading(
            self.session, self.page.engine, self.page.today, self.action.team_id, None
        )
        view = load(self.request, self.session, self.access, place, self.page.today)
        card = view.card(self.id)
        if card is None:
            raise NotFound("Actie")
        return answer(self.request, view, [("menu", {"card": card})])

    def refused(self, mode: str, values: dict[str, str], errors: dict[str, str]) -> Response:
        """The card's form again with what was typed and a message per field (422)."""
        view = self.board(states={self.id: CardState(mode, values=values, errors=errors)})
        shown_again_only_to_writers(view.can_write)
        return card_answer(self.request, view, self.id, status_code=UNPROCESSABLE)

    def stale(self, *, mode: str, typed: dict[str, str] | None = None) -> Response:
        """A change made on an old copy: show the action as it is now, say who changed it, and
        change nothing (409). An edit keeps what was typed, on top of the new version, so one
        click saves it anyway and nothing typed is lost."""
        self.session.rollback()  # give the write lock back before reading
        use_locale(self.request)
        with read_session(self.page.engine) as reading:
            current = get_or_404(reading, Action, self.id, "Actie")
            name = last_editor_name(reading, entity="action", entity_id=self.id)
        kept = {**(typed or {}), "version": str(current.version)} if typed else {}
        state = CardState(mode, values=kept, stale_by=name or _("iemand anders"))
        view = self.board(states={self.id: state})
        if mode == "edit":
            return card_answer(self.request, view, self.id, status_code=409)
        return lane_answer(self.request, view, lane_key(current.ambition_id), status_code=409)

    def answer_form(
        self,
        save: Callable[[], T],
        *,
        mode: str,
        values: dict[str, str],
        saved: Callable[[T], Response],
        url: str | None = None,
        stale_mode: str | None = None,
    ) -> Response:
        """Save a card's form: refused → the form again with its messages (422); made on an
        old copy → the action as it is now (409); saved → `saved` for HTMX, else back to url."""
        try:
            return submit(
                self.session,
                save,
                refused=lambda errors: self.refused(mode, values, on_form(errors)),
                saved=lambda result: saved_answer(
                    self.request, url or self.url, lambda: saved(result)
                ),
            )
        except StaleVersion:
            if stale_mode is not None:
                return self.stale(mode=stale_mode)
            return self.stale(mode=mode, typed=values if mode == "edit" else None)


def card_of(page: PageDep, team_id: PathId, action_id: PathId) -> Card:
    action = get_or_404(page.session, Action, action_id, "Actie")
    if action.team_id != team_id:
        raise NotFound("Actie")
    return Card(page, action)


CardDep = Annotated[Card, Depends(card_of)]


# --- showing a card -------------------------------------------------------------------------
@router.get("/teams/{team_id}/acties/{action_id}/kaart")
def card(
    card: CardDep, sprint_id: QueryId = None, weergave: str | None = None, terug: bool = False
) -> Response:
    # ?terug=1: back from one of the card's forms, so focus returns to the card
    return card.shown("view", sprint_id, weergave, focus=terug)


@router.get("/teams/{team_id}/acties/{action_id}/menu")
def card_menu(card: CardDep) -> Response:
    """Edit, move, escalate, delete: sent when the card's menu is first opened, so the board
    itself carries only what one reads on a card. No service runs here: this is the check."""
    require_board_writer(card.access, card.action.team_id)
    return card.menu()


# the last part of the address → the form the card holds, and what it starts with
FORMS: dict[str, tuple[str, dict[str, str]]] = {
    "bewerken": ("edit", {}),
    "verwijderen": ("delete", {}),
    "opschalen": ("escalate", {}),
    # Geblokkeerd from the card's menu: the move form asks why before anything is saved
    "blokkeren": ("move", {"status": ActionStatus.blocked}),
}


@router.get("/teams/{team_id}/acties/{action_id}/bewerken")
@router.get("/teams/{team_id}/acties/{action_id}/verwijderen")
@router.get("/teams/{team_id}/acties/{action_id}/opschalen")
@router.get("/teams/{team_id}/acties/{action_id}/blokkeren")
def card_form(card: CardDep) -> Response:
    """The card holding one of its forms (edit, delete, escalate, block): alone for HTMX, or in
    the whole board without JavaScript. No service runs here, so this is the one check."""
    require_board_writer(card.access, card.action.team_id)
    mode, values = FORMS[card.request.url.path.rsplit("/", 1)[-1]]
    return card.shown(mode, None, None, focus=False, values=dict(values))


@router.get("/teams/{team_id}/acties/{action_id}/verplaatsen")
def confirm_move(card: CardDep, naar: str = "") -> Response:
    """The move form for one target, before anything is saved: a blocked card whose knelpunt
    is still open asks whether it is settled (from its menu, or after a drag)."""
    require_board_writer(card.access, card.action.team_id)
    if naar not in {status.value for status in ActionStatus}:
        raise Invalid({"status": REQUIRED["status"]})
    return card.shown("move", None, None, focus=False, values={"status": naar})


# --- editing --------------------------------------------------------------------------------
@router.post("/teams/{team_id}/acties/{action_id}")
def edit_action(card: CardDep, form: Annotated[ActionForm, Form()]) -> Response:
    action, old_lane = card.action, lane_key(card.action.ambition_id)
    values = form.typed()

    def save() -> Action:
        fields, problems = action_fields(
            values,
            today=card.page.today,
            current_due=action.due_date,
            with_reason=action.status == ActionStatus.blocked,
        )
        number, unreadable = version_of(form.version)
        if fields["owner_id"] == action.owner_id:
            del fields["owner_id"]  # unchanged: an owner who has left the team keeps the action
        data = build(ActionUpdate, {"version": number, **fields}, {**problems, **unreadable})
        return actions.update_action(
            session=card.session, actor=card.access, action_id=card.id, data=data
        )

    def saved(changed: Action) -> Response:
        view = card.board(states={card.id: CardState(focus=True)})
        card_view = view.card(card.id)
        assert card_view is not None
        melding = _("Actie „%(titel)s” is opgeslagen.") % {"titel": changed.title}
        if card_view.lane == old_lane:
            return card_answer(card.request, view, card.id, melding=melding)
        # another ambition: the card leaves one row for another
        new_lane = card_view.lane
        return answer(
            card.request,
            view,
            [
                ("lane", {"lane": view.lane(old_lane)}),
                ("lane", {"lane": view.lane(new_lane), "oob": (f"lane-{new_lane}",)}),
            ],
            melding=melding,
            target=f"#lane-{old_lane}",
        )

    return card.answer_form(save, mode="edit", values=values, saved=saved)


# --- moving ---------------------------------------------------------------------------------
@router.post("/teams/{team_id}/acties/{action_id}/verplaatsen")
def move_action(
    card: CardDep,
    version: FormText = "",
    new_status: Annotated[str, Form(alias="status")] = "",
    blocked_reason: FormText = "",
    voor: FormText = "",
    na: FormText = "",
    confirm_personal_data: FormText = "",
) -> Response:
    action, lane = card.action, lane_key(card.action.ambition_id)
    # where the card stood, so the melding can offer the way back
    before = column_order(
        card.session, team_id=action.team_id, sprint_id=action.sprint_id, status=action.status
    )
    below = before[before.index(card.id) + 1] if before[-1:] != [card.id] else None
    came_from = (str(action.status), action.blocked_reason or "")

    def save() -> Action:
        number, unreadable = version_of(version)
        position = None
        if new_status in set(ActionStatus):
            below_drop, above_drop = parse_id(voor), parse_id(na)
            position = drop_index(
                card.session, action, new_status, below=below_drop, above=above_drop
            )
        data = status_change(
            action,
            version=number,
            status=new_status,
            reason=blocked_reason,
            position=position,
            problems=unreadable,
            confirm_personal_data=confirmed(confirm_personal_data),
        )
        return actions.update_action(
            session=card.session, actor=card.access, action_id=card.id, data=data
        )

    def saved(moved: Action) -> Response:
        # the focus goes back to the moved card's menu button, wherever the card went
        view = card.board(states={card.id: CardState(focus=True)})
        moved_card = view.card(card.id)
        assert moved_card is not None
        melding = _("Actie „%(titel)s” staat nu bij %(status)s.") % {
            "titel": moved.title,
            "status": moved_card.status_label,
        }
        undo = None
        if came_from[0] != moved.status:
            undo = Undo(
                url=f"{moved_card.url}/verplaatsen",
                lane=lane,
                version=moved.version,
                status=came_from[0],
                blocked_reason=came_from[1],
                voor=below,
            )
        return lane_answer(card.request, view, lane, melding=melding, undo=undo)

    values = {
        "status": new_status,
        "blocked_reason": blocked_reason,
        "confirm_personal_data": confirm_personal_data,
    }
    return card.answer_form(save, mode="move", values=values, saved=saved, stale_mode="view")


# --- deleting -------------------------------------------------------------------------------
@router.post("/teams/{team_id}/acties/{action_id}/verwijderen")
def delete_action(card: CardDep, version: FormText = "") -> Response:
    lane, title = lane_key(card.action.ambition_id), card.action.title
    try:
        actions.delete_action(
            session=card.session, actor=card.access, action_id=card.id, version=parse_id(version)
        )
    except StaleVersion:
        return card.stale(mode="view")

    def deleted() -> Response:
        view = card.board(focus_lane=lane)
        melding = _("Actie „%(titel)s” is verwijderd.") % {"titel": title}
        return lane_answer(card.request, view, lane, melding=melding)

    return saved_answer(card.request, f"/teams/{card.action.team_id}#lane-{lane}", deleted)


# --- escalating -----------------------------------------------------------------------------
@router.post("/teams/{team_id}/acties/{action_id}/opschalen")
def escalate_action(
    card: CardDep,
    note: FormText = "",
    kind: Annotated[str, Form(alias="type")] = "help",
    needed_by: FormText = "",
    confirm_personal_data: FormText = "",
) -> Response:
    def saved(_escalation: object) -> Response:
        view = card.board(states={card.id: CardState(focus=True)})
        card_view = view.card(card.id)
        assert card_view is not None
        return answer(
            card.request,
            view,
            [("card", {"card": card_view}), ("knelpunten", {"oob": ("knelpunten",)})],
            melding=_("Het knelpunt is opgeschaald naar %(team)s.")
            % {"team": view.parent.name if view.parent else ""},
            target=f"#action-{card.id}",
        )

    return card.answer_form(
        lambda: escalations.raise_escalation(
            session=card.session,
            actor=card.access,
            action_id=card.id,
            data=parse(
                EscalationCreate,
                note=note,
                type=kind or "help",
                needed_by=needed_by.strip() or None,
                confirm_personal_data=confirmed(confirm_personal_data),
            ),
            today=card.page.today,
        ),
        mode="escalate",
        values={
            "note": note,
            "type": kind,
            "needed_by": needed_by,
            "confirm_personal_data": confirm_personal_data,
        },
        saved=saved,
        url=f"/teams/{card.action.team_id}#knelpunten",
    )
