"""Knelpunten: their own page with the timeline (/knelpunten/{id}), and the forms of the loop on
the page and on the board: who answers, answer, pass further up, and "Gelezen" for the raising
team. Every form works as a plain POST; on the board HTMX swaps the knelpunten block."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Form
from starlette.responses import Response

from app.deps import PathId
from app.models import (
    Escalation,
    EscalationForward,
    EscalationOwnerSet,
    EscalationResolve,
    EscalationStatus,
    Team,
)
from app.queries.escalations import KnelpuntPage, knelpunt_page
from app.services import escalations
from app.services.access import get_or_404
from app.services.errors import NotFound
from app.translatable import N_
from app.web.boards.forms import confirmed
from app.web.boards.knelpunten import KnelpuntView, StepView
from app.web.boards.page import answer, reload, use_locale
from app.web.deps import PageDep, PageRequest
from app.web.forms import (
    form_id,
    parse,
    saved_answer,
    see_other,
    shown_again_only_to_writers,
    submit,
)
from app.web.i18n import gettext as _
from app.web.templating import render

router = APIRouter()

TEMPLATE = "knelpunten/knelpunt.html"
FormText = Annotated[str, Form()]

# what the page says after a form on it was saved (?gedaan=...)
DONE = {
    "eigenaar": N_("De eigenaar van het knelpunt is opgeslagen."),
    "antwoord": N_("Het knelpunt is beantwoord. Het team ziet het antwoord op zijn bord."),
    "doorgestuurd": N_("Het knelpunt is doorgestuurd."),
    "gelezen": N_("Je hebt het antwoord gelezen."),
}


# --- the page -------------------------------------------------------------------------------
@dataclass
class PageView:
    """One knelpunt's page: its facts, timeline and the forms the viewer may use."""

    found: KnelpuntPage
    knelpunt: KnelpuntView
    can_forward: bool
    forward: dict[str, str] = field(default_factory=dict)  # what was typed to pass it on
    forward_errors: dict[str, str] = field(default_factory=dict)
    done: str = ""  # the melding after a saved form

    @property
    def steps(self) -> list[StepView]:
        return [StepView(step) for step in self.found.knelpunt.steps]

    @property
    def parent(self) -> Team | None:
        return self.found.parent

    @property
    def action_url(self) -> str | None:
        k = self.found.knelpunt
        action_id, team_id = k.escalation.action_id, k.action_team_id
        return f"/teams/{team_id}/acties/{action_id}" if action_id and team_id else None

    @property
    def title(self) -> str:
        k = self.knelpunt
        return k.action_title or k.type_label


def page_view(
    page: PageRequest,
    escalation_id: int,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    forward: dict[str, str] | None = None,
    forward_errors: dict[str, str] | None = None,
) -> PageView:
    use_locale(page.request)
    session, access = page.session, page.viewer.access
    escalation = get_or_404(session, Escalation, escalation_id, "Knelpunt")
    may_answer = escalation.status == EscalationStatus.open and access.can_write_board(
        escalation.to_team_id
    )
    found = knelpunt_page(session, escalation=escalation, today=page.today, with_owners=may_answer)
    k = found.knelpunt
    return PageView(
        found=found,
        knelpunt=KnelpuntView(
            knelpunt=k,
            can_resolve=may_answer,
            can_acknowledge=k.awaits_reading and access.can_write_board(escalation.from_team_id),
            owners=found.owners,
            values=values or {},
            errors=errors or {},
        ),
        can_forward=may_answer and found.parent is not None,
        forward=forward or {},
        forward_errors=forward_errors or {},
    )


def show(page: PageRequest, view: PageView, *, status_code: int = 200) -> Response:
    return render(page.request, TEMPLATE, {"view": view}, status_code=status_code)


@router.get("/knelpunten/{escalation_id}")
def knelpunt(page: PageDep, escalation_id: PathId, gedaan: str = "") -> Response:
    view = page_view(page, escalation_id)
    view.done = _(DONE[gedaan]) if gedaan in DONE else ""
    return show(page, view)


def on_page(
    page: PageRequest,
    escalation_id: int,
    save: Any,
    *,
    melding: str,
    refused_as: str = "answer",
    typed: dict[str, str],
) -> Response:
    """Save one of the page's forms; back to the page (post/redirect/get), or the page again
    with what was typed and why it could not be used (422)."""

    def refused(errors: dict[str, str]) -> Response:
        if refused_as == "forward":
            view = page_view(page, escalation_id, forward=typed, forward_errors=errors)
        else:
            view = page_view(page, escalation_id, values=typed, errors=errors)
        # the form was for the team of teams it lies with, or (Gelezen) the raising team
        escalation = view.knelpunt.escalation
        team_id = escalation.from_team_id if refused_as == "read" else escalation.to_team_id
        shown_again_only_to_writers(page.viewer.access.can_write_board(team_id))
        return show(page, view)

    def saved(_escalation: Escalation) -> Response:
        return see_other(f"/knelpunten/{escalation_id}?gedaan={melding}")

    return submit(page.session, save, refused=refused, saved=saved)


def answering(page: PageRequest, escalation_id: int, resolution: str, confirm: str) -> Any:
    """The answer form's save, the same on the knelpunt's page and on the board."""
    return lambda: escalations.resolve_escalation(
        session=page.session,
        actor=page.viewer.access,
        escalation_id=escalation_id,
        data=parse(
            EscalationResolve, resolution=resolution, confirm_personal_data=confirmed(confirm)
        ),
    )


