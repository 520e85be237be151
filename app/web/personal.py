"""Mijn acties: everything a person owns across teams, with its status changed in place."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import StreamingResponse
from sqlmodel import Session
from starlette.responses import Response

from app.deps import EngineDep, PathId, SessionDep, Today
from app.domain.due import is_due_soon, is_overdue
from app.domain.permissions import Access
from app.events import (
    KEEPALIVE_SECONDS,
    RECHECK_SECONDS,
    ChangeEvent,
    Credential,
    event_stream,
)
from app.models import Action, ActionStatus, Team
from app.queries.boards import last_editor_name
from app.queries.personal import OwnedAction, my_actions
from app.services import actions, sprints
from app.services.access import get_or_404
from app.services.errors import StaleVersion
from app.services.sprints import working_sprint
from app.web.boards.forms import status_change
from app.web.deps import ViewerDep, event_stream_response, stream_options
from app.web.forms import (
    SHOWN_STATUS_LABELS,
    STALE_ACTION,
    STATUS_LABELS,
    saved_answer,
    shown_again_only_to_writers,
    submit,
)
from app.web.i18n import gettext as _
from app.web.templating import is_htmx, render

router = APIRouter()

TEMPLATE = "personal/my_actions.html"
LIVE_EVENT = "mijn-acties"


@dataclass(frozen=True)
class StatusChoice:
    value: str
    label: str
    selected: bool


@dataclass
class ActionView:
    """One action as the personal pages show it; every flag decided here, not in a template."""

    action: Action
    team: Team
    is_overdue: bool
    status_label: str
    can_write: bool
    choices: list[StatusChoice]
    show_reason: bool
    reason: str
    errors: dict[str, str] = field(default_factory=dict)
    notice: str = ""  # e.g. the stale-version message


def action_view(
    item: OwnedAction,
    access: Access,
    *,
    chosen: str | None = None,
    reason: str | None = None,
    errors: dict[str, str] | None = None,
    notice: str = "",
) -> ActionView:
    action = item.action
    picked = chosen or action.status
    return ActionView(
        action=action,
        team=item.team,
        is_overdue=item.is_overdue,
        status_label=_(SHOWN_STATUS_LABELS[ActionStatus(action.status)]),
        can_write=access.can_write_board(action.team_id),
        choices=[
            StatusChoice(value=value, label=_(label), selected=value == picked)
            for value, label in STATUS_LABELS.items()
        ],
        # the reason field shows for a blocked action, or when it was asked for
        show_reason=picked == ActionStatus.blocked or bool(errors and "blocked_reason" in errors),
        reason=reason if reason is not None else (action.blocked_reason or ""),
        errors=errors or {},
        notice=notice,
    )


def _list_context(
    session: Session, access: Access, *, sprint_id: int | None, today: date
) -> dict[str, Any]:
    items = my_actions(session, user_id=access.user_id, today=today, sprint_id=sprint_id)
    return {"items": [action_view(item, access) for item in items]}


@router.get("/mijn-acties")
def my_actions_page(
    request: Request, viewer: ViewerDep, session: SessionDep, engine: EngineDep, today: Today
) -> Response:
    sprint = working_sprint(session=session, engine=engine, today=today)
    context = _list_context(session, viewer.access, sprint_id=sprint.id, today=today)
    # a live redraw says so to screen readers; the first load does not
    context["announce"] = request.query_params.get("bijgewerkt") == "1"
    return render(request, TEMPLATE, context, block="lijst")


def _owned(session: Session, action: Action, today: date) -> OwnedAction:
    """The action as an item of the personal list, read afresh."""
    team = session.get(Team, action.team_id)
    assert team is not None
    return OwnedAction(
        action=action,
        team=team,
        is_overdue=is_overdue(status=action.status, due_date=action.due_date, today=today),
        is_due_soon=is_due_soon(status=action.status, due_date=action.due_date, today=today),
    )


def _item_response(
    request: Request,
    session: Session,
    access: Access,
    today: date,
    view: ActionView,
    *,
    status_code: int = 200,
    message: str = "",
) -> Response:
    """Just the item for HTMX; for a plain form the whole page with this item in it."""
    if is_htmx(request):
        item = {"item": view, "message": message}
        return render(request, TEMPLATE, item, block="actie", status_code=status_code)
    # find, never make, the sprint here: this request holds the write lock
    sprint = sprints.find_working(session=session, today=today)
    context = _list_context(session, access, sprint_id=sprint.id if sprint else None, today=today)
    context["items"] = [
        view if other.action.id == view.action.id else other for other in context["items"]
    ]
    return render(request, TEMPLATE, context, status_code=status_code)


@router.post("/mijn-acties/{action_id}/status")
def change_status(
    request: Request,
    action_id: PathId,
    viewer: ViewerDep,
    session: SessionDep,
    today: Today,
    version: Annotated[int, Form(ge=1, le=2**31 - 1)],
    new_status: Annotated[str, Form(alias="status")] = "",
    blocked_reason: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    action = get_or_404(session, Action, action_id, "Actie")

    def save() -> Action:
        data = status_change(action, version=version, status=new_status, reason=blocked_reason)
        return actions.update_action(
            session=session, actor=viewer.access, action_id=action_id, data=data
        )

    def refused(errors: dict[str, str]) -> Response:
        view = action_view(
            _owned(session, action, today),
            viewer.access,
            chosen=new_status,
            reason=blocked_reason,
            errors=errors,
        )
        shown_again_only_to_writers(view.can_write)
        return _item_response(request, session, viewer.access, today, view)

    def saved(updated: Action) -> Response:
        view = action_view(_owned(session, updated, today), viewer.access)
        message = _("Status van „%(titel)s” is nu %(status)s.") % {
            "titel": updated.title,
            "status": view.status_label,
        }
        return _item_response(request, session, viewer.access, today, view, message=message)

    try:
        return submit(
            session,
            save,
            refused=refused,
            saved=lambda updated: saved_answer(
                request, f"/mijn-acties#mijn-actie-{action_id}", lambda: saved(updated)
            ),
        )
    except StaleVersion:
        session.rollback()
        current = session.get(Action, action_id)
        assert current is not None
        name = last_editor_name(session, entity="action", entity_id=action_id) or _("iemand anders")
        notice = _(STALE_ACTION) % {"naam": name}
        view = action_view(_owned(session, current, today), viewer.access, notice=notice)
        return _item_response(request, session, viewer.access, today, view, status_code=409)


def concerns(change: ChangeEvent, user_id: int) -> bool:
    """Whether a change touched an action this user owns (or owned before the change)."""
    return change.type.startswith("action.") and user_id in change.details.get("owner_ids", [])


def live_events(
    is_disconnected: Callable[[], Awaitable[bool]],
    user_id: int,
    keepalive: float = KEEPALIVE_SECONDS,
    *,
    reconnected: bool = False,
    credential: Credential | None = None,
    still_valid: Callable[[], bool] | None = None,
    recheck: float = RECHECK_SECONDS,
) -> AsyncIterator[str]:
    """A named server-sent event each time one of the user's actions changes; after a
    reconnect one at once, as something may have changed while the connection was down. The
    stream ends when the browser session does (logout, deactivation): app/events.py."""

    async def opening() -> list[str]:
        return [f"event: {LIVE_EVENT}\ndata: opnieuw verbonden\n\n"] if reconnected else []

    def messages(change: ChangeEvent) -> list[str]:
        if not concerns(change, user_id):
            return []
        return [f"id: {change.id}\nevent: {LIVE_EVENT}\ndata: {change.entity_id}\n\n"]

    return event_stream(
        is_disconnected,
        messages,
        opening=opening,
        keepalive=keepalive,
        credential=credential,
        still_valid=still_valid,
        recheck=recheck,
    )


@router.get("/mijn-acties/live", response_class=StreamingResponse)
async def my_actions_live(
    request: Request, viewer: ViewerDep, session: SessionDep
) -> StreamingResponse:
    assert viewer.user.id is not None
    # the stream runs for a long time: give the database connection back now
    session.close()
    return event_stream_response(
        live_events(request.is_disconnected, viewer.user.id, **stream_options(request, viewer))
    )
