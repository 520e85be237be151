"""Admin pages for sprints (periodes): the list, planning one, and closing one after a
confirmation step."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from sqlalchemy import Engine
from sqlmodel import Session
from starlette.responses import Response

from app.deps import EngineDep, PathId, SessionDep, Today
from app.models import Sprint, SprintCreate
from app.queries import admin as queries_admin
from app.services import sprints
from app.services.access import get_or_404
from app.services.errors import Invalid
from app.services.sprints import current_sprint
from app.web.admin_common import (
    N_,
    UNPROCESSABLE,
    FormError,
    PageViewer,
    build,
    require_administrator,
    see_other,
    translated,
)
from app.web.i18n import gettext as _
from app.web.i18n import ngettext, week_label
from app.web.templating import render

router = APIRouter()

FormText = Annotated[str, Form(max_length=100)]

STATUS_LABELS = {
    "current": N_("huidige"),
    "closed": N_("afgesloten"),
    "planned": N_("gepland"),
}


@dataclass(frozen=True)
class SprintRow:
    sprint: Sprint
    status: str  # current, closed or planned
    status_label: str
    can_close: bool


def _rows(session: Session, engine: Engine, today: date) -> list[SprintRow]:
    current = current_sprint(session=session, engine=engine, today=today)
    rows = []
    for sprint in queries_admin.sprints_newest_first(session):
        if sprint.closed_at is not None:
            status = "closed"
        elif sprint.id == current.id:
            status = "current"
        else:
            status = "planned"
        rows.append(
            SprintRow(
                sprint=sprint,
                status=status,
                status_label=_(STATUS_LABELS[status]),
                can_close=status == "current",
            )
        )
    return rows


def _sprints_page(
    request: Request,
    session: Session,
    engine: Engine,
    today: date,
    *,
    form: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
    extra: dict[str, Any] | None = None,
) -> Response:
    context = {
        "section": "sprints",
        "rows": _rows(session, engine, today),
        "form": form or {"start_date": "", "end_date": ""},
        "errors": errors or {},
        **(extra or {}),
    }
    return render(request, "admin/sprints.html", context, status_code=status_code)


@router.get("/beheer/periodes")
def sprints_page(
    request: Request, viewer: PageViewer, session: SessionDep, engine: EngineDep, today: Today
) -> Response:
    require_administrator(viewer)
    return _sprints_page(request, session, engine, today)


def _parse_dates(start_date: str, end_date: str) -> tuple[date, date | None]:
    """The two date fields (type=date sends yyyy-mm-dd); the end date may stay empty."""
    errors: dict[str, str] = {}
    parsed: dict[str, date | None] = {}
    for field, value in (("start_date", start_date), ("end_date", end_date)):
        value = value.strip()
        try:
            parsed[field] = date.fromisoformat(value) if value else None
        except ValueError:
            errors[field] = _("Vul een datum in als jjjj-mm-dd, bijvoorbeeld 2026-11-23.")
    start = parsed.get("start_date")
    if start is None and "start_date" not in errors:
        errors["start_date"] = _("Vul een begindatum in.")
    if errors or start is None:
        raise FormError(errors)
    return start, parsed.get("end_date")


@router.post("/beheer/periodes")
def create_sprint(
    request: Request,
    viewer: PageViewer,
    session: SessionDep,
    engine: EngineDep,
    today: Today,
    start_date: FormText = "",
    end_date: FormText = "",
) -> Response:
    require_administrator(viewer)
    form = {"start_date": start_date, "end_date": end_date}
    try:
        start, end = _parse_dates(start_date, end_date)
        data = build(SprintCreate, {}, start_date=start, end_date=end)
        sprints.create_sprint(session=session, actor=viewer.access, data=data)
    except (FormError, Invalid) as exc:
        session.rollback()
        errors = exc.errors if isinstance(exc, FormError) else translated(exc.errors)
        return _sprints_page(
            request, session, engine, today, form=form, errors=errors, status_code=UNPROCESSABLE
        )
    return see_other("/beheer/periodes")


@router.get("/beheer/periodes/{sprint_id}/afsluiten")
def confirm_close(
    request: Request, sprint_id: PathId, viewer: PageViewer, session: SessionDep
) -> Response:
    require_administrator(viewer)
    sprint = get_or_404(session, Sprint, sprint_id, "Periode")
    assert sprint.id is not None
    context = {
        "section": "sprints",
        "sprint": sprint,
        "already_closed": sprint.closed_at is not None,
        "open_count": queries_admin.open_action_count(session, sprint_id=sprint.id),
    }
    return render(request, "admin/sprint_close.html", context)


@router.post("/beheer/periodes/{sprint_id}/afsluiten")
def close_sprint(
    request: Request,
    sprint_id: PathId,
    viewer: PageViewer,
    session: SessionDep,
    engine: EngineDep,
    today: Today,
) -> Response:
    require_administrator(viewer)
    result = sprints.close_sprint(
        session=session, actor=viewer.access, sprint_id=sprint_id, today=today
    )
    closed, following = result.closed, result.next_sprint
    message = " ".join(
        (
            _("Periode %(label)s is afgesloten.")
            % {"label": week_label(closed.start_date, closed.end_date)},
            ngettext(
                "%(num)d actie doorgeschoven naar %(label)s.",
                "%(num)d acties doorgeschoven naar %(label)s.",
                result.carried_over,
            )
            % {
                "num": result.carried_over,
                "label": week_label(following.start_date, following.end_date),
            },
        )
    )
    # the result is shown right here rather than after a redirect: closing again changes nothing
    return _sprints_page(request, session, engine, today, extra={"closed_message": message})