def choosing_owner(page: PageRequest, escalation_id: int, owner_id: str) -> Any:
    return lambda: escalations.set_owner(
        session=page.session,
        actor=page.viewer.access,
        escalation_id=escalation_id,
        data=EscalationOwnerSet(owner_id=form_id(owner_id, "owner_id")),
    )


def reading(page: PageRequest, escalation_id: int) -> Any:
    return lambda: escalations.acknowledge_escalation(
        session=page.session, actor=page.viewer.access, escalation_id=escalation_id
    )


@router.post("/knelpunten/{escalation_id}/eigenaar")
def choose_owner(page: PageDep, escalation_id: PathId, owner_id: FormText = "") -> Response:
    return on_page(
        page,
        escalation_id,
        choosing_owner(page, escalation_id, owner_id),
        melding="eigenaar",
        typed={"owner_id": owner_id},
    )


@router.post("/knelpunten/{escalation_id}/beantwoorden")
def answer_on_page(
    page: PageDep,
    escalation_id: PathId,
    resolution: FormText = "",
    confirm_personal_data: FormText = "",
) -> Response:
    return on_page(
        page,
        escalation_id,
        answering(page, escalation_id, resolution, confirm_personal_data),
        melding="antwoord",
        typed={"resolution": resolution, "confirm_personal_data": confirm_personal_data},
    )


@router.post("/knelpunten/{escalation_id}/doorsturen")
def forward_on_page(
    page: PageDep,
    escalation_id: PathId,
    note: FormText = "",
    confirm_personal_data: FormText = "",
) -> Response:
    return on_page(
        page,
        escalation_id,
        lambda: escalations.forward_escalation(
            session=page.session,
            actor=page.viewer.access,
            escalation_id=escalation_id,
            data=parse(
                EscalationForward, note=note, confirm_personal_data=confirmed(confirm_personal_data)
            ),
        ),
        melding="doorgestuurd",
        refused_as="forward",
        typed={"note": note, "confirm_personal_data": confirm_personal_data},
    )


@router.post("/knelpunten/{escalation_id}/gelezen")
def acknowledge_on_page(page: PageDep, escalation_id: PathId) -> Response:
    return on_page(
        page,
        escalation_id,
        reading(page, escalation_id),
        melding="gelezen",
        refused_as="read",
        typed={},
    )


# --- on the board ---------------------------------------------------------------------------
def on_board(
    page: PageRequest,
    team_id: int,
    escalation_id: int,
    save: Any,
    *,
    typed: dict[str, str],
    melding: str,
    lies_here: bool = True,
) -> Response:
    """Save one of a knelpunt's forms on a board; the knelpunten block again for HTMX (with the
    child teams' lanes on a team of teams), the board again (post/redirect/get) without."""
    request, session = page.request, page.session
    escalation = get_or_404(session, Escalation, escalation_id, "Knelpunt")
    # the form belongs to the board it lies with (answer, owner) or that raised it (Gelezen)
    if (escalation.to_team_id if lies_here else escalation.from_team_id) != team_id:
        raise NotFound("Knelpunt")

    def refused(errors: dict[str, str]) -> Response:
        view = reload(
            page, team_id=team_id, sprint_id=None, resolving={escalation_id: (typed, errors)}
        )
        shown_again_only_to_writers(page.viewer.access.can_write_board(team_id))
        return answer(request, view, [("knelpunten", {})])

    def saved() -> Response:
        view = reload(page, team_id=team_id, sprint_id=None)
        parts: list[tuple[str, dict[str, Any]]] = [("knelpunten", {})]
        if view.is_team_of_teams:
            parts.append(("lanes", {"oob": ("lanes",)}))
        return answer(request, view, parts, melding=melding)

    return submit(
        session,
        save,
        refused=refused,
        saved=lambda _done: saved_answer(request, f"/teams/{team_id}#knelpunten", saved),
    )


@router.post("/teams/{team_id}/knelpunten/{escalation_id}/oplossen")
def resolve_knelpunt(
    page: PageDep,
    team_id: PathId,
    escalation_id: PathId,
    resolution: FormText = "",
    confirm_personal_data: FormText = "",
) -> Response:
    use_locale(page.request)
    return on_board(
        page,
        team_id,
        escalation_id,
        answering(page, escalation_id, resolution, confirm_personal_data),
        typed={"resolution": resolution, "confirm_personal_data": confirm_personal_data},
        melding=_("Het knelpunt is opgelost."),
    )


@router.post("/teams/{team_id}/knelpunten/{escalation_id}/eigenaar")
def choose_owner_on_board(
    page: PageDep, team_id: PathId, escalation_id: PathId, owner_id: FormText = ""
) -> Response:
    use_locale(page.request)
    return on_board(
        page,
        team_id,
        escalation_id,
        choosing_owner(page, escalation_id, owner_id),
        typed={"owner_id": owner_id},
        melding=_("De eigenaar van het knelpunt is opgeslagen."),
    )


@router.post("/teams/{team_id}/knelpunten/{escalation_id}/gelezen")
def acknowledge_on_board(page: PageDep, team_id: PathId, escalation_id: PathId) -> Response:
    use_locale(page.request)
    return on_board(
        page,
        team_id,
        escalation_id,
        reading(page, escalation_id),
        typed={},
        melding=_("Je hebt het antwoord gelezen."),
        lies_here=False,
    )
