"""One action in detail: its description, reacties (with a form to add one) and history.

A page of its own (for a link and without JavaScript); for HTMX the "detail" block, which the
board loads into the card when its details fold open.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
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
from app.queries.boards import HistoryNames, action_comments_named, names_in_history
from app.queries.boards import history as history_of
from app.queries.common import user_names
from app.services import actions
from app.services.access import get_or_404
from app.services.errors import NotFound
from app.web.boards.page import use_locale
from app.web.boards.view import status_label
from app.web.deps import ViewerDep
from app.web.forms import parse, saved_answer, shown_again_only_to_writers, submit
from app.web.i18n import date_time, short_date, week_label
from app.web.i18n import gettext as _
from app.web.templating import is_htmx, render

router = APIRouter()

TEMPLATE = "boards/action.html"
HIDDEN_FIELDS = {"id", "created_at", "updated_at", "created_by_id", "version"}


def field_label(name: str) -> str:
    """The Dutch name of an action's field, as the history shows it."""
    labels = {
        "title": _("Titel"),
        "description": _("Beschrijving"),
        "status": _("Status"),
        "owner_id": _("Eigenaar"),
        "due_date": _("Klaar op"),
        "ambition_id": _("Ambitie"),
        "goal_id": _("Kortetermijndoel"),
        "blocked_reason": _("Waarom geblokkeerd?"),
        "position": _("Plaats in de kolom"),
        "carried_over": _("Doorgeschoven"),
        "sprint_id": _("Periode"),
        "team_id": _("Team"),
        "done_at": _("Klaar gemeld op"),
    }
    return labels.get(name, name)


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime
    who: str
    what: str
    changes: list[Change]


@dataclass(frozen=True)
class Names:
    """How the history shows the ids and values its changes hold."""

    found: HistoryNames

    def show(self, name: str, value: Any) -> str:
        if value is None or value == "":
            return _("(leeg)")
        if name == "sprint_id":
            dates = self.found.sprints.get(value)
            return week_label(*dates) if dates else _("(verwijderd)")
        lookups = {
            "owner_id": self.found.users,
            "ambition_id": self.found.ambitions,
            "goal_id": self.found.goals,
            "team_id": self.found.teams,
        }
        if name in lookups:
            return lookups[name].get(value, _("(verwijderd)"))
        if name == "status":
            return status_label(value)
        if name == "due_date":
            return short_date(date.fromisoformat(value))
        if name == "done_at":
            return date_time(datetime.fromisoformat(value))
        if name == "position":
            return str(value + 1)
        return str(value)


def history(session: Session, action_id: int) -> list[HistoryEntry]:
    events = history_of(session, entity="action", entity_id=action_id)
    names = Names(names_in_history(session, events))
    verbs = {
        "created": _("heeft de actie aangemaakt"),
        "updated": _("heeft de actie gewijzigd"),
        "deleted": _("heeft de actie van dit bord gehaald"),
    }
    entries = []
    for event in events:
        who = names.found.users.get(event.actor_id or 0, "")
        changes = [
            Change(field_label(name), names.show(name, old), names.show(name, new))
            for name, (old, new) in event.changes.items()
            if name not in HIDDEN_FIELDS and not (event.verb == "created" and new in (None, ""))
        ]
        entries.append(
            HistoryEntry(
                when=event.occurred_at,
                who=who or _("het systeem"),
                what=verbs.get(event.verb, event.verb),
                changes=changes,
            )
        )
    return entries


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
    errors: dict[str, str] = field(default_factory=dict)

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
) -> Response:
    action = get_or_404(session, Action, action_id, "Actie")
    if action.team_id != team_id:
        raise NotFound("Actie")

    def refused(errors: dict[str, str]) -> Response:
        detail = detail_view(
            request, session, viewer.access, team_id, action_id, comment=body, errors=errors
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
            data=parse(CommentCreate, body=body),
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
