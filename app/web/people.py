"""People: a colleague's page (what a mention links to), the suggestions for `@` as you type,
and "Voor mij" on the start page (mentions of me not seen yet)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import JSONResponse
from sqlmodel import Session
from starlette.responses import Response

from app.deps import PathId, SessionDep, Today
from app.queries.mentions import MentionItem, Person, mentions_of, person, suggestions
from app.queries.personal import my_actions
from app.services import mentions
from app.services.errors import NotFound
from app.web.deps import Viewer, ViewerDep
from app.web.forms import ROLE_LABELS, FormError, form_id, saved_answer
from app.web.i18n import gettext as _
from app.web.personal import ActionView, action_view
from app.web.templating import render, render_block

router = APIRouter()

VOOR_MIJ = "people/_voor_mij.html"
SHOWN = 20  # mentions on the start page; the API pages through all of them


@dataclass(frozen=True)
class VoorMij:
    items: list[MentionItem]
    total: int  # not seen yet, also those beyond the first SHOWN


def voor_mij(session: Session, viewer: Viewer) -> VoorMij:
    """Mentions of the viewer not seen yet, newest first (for the start page)."""
    assert viewer.user.id is not None
    items, total = mentions_of(session, user_id=viewer.user.id, seen=False, limit=SHOWN)
    return VoorMij(items=items, total=total)


@router.get("/mensen/suggesties")
def suggest(
    viewer: ViewerDep, session: SessionDep, q: Annotated[str, Query(max_length=100)] = ""
) -> JSONResponse:
    """Colleagues whose name fits what follows the @ (at most 8, my teams' first), as JSON for
    static/js/mentions.js: id, name, office and the text to insert."""
    assert viewer.user.id is not None
    found = suggestions(
        session,
        query=q,
        viewer_id=viewer.user.id,
        team_ids=viewer.access.board_teams(),
    )
    return JSONResponse(
        [
            {"id": s.id, "name": s.name, "office": s.office or "", "insert": f"@{s.name}"}
            for s in found
        ],
        headers={"Cache-Control": "no-store"},
    )


@dataclass(frozen=True)
class PersonView:
    person: Person
    teams: list[tuple[int, str, str]]  # id, name, role in words
    actions: list[ActionView]


@router.get("/mensen/{user_id}")
def person_page(
    request: Request, user_id: PathId, viewer: ViewerDep, session: SessionDep, today: Today
) -> Response:
    """A colleague: name, office, teams and open actions (read by everyone logged in)."""
    found = person(session, user_id=user_id)
    if found is None:
        raise NotFound("Medewerker")
    view = PersonView(
        person=found,
        teams=[(t.team.id or 0, t.team.name, _(ROLE_LABELS[t.role]).lower()) for t in found.teams],
        actions=[
            action_view(item, viewer.access)
            for item in my_actions(session, user_id=user_id, today=today)
        ],
    )
    return render(request, "people/person.html", {"view": view})


@router.post("/voor-mij/gelezen")
def mark_seen(
    request: Request,
    viewer: ViewerDep,
    session: SessionDep,
    mention_id: Annotated[str, Form()] = "",
) -> Response:
    """Gelezen: one mention (mention_id) or, without it, all of mine."""
    try:
        chosen = form_id(mention_id, "mention_id")
    except FormError as exc:
        raise NotFound("Vermelding") from exc
    mentions.mark_seen(
        session=session,
        actor=viewer.access,
        mention_ids=None if chosen is None else [chosen],
    )

    def partial() -> Response:
        context = {"voor_mij": voor_mij(session, viewer), "melding": _("Gemarkeerd als gelezen.")}
        return render_block(request, VOOR_MIJ, "voor_mij", context)

    return saved_answer(request, "/#kop-voor-mij", partial)
