"""One action in detail: its description, reacties (with a form to add one) and history.

A page of its own (for a link and without JavaScript); for HTMX the "detail" block, which the
board loads into the card when its details fold open.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from sqlmodel import Session
from starlette.responses import Response

from app.deps import PathId, SessionDep
from app.domain.permissions import Access
from app.models import (
    Action,
    Comment,
    CommentCreate,
    Team,
)
from app.queries.boards import action_comments_named, names_in_history
from app.queries.boards import history as history_of
from app.queries.common import user_names
from app.services import actions
from app.services.access import get_or_404
from app.services.errors import NotFound
from app.web.boards.forms import confirmed
from app.web.boards.history import Names, sentences
from app.web.boards.knelpunten import KnelpuntView, action_knelpunten_views
from app.web.boards.page import use_locale
from app.web.boards.view import status_label
from app.web.deps import ViewerDep
from app.web.forms import parse, saved_answer, shown_again_only_to_writers, submit
from app.web.i18n import gettext as _
from app.web.meetings import meeting_label_of
from app.web.templating import is_htmx, render

router = APIRouter()

TEMPLATE = "boards/action.html"


@dataclass(frozen=True)
class HistoryEntry:
    """One moment in an action's history, told in sentences."""

    when: datetime
    sentences: list[str]


def history(session: Session, action_id: int) -> list[HistoryEntry]:
    """The action's history in words, oldest first; events with nothing to tell are left out."""
    events = history_of(session, entity="action", entity_id=action_id)
    names = Names(names_in_history(session, events))
    entries = [
        HistoryEntry(
            when=event.occurred_at,
            sentences=[
                told if told.endswith((".", "!", "?")) else f"{told}."
                for told in sentences(event.verb, event.changes, event.actor_id, names)
            ],
        )
        for event in events
    ]
    return [entry for entry in entries if entry.sentences]


@dataclass
class DetailView:
    action: Action
    team: Team
    owner_name: str
    status_label: str
    comments: list[tuple[Comment, str]]
    history: list[HistoryEntry]
    can_comment: bool
    comment: str = ""
    confirm_personal_data: bool = False
    errors: dict[str, str] = field(default_factory=dict)
    # its knelpunten, newest first: where each lies, or the answer and "Gelezen"
    knelpunten: list[KnelpuntView] = field(default_factory=list)
    meeting_label: str = ""  # the college or council meeting it is for, with its deadline

    @property
    def url(self) -> str:
        return f"/teams/{self.team.id}/acties/{self.action.id}"


def detail_view(
    request: Request,
    session: Session,
    access: Access,
    team_id: int,
    action_id: int,
    **form: Any,
) -> DetailView:
    use_locale(request)
    action = get_or_404(session, Action, action_id, "Actie")
    if action.team_id != team_id:
        raise NotFound("Actie")
    team = get_or_404(session, Team, team_id, "Team")
    return DetailView(
        action=action,
        team=team,
        owner_name=user_names(session, [action.owner_id]).get(
            action.owner_id, _("verwijderde gebruiker")
        ),
        status_label=status_label(action.status),
        comments=action_comments_named(session, action_id=action_id),
        history=history(session, action_id),
        can_comment=access.can_write_board(team_id),
        knelpunten=action_knelpunten_views(session, access, action_id),
        meeting_label=meeting_label_of(session, action.meeting_id),
        **form,
    )


def shown(
    request: Request,
    session: Session,
    access: Access,
    team_id: int,
    action_id: int,
    block: str,
    melding: str = "",
    **form: Any,
) -> Response:
    """The action's detail, or one block of it; inside a card (HTMX) its headings sit below the
    card's own (h4)."""
    detail = detail_view(request, session, access, team_id, action_id, **form)
    context = {"detail": detail, "level": 5 if is_htmx(request) else 2, "melding": melding}
    return render(request, TEMPLATE, context, block=block)


@router.get("/teams/{team_id}/acties/{action_id}")
def action_detail(
    request: Request, team_id: PathId, action_id: PathId, viewer: ViewerDep, session: SessionDep
) -> Response:
    return shown(request, session, viewer.access, team_id, action_id, "detail")


@router.post("/teams/{team_id}/acties/{action_id}/reacties")
def add_comment(
    request: Request,
    team_id: PathId,
    action_id: PathId,
    viewer: ViewerDep,
    session: SessionDep,
    body: Annotated[str, Form()] = "",
    confirm_personal_data: Annotated[str, Form()] = "",
) -> Response:
    action = get_or_404(session, Action, action_id, "Actie")
    if action.team_id != team_id:
        raise NotFound("Actie")

    def refused(errors: dict[str, str]) -> Response:
        detail = detail_view(
            request,
            session,
            viewer.access,
            team_id,
            action_id,
            comment=body,
            confirm_personal_data=confirmed(confirm_personal_data),
            errors=errors,
        )
        shown_again_only_to_writers(detail.can_comment)
        context = {"detail": detail, "level": 5 if is_htmx(request) else 2}
        return render(request, TEMPLATE, context, block="comments")

    def shown(comment: object) -> Response:
        detail = detail_view(request, session, viewer.access, team_id, action_id)
        context = {"detail": detail, "level": 5, "melding": _("Je reactie is geplaatst.")}
        return render(request, TEMPLATE, context, block="comments")

    return submit(
        session,
        lambda: actions.add_comment(
            session=session,
            actor=viewer.access,
            action_id=action_id,
            data=parse(
                CommentCreate,
                body=body,
                confirm_personal_data=confirmed(confirm_personal_data),
            ),
        ),
        refused=refused,
        saved=lambda comment: saved_answer(
            request,
            f"/teams/{team_id}/acties/{action_id}#reacties-{action_id}",
            lambda: shown(comment),
        ),
    )


@router.get("/teams/{team_id}/acties/{action_id}/reacties")
def comments(
    request: Request, team_id: PathId, action_id: PathId, viewer: ViewerDep, session: SessionDep
) -> Response:
    return shown(request, session, viewer.access, team_id, action_id, "comments")
